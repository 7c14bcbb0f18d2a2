package dev.slicer.edge.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.slicer.edge.backend.Backoff;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GoodputMeterTest {
    final AtomicLong now = new AtomicLong();
    final GoodputMeter g = new GoodputMeter(0.5, 0.5, 1_000, now::get);

    @Test
    void ewmaOverTransfersAndStaleValuesAreUnknown() {
        assertThat(g.bytesPerSecond()).isNaN();
        g.record(1000, 1.0);
        assertThat(g.bytesPerSecond()).isEqualTo(1000);
        g.record(3000, 1.0);
        assertThat(g.bytesPerSecond()).isCloseTo(2000, within(1e-9));
        g.record(0, 1.0);
        g.record(100, 0);
        g.record(100, Double.NaN);
        assertThat(g.bytesPerSecond())
                .as("samples without information are ignored")
                .isCloseTo(2000, within(1e-9));
        now.set(2_000);
        assertThat(g.bytesPerSecond()).isNaN();
        assertThat(g.lastValue()).isEqualTo(2000);
        g.record(500, 1.0);
        assertThat(g.bytesPerSecond()).as("a stale average restarts").isEqualTo(500);
    }

    @Test
    void aDropIsBelievedAtOnceAndARecoverySlowly() {
        GoodputMeter m = new GoodputMeter(0.25, 1.0, 1_000, now::get);
        m.record(60_000, 1.0);
        m.record(10_000, 1.0);
        assertThat(m.bytesPerSecond()).as("the drop, at once").isEqualTo(10_000);
        m.record(60_000, 1.0);
        assertThat(m.bytesPerSecond()).as("a quarter of the way back").isCloseTo(22_500, within(1e-9));
        assertThatThrownBy(() -> new GoodputMeter(0.3, 0, 1_000, now::get))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GoodputMeter(1.5, 1.0, 1_000, now::get))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backoffIsJitteredCappedAndHonoursTheHint() {
        Backoff b = new Backoff(Duration.ofMillis(10), Duration.ofMillis(100));
        for (int attempt = 1; attempt < 40; attempt++) {
            Duration d = b.delay(attempt, Optional.empty());
            assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(Math.min(100, 10L << Math.min(attempt - 1, 20))));
        }
        assertThat(b.delay(1, Optional.of(Duration.ofMillis(50)))).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(b.delay(1, Optional.of(Duration.ofHours(1))))
                .as("never unbounded")
                .isEqualTo(Duration.ofMillis(100));
    }
}
