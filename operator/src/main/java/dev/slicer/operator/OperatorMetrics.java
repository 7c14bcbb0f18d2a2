package dev.slicer.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The operator's own metrics, exported on /q/metrics: {@code slicer_operator_plan_duration_seconds},
 * {@code slicer_operator_replans_total} and {@code slicer_operator_reconcile_duration_seconds} (JOSDK adds its
 * per-controller {@code operator_sdk_*} metrics).
 */
@ApplicationScoped
public class OperatorMetrics {

    private final Timer planDuration;
    private final Counter replans;
    private final MeterRegistry registry;

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.planDuration = Timer.builder("slicer.operator.plan.duration")
                .description("Time one planner run takes")
                .register(registry);
        this.replans = Counter.builder("slicer.operator.replans")
                .description("Plans published with a new content hash")
                .register(registry);
    }

    public Timer planDuration() {
        return planDuration;
    }

    /** Reconcile durations, per resource (the fleets an operator runs are few). */
    public Timer reconcileDuration(String namespace, String name) {
        return Timer.builder("slicer.operator.reconcile.duration")
                .description("Time one reconciliation takes, observation and dependents included")
                .tags("namespace", namespace, "name", name)
                .register(registry);
    }

    public Timer.Sample start() {
        return Timer.start(registry);
    }

    public void replanned() {
        replans.increment();
    }
}
