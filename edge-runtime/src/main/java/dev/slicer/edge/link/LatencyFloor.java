package dev.slicer.edge.link;

import java.util.Arrays;

/**
 * The fixed per-call time of a link (round trip, framing, scheduling), separated from the time its bytes take, as
 * pathchar does: over the last {@link #WINDOW} calls, the fastest call of each size class (powers of two) is the one
 * least delayed by queueing; a line through those minima, time = latency + bytes / rate, has the latency as its
 * intercept.
 *
 * <p>Why it matters: an AR step ships a few hundred bytes, so its round trip is nearly all latency, and bytes over
 * round trip would read a fast link as a slow one (a 100 kB/s emulated link measured 1 kB/s), moving a decoding edge
 * to rows its link does not need. The plan's rows are by rate, so the meter wants the rate.
 *
 * <p>What the window cannot tell is not guessed: with fewer than two size classes, or sizes within 2x of each other
 * (single-shot frames of one row), the latency is 0 and samples count whole, as before. When larger calls were not
 * slower (the slope is not positive), every call was latency-bound and the floor is the fastest call. Fitted once
 * per call added (readers - the goodput sample, the edge report, the gauge - take the stored value); allocation-free.
 */
public final class LatencyFloor {
    /** Calls the fit looks back over. */
    public static final int WINDOW = 64;

    private static final int CLASSES = 64;

    private final long[] bytes = new long[WINDOW];
    private final double[] seconds = new double[WINDOW];
    private final double[] classMin = new double[CLASSES];
    private final long[] classBytes = new long[CLASSES];
    private int count;
    private int next;
    private double floor; // the fit over the window as it is, refreshed by every call added

    /** Records one call: bytes that crossed and its transfer seconds; calls without information are ignored. */
    public synchronized void add(long callBytes, double callSeconds) {
        if (callBytes <= 0 || !(callSeconds > 0) || !Double.isFinite(callSeconds)) {
            return;
        }
        bytes[next] = callBytes;
        seconds[next] = callSeconds;
        next = (next + 1) % WINDOW;
        count = Math.min(count + 1, WINDOW);
        floor = fit();
    }

    /** The fixed seconds per call, in [0, fastest call]; 0 when the window cannot tell. */
    public synchronized double seconds() {
        return floor;
    }

    private double fit() {
        Arrays.fill(classMin, Double.POSITIVE_INFINITY);
        for (int i = 0; i < count; i++) {
            int c = 63 - Long.numberOfLeadingZeros(bytes[i]);
            if (seconds[i] < classMin[c]) {
                classMin[c] = seconds[i];
                classBytes[c] = bytes[i];
            }
        }
        int points = 0;
        long minBytes = Long.MAX_VALUE;
        long maxBytes = 0;
        double fastest = Double.POSITIVE_INFINITY;
        double sx = 0;
        double sy = 0;
        for (int c = 0; c < CLASSES; c++) {
            if (classMin[c] == Double.POSITIVE_INFINITY) {
                continue;
            }
            points++;
            minBytes = Math.min(minBytes, classBytes[c]);
            maxBytes = Math.max(maxBytes, classBytes[c]);
            fastest = Math.min(fastest, classMin[c]);
            sx += classBytes[c];
            sy += classMin[c];
        }
        if (points < 2 || maxBytes < 2 * minBytes) {
            return 0;
        }
        double mx = sx / points;
        double my = sy / points;
        double sxx = 0;
        double sxy = 0;
        for (int c = 0; c < CLASSES; c++) {
            if (classMin[c] != Double.POSITIVE_INFINITY) {
                double dx = classBytes[c] - mx;
                sxx += dx * dx;
                sxy += dx * (classMin[c] - my);
            }
        }
        double slope = sxy / sxx;
        if (!(slope > 0)) {
            return fastest;
        }
        return Math.max(0, Math.min(my - slope * mx, fastest));
    }
}
