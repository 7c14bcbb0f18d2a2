package dev.slicer.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.crds.v1alpha1.spec.BackendSpec;
import dev.slicer.operator.Fixtures;
import dev.slicer.operator.metrics.FleetMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalingAndBackoffTest {

    private final BackendSpec backend =
            Fixtures.splitInference("f", "http://x").getSpec().getBackend();

    private static FleetMetrics load(Double compute, Double rate) {
        return new FleetMetrics(Map.of(), Map.of(), null, compute, rate);
    }

    @Test
    void replicasFollowTheLargerOfObservedAndPredictedLoad() {
        backend.setTargetUtilization(0.5);
        assertThat(Scaling.replicas(backend, load(1.2, null), null, 1, 1.0)).isEqualTo(3);
        assertThat(Scaling.replicas(backend, load(0.2, 10.0), 0.1, 1, 1.0)).isEqualTo(2);
        assertThat(Scaling.replicas(backend, load(100.0, null), null, 1, 1.0)).isEqualTo(4);
        assertThat(Scaling.replicas(backend, load(0.0, 0.0), 0.1, 3, 1.0)).isEqualTo(1);
    }

    @Test
    void withoutLoadSignalTheCurrentCountIsKeptWithinBounds() {
        assertThat(Scaling.replicas(backend, FleetMetrics.NONE, null, 3, 1.0)).isEqualTo(3);
        assertThat(Scaling.replicas(backend, FleetMetrics.NONE, null, 9, 1.0)).isEqualTo(4);
        assertThat(Scaling.replicas(backend, FleetMetrics.NONE, null, null, 1.0))
                .isEqualTo(1);
    }

    @Test
    void pinnedReplicasWin() {
        backend.setReplicas(2);
        assertThat(Scaling.replicas(backend, load(100.0, null), null, 1, 1.0)).isEqualTo(2);
    }

    @Test
    void backoffGrowsWithTheOutageAndIsBounded() {
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        Duration initial = Duration.ofSeconds(10);
        Duration max = Duration.ofMinutes(5);
        assertThat(Backoff.next(null, t, initial, max)).isEqualTo(initial);
        assertThat(Backoff.next(t, t.plusSeconds(3), initial, max)).isEqualTo(initial);
        assertThat(Backoff.next(t, t.plusSeconds(40), initial, max)).isEqualTo(Duration.ofSeconds(40));
        assertThat(Backoff.next(t, t.plusSeconds(4000), initial, max)).isEqualTo(max);
    }

    @Test
    void driftIsTheLargestRelativeChange() {
        var a = new FleetMetrics(Map.of("phone", 1000.0), Map.of(), 0.010, null, null);
        var b = new FleetMetrics(Map.of("phone", 1050.0), Map.of(), 0.010, null, null);
        var c = new FleetMetrics(Map.of("phone", 1000.0), Map.of(), 0.200, null, null);
        assertThat(b.driftFrom(a)).isLessThan(0.1);
        assertThat(c.driftFrom(a)).isGreaterThan(0.9);
    }

    @Test
    void inputsWithinTheHysteresisAreHeldAtTheBaselineAndLoadStaysCurrent() {
        var base = new FleetMetrics(
                Map.of("phone", 1000.0, "sensor", 500.0), Map.of("phone", Map.of("front", 0.010)), 0.010, 0.5, 3.0);
        var now = new FleetMetrics(
                Map.of("phone", 1080.0, "sensor", 300.0, "new", 7.0),
                Map.of("phone", Map.of("front", 0.0125, "encode", 0.001)),
                0.0105,
                0.9,
                6.0);
        var held = now.heldWithin(base, 0.1);
        assertThat(held.goodputBytesPerSecond())
                .containsExactlyInAnyOrderEntriesOf(Map.of("phone", 1000.0, "sensor", 300.0, "new", 7.0));
        assertThat(held.stageSeconds().get("phone"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("front", 0.0125, "encode", 0.001));
        assertThat(held.queueDelaySeconds()).isEqualTo(0.010);
        assertThat(held.computeLoad()).isEqualTo(0.9);
        assertThat(held.requestRate()).isEqualTo(6.0);
        assertThat(held.driftFrom(base)).as("what is left is the real drift").isGreaterThan(0.1);
        assertThat(now.heldWithin(null, 0.1)).isEqualTo(now);
    }
}
