package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Activates a monitor dependent once the Prometheus Operator's CRD exists. A found CRD is remembered (CRDs are not
 * expected to disappear); a missing one is looked up again on the next reconciliation.
 */
public abstract class MonitoringCrdPresent<R extends HasMetadata> implements Condition<R, SplitInference> {

    private final String crdName;
    private volatile boolean present;

    protected MonitoringCrdPresent(String crdName) {
        this.crdName = crdName;
    }

    @Override
    public boolean isMet(
            DependentResource<R, SplitInference> dependent, SplitInference primary, Context<SplitInference> context) {
        if (!present) {
            present = context.getClient()
                            .apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .withName(crdName)
                            .get()
                    != null;
        }
        return present;
    }

    /** servicemonitors.monitoring.coreos.com */
    public static class ServiceMonitors extends MonitoringCrdPresent<ServiceMonitor> {
        public ServiceMonitors() {
            super("servicemonitors." + Monitors.GROUP);
        }
    }

    /** podmonitors.monitoring.coreos.com */
    public static class PodMonitors extends MonitoringCrdPresent<PodMonitor> {
        public PodMonitors() {
            super("podmonitors." + Monitors.GROUP);
        }
    }
}
