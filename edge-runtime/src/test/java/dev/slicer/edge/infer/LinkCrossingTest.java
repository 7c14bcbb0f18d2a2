package dev.slicer.edge.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.slicer.edge.link.GoodputMeter;
import dev.slicer.protocol.v1.BackendTimings;
import org.junit.jupiter.api.Test;

/** Goodput from calls of mixed sizes: the link's fixed latency is taken out, the back-end's own time too. */
class LinkCrossingTest {
    static final double LATENCY = 0.010;
    static final double RATE = 100_000;
    static final BackendTimings BACKEND = BackendTimings.newBuilder()
            .setQueueSeconds(0.002)
            .setDecodeSeconds(0.001)
            .setComputeSeconds(0.020)
            .build();

    final GoodputMeter meter = new GoodputMeter(0.3, 1.0, Long.MAX_VALUE, () -> 0);
    final LinkCrossing link = new LinkCrossing(null, meter);

    void call(long sent, long received) {
        double roundTrip = LATENCY + (sent + received) / RATE + 0.023;
        link.record(sent, received, roundTrip, BACKEND, 0);
    }

    @Test
    void smallTokenStepsMeasureTheRateNotTheRoundTrip() {
        call(3_000, 1_000); // the hand-off
        for (int i = 0; i < 24; i++) {
            call(150, 250); // one token's feature up, its next token's logits down
        }
        double rawStep = 400 / (LATENCY + 400 / RATE);
        assertThat(rawStep)
                .as("bytes over round trip read under a third of the link")
                .isLessThan(RATE / 3);
        assertThat(meter.bytesPerSecond()).isCloseTo(RATE, within(RATE * 0.05));
        assertThat(link.latencySeconds()).isCloseTo(LATENCY, within(1e-6));
    }

    @Test
    void framesOfOneSizeCountWholeAsBefore() {
        for (int i = 0; i < 10; i++) {
            call(2_500, 500);
        }
        assertThat(link.latencySeconds()).isZero();
        assertThat(meter.bytesPerSecond()).isCloseTo(3_000 / (LATENCY + 3_000 / RATE), within(1e-6));
    }

    @Test
    void aCallBarelyAboveTheLatencyReadsAtMostABoundedMultipleOfItsRawRate() {
        link.record(100, 0, 0.023 + 0.020, BACKEND, 0);
        link.record(10_000, 0, 0.023 + 0.020 + 0.1, BACKEND, 0); // larger calls not slower per byte: all latency
        link.record(100, 0, 0.023 + 0.020, BACKEND, 0);
        assertThat(meter.bytesPerSecond()).isLessThanOrEqualTo(100 / 0.020 * LinkCrossing.MAX_LATENCY_CORRECTION);
    }
}
