package dev.slicer.codec.abq;

/**
 * Adaptive bit quantization of one block of magnitudes (asymmetric: {@code v ~ min + code * scale}, codes in
 * {@code [0, 2^q - 1]}, scale {@code (max - min) / (2^q - 1)}).
 *
 * <p><b>Bit choice.</b> With {@code L(q) = 2^q - 1}, the reference codes are {@code T0 = round((v - min) L(qbit) /
 * (max - min))}. Lowering to {@code q} bits maps them to {@code Tq = round(T0 L(q) / L(qbit))}, and the integer
 * mismatch is
 *
 * <pre>DS(q) = mean | T0 - Tq * L(qbit) / L(q) | / L(qbit)</pre>
 *
 * i.e. the mean distance between the q-bit and the qbit-bit reconstruction, <em>as a fraction of the block's
 * range</em> (the paper's eq. 9 compares {@code floor(T0 / 2^(qbit-q))} with {@code Tq} in q-bit steps, which is
 * about 0.5 for every q; normalising by the range makes {@code delta} a scale-free tolerance). For values spread
 * evenly over the block, {@code DS(q) ~ 1 / (4 L(q))}, so {@code delta = 0.01} admits about 5 bits. The search is the
 * paper's greedy one: start at {@code qbit} and lower {@code q} while {@code DS(q - 1) <= delta}. The admissible set
 * only grows with {@code delta}, so a larger delta never gives more bits. All arithmetic is on integers (exact, in
 * {@code long}); for large blocks it runs on a histogram of {@code T0}.
 *
 * <p>A block whose values are all equal gets {@code q = 0} (no code bits; every value is {@code min}).
 */
public final class Abq {
    private int[] hist = new int[0];
    private int[] t0 = new int[0];

    /** Bits for {@code vals[off, off+n)} with magnitudes in {@code [lo, hi]}: the DS rule, 0 for a constant block. */
    public int chooseBits(float[] vals, int off, int n, float lo, float hi, int qbit, double delta) {
        if (n == 0 || !(hi > lo) || scaleFor(lo, hi, 1) == 0f) {
            return 0;
        }
        int l0 = (1 << qbit) - 1;
        double inv = l0 / ((double) hi - lo);
        if (t0.length < n) {
            t0 = new int[Math.max(n, t0.length + (t0.length >> 1))];
        }
        int[] t = t0;
        double dlo = lo;
        for (int i = 0; i < n; i++) {
            // vals >= lo, so the product is >= 0 and truncation of (y + 0.5) rounds half up
            t[i] = Math.min((int) ((vals[off + i] - dlo) * inv + 0.5), l0);
        }
        // per candidate q: the element pass costs n steps (a multiply-shift division for qbit <= 12, else a real
        // division), the histogram pass about 2 (l0 + 1) steps; all three give the same exact sum
        boolean magic = qbit <= MAGIC_MAX_QBIT;
        boolean useHist = magic ? n > 2 * (l0 + 1) : 4L * n > l0;
        if (useHist) {
            if (hist.length < l0 + 1) {
                hist = new int[l0 + 1];
            }
            java.util.Arrays.fill(hist, 0, l0 + 1, 0);
            for (int i = 0; i < n; i++) {
                hist[t[i]]++;
            }
        }
        int q = qbit;
        while (q > 1) {
            int lq = (1 << (q - 1)) - 1;
            long sum = useHist ? mismatchHist(l0, lq) : magic ? mismatchMagic(t, n, l0, lq) : mismatch(t, n, l0, lq);
            if (sum > delta * n * (double) lq * l0) {
                break;
            }
            q--;
        }
        return q;
    }

    /** Largest qbit for {@link #mismatchMagic}: its products stay below {@code 2^53}. */
    private static final int MAGIC_MAX_QBIT = 12;

    /**
     * As {@link #mismatch} with {@code floor(x / (2 l0))} as an exact multiply-shift (Granlund-Montgomery): for
     * {@code x < 2^N}, {@code N = 2 qbit + 2}, {@code s = N + ceil(log2 d)} and {@code m = ceil(2^s / d)},
     * {@code floor(x m / 2^s) = floor(x / d)}; here {@code x m < 2^(2N+1) <= 2^53}.
     */
    private static long mismatchMagic(int[] t, int n, int l0, int lq) {
        long d = 2L * l0;
        int bitsN = 2 * (32 - Integer.numberOfLeadingZeros(l0)) + 2;
        int s = bitsN + (64 - Long.numberOfLeadingZeros(d - 1));
        long m = ((1L << s) + d - 1) / d;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            long c = t[i];
            long tq = ((2 * c * lq + l0) * m) >>> s;
            sum += Math.abs(c * lq - tq * l0);
        }
        return sum;
    }

    private static long mismatch(int[] t, int n, int l0, int lq) {
        long sum = 0;
        long twoL0 = 2L * l0;
        for (int i = 0; i < n; i++) {
            long c = t[i];
            long tq = (2 * c * lq + l0) / twoL0;
            sum += Math.abs(c * lq - tq * l0);
        }
        return sum;
    }

    private long mismatchHist(int l0, int lq) {
        // walks c = 0..l0 keeping tq = round(c lq / l0) (= floor((2 c lq + l0) / (2 l0))) and c lq - tq l0
        // incrementally: the numerator grows by 2 lq < 2 l0 per step, so tq grows by at most one
        long sum = 0;
        long twoL0 = 2L * l0;
        long num = l0;
        long next = twoL0;
        long diff = 0;
        int[] h = hist;
        for (int c = 0; c <= l0; c++) {
            sum += h[c] * Math.abs(diff);
            num += 2L * lq;
            diff += lq;
            long ge = (next - num - 1) >>> 63;
            next += ge * twoL0;
            diff -= ge * l0;
        }
        return sum;
    }

    /** Step between codes for {@code q} bits; 0 when {@code q == 0} or the range underflows. */
    public static float scaleFor(float lo, float hi, int q) {
        if (q == 0) {
            return 0f;
        }
        float s = (float) (((double) hi - lo) / ((1 << q) - 1));
        return s >= Float.MIN_NORMAL && Float.isFinite(s) ? s : 0f;
    }

    /**
     * Quantizes {@code vals[off, off+n)} (all {@code >= lo}) to codes {@code round((v - lo) / scale)} clamped to {@code [0, 2^q - 1]};
     * all zeros when {@code scale == 0}. The reconstruction {@code lo + code * scale} is within {@code scale / 2} (plus
     * float rounding) of {@code v}.
     */
    public static void quantize(float[] vals, int off, int n, float lo, float scale, int q, int[] codes, int codeOff) {
        if (scale == 0f || q == 0) {
            java.util.Arrays.fill(codes, codeOff, codeOff + n, 0);
            return;
        }
        int lq = (1 << q) - 1;
        double inv = 1.0 / scale;
        double dlo = lo;
        for (int i = 0; i < n; i++) {
            codes[codeOff + i] = Math.min((int) ((vals[off + i] - dlo) * inv + 0.5), lq);
        }
    }
}
