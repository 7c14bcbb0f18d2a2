package dev.slicer.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateWindowTest {

    private static final long S = 1_000_000_000L;

    /** One replica's totals: compute seconds, requests, queue (sum, count), phone's front stage (sum, count). */
    private static ReplicaTotals totals(
            double goodput, double compute, double requests, double qSum, double qCount, double fSum, double fCount) {
        return new ReplicaTotals(
                Map.of("phone", goodput),
                Map.of("phone", Map.of("front", new ReplicaTotals.Histogram(fSum, fCount))),
                new ReplicaTotals.Histogram(qSum, qCount),
                compute,
                requests);
    }

    @Test
    void oneScrapeGivesTheGaugesButNoRates() {
        FleetMetrics m = new RateWindow(Duration.ofSeconds(20))
                .record(0, List.of("a"), Map.of("a", totals(1000, 5, 10, 1, 10, 2, 10)));
        assertThat(m.goodputBytesPerSecond()).containsEntry("phone", 1000.0);
        assertThat(m.computeLoad()).isNull();
        assertThat(m.requestRate()).isNull();
        assertThat(m.queueDelaySeconds()).isNull();
        assertThat(m.stageSeconds()).isEmpty();
    }

    /** What sum(rate(x[w])) and rate(sum)/rate(count) answer, summed over two replicas. */
    @Test
    void ratesAndMeansAreSummedOverReplicasAsThePrometheusQueriesSumThem() {
        RateWindow w = new RateWindow(Duration.ofSeconds(20));
        w.record(
                0,
                List.of("a", "b"),
                Map.of(
                        "a", totals(1000, 5, 10, 1, 10, 2, 10),
                        "b", totals(3000, 0, 0, 0, 0, 0, 0)));
        FleetMetrics m = w.record(
                10 * S,
                List.of("a", "b"),
                Map.of(
                        "a",
                                totals(
                                        2000, 11, 40, 4, 40, 5,
                                        40), // +6 s busy, +30 requests, queue +3 s/+30, front +3 s/+30
                        "b",
                                totals(
                                        4000, 4, 10, 2, 10, 1,
                                        10))); // +4 s busy, +10 requests, queue +2 s/+10, front +1 s/+10
        assertThat(m.computeLoad()).isCloseTo(1.0, within(1e-12)); // (6 + 4) s over 10 s
        assertThat(m.requestRate()).isCloseTo(4.0, within(1e-12)); // 40 requests over 10 s
        assertThat(m.queueDelaySeconds()).isCloseTo(5.0 / 40, within(1e-12));
        assertThat(m.stageSeconds().get("phone").get("front")).isCloseTo(4.0 / 40, within(1e-12));
        assertThat(m.goodputBytesPerSecond()).containsEntry("phone", 3000.0); // the mean of the latest gauges
    }

    @Test
    void aReplicaThatRestartedCountsFromZero() {
        RateWindow w = new RateWindow(Duration.ofSeconds(20));
        w.record(0, List.of("a"), Map.of("a", totals(1, 100, 1000, 50, 1000, 50, 1000)));
        FleetMetrics m = w.record(10 * S, List.of("a"), Map.of("a", totals(1, 3, 20, 2, 20, 1, 20)));
        assertThat(m.computeLoad()).isCloseTo(0.3, within(1e-12));
        assertThat(m.requestRate()).isCloseTo(2.0, within(1e-12));
        assertThat(m.queueDelaySeconds()).isCloseTo(0.1, within(1e-12));
        assertThat(m.stageSeconds().get("phone").get("front")).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void ratesSpanTheWindowFromTheNewestScrapeBeforeIt() {
        RateWindow w = new RateWindow(Duration.ofSeconds(20));
        w.record(0, List.of("a"), Map.of("a", totals(1, 0, 0, 0, 0, 0, 0)));
        w.record(15 * S, List.of("a"), Map.of("a", totals(1, 0, 0, 0, 0, 0, 0)));
        w.record(30 * S, List.of("a"), Map.of("a", totals(1, 3, 30, 0, 0, 0, 0)));
        // at 40 s the window starts at 20 s: the base is the scrape at 15 s, the one at 0 s is gone
        FleetMetrics m = w.record(40 * S, List.of("a"), Map.of("a", totals(1, 5, 50, 0, 0, 0, 0)));
        assertThat(m.requestRate()).isCloseTo(50.0 / 25, within(1e-12));
        assertThat(m.computeLoad()).isCloseTo(5.0 / 25, within(1e-12));
    }

    @Test
    void aFleetReadLessOftenThanTheWindowStillGetsRates() {
        RateWindow w = new RateWindow(Duration.ofSeconds(20));
        w.record(0, List.of("a"), Map.of("a", totals(1, 0, 0, 0, 0, 0, 0)));
        FleetMetrics m = w.record(60 * S, List.of("a"), Map.of("a", totals(1, 6, 120, 0, 0, 0, 0)));
        assertThat(m.requestRate()).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void goneAndSilentReplicasLeaveTheFleet() {
        RateWindow w = new RateWindow(Duration.ofSeconds(20));
        w.record(
                0, List.of("a", "b"), Map.of("a", totals(1000, 0, 0, 0, 0, 0, 0), "b", totals(9000, 0, 0, 0, 0, 0, 0)));
        // b is still listed but does not answer: its last scrape still counts within the window
        FleetMetrics m = w.record(10 * S, List.of("a", "b"), Map.of("a", totals(1000, 1, 10, 0, 0, 0, 0)));
        assertThat(m.goodputBytesPerSecond()).containsEntry("phone", 5000.0);
        // a whole window later b is stale
        m = w.record(25 * S, List.of("a", "b"), Map.of("a", totals(1000, 2, 20, 0, 0, 0, 0)));
        assertThat(m.goodputBytesPerSecond()).containsEntry("phone", 1000.0);
        // and once it is no longer listed it is forgotten at once, whatever its age
        w.record(30 * S, List.of("a", "c"), Map.of("c", totals(7000, 0, 0, 0, 0, 0, 0)));
        m = w.record(31 * S, List.of("c"), Map.of());
        assertThat(m.goodputBytesPerSecond()).containsEntry("phone", 7000.0);
        assertThat(m.requestRate()).isNull();
    }

    @Test
    void theHistoryPerReplicaIsBoundedWhateverTheReadRate() {
        RateWindow w = new RateWindow(Duration.ofHours(1));
        for (int i = 0; i <= RateWindow.MAX_SNAPSHOTS + 10; i++) {
            w.record(i * S, List.of("a"), Map.of("a", totals(1, i, i, 0, 0, 0, 0)));
        }
        // the base is the oldest of the last MAX_SNAPSHOTS scrapes: one request per second either way
        FleetMetrics m = w.record(
                (RateWindow.MAX_SNAPSHOTS + 11) * S,
                List.of("a"),
                Map.of("a", totals(1, 0, RateWindow.MAX_SNAPSHOTS + 11, 0, 0, 0, 0)));
        assertThat(m.requestRate()).isCloseTo(1.0, within(1e-12));
        assertThat(w.snapshots("a")).isEqualTo(RateWindow.MAX_SNAPSHOTS);
    }

    /** The source forgets a fleet whose last recorded read is ten windows old. */
    @Test
    void theLastRecordedReadIsKnown() {
        RateWindow w = new RateWindow(Duration.ofSeconds(20));
        w.record(5 * S, List.of("a"), Map.of("a", totals(1, 0, 0, 0, 0, 0, 0)));
        w.record(9 * S, List.of("a"), Map.of());
        assertThat(w.lastRecorded()).isEqualTo(9 * S);
    }
}
