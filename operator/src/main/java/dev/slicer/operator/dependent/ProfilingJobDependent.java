package dev.slicer.operator.dependent;

import dev.slicer.crds.ModelDigest;
import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.spec.BackendSpec;
import dev.slicer.operator.config.ProfilerConfig;
import dev.slicer.operator.planning.ProfileSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.quarkus.arc.Arc;

/**
 * The profiling Job {@code <name>-profiler-<digest>}, run while the resource has no profile for its model URI
 * ({@link ProfileMissing}): the back-end image, on the back-end's nodes with its resources, runs {@code slicer plan
 * calibrate} on the model URI (profile, warm encode times, distortion table), then a kubectl step writes the result
 * into the ConfigMap {@code <name>-profile} annotated with the model's digest. The Job's completion triggers a
 * reconcile, which reads and checks that ConfigMap; once the profile is valid the precondition fails and the Job is
 * deleted.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_SELECTOR))
public class ProfilingJobDependent extends FleetDependent<Job> {

    /** The calibrate launcher in the back-end image (gpu-backend/src/main/docker). */
    public static final String CALIBRATE = "/deployments/slicer-plan";

    static final String WORK = "/work";
    static final String WORK_VOLUME = "work";
    /** Field manager of the profile ConfigMap the Job writes. */
    static final String FIELD_MANAGER = "slicer-profiler";

    /** kubectl: the profile as a ConfigMap, annotated with the digest, applied server-side. */
    static final String PUBLISH = "set -eu\n"
            + "kubectl create configmap \"$PROFILE\" --from-file=\"$KEY=" + WORK + "/profile.json\""
            + " --dry-run=client -o yaml \\\n"
            + "  | kubectl annotate --local -f - \"" + ModelDigest.ANNOTATION + "=$DIGEST\" -o yaml \\\n"
            + "  | kubectl apply --server-side --force-conflicts --field-manager=" + FIELD_MANAGER + " -f -\n";

    public ProfilingJobDependent() {
        super(Job.class);
    }

    /** A Job is created once and never changed (its template is immutable): no field ownership to keep. */
    @Override
    protected boolean useSSA(Context<SplitInference> context) {
        return false;
    }

    @Override
    protected Job desired(SplitInference si, Context<SplitInference> context) {
        // dependents are created by the SDK, not by CDI: the configuration comes through the profile source
        ProfileSource profiles = Arc.container().instance(ProfileSource.class).get();
        return desired(si, profiles.profiler(), profiles.profileKey());
    }

    public static Job desired(SplitInference si, ProfilerConfig cfg, String profileKey) {
        BackendSpec b = si.getSpec().getBackend();
        String uri = si.getSpec().getModel().getUri();
        VolumeMount work = new VolumeMountBuilder()
                .withName(WORK_VOLUME)
                .withMountPath(WORK)
                .build();
        Container calibrate = new io.fabric8.kubernetes.api.model.ContainerBuilder()
                .withName("calibrate")
                .withImage(b.getImage())
                .withCommand(CALIBRATE)
                .withArgs(
                        "calibrate",
                        "--model",
                        uri,
                        "--out",
                        WORK + "/profile.json",
                        "--samples",
                        String.valueOf(cfg.samples()))
                .withSecurityContext(PodSecurity.containerSecurityContext())
                // the back-end's hardware: its resources (GPUs included) and, below, its nodes
                .withResources(BackendDeploymentDependent.resources(b))
                .withVolumeMounts(PodSecurity.tmpMount(), work)
                .build();
        Container publish = new io.fabric8.kubernetes.api.model.ContainerBuilder()
                .withName("publish")
                .withImage(cfg.kubectlImage())
                .withCommand("sh", "-c", PUBLISH)
                .withEnv(
                        new EnvVar("PROFILE", Names.profile(si), null),
                        new EnvVar("KEY", profileKey, null),
                        new EnvVar("DIGEST", ModelDigest.of(uri), null),
                        new EnvVar("HOME", "/tmp", null))
                .withSecurityContext(PodSecurity.containerSecurityContext())
                .withVolumeMounts(
                        PodSecurity.tmpMount(),
                        new VolumeMountBuilder(work).withReadOnly(true).build())
                .build();
        return new JobBuilder()
                .withMetadata(Names.metadata(si, Names.profiler(si), Names.COMPONENT_PROFILER))
                .withNewSpec()
                .withBackoffLimit(2)
                .withActiveDeadlineSeconds(cfg.deadline().toSeconds())
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Names.labels(si, Names.COMPONENT_PROFILER))
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(cfg.serviceAccount())
                .withAutomountServiceAccountToken(true) // kubectl writes the ConfigMap
                .withSecurityContext(PodSecurity.podSecurityContext())
                .withNodeSelector(b.getNodeSelector())
                .withTolerations(b.getTolerations())
                .withInitContainers(calibrate)
                .withContainers(publish)
                .withVolumes(
                        PodSecurity.tmpVolume(),
                        new VolumeBuilder()
                                .withName(WORK_VOLUME)
                                .withNewEmptyDir()
                                .endEmptyDir()
                                .build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
