package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.spec.BackendSpec;
import dev.slicer.operator.reconcile.PublishedPlan;
import dev.slicer.operator.reconcile.ReconcileState;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The back-end Deployment {@code <name>-backend}: image, model and batching from the spec, the plan ConfigMap
 * mounted at {@value #PLAN_DIR}, replicas from the scaling
 * decision, GPU requests for the CUDA execution provider, Pod Security "restricted" and a read-only root file
 * system, then the spec's pod-level settings ({@link PodOptions}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_SELECTOR))
public class BackendDeploymentDependent extends FleetDependent<Deployment> {

    /** Where the plan ConfigMap is mounted; the back-end watches {@code plan.json} and {@code plan.hash} there. */
    public static final String PLAN_DIR = "/etc/slicer/plan";

    static final String PLAN_VOLUME = "plan";

    public BackendDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(SplitInference si, Context<SplitInference> context) {
        return desired(si, ReconcileState.of(context).replicas());
    }

    public static Deployment desired(SplitInference si, int replicas) {
        BackendSpec b = si.getSpec().getBackend();
        var container = PodSecurity.hardenedContainer("backend", b.getImage())
                .addToPorts(PodSecurity.port("http", Names.HTTP_PORT), PodSecurity.port("grpc", Names.GRPC_PORT))
                .withResources(resources(b))
                .withEnv(env(si))
                .addToVolumeMounts(new VolumeMountBuilder()
                        .withName(PLAN_VOLUME)
                        .withMountPath(PLAN_DIR)
                        .withReadOnly(true)
                        .build())
                // a model load (and a CUDA start) can take minutes: liveness starts only after this probe passes
                .withStartupProbe(PodSecurity.httpProbe("/q/health/started", 5, 60))
                .build();
        var template = PodSecurity.restrictedPodTemplate(
                Names.labels(si, Names.COMPONENT_BACKEND), container, b.getNodeSelector(), b.getTolerations());
        template = new PodTemplateSpecBuilder(template)
                .editSpec()
                .addToVolumes(new VolumeBuilder()
                        .withName(PLAN_VOLUME)
                        .withNewConfigMap()
                        .withName(Names.plan(si))
                        // the back-end starts before the first plan exists; it serves with none until it appears
                        .withOptional(true)
                        .endConfigMap()
                        .build())
                .endSpec()
                .build();
        template = PodOptions.apply(template, b.getPod());
        return new DeploymentBuilder()
                .withMetadata(Names.metadata(si, Names.backend(si), Names.COMPONENT_BACKEND))
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .withMatchLabels(Names.selector(si, Names.COMPONENT_BACKEND))
                .endSelector()
                .withTemplate(template)
                .endSpec()
                .build();
    }

    /**
     * The back-end's configuration, exactly the properties its {@code BackendConfig} reads (gpu-backend/README.md):
     * model, mounted plan file, execution provider and batching.
     */
    static List<EnvVar> env(SplitInference si) {
        BackendSpec b = si.getSpec().getBackend();
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("SLICER_FLEET", si.getMetadata().getName(), null));
        env.add(new EnvVar("SLICER_BACKEND_MODEL_URI", si.getSpec().getModel().getUri(), null));
        env.add(new EnvVar("SLICER_BACKEND_PLAN_FILE", PLAN_DIR + "/" + PublishedPlan.PLAN_KEY, null));
        env.add(new EnvVar(
                "SLICER_BACKEND_EXECUTION_PROVIDER", b.getExecutionProvider().name(), null));
        env.add(new EnvVar(
                "SLICER_BACKEND_BATCHING_MAX_BATCH_SIZE",
                String.valueOf(b.getBatching().getMaxBatchSize()),
                null));
        env.add(new EnvVar(
                "SLICER_BACKEND_BATCHING_MAX_QUEUE_DELAY", b.getBatching().getMaxDelay(), null));
        return env;
    }

    /** The spec's resources (canonical quantities), plus {@code gpus} of the GPU resource as request and limit for CUDA. */
    static ResourceRequirements resources(BackendSpec b) {
        ResourceRequirements base = b.getResources() == null ? new ResourceRequirements() : b.getResources();
        Map<String, Quantity> requests = new TreeMap<>(base.getRequests() == null ? Map.of() : base.getRequests());
        Map<String, Quantity> limits = new TreeMap<>(base.getLimits() == null ? Map.of() : base.getLimits());
        if (b.getExecutionProvider() == BackendSpec.ExecutionProvider.CUDA && b.getGpus() > 0) {
            Quantity gpus = new Quantity(String.valueOf(b.getGpus()));
            requests.put(b.getGpuResourceName(), gpus);
            limits.put(b.getGpuResourceName(), gpus);
        }
        return Quantities.canonical(new ResourceRequirementsBuilder()
                .withRequests(requests.isEmpty() ? null : requests)
                .withLimits(limits.isEmpty() ? null : limits)
                .build());
    }
}
