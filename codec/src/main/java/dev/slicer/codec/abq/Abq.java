package dev.slicer.codec.abq;

import dev.slicer.codec.simd.QuantCodes;
import dev.slicer.codec.simd.Simd;

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
 * only grows with {@code delta}, so a larger delta never gives more bits. All arithmetic is on integers (exact); the
 * per-element mismatch depends only on {@code (qbit, q, T0)}, so up to {@code qbit = 12} it comes from cached tables
 * (above, from a division per element or a walk over a histogram of {@code T0}), and a candidate whose worst case
 * {@code DS <= 1 / (2 L(q))} is within {@code delta} passes without a look.
 *
 * <p>A block whose values are all equal gets {@code q = 0} (no code bits; every value is {@code min}).
 *
 * <p>With the Vector API ({@link Simd#enabled()}) the codes come from {@link QuantCodes}, which gives the same codes.
 */
public final class Abq {
    /** Largest qbit for the mismatch tables ({@code 2^qbit} longs per top candidate, built once per qbit). */
    private static final int TABLE_MAX_QBIT = 12;

    /** Candidates whose mismatches one table entry holds, in 16-bit lanes. */
    private static final int LANES = 4;

    private final long[][][] laneTables = new long[TABLE_MAX_QBIT + 1][][];
    private final long[] sums = new long[LANES];
    private final java.util.Map<Long, int[]> levelTables = new java.util.HashMap<>();
    private int[] hist = new int[0];
    private int[] t0 = new int[0];
    private final boolean vector;

    /** Uses the Vector API codes when {@link Simd#enabled()}. */
    public Abq() {
        this(Simd.enabled());
    }

    /** @param vector whether to use {@link QuantCodes} (requires {@link Simd#available()}) */
    Abq(boolean vector) {
        this.vector = vector;
    }

    /** Bits for {@code vals[off, off+n)} with magnitudes in {@code [lo, hi]}: the DS rule, 0 for a constant block. */
    public int chooseBits(float[] vals, int off, int n, float lo, float hi, int qbit, double delta) {
        if (n == 0 || !(hi > lo) || scaleFor(lo, hi, 1) == 0f) {
            return 0;
        }
        int l0 = (1 << qbit) - 1;
        // every element's mismatch is at most floor(l0 / 2) (Tq is the nearest q-bit code): a candidate whose
        // limit is at or above n floor(l0 / 2) passes unseen (typically all but the last one or two)
        double maxSum = (double) n * (l0 >> 1);
        boolean table = qbit <= TABLE_MAX_QBIT;
        // without tables, a candidate costs n divisions per element or about 2 (l0 + 1) steps on a histogram
        boolean useHist = !table && 4L * n > l0;
        boolean ready = false;
        int q = qbit;
        int lane = LANES;
        while (q > 1) {
            int lq = (1 << (q - 1)) - 1;
            double limit = delta * n * (double) lq * l0;
            if (!(maxSum <= limit)) {
                long sum;
                if (table) {
                    // the limits fall with q, so from here on every candidate needs its sum: one pass over the
                    // values gives the next LANES of them
                    if (lane == LANES) {
                        if (!ready) {
                            referenceCodes(vals, off, n, lo, hi, l0, false);
                            ready = true;
                        }
                        laneSums(t0, n, l0, laneTable(qbit, q - 1));
                        lane = 0;
                    }
                    sum = sums[lane++];
                } else {
                    if (!ready) {
                        referenceCodes(vals, off, n, lo, hi, l0, useHist);
                        ready = true;
                    }
                    sum = useHist ? mismatchHist(l0, lq) : mismatch(t0, n, l0, lq);
                }
                if (sum > limit) {
                    break;
                }
            }
            q--;
        }
        return q;
    }

    /**
     * The DS rule over level counts that need not be powers of two: with {@code L(q)} read as {@code levels - 1},
     * {@code DS(levels) = mean | T0 - round(T0 (levels-1) / L(qbit)) L(qbit) / (levels-1) | / L(qbit)}, the same
     * definition as {@link #chooseBits}. Starts at {@code 2^qbit} and steps down through the smaller entries of
     * {@code ladder} (ascending level counts {@code >= 2}, containing {@code 2^qbit}) while {@code DS <= delta};
     * with the powers of two as the ladder it gives {@code 2^chooseBits} (at least 2). 2 for a constant block.
     */
    public int chooseLevels(float[] vals, int off, int n, float lo, float hi, int qbit, double delta, int[] ladder) {
        int j = java.util.Arrays.binarySearch(ladder, 1 << qbit);
        if (j < 0) {
            throw new IllegalArgumentException("ladder lacks 2^" + qbit);
        }
        if (n == 0 || !(hi > lo) || scaleFor(lo, hi, 1) == 0f) {
            return 2;
        }
        int l0 = (1 << qbit) - 1;
        double maxSum = (double) n * (l0 >> 1);
        boolean ready = false;
        int levels = ladder[j];
        while (j > 0) {
            int lq = ladder[j - 1] - 1;
            double limit = delta * n * (double) lq * l0;
            if (!(maxSum <= limit)) {
                if (!ready) {
                    referenceCodes(vals, off, n, lo, hi, l0, false);
                    ready = true;
                }
                long sum = qbit <= TABLE_MAX_QBIT ? tableSum(qbit, lq, n) : mismatch(t0, n, l0, lq);
                if (sum > limit) {
                    break;
                }
            }
            j--;
            levels = lq + 1;
        }
        return levels;
    }

    /** {@code sum |T0 lq - Tq l0|} over {@link #t0} from a table cached per (qbit, lq). */
    private long tableSum(int qbit, int lq, int n) {
        long key = (long) qbit << 32 | lq;
        int[] tab = levelTables.get(key);
        if (tab == null) {
            int l0 = (1 << qbit) - 1;
            tab = new int[l0 + 1];
            for (int c = 0; c <= l0; c++) {
                tab[c] = (int) mismatchOf(c, l0, lq);
            }
            levelTables.put(key, tab);
        }
        int[] t = t0;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += tab[t[i]];
        }
        return sum;
    }

    /**
     * Entry {@code c} ({@code c <= l0 = 2^qbit - 1}): in lane {@code j} (16 bits each) the mismatch {@code |c lq -
     * Tq l0|} of candidate {@code top - j} ({@code lq = 2^(top-j) - 1}, {@code Tq = round(c lq / l0)} half up; 0
     * for candidates below 1). Built once per (qbit, top).
     */
    private long[] laneTable(int qbit, int top) {
        long[][] byTop = laneTables[qbit];
        if (byTop == null) {
            byTop = new long[qbit][];
            laneTables[qbit] = byTop;
        }
        long[] tab = byTop[top];
        if (tab == null) {
            long l0 = (1 << qbit) - 1;
            tab = new long[(int) l0 + 1];
            for (int j = 0; j < LANES && top - j >= 1; j++) {
                long lq = (1L << (top - j)) - 1;
                for (int c = 0; c <= l0; c++) {
                    tab[c] |= mismatchOf(c, l0, lq) << (16 * j);
                }
            }
            byTop[top] = tab;
        }
        return tab;
    }

    /**
     * The mismatch sums of the candidates of {@code tab} over the reference codes {@code t[0, n)} into
     * {@link #sums}. Lanes add up for at most {@code 65535 / floor(l0 / 2)} elements before they are moved out, so
     * none carries into the next. (The codes come from their own pass: a table load indexed straight by the
     * float-to-int conversion ran at a third of the speed on C2.)
     */
    private void laneSums(int[] t, int n, int l0, long[] tab) {
        int chunk = 0xFFFF / Math.max(1, l0 >> 1);
        long s0 = 0;
        long s1 = 0;
        long s2 = 0;
        long s3 = 0;
        for (int from = 0; from < n; from += chunk) {
            long acc = 0;
            for (int i = from, end = Math.min(n, from + chunk); i < end; i++) {
                acc += tab[t[i]];
            }
            s0 += acc & 0xFFFF;
            s1 += (acc >>> 16) & 0xFFFF;
            s2 += (acc >>> 32) & 0xFFFF;
            s3 += acc >>> 48;
        }
        sums[0] = s0;
        sums[1] = s1;
        sums[2] = s2;
        sums[3] = s3;
    }

    /** {@code T0} of every element into {@link #t0}, and with {@code toHist} their histogram {@code hist[0, l0]}. */
    private void referenceCodes(float[] vals, int off, int n, float lo, float hi, int l0, boolean toHist) {
        double inv = l0 / ((double) hi - lo);
        if (t0.length < n) {
            t0 = new int[Math.max(n, t0.length + (t0.length >> 1))];
        }
        int[] t = t0;
        codes(vals, off, n, lo, inv, l0, t, 0);
        if (toHist) {
            if (hist.length < l0 + 1) {
                hist = new int[l0 + 1];
            }
            java.util.Arrays.fill(hist, 0, l0 + 1, 0);
            for (int i = 0; i < n; i++) {
                hist[t[i]]++;
            }
        }
    }

    /**
     * The DS rule's per-element mismatch, the one definition every route (tables, lanes, histogram walk) follows:
     * {@code |c lq - Tq l0|} with {@code Tq = round(c lq / l0)} (half up), i.e. {@code |T0 - Tq L(qbit)/L(q)|} in
     * units of {@code 1 / L(q)}.
     */
    static long mismatchOf(long c, long l0, long lq) {
        long tq = (2 * c * lq + l0) / (2 * l0);
        return Math.abs(c * lq - tq * l0);
    }

    private static long mismatch(int[] t, int n, int l0, int lq) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += mismatchOf(t[i], l0, lq);
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

    /**
     * Step between codes for {@code q} bits; 0 when {@code q == 0} or the range underflows. The top code's value
     * {@code lo + (2^q - 1) * step} (float arithmetic, as the decoder computes and checks it) stays finite: near
     * {@code Float.MAX_VALUE} the rounded step is lowered by an ulp or two.
     */
    public static float scaleFor(float lo, float hi, int q) {
        if (q == 0) {
            return 0f;
        }
        int top = (1 << q) - 1;
        float s = (float) (((double) hi - lo) / top);
        while (s > 0 && !Float.isFinite(lo + top * s)) {
            s = Math.nextDown(s);
        }
        return s >= Float.MIN_NORMAL && Float.isFinite(s) ? s : 0f;
    }

    /**
     * Quantizes {@code vals[off, off+n)} (all {@code >= lo}) to codes {@code round((v - lo) / scale)} clamped to {@code [0, 2^q - 1]};
     * all zeros when {@code scale == 0}. The reconstruction {@code lo + code * scale} is within {@code scale / 2} (plus
     * float rounding) of {@code v}.
     */
    public void quantize(float[] vals, int off, int n, float lo, float scale, int q, int[] codes, int codeOff) {
        if (scale == 0f || q == 0) {
            java.util.Arrays.fill(codes, codeOff, codeOff + n, 0);
            return;
        }
        codes(vals, off, n, lo, 1.0 / scale, (1 << q) - 1, codes, codeOff);
    }

    /** {@code min((int) ((v - lo) * inv + 0.5), lq)} for {@code vals[off, off+n)} (all {@code >= lo}). */
    private void codes(float[] vals, int off, int n, float lo, double inv, int lq, int[] out, int outOff) {
        if (vector && QuantCodes.serves(inv, lq)) {
            QuantCodes.codes(vals, off, n, lo, inv, lq, out, outOff);
            return;
        }
        double dlo = lo;
        for (int i = 0; i < n; i++) {
            // vals >= lo, so the product is >= 0 and truncation of (y + 0.5) rounds half up
            out[outOff + i] = Math.min((int) ((vals[off + i] - dlo) * inv + 0.5), lq);
        }
    }
}
