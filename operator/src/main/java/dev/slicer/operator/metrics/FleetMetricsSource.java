package dev.slicer.operator.metrics;

import dev.slicer.crds.v1alpha1.SplitInference;

/** Where the operator reads a fleet's planning inputs: Prometheus, or the back-end replicas themselves. */
public interface FleetMetricsSource {

    /** The fleet's inputs now; a source that cannot answer says why. */
    FleetMetrics read(SplitInference si) throws MetricsUnavailableException;
}
