package dev.slicer.operator.reconcile;

import dev.slicer.crds.v1alpha1.spec.BackendSpec;
import dev.slicer.operator.metrics.FleetMetrics;

/**
 * Back-end replicas from load: {@code clamp(ceil(load / (capacity * targetUtilization)), min, max)}, where the load
 * (busy seconds per second) is the larger of the observed compute load and the load the plan predicts (request rate
 * times the back-end seconds per request of the rows in use). A pinned {@code spec.backend.replicas} wins; with no
 * load signal the current replica count is kept.
 */
public final class Scaling {

    private Scaling() {}

    public static int replicas(
            BackendSpec backend,
            FleetMetrics metrics,
            Double predictedSecondsPerRequest,
            Integer current,
            double perReplicaCapacity) {
        int min = backend.getMinReplicas();
        int max = backend.getMaxReplicas();
        if (backend.getReplicas() != null) {
            return clamp(backend.getReplicas(), min, max);
        }
        Double predicted = metrics.requestRate() == null || predictedSecondsPerRequest == null
                ? null
                : metrics.requestRate() * predictedSecondsPerRequest;
        Double load = max(metrics.computeLoad(), predicted);
        if (load == null) {
            return clamp(current == null ? min : current, min, max);
        }
        double perReplica = perReplicaCapacity * backend.getTargetUtilization();
        long needed = (long) Math.ceil(load / perReplica - 1e-9);
        return clamp((int) Math.min(Integer.MAX_VALUE, needed), min, max);
    }

    static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }

    private static Double max(Double a, Double b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.max(a, b);
    }
}
