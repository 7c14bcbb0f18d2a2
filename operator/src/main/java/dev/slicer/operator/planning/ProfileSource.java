package dev.slicer.operator.planning;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.operator.config.OperatorConfig;
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
 * (memory, latency and intermediate-feature size per split candidate, a planner {@link SplitProfile} in JSON) is
 * produced offline by {@code ./slicer plan calibrate} (which measures the distortion table the floor needs) and stored in the ConfigMap {@code <name>-profile} (key
 * {@code profile.json}, configurable). Parsed profiles are cached by the ConfigMap's resourceVersion.
 */
@ApplicationScoped
public class ProfileSource {

    /** A profile, or why there is none. */
    public record Lookup(SplitProfile profile, String problem) {}

    private record Cached(String resourceVersion, SplitProfile profile) {}

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final KubernetesClient client;
    private final OperatorConfig config;

    public ProfileSource(KubernetesClient client, OperatorConfig config) {
        this.client = client;
        this.config = config;
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
                            + " not found; create it with `./slicer plan calibrate --model URI --out profile.json`");
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
