package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The back-end PodDisruptionBudget exists only while the spec asks for one; removing the field deletes it. */
public class PodDisruptionBudgetRequested implements Condition<PodDisruptionBudget, SplitInference> {

    @Override
    public boolean isMet(
            DependentResource<PodDisruptionBudget, SplitInference> dependent,
            SplitInference primary,
            Context<SplitInference> context) {
        return primary.getSpec().getBackend().getPodDisruptionBudget() != null;
    }
}
