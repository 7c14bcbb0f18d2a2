package dev.slicer.edge.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyFloorTest {
    static final double LATENCY = 0.010;
    static final double RATE = 100_000; // bytes per second

    static double time(long bytes) {
        return LATENCY + bytes / RATE;
    }

    @Test
    void theInterceptThroughTheFastestCallOfEachSizeIsTheLatency() {
        LatencyFloor f = new LatencyFloor();
        Random r = new Random(7);
        for (int i = 0; i < 200; i++) {
            long bytes = i % 20 == 0 ? 4_000 : 120 + r.nextInt(20); // a hand-off now and then, token steps between
            f.add(bytes, time(bytes) + r.nextDouble() * 0.02 * (i % 3)); // queueing only ever adds
        }
        assertThat(f.seconds()).isCloseTo(LATENCY, within(0.0015));
    }

    @Test
    void sizesWithinTwiceOfEachOtherCannotTellAndCountWhole() {
        LatencyFloor f = new LatencyFloor();
        assertThat(f.seconds()).isZero();
        f.add(2_000, time(2_000));
        assertThat(f.seconds()).as("one size class").isZero();
        f.add(2_048, time(2_048));
        f.add(3_900, time(3_900));
        assertThat(f.seconds()).as("two classes, but within 2x").isZero();
    }

    @Test
    void whenLargerCallsAreNotSlowerEveryCallIsLatency() {
        LatencyFloor f = new LatencyFloor();
        f.add(100, 0.030);
        f.add(100, 0.020);
        f.add(5_000, 0.015);
        assertThat(f.seconds()).isEqualTo(0.015);
    }

    @Test
    void theFloorNeverExceedsTheFastestCallNorGoesNegative() {
        LatencyFloor f = new LatencyFloor();
        f.add(100, 0.001);
        f.add(1_000, 0.050);
        f.add(10_000, 0.060); // concave: the line's intercept would be above the 100-byte call
        assertThat(f.seconds()).isBetween(0.0, 0.001);
        LatencyFloor g = new LatencyFloor();
        g.add(100, 0.001);
        g.add(10_000, 1.0);
        assertThat(g.seconds()).as("a line through the origin and below").isBetween(0.0, 0.001);
    }

    @Test
    void callsWithoutInformationAreIgnoredAndOldCallsLeaveTheWindow() {
        LatencyFloor f = new LatencyFloor();
        f.add(0, 1);
        f.add(100, 0);
        f.add(100, Double.NaN);
        f.add(100, Double.POSITIVE_INFINITY);
        assertThat(f.seconds()).isZero();
        f.add(100, time(100));
        f.add(10_000, time(10_000));
        assertThat(f.seconds()).isCloseTo(LATENCY, within(1e-9));
        for (int i = 0; i < LatencyFloor.WINDOW; i++) {
            f.add(5_000, 0.5);
        }
        assertThat(f.seconds()).as("only one size class is left in the window").isZero();
    }
}
