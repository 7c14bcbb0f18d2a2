package dev.slicer.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScaleDownStabilizerTest {
    private static final Duration WINDOW = Duration.ofMinutes(5);
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private final ScaleDownStabilizer stabilizer = new ScaleDownStabilizer();

    private int at(Duration since, int recommended) {
        return stabilizer.stabilize("uid-a", recommended, 2, WINDOW, T0.plus(since));
    }

    @Test
    void scalesUpAtOnce() {
        assertThat(at(Duration.ZERO, 2)).isEqualTo(2);
        assertThat(at(Duration.ofSeconds(10), 5)).isEqualTo(5);
    }

    @Test
    void holdsTheWindowsHighestRecommendationUntilItExpires() {
        at(Duration.ZERO, 4);
        assertThat(at(Duration.ofMinutes(1), 1)).as("a dip inside the window").isEqualTo(4);
        assertThat(at(Duration.ofMinutes(3), 2)).isEqualTo(4);
        assertThat(at(Duration.ofMinutes(5), 1))
                .as("4 was recommended exactly one window ago")
                .isEqualTo(4);
        // 4 has left the window; 2 (minute 3) is now the highest
        assertThat(at(Duration.ofMinutes(6), 1)).isEqualTo(2);
        assertThat(at(Duration.ofMinutes(9), 1)).isEqualTo(1);
    }

    @Test
    void aFleetFirstSeenKeepsItsCurrentReplicasForAWindow() {
        // after an operator restart: the Deployment runs 3, the first recommendation is 1
        assertThat(stabilizer.stabilize("uid-b", 1, 3, WINDOW, T0)).isEqualTo(3);
        assertThat(stabilizer.stabilize("uid-b", 1, 3, WINDOW, T0.plus(Duration.ofMinutes(6))))
                .isEqualTo(1);
        // no Deployment yet: nothing to hold
        assertThat(stabilizer.stabilize("uid-c", 1, null, WINDOW, T0)).isEqualTo(1);
    }

    @Test
    void aZeroWindowFollowsTheRecommendation() {
        assertThat(stabilizer.stabilize("uid-d", 4, null, Duration.ZERO, T0)).isEqualTo(4);
        assertThat(stabilizer.stabilize("uid-d", 1, 4, Duration.ZERO, T0.plusSeconds(1)))
                .isEqualTo(1);
    }

    @Test
    void fleetsAreIndependentAndIdleOnesAreForgotten() {
        stabilizer.stabilize("uid-e", 6, null, WINDOW, T0);
        assertThat(stabilizer.stabilize("uid-f", 1, null, WINDOW, T0.plusSeconds(1)))
                .isEqualTo(1);
        assertThat(stabilizer.fleets()).isEqualTo(2);
        stabilizer.stabilize(
                "uid-f",
                1,
                null,
                WINDOW,
                T0.plus(ScaleDownStabilizer.FORGET_AFTER).plusSeconds(2));
        assertThat(stabilizer.fleets())
                .as("uid-e idle for longer than FORGET_AFTER")
                .isEqualTo(1);
    }

    @Test
    void manyRecommendationsKeepOneEntryPerDistinctCount() {
        for (int i = 0; i < 10_000; i++) {
            stabilizer.stabilize("uid-g", i % 3, null, WINDOW, T0.plusMillis(i));
        }
        assertThat(stabilizer.queued("uid-g")).isLessThanOrEqualTo(3);
    }
}
