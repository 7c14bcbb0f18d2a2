package dev.slicer.backend.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPolicyTest {
    private static final long MS = 1_000_000;

    @Test
    void aFullBatchGoesAtOnceOtherwiseTheOldestWaitsAtMostTheDelay() {
        BatchPolicy p = new BatchPolicy(8, Duration.ofMillis(5), List.of());
        assertThat(p.take(0, 100 * MS)).isZero();
        assertThat(p.take(12, 0)).isEqualTo(8);
        assertThat(p.take(3, 1 * MS)).isZero();
        assertThat(p.remainingNanos(1 * MS)).isEqualTo(4 * MS);
        assertThat(p.take(3, 5 * MS)).isEqualTo(3);
    }

    @Test
    void theLargestPreferredSizeTheQueueFillsGoesWithoutWaiting() {
        BatchPolicy p = new BatchPolicy(16, Duration.ofMillis(5), List.of(8, 4));
        assertThat(p.preferredBatchSizes()).containsExactly(4, 8);
        assertThat(p.take(3, 0)).isZero();
        assertThat(p.take(5, 0)).isEqualTo(4);
        assertThat(p.take(9, 0)).isEqualTo(8);
        assertThat(p.take(3, 6 * MS)).isEqualTo(3);
    }

    @Test
    void unbatchedRunsOneAtATimeAndInvalidKnobsAreRefused() {
        assertThat(new BatchPolicy(8, Duration.ofMillis(5), List.of())
                        .unbatched()
                        .take(5, 0))
                .isEqualTo(1);
        assertThatThrownBy(() -> new BatchPolicy(0, Duration.ZERO, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchPolicy(4, Duration.ZERO, List.of(8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
