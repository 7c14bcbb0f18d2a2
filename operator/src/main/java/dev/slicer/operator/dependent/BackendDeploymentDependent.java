package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.spec.BackendSpec;
import dev.slicer.operator.reconcile.ReconcileState;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The back-end Deployment {@code <name>-backend}: image and batching from the spec, replicas from the scaling
 * decision, GPU requests for the CUDA execution provider, Pod Security "restricted" and a read-only root file
 * system.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_SELECTOR))
public class BackendDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, SplitInference> {

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
                .withEnv(List.of(
                        new EnvVar("SLICER_FLEET", si.getMetadata().getName(), null),
                        new EnvVar("SLICER_PLAN_CONFIGMAP", Names.plan(si), null),
                        new EnvVar(
                                "SLICER_EXECUTION_PROVIDER",
                                b.getExecutionProvider().name(),
                                null),
                        new EnvVar(
                                "SLICER_BATCH_MAX_SIZE",
                                String.valueOf(b.getBatching().getMaxBatchSize()),
                                null),
                        new EnvVar("SLICER_BATCH_MAX_DELAY", b.getBatching().getMaxDelay(), null)))
                .build();
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(Names.backend(si))
                .withNamespace(si.getMetadata().getNamespace())
                .withLabels(Names.labels(si, Names.COMPONENT_BACKEND))
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .withMatchLabels(Names.selector(si, Names.COMPONENT_BACKEND))
                .endSelector()
                .withTemplate(PodSecurity.restrictedPodTemplate(
                        Names.labels(si, Names.COMPONENT_BACKEND), container, b.getNodeSelector(), b.getTolerations()))
                .endSpec()
                .build();
    }

    /** The spec's resources, plus {@code gpus} of the GPU resource as request and limit for CUDA. */
    static ResourceRequirements resources(BackendSpec b) {
        ResourceRequirements base = b.getResources() == null ? new ResourceRequirements() : b.getResources();
        Map<String, Quantity> requests = new TreeMap<>(base.getRequests() == null ? Map.of() : base.getRequests());
        Map<String, Quantity> limits = new TreeMap<>(base.getLimits() == null ? Map.of() : base.getLimits());
        if (b.getExecutionProvider() == BackendSpec.ExecutionProvider.CUDA && b.getGpus() > 0) {
            Quantity gpus = new Quantity(String.valueOf(b.getGpus()));
            requests.put(b.getGpuResourceName(), gpus);
            limits.put(b.getGpuResourceName(), gpus);
        }
        return new ResourceRequirementsBuilder()
                .withRequests(requests.isEmpty() ? null : requests)
                .withLimits(limits.isEmpty() ? null : limits)
                .build();
    }
}
