package dev.slicer.codec.index;

import dev.slicer.codec.bits.ByteIo;

/**
 * The bitmap of sorted survivor positions (bit {@code q & 7} of byte {@code q >>> 3}), its byte histogram, and a
 * table-driven order-0 entropy of that histogram for a quick look at whether rANS on the bitmap could pay.
 */
final class PositionBitmap {
    private static final double LN2 = Math.log(2);

    /** {@code c ln c} for small counts: the histogram entropy without a logarithm per bin. */
    private static final double[] XLNX = new double[4096];

    static {
        for (int c = 1; c < XLNX.length; c++) {
            XLNX[c] = c * Math.log(c);
        }
    }

    private long[] words = new long[0];
    private byte[] bytes = new byte[0];
    /** Four interleaved sub-histograms (bins repeat, so one would chain stores through memory). */
    private final int[] sub = new int[4 * 256];

    private final int[] hist = new int[256];

    int[] histogram() {
        return hist;
    }

    /** Builds the bitmap of {@code pos[0..n)} (strictly ascending, {@code < 8 * len}) as {@code len} bytes. */
    void build(int[] pos, int n, int len) {
        int count = (len + 7) >>> 3;
        if (words.length < count) {
            words = new long[Math.max(count, words.length + (words.length >> 1))];
        }
        long[] w = words;
        java.util.Arrays.fill(w, 0, count, 0);
        // each position stores the whole running word (stores only, no read-modify-write through memory); the
        // word restarts from zero, without a branch, when the position enters a new word
        long acc = 0;
        int cur = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            int q = pos[i];
            int wi = q >>> 6;
            long keep = ((wi ^ cur) - 1) >> 31;
            acc = (acc & keep) | (1L << q);
            w[wi] = acc;
            cur = wi;
        }
    }

    /** The bitmap bytes of the last {@link #build} ({@code len} of them, as given there). */
    byte[] bytes(int len) {
        int count = (len + 7) >>> 3;
        if (bytes.length < count << 3) {
            bytes = new byte[Math.max(count << 3, bytes.length + (bytes.length >> 1))];
        }
        for (int j = 0; j < count; j++) {
            ByteIo.putLong(bytes, j << 3, words[j]);
        }
        return bytes;
    }

    /** Histogram of the {@code len} bitmap bytes into {@code histogram()}; returns its nonzero bins. */
    int countBytes(int len) {
        int[] s = sub;
        java.util.Arrays.fill(s, 0);
        long[] w = words;
        int whole = len >>> 3;
        for (int j = 0; j < whole; j++) {
            long v = w[j];
            s[(int) v & 0xFF]++;
            s[256 + ((int) (v >>> 8) & 0xFF)]++;
            s[512 + ((int) (v >>> 16) & 0xFF)]++;
            s[768 + ((int) (v >>> 24) & 0xFF)]++;
            s[(int) (v >>> 32) & 0xFF]++;
            s[256 + ((int) (v >>> 40) & 0xFF)]++;
            s[512 + ((int) (v >>> 48) & 0xFF)]++;
            s[768 + (int) (v >>> 56)]++;
        }
        if ((len & 7) != 0) {
            long v = w[whole];
            for (int k = 0; k < (len & 7); k++) {
                s[(int) (v >>> (k << 3)) & 0xFF]++;
            }
        }
        int[] h = hist;
        int used = 0;
        for (int x = 0; x < 256; x++) {
            int c = s[x] + s[256 + x] + s[512 + x] + s[768 + x];
            h[x] = c;
            used += (-c) >>> 31;
        }
        return used;
    }

    private static double xlnx(int c) {
        return c < XLNX.length ? XLNX[c] : c * Math.log(c);
    }

    /**
     * Order-0 entropy plus the fixed rANS parts of {@code histogram()} ({@code n} counts, {@code used} nonzero bins),
     * as {@code Entropy.bytes} computes it but as {@code n ln n - sum c ln c}: equal up to floating-point rounding,
     * far below a byte.
     */
    double entropyBytes(long n, int used) {
        if (n == 0) {
            return 0;
        }
        int[] h = hist;
        // four sums: one would wait on the latency of each floating-point add
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int x = 0; x < 256; x += 4) {
            s0 += xlnx(h[x]);
            s1 += xlnx(h[x + 1]);
            s2 += xlnx(h[x + 2]);
            s3 += xlnx(h[x + 3]);
        }
        double bits = (n * Math.log(n) - ((s0 + s1) + (s2 + s3))) / LN2;
        return bits / 8 + (used > 1 ? 2 + 32 + used : 0);
    }
}
