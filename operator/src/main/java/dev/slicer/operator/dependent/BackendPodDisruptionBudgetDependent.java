package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The back-end PodDisruptionBudget {@code <name>-backend}, while {@code spec.backend.podDisruptionBudget} is set:
 * a drain or an eviction takes at most {@code maxUnavailable} back-end pods at once. {@code maxUnavailable} rather
 * than {@code minAvailable}, so the budget follows the replica count as the fleet scales (to zero included).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_SELECTOR))
public class BackendPodDisruptionBudgetDependent extends FleetDependent<PodDisruptionBudget> {

    public BackendPodDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    /** The target is known without {@code desired()}, which needs the budget the spec no longer has on removal. */
    @Override
    protected ResourceID targetSecondaryResourceID(SplitInference si, Context<SplitInference> context) {
        return new ResourceID(Names.backend(si), si.getMetadata().getNamespace());
    }

    @Override
    protected PodDisruptionBudget desired(SplitInference si, Context<SplitInference> context) {
        return desired(si);
    }

    public static PodDisruptionBudget desired(SplitInference si) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(Names.metadata(si, Names.backend(si), Names.COMPONENT_BACKEND))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(
                        si.getSpec().getBackend().getPodDisruptionBudget().getMaxUnavailable()))
                .withNewSelector()
                .withMatchLabels(Names.selector(si, Names.COMPONENT_BACKEND))
                .endSelector()
                .endSpec()
                .build();
    }
}
