package dev.slicer.codec.bits;

/**
 * Order-0 entropy of byte symbols plus the fixed table parts: a lower bound of what the static order-0 rANS coder can reach, so the
 * encoder skips an rANS attempt that cannot beat the raw coding.
 */
public final class Entropy {
    private static final double LN2 = Math.log(2);

    private Entropy() {}

    /**
     * Bytes an rANS block ({@code RansCoder}) needs at least for the symbols counted in {@code hist[0, bins)},
     * {@code n} in total: the order-0 entropy plus its fixed parts (mode and count bytes, four 8-byte states, one
     * frequency byte per used symbol).
     */
    public static double bytes(int[] hist, int bins, long n) {
        if (n == 0) {
            return 0;
        }
        double bits = 0;
        double logN = Math.log(n);
        int used = 0;
        for (int b = 0; b < bins; b++) {
            int c = hist[b];
            if (c > 0) {
                bits += c * (logN - Math.log(c));
                used++;
            }
        }
        return bits / LN2 / 8 + (used > 1 ? 2 + 32 + used : 0);
    }

    /** As {@link #bytes(int[], int, long)} for {@code src[off, off+n)}; {@code hist} needs 256 entries. */
    public static double bytes(byte[] src, int off, int n, int[] hist) {
        java.util.Arrays.fill(hist, 0, 256, 0);
        for (int i = 0; i < n; i++) {
            hist[src[off + i] & 0xFF]++;
        }
        return bytes(hist, 256, n);
    }
}
