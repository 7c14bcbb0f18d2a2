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

    /**
     * Gathers the low bits of 8 mask bytes (each 0 or 1, little-endian) into one byte: the partial products
     * {@code b_k 2^(8k) * 2^(56-7m)} land on distinct bits, and those with {@code k = m} fill bits 56..63.
     */
    private static final long GATHER = 0x0102040810204080L;

    /** One byte per element, 1 at the positions: stores without a dependency between positions. */
    private byte[] mask = new byte[0];

    private byte[] bytes = new byte[0];
    /** Four interleaved sub-histograms (bins repeat, so one would chain stores through memory). */
    private final int[] sub = new int[4 * 256];

    private final int[] hist = new int[256];

    int[] histogram() {
        return hist;
    }

    /** Builds the bitmap of {@code pos[0..n)} (strictly ascending, {@code < 8 * len}) as {@code len} bytes. */
    void build(int[] pos, int n, int len) {
        int size = len << 3;
        if (mask.length < size) {
            mask = new byte[Math.max(size, mask.length + (mask.length >> 1))];
        }
        byte[] m = mask;
        java.util.Arrays.fill(m, 0, size, (byte) 0);
        for (int i = 0; i < n; i++) {
            m[pos[i]] = 1;
        }
    }

    /** Bitmap byte {@code j} of the last {@link #build}. */
    private static int gather(byte[] m, int j) {
        return (int) ((ByteIo.getLong(m, j << 3) * GATHER) >>> 56);
    }

    /** The bitmap bytes of the last {@link #build} ({@code len} of them, as given there). */
    byte[] bytes(int len) {
        if (bytes.length < len) {
            bytes = new byte[Math.max(len, bytes.length + (bytes.length >> 1))];
        }
        byte[] m = mask;
        byte[] b = bytes;
        for (int j = 0; j < len; j++) {
            b[j] = (byte) gather(m, j);
        }
        return b;
    }

    /** Histogram of the {@code len} bitmap bytes into {@code histogram()}; returns its nonzero bins. */
    int countBytes(int len) {
        int[] s = sub;
        java.util.Arrays.fill(s, 0);
        byte[] m = mask;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s[gather(m, j)]++;
            s[256 + gather(m, j + 1)]++;
            s[512 + gather(m, j + 2)]++;
            s[768 + gather(m, j + 3)]++;
        }
        for (; j < len; j++) {
            s[gather(m, j)]++;
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
