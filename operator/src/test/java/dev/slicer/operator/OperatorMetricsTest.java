package dev.slicer.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {

    /** The dashboard's p95 panels run histogram_quantile over _bucket: the durations must export buckets. */
    @Test
    void durationsAreHistogramsWithBuckets() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OperatorMetrics metrics = new OperatorMetrics(registry);
        metrics.planDuration().record(Duration.ofMillis(70));
        metrics.reconcileDuration("ns", "fleet").record(Duration.ofMillis(3));
        String text = registry.scrape();
        assertThat(text)
                .contains("# TYPE slicer_operator_plan_duration_seconds histogram")
                .contains("slicer_operator_plan_duration_seconds_bucket{le=\"0.05\",} 0.0")
                .contains("slicer_operator_plan_duration_seconds_bucket{le=\"0.1\",} 1.0")
                .contains("slicer_operator_plan_duration_seconds_bucket{le=\"+Inf\",} 1.0")
                .contains("# TYPE slicer_operator_reconcile_duration_seconds histogram")
                .contains(
                        "slicer_operator_reconcile_duration_seconds_bucket{name=\"fleet\",namespace=\"ns\",le=\"0.005\",} 1.0");
        assertThat(text).doesNotContain("quantile=");
    }
}
