package dev.slicer.bench.metrics;

/** Distortion and rate measures, in double precision. */
public final class Metrics {

    private Metrics() {}

    /**
     * Cosine similarity of {@code a[aOff..aOff+n)} and {@code b[bOff..bOff+n)}; 1 when both are all-zero, 0 when only
     * one is.
     */
    public static double cosine(float[] a, int aOff, float[] b, int bOff, int n) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < n; i++) {
            double x = a[aOff + i];
            double y = b[bOff + i];
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        if (na == 0 && nb == 0) {
            return 1;
        }
        if (na == 0 || nb == 0) {
            return 0;
        }
        return dot / (Math.sqrt(na) * Math.sqrt(nb));
    }

    public static double sumSquares(float[] a, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double x = a[off + i];
            s += x * x;
        }
        return s;
    }

    public static double sumSquaredError(float[] a, int aOff, float[] b, int bOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) a[aOff + i] - b[bOff + i];
            s += d * d;
        }
        return s;
    }

    /** Relative MSE: sum of squared errors over sum of squares of the reference (0 when both are 0). */
    public static double relativeMse(double sumSquaredError, double sumSquares) {
        if (sumSquares == 0) {
            return sumSquaredError == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return sumSquaredError / sumSquares;
    }

    public static double bitsPerElement(long bytes, long elements) {
        if (elements <= 0) {
            throw new IllegalArgumentException("no elements");
        }
        return bytes * 8.0 / elements;
    }

    /** Megabytes (10^6 bytes) of fp32 data per second. */
    public static double megabytesPerSecond(long fp32Bytes, double seconds) {
        return fp32Bytes / 1e6 / seconds;
    }
}
