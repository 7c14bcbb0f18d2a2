package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** ServiceMonitor scraping the back-end's /q/metrics; only active when the Prometheus Operator's CRD exists. */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_SELECTOR))
public class BackendServiceMonitorDependent extends FleetDependent<ServiceMonitor> {

    public BackendServiceMonitorDependent() {
        super(ServiceMonitor.class);
    }

    @Override
    protected ServiceMonitor desired(SplitInference si, Context<SplitInference> context) {
        return Monitors.serviceMonitor(
                si,
                context.managedWorkflowAndDependentResourceContext()
                        .get(MonitorLabels.KEY, MonitorLabels.class)
                        .orElse(MonitorLabels.NONE));
    }
}
