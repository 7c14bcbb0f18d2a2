package dev.slicer.codec.bits;

/**
 * Order-0 entropy of byte symbols plus the fixed table parts: a lower bound of what the static order-0 rANS coder can reach, so the
 * encoder skips an rANS attempt that cannot beat the raw coding.
 */
public final class Entropy {
    private static final double LN2 = Math.log(2);

    /** {@code Math.log(c)} for small counts: the same values, without a log call per used symbol. */
    private static final double[] LN = new double[4096];

    static {
        for (int c = 1; c < LN.length; c++) {
            LN[c] = Math.log(c);
        }
    }

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
                bits += c * (logN - (c < LN.length ? LN[c] : Math.log(c)));
                used++;
            }
        }
        return bits / LN2 / 8 + (used > 1 ? 2 + 32 + used : 0);
    }

    /**
     * A strict lower bound of the bytes {@code RansCoder.encode} writes for the symbols counted in
     * {@code hist[0, bins)} ({@code n} in total, {@code n >= 1}). With {@code k >= 2} used symbols the block holds the
     * mode and count bytes, the symbol list ({@code min(k, 32)} bytes), at least one frequency byte per symbol, 32
     * bytes of states and the renormalisation words; the states start at {@code 2^31} and end below {@code 2^63}, so
     * they carry at most 128 bits of the coded information, and the words carry the rest of the cross-entropy, which
     * is never below the order-0 entropy (less a slack of {@code 10^-5} bit per symbol for the rounding of the state
     * update, and one byte for floating-point error). The stored fallback takes {@code n + 1} bytes and one symbol 2.
     * An rANS attempt whose bound is not below the best alternative cannot win and is skipped.
     */
    public static double ransLowerBound(int[] hist, int bins, long n) {
        return ransLowerBound(bytes(hist, bins, n), used(hist, bins), n);
    }

    /** As {@link #ransLowerBound(int[], int, long)} from {@link #bytes} of the same counts and their used bins. */
    public static double ransLowerBound(double entropyBytes, int used, long n) {
        if (used <= 1) {
            return used == 1 ? 2 : 1;
        }
        // entropyBytes = H/8 + 2 + 32 + used; the bound is H/8 + 2 + min(used, 32) + used + 32 - 16 - slack
        double coded = entropyBytes - 16 + Math.min(used, 32) - 1 - 1.25e-6 * n;
        return Math.min(coded, n + 1);
    }

    /** Nonzero bins of {@code hist[0, bins)}. */
    public static int used(int[] hist, int bins) {
        int used = 0;
        for (int b = 0; b < bins; b++) {
            used += (-hist[b]) >>> 31;
        }
        return used;
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
