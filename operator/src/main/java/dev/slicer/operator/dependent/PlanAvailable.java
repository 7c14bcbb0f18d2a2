package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.operator.reconcile.ReconcileState;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The plan ConfigMap is reconciled once a plan exists (the first plan needs the model profile). */
public class PlanAvailable implements Condition<ConfigMap, SplitInference> {

    @Override
    public boolean isMet(
            DependentResource<ConfigMap, SplitInference> dependent,
            SplitInference primary,
            Context<SplitInference> context) {
        return ReconcileState.of(context).plan() != null;
    }
}
