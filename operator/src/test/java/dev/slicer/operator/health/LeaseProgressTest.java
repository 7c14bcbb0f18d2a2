package dev.slicer.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeaseProgressTest {
    final AtomicLong now = new AtomicLong();
    final LeaseProgress p = new LeaseProgress(Duration.ofSeconds(40), now::get);

    void at(long seconds) {
        now.set(Duration.ofSeconds(seconds).toNanos());
    }

    @Test
    void aLeaseThatKeepsMovingIsAlive() {
        for (int s = 0; s <= 600; s += 2) {
            at(s);
            p.observed(Optional.of("v" + s));
            assertThat(p.stalled()).isEmpty();
        }
    }

    @Test
    void aLeaseThatStopsMovingForLongerThanTheWindowIsAStalledElection() {
        at(0);
        p.observed(Optional.of("v1"));
        at(40);
        p.observed(Optional.of("v1"));
        assertThat(p.stalled())
                .as("exactly the window: a takeover may still come")
                .isEmpty();
        at(41);
        assertThat(p.stalled())
                .hasValueSatisfying(r -> assertThat(r).contains("not changed from resourceVersion v1 for 41 s"));
        p.observed(Optional.of("v2"));
        assertThat(p.stalled()).as("it moved again").isEmpty();
    }

    @Test
    void anAbsentLeaseStalls() {
        at(0);
        p.observed(Optional.empty());
        at(100);
        p.observed(Optional.empty());
        assertThat(p.stalled()).hasValueSatisfying(r -> assertThat(r).contains("been absent for 100 s"));
        p.observed(Optional.of("v1"));
        assertThat(p.stalled()).as("created").isEmpty();
    }

    @Test
    void anUnreadableLeaseIsNotADeadElectorAndRestartsTheCount() {
        at(0);
        p.observed(Optional.of("v1"));
        at(30);
        p.unreadable();
        at(100);
        assertThat(p.stalled())
                .as("nothing known while the API server is unreachable")
                .isEmpty();
        p.observed(Optional.of("v1"));
        at(139);
        assertThat(p.stalled())
                .as("counted from the first read after the outage")
                .isEmpty();
        at(141);
        assertThat(p.stalled()).isPresent();
    }

    @Test
    void nothingReadYetIsNotStalled() {
        at(1_000);
        assertThat(p.stalled()).isEmpty();
    }

    @Test
    void theWindowCoversATakeoverAfterTheLeaderDies() {
        Duration w = LeaseProgress.window(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
        assertThat(w).isEqualTo(Duration.ofSeconds(44));
        assertThat(w)
                .as("expiry plus a retry with Fabric8's 20% jitter")
                .isGreaterThan(Duration.ofMillis(15_000 + 2_400));
    }
}
