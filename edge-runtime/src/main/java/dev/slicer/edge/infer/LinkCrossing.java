package dev.slicer.edge.infer;

import dev.slicer.edge.link.GoodputMeter;
import dev.slicer.edge.link.LatencyFloor;
import dev.slicer.edge.link.LinkThrottle;
import dev.slicer.protocol.v1.BackendTimings;
import dev.slicer.protocol.v1.EdgeReport;

/**
 * How every call to the back-end crosses the access link and is measured, for single-shot requests and AR steps
 * alike: the request crosses the emulated uplink (when there is one) before the call, the reply the emulated downlink
 * after it, and the call's transfer time - its round trip minus the back-end's own queue, decode and compute time -
 * feeds the goodput meter that picks the plan row.
 */
public final class LinkCrossing {
    /**
     * A sample may read at most this many times its bytes over its whole transfer time: the latency is an estimate,
     * and a call that took barely longer than it must not read as an unbounded rate.
     */
    static final double MAX_LATENCY_CORRECTION = 16;

    private final LinkThrottle link;
    private final GoodputMeter goodput;
    private final LatencyFloor latency = new LatencyFloor();

    /** {@code link} is null on a real network (no emulation). */
    public LinkCrossing(LinkThrottle link, GoodputMeter goodput) {
        this.link = link;
        this.goodput = goodput;
    }

    /** A real network's crossing with a meter of its own (tools that call a back-end but pick no plan row). */
    public static LinkCrossing unemulated() {
        return new LinkCrossing(null, new GoodputMeter(0.3, 1, Long.MAX_VALUE, System::nanoTime));
    }

    public GoodputMeter goodput() {
        return goodput;
    }

    /** The link's fixed seconds per call, as the recent calls show it (0 when they cannot tell). */
    public double latencySeconds() {
        return latency.seconds();
    }

    /** An edge report naming this edge and what it measures of its link; callers add their request's figures. */
    public EdgeReport.Builder report(String edgeId, String deviceClass) {
        return EdgeReport.newBuilder()
                .setEdgeId(edgeId)
                .setDeviceClass(deviceClass)
                .setLinkGoodputBytesPerSecond(goodput.lastValue())
                .setLinkLatencySeconds(latency.seconds());
    }

    /** Crosses the emulated uplink, when there is one (inside the timed call, so the meter sees it). */
    public void up(long bytes) {
        if (link == null) {
            return;
        }
        try {
            link.send(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EdgeFailure(499, "interrupted while crossing the emulated link");
        }
    }

    /** Crosses the emulated downlink, when there is one; the nanoseconds it took. */
    public long down(long bytes) {
        if (link == null) {
            return 0;
        }
        try {
            return link.receive(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EdgeFailure(499, "interrupted while crossing the emulated link");
        }
    }

    /**
     * Records one completed call and returns its transfer seconds. The plan's rows are by uplink rate. On an emulated
     * link the downlink's share of the transfer is known, so the sample is the request's bytes over the uplink's time
     * alone (a large reply on a faster downlink would otherwise read as a fast uplink); on a real network one unary
     * call cannot separate the directions, and both count (exact for a symmetric link). The link's fixed latency per
     * call ({@link LatencyFloor}) is taken out, so small frames measure the rate, not the round trip.
     */
    public double record(long sent, long received, double roundTripSeconds, BackendTimings tm, long downNanos) {
        double backendSeconds = tm.getQueueSeconds() + tm.getDecodeSeconds() + tm.getComputeSeconds();
        double transfer = Math.max(roundTripSeconds - backendSeconds, 1e-6);
        long bytes = link == null ? sent + received : sent;
        double seconds = link == null ? transfer : Math.max(transfer - downNanos / 1e9, 1e-6);
        latency.add(bytes, seconds);
        double bytesSeconds = Math.max(seconds - latency.seconds(), seconds / MAX_LATENCY_CORRECTION);
        goodput.record(bytes, bytesSeconds);
        return transfer;
    }
}
