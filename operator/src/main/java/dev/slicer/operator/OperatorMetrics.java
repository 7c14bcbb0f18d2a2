package dev.slicer.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The operator's own metrics, exported on /q/metrics: {@code slicer_operator_plan_duration_seconds},
 * {@code slicer_operator_replans_total} and {@code slicer_operator_reconcile_duration_seconds} (JOSDK adds its
 * per-controller {@code operator_sdk_*} metrics). Durations are Prometheus histograms with fixed buckets
 * ({@link #BUCKETS}), so {@code histogram_quantile} over {@code _bucket} works (a summary has no buckets).
 */
@ApplicationScoped
public class OperatorMetrics {

    /** Bucket bounds of every duration: a few ms (a settled reconcile) to a minute (a large planner run). */
    static final Duration[] BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60)
    };

    private final Timer planDuration;
    private final Counter replans;
    private final MeterRegistry registry;

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.planDuration = Timer.builder("slicer.operator.plan.duration")
                .description("Time one planner run takes")
                .serviceLevelObjectives(BUCKETS)
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
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    public Timer.Sample start() {
        return Timer.start(registry);
    }

    public void replanned() {
        replans.increment();
    }
}
