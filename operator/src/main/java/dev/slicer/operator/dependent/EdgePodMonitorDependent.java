package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** PodMonitor scraping the edge pods (spec.edges.selector); only active when the Prometheus Operator's CRD exists. */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_SELECTOR))
public class EdgePodMonitorDependent extends FleetDependent<PodMonitor> {

    public EdgePodMonitorDependent() {
        super(PodMonitor.class);
    }

    @Override
    protected PodMonitor desired(SplitInference si, Context<SplitInference> context) {
        return Monitors.podMonitor(
                si,
                context.managedWorkflowAndDependentResourceContext()
                        .get(MonitorLabels.KEY, MonitorLabels.class)
                        .orElse(MonitorLabels.NONE));
    }
}
