package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The edge DaemonSet exists only while the spec asks for in-cluster edges ({@code spec.edges.daemonSet}). */
public class EdgeDaemonSetRequested implements Condition<DaemonSet, SplitInference> {

    @Override
    public boolean isMet(
            DependentResource<DaemonSet, SplitInference> dependent,
            SplitInference primary,
            Context<SplitInference> context) {
        return primary.getSpec().getEdges().getDaemonSet() != null;
    }
}
