package dev.slicer.edge.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LinkThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Long> waits = new ArrayList<>();
    private final LinkThrottle link = new LinkThrottle(now::get, waits::add, 1);

    @Test
    void unlimitedNeverWaits() throws InterruptedException {
        link.send(1_000_000);
        assertThat(waits).isEmpty();
        assertThat(link.rate()).isZero();
    }

    @Test
    void sendsQueueBehindEachOtherAtTheRate() throws InterruptedException {
        link.setRate(10_000);
        link.send(5_000); // half a second on an idle link
        link.send(5_000); // queued behind the first: leaves one second from now
        assertThat(waits).containsExactly(500_000_000L, 1_000_000_000L);
        now.addAndGet(3_000_000_000L); // the link drained meanwhile
        link.send(1_000);
        assertThat(waits.get(2)).isEqualTo(100_000_000L);
    }

    @Test
    void aNewRateForgetsTheOldQueueAndZeroLiftsTheLimit() throws InterruptedException {
        link.setRate(1_000);
        link.send(10_000);
        link.setRate(100_000);
        link.send(10_000);
        assertThat(waits).containsExactly(10_000_000_000L, 100_000_000L);
        link.setRate(0);
        link.send(10_000);
        assertThat(waits).hasSize(2);
    }

    @Test
    void oneWaitIsBounded() throws InterruptedException {
        link.setRate(LinkThrottle.MIN_RATE);
        link.send(1L << 40);
        assertThat(waits).containsExactly(LinkThrottle.MAX_WAIT_NANOS);
    }

    @Test
    void theDownlinkIsItsOwnQueueAtTheFactorTimesTheUplinkRate() throws InterruptedException {
        LinkThrottle asymmetric = new LinkThrottle(now::get, waits::add, 10);
        asymmetric.setRate(10_000);
        assertThat(asymmetric.downlinkRate()).isEqualTo(100_000);
        asymmetric.send(5_000); // half a second up
        assertThat(asymmetric.receive(20_000)).isEqualTo(200_000_000L); // not queued behind the uplink
        assertThat(asymmetric.receive(10_000)).isEqualTo(300_000_000L); // but behind the earlier reply
        assertThat(waits).containsExactly(500_000_000L, 200_000_000L, 300_000_000L);
    }

    @Test
    void downlinkFactorsOutsideOneToAThousandAreRefused() {
        assertThatThrownBy(() -> new LinkThrottle(now::get, waits::add, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinkThrottle(now::get, waits::add, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratesBelowTheMinimumAreRefused() {
        assertThatThrownBy(() -> link.setRate(999)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> link.setRate(-5)).isInstanceOf(IllegalArgumentException.class);
    }
}
