package dev.slicer.operator.planning;

import dev.slicer.crds.ModelDigest;
import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.operator.config.OperatorConfig;
import dev.slicer.operator.config.ProfilerConfig;
import dev.slicer.operator.dependent.Names;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.plan.PlanJson;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the model profile comes from. The operator never downloads or runs a model inside a reconcile: the profile
 * (memory, latency and intermediate-feature size per split candidate, a planner {@link SplitProfile} in JSON, with
 * the distortion table the floor needs) is made by {@code slicer plan calibrate}, in the cluster by the profiling Job
 * ({@code ProfilingJobDependent}) or offline, and stored in the ConfigMap {@code <name>-profile} (key {@code
 * profile.json}, configurable) annotated with the model's {@link ModelDigest}; a profile whose digest is not the
 * resource's URI's is refused. Parsed profiles are cached by the ConfigMap's resourceVersion.
 */
@ApplicationScoped
public class ProfileSource {

    /** A profile, or why there is none. */
    public record Lookup(SplitProfile profile, String problem) {}

    private record Cached(String resourceVersion, SplitProfile profile) {}

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final KubernetesClient client;
    private final OperatorConfig config;

    private final ProfilerConfig profiler;

    public ProfileSource(KubernetesClient client, OperatorConfig config, ProfilerConfig profiler) {
        this.client = client;
        this.config = config;
        this.profiler = profiler;
    }

    /** How the profiling Job that makes missing profiles runs. */
    public ProfilerConfig profiler() {
        return profiler;
    }

    /** The ConfigMap key the profile is stored under. */
    public String profileKey() {
        return config.profileKey();
    }

    public Lookup profile(SplitInference si) {
        String name = Names.profile(si);
        String ns = si.getMetadata().getNamespace();
        ConfigMap cm = client.configMaps().inNamespace(ns).withName(name).get();
        String json = Optional.ofNullable(cm)
                .map(ConfigMap::getData)
                .map(d -> d.get(config.profileKey()))
                .orElse(null);
        if (json == null) {
            return new Lookup(
                    null,
                    "model profile ConfigMap " + name + " with key " + config.profileKey()
                            + " not found; the profiling Job " + Names.profiler(si) + " makes it");
        }
        String want = ModelDigest.of(si.getSpec().getModel().getUri());
        String have = Optional.ofNullable(cm.getMetadata().getAnnotations())
                .map(a -> a.get(ModelDigest.ANNOTATION))
                .orElse(null);
        if (!want.equals(have)) {
            return new Lookup(
                    null,
                    "model profile ConfigMap " + name + " is not for "
                            + si.getSpec().getModel().getUri() + " ("
                            + ModelDigest.ANNOTATION + " is " + have + ", the URI's is " + want
                            + "); the profiling Job replaces it");
        }
        String key = ns + "/" + name;
        String version = cm.getMetadata().getResourceVersion();
        Cached cached = cache.get(key);
        if (cached != null && version != null && version.equals(cached.resourceVersion())) {
            return new Lookup(cached.profile(), null);
        }
        try {
            SplitProfile profile = PlanJson.read(json, SplitProfile.class);
            cache.put(key, new Cached(version, profile));
            return new Lookup(profile, null);
        } catch (RuntimeException e) {
            return new Lookup(null, "model profile in ConfigMap " + name + " is invalid: " + e.getMessage());
        }
    }
}
