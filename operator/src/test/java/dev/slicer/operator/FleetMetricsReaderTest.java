package dev.slicer.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.operator.metrics.FleetMetricsReader;
import dev.slicer.operator.metrics.PrometheusClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the operator asks Prometheus, against a stub that records the queries. */
class FleetMetricsReaderTest {

    @Test
    void theRequestRateComesFromTheBackEndsOwnSeriesOnly() throws Exception {
        try (StubPrometheus prometheus = new StubPrometheus()) {
            new FleetMetricsReader(new PrometheusClient(Duration.ofSeconds(1), Duration.ofSeconds(2)), "30s")
                    .read(prometheus.url(), "ns", "fleet");
            // edge stage counts exist twice when in-cluster edges are scraped as well as the back-end's re-export:
            // counting requests from them would double the load the scaling sees
            assertThat(prometheus.queries())
                    .contains(
                            "sum(rate(slicer_backend_batch_size_sum{namespace=\"ns\",slicer_dev_fleet=\"fleet\"}[30s]))")
                    .noneMatch(q -> q.startsWith("sum(rate(slicer_edge_") && q.contains("stage=\"backend\""));
            assertThat(prometheus.queries()).allMatch(q -> q.contains("slicer_dev_fleet=\"fleet\""));
        }
    }
}
