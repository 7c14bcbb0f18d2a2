package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.operator.reconcile.PublishedPlan;
import dev.slicer.operator.reconcile.ReconcileState;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.TreeMap;

/**
 * The plan ConfigMap {@code <name>-plan} the edges watch: plan JSON, its hash and the metrics it was made for. Its
 * content changes only when the plan hash changes, so an unchanged plan causes no write.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_SELECTOR))
public class PlanConfigMapDependent extends FleetDependent<ConfigMap> {

    public PlanConfigMapDependent() {
        super(ConfigMap.class);
    }

    /** The target is known without {@code desired()}, which needs inputs absent while the precondition fails. */
    @Override
    protected ResourceID targetSecondaryResourceID(SplitInference si, Context<SplitInference> context) {
        return new ResourceID(Names.plan(si), si.getMetadata().getNamespace());
    }

    /**
     * JOSDK leaves ConfigMaps out of server-side apply unless told otherwise; the plan follows the operator's switch
     * like every other dependent (whole-object updates would overwrite fields other tools set).
     */
    @Override
    protected ConfigMap desired(SplitInference si, Context<SplitInference> context) {
        return desired(si, ReconcileState.of(context).plan());
    }

    public static ConfigMap desired(SplitInference si, PublishedPlan plan) {
        return new ConfigMapBuilder()
                .withMetadata(Names.metadata(si, Names.plan(si), Names.COMPONENT_PLAN))
                .withData(new TreeMap<>(plan.data()))
                .build();
    }
}
