package dev.slicer.edge.link;

import java.util.function.LongSupplier;

/**
 * Link goodput as an exponentially weighted moving average over real transfers (bytes sent / transfer time, the
 * transfer time being the call's round trip minus the back-end's own queue, decode and compute time). A value older
 * than {@code maxAgeNanos} is unknown again (NaN), so an edge that stopped sending measures afresh.
 *
 * <p>Asymmetric: a sample below the average weighs {@code alphaDown}, one above weighs {@code alpha}. A link that
 * drops must move the edge to a cheaper row at its next request (a slow average keeps it sending frames sized for the
 * old link, each taking seconds), while a recovery is believed only once it lasts (a noisy fast sample would otherwise
 * send a large frame into a slow link).
 */
public final class GoodputMeter {
    private final double alpha;
    private final double alphaDown;
    private final long maxAgeNanos;
    private final LongSupplier clock;
    private double value = Double.NaN;
    private long updated;

    public GoodputMeter(double alpha, double alphaDown, long maxAgeNanos, LongSupplier clock) {
        if (!(alpha > 0 && alpha <= 1) || !(alphaDown > 0 && alphaDown <= 1)) {
            throw new IllegalArgumentException("EWMA weights must be in (0, 1], got " + alpha + " and " + alphaDown);
        }
        this.alpha = alpha;
        this.alphaDown = alphaDown;
        this.maxAgeNanos = maxAgeNanos;
        this.clock = clock;
    }

    /** Records one transfer; ignored when it carries no information (no bytes, no measurable time). */
    public synchronized void record(long bytes, double seconds) {
        if (bytes <= 0 || !(seconds > 0) || !Double.isFinite(seconds)) {
            return;
        }
        double sample = bytes / seconds;
        long now = clock.getAsLong();
        if (Double.isNaN(value) || now - updated > maxAgeNanos) {
            value = sample;
        } else {
            double a = sample < value ? alphaDown : alpha;
            value = a * sample + (1 - a) * value;
        }
        updated = now;
    }

    /** Bytes per second, or NaN when nothing recent was measured. */
    public synchronized double bytesPerSecond() {
        if (Double.isNaN(value) || clock.getAsLong() - updated > maxAgeNanos) {
            return Double.NaN;
        }
        return value;
    }

    /** The last value for the gauge (0 before the first transfer). */
    public synchronized double lastValue() {
        return Double.isNaN(value) ? 0 : value;
    }
}
