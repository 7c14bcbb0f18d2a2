package dev.slicer.codec.atkf;

import dev.slicer.codec.NonFiniteInputException;
import dev.slicer.codec.simd.VectorMagnitudeScan;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The lambda = 0 filter (keep the k largest |x|) with one pass over all elements instead of two. A strided sample
 * brackets tau between a low cut {@code lo} and a high guess {@code hi}; one branch-free pass collects the positions
 * of every element with {@code |x| >= lo}; a histogram of these candidates over fine bins spanning {@code [lo, hi]}
 * finds the bin holding tau, and only when that bin is cut does a second look at the candidates resolve tau inside
 * it. The result is exact whatever the sample says: if the cut leaves fewer than k candidates, {@link #filter}
 * reports a miss and the caller runs the full selection.
 *
 * <p>With the Vector API kernels ({@link #vectorScans}) the pass instead collects only the band {@code lo <= |x| < hi}
 * and counts the elements above it; tau is found from a histogram of the band alone, and a second vector pass over
 * the tensor emits the survivors. Both passes cost a fraction of one scalar pass, and the band holds about half as
 * many elements as the candidates. Ties at tau that must be sampled take the scalar route, whose result is the same.
 */
final class SampledTopK {
    private static final int MAG = 0x7FFFFFFF;
    /** Coprime to the usual row widths (powers of two times 3), so the sample covers every column. */
    private static final int STRIDE = 17;
    /** Below this the sample is too small to cut much, and the full selection is cheap anyway. */
    static final int MIN_N = 1024;
    /** The sample cuts sit this many binomial standard deviations (plus one) beyond the expected rank. */
    private static final double Z = 3.0;
    /** Bins spanned by [lo, hi]; the bins above reach past hi, and keys beyond them share slot {@code BINS}. */
    private static final int BAND = 1536;

    private static final int BINS = 2048;

    private final RadixSelect select = new RadixSelect();
    private final boolean vectorScans;
    /** All zero between calls. */
    private final int[] hist = new int[BINS + 1];

    private final int[] ranks = new int[2];
    private final int[] cuts = new int[2];
    private final int[] greater = new int[2];
    private int[] sample = new int[0];
    private int[] cPos = new int[0];
    private int[] cBits = new int[0];
    private int[] pool = new int[0];

    /** @param vectorScans whether to use {@link VectorMagnitudeScan} (only when the Vector API is available) */
    SampledTopK(boolean vectorScans) {
        this.vectorScans = vectorScans;
    }

    /**
     * As {@link Atkf#filter} with lambda = 0 and {@code 0 < k < n}; returns -1, with the output unspecified, when the
     * sample cut leaves fewer than k candidates or the tensor is too small for sampling.
     *
     * @throws NonFiniteInputException on NaN or infinity
     */
    int filter(float[] src, int off, int n, int k, long seed, int[] outPos, int[] outBits) {
        if (n < MIN_N) {
            return -1;
        }
        int m = (n - 1) / STRIDE + 1;
        double mean = (double) m * k / n;
        double margin = Z * Math.sqrt(mean * (1.0 - (double) k / n)) + 1.0;
        int rLo = (int) Math.ceil(mean + margin);
        if (rLo >= m) {
            return -1;
        }
        if (sample.length < m) {
            sample = new int[Math.max(m, sample.length + (sample.length >> 1))];
        }
        int[] sk = sample;
        for (int j = 0, i = off; j < m; j++, i += STRIDE) {
            sk[j] = Float.floatToRawIntBits(src[i]) & MAG;
        }
        select.prepare(sk, 0, m);
        ranks[0] = Math.max(0, (int) (mean - margin));
        ranks[1] = rLo;
        select.selectMany(sk, 0, m, ranks, 2, cuts, greater);
        int hi = cuts[0];
        int lo = cuts[1];
        if (cPos.length < n + VectorMagnitudeScan.SLACK) {
            int cap = Math.max(n + VectorMagnitudeScan.SLACK, cPos.length + (cPos.length >> 1));
            cPos = new int[cap];
            cBits = new int[cap];
        }
        if (vectorScans) {
            int kept = filterBand(src, off, n, k, lo, hi, outPos, outBits);
            if (kept != SAMPLE_TIES) {
                return kept;
            }
        }
        int[] cp = cPos;
        int w = 0;
        for (int i = 0; i < n; i++) {
            int u = Float.floatToRawIntBits(src[off + i]) & MAG;
            cp[w] = i;
            w += ((u - lo) >>> 31) ^ 1;
        }
        if (w < k) {
            return -1;
        }
        int kept = select(src, off, cp, w, k, lo, hi, seed, outPos, outBits);
        checkKept(src, off, n, outBits, kept);
        return kept;
    }

    /** The count above the bin {@link #cutBin} returned. */
    private int aboveCut;

    /**
     * Scanning down from bin {@code from} with {@code above} counted beyond it: the first bin where the count reaches
     * past rank {@code r} (which the bins must hold), 8 bins at a time, then inside the block. Leaves the count above
     * that bin in {@link #aboveCut}.
     */
    private int cutBin(int[] h, int from, int above, int r) {
        int b = from;
        while (b >= 7) {
            int s = h[b] + h[b - 1] + h[b - 2] + h[b - 3] + h[b - 4] + h[b - 5] + h[b - 6] + h[b - 7];
            if (above + s > r) {
                break;
            }
            above += s;
            b -= 8;
        }
        while (above + h[b] <= r) {
            above += h[b];
            b--;
        }
        aboveCut = above;
        return b;
    }

    /**
     * With tau exact, a finite tau keeps every non-finite element (all above it) and a non-finite tau keeps only
     * non-finite ones, so checking the kept elements finds any.
     */
    private static void checkKept(float[] src, int off, int n, int[] keptBits, int kept) {
        int bad = 0;
        for (int j = 0; j < kept; j++) {
            bad |= (keptBits[j] & MAG) + 0x00800000;
        }
        if (bad < 0) {
            Atkf.throwNonFinite(src, off, n);
        }
    }

    /** {@link #filterBand} result when ties at tau must be sampled (left to the scalar route). */
    private static final int SAMPLE_TIES = -2;

    /**
     * The vector route: the band {@code [lo, hi)} and the count above it from one scan, tau from the band's
     * histogram, the survivors from a second scan. Returns the kept count, -1 on a sample miss, or
     * {@link #SAMPLE_TIES}.
     */
    private int filterBand(float[] src, int off, int n, int k, int lo, int hi, int[] outPos, int[] outBits) {
        int[] cp = cPos;
        long counts = VectorMagnitudeScan.band(src, off, n, lo, hi, cp);
        int w = (int) counts;
        int above = (int) (counts >>> 32);
        if (above > k || above + w < k) {
            return -1;
        }
        int gt = above == k ? hi - 1 : bandCut(src, off, cp, w, k - above, lo, hi);
        if (gt == SAMPLE_TIES) {
            return SAMPLE_TIES;
        }
        int kept = VectorMagnitudeScan.above(src, off, n, Math.max(gt, 0), cp);
        System.arraycopy(cp, 0, outPos, 0, kept);
        for (int j = 0; j < kept; j++) {
            outBits[j] = Float.floatToRawIntBits(src[off + cp[j]]);
        }
        checkKept(src, off, n, outBits, kept);
        return kept;
    }

    /**
     * The magnitude above which exactly the {@code r >= 1} largest of the band {@code cp[0, w)} lie (all in
     * {@code [lo, hi)}), or {@link #SAMPLE_TIES} when that cut falls inside a run of equal magnitudes.
     */
    private int bandCut(float[] src, int off, int[] cp, int w, int r, int lo, int hi) {
        int shift = 0;
        while (((hi - lo) >>> shift) >= BAND) {
            shift++;
        }
        int[] h = hist;
        int[] keys = cBits;
        for (int j = 0; j < w; j++) {
            int u = Float.floatToRawIntBits(src[off + cp[j]]) & MAG;
            keys[j] = u;
            h[(u - lo) >>> shift]++;
        }
        int bin = cutBin(h, (hi - 1 - lo) >>> shift, 0, r - 1);
        int covered = aboveCut;
        int inBin = h[bin];
        Arrays.fill(h, 0, ((hi - 1 - lo) >>> shift) + 1, 0);
        int edge = lo + (bin << shift);
        if (covered + inBin == r) {
            return edge - 1;
        }
        int[] p = pool;
        if (p.length < inBin + 1) {
            p = pool = new int[Math.max(inBin + 1, p.length + (p.length >> 1))];
        }
        int c = 0;
        for (int j = 0; j < w; j++) {
            int u = keys[j];
            p[c] = u;
            c += ((u - lo) >>> shift) == bin ? 1 : 0;
        }
        int tau = select.select(p, 0, c, r - covered - 1);
        int needTies = r - covered - select.greater();
        return needTies >= select.equal() ? tau - 1 : SAMPLE_TIES;
    }

    /** The k largest among the candidates at {@code cp[0, w)} (all {@code |x| >= lo}), emitted in position order. */
    private int select(
            float[] src, int off, int[] cp, int w, int k, int lo, int hi, long seed, int[] outPos, int[] outBits) {
        int shift = 0;
        while (((hi - lo) >>> shift) >= BAND) {
            shift++;
        }
        int[] h = hist;
        int[] cb = cBits;
        for (int j = 0; j < w; j++) {
            int bits = Float.floatToRawIntBits(src[off + cp[j]]);
            cb[j] = bits;
            h[Math.min(((bits & MAG) - lo) >>> shift, BINS)]++;
        }
        int above = h[BINS];
        int r = k - 1;
        int bin = -1;
        if (above <= r) {
            // the w >= k candidates all lie in the bins
            bin = cutBin(h, BINS - 1, above, r);
            above = aboveCut;
        }
        int inBin = bin >= 0 ? h[bin] : 0;
        Arrays.fill(h, 0);
        if (bin >= 0 && k - above == inBin) {
            // the whole bin is kept: keep everything from its lower edge, no ties to sample
            return emitAbove(cp, cb, w, lo + (bin << shift) - 1, outPos, outBits);
        }
        int[] keys = pool;
        int c;
        if (bin >= 0) {
            if (keys.length < inBin + 1) {
                keys = pool = new int[Math.max(inBin + 1, keys.length + (keys.length >> 1))];
            }
            c = 0;
            for (int j = 0; j < w; j++) {
                int u = cb[j] & MAG;
                keys[c] = u;
                c += ((u - lo) >>> shift) == bin ? 1 : 0;
            }
        } else {
            // tau lies beyond the bins: select among all candidates
            if (keys.length < w) {
                keys = pool = new int[Math.max(w, keys.length + (keys.length >> 1))];
            }
            for (int j = 0; j < w; j++) {
                keys[j] = cb[j] & MAG;
            }
            c = w;
            above = 0;
        }
        int tau = select.select(keys, 0, c, r - above);
        int needTies = k - above - select.greater();
        int ties = select.equal();
        if (needTies >= ties) {
            return emitAbove(cp, cb, w, tau - 1, outPos, outBits);
        }
        return emitSampled(cp, cb, w, tau, needTies, ties, seed, outPos, outBits);
    }

    /** Keeps, in position order, the nonzero candidates with magnitude above {@code gt}. */
    private static int emitAbove(int[] cp, int[] cb, int w, int gt, int[] outPos, int[] outBits) {
        int g = Math.max(gt, 0);
        int out = 0;
        for (int j = 0; j < w; j++) {
            int bits = cb[j];
            outPos[out] = cp[j];
            outBits[out] = bits;
            out += (g - (bits & MAG)) >>> 31;
        }
        return out;
    }

    /**
     * Keeps, in position order, the candidates above {@code tau} and those equal to it that win the seeded
     * selection sampling of {@code needTies} out of {@code ties}; zeros are not emitted.
     */
    private static int emitSampled(
            int[] cp, int[] cb, int w, int tau, int needTies, int ties, long seed, int[] outPos, int[] outBits) {
        SplittableRandom rng = new SplittableRandom(seed);
        long tiesLeft = ties;
        long needLeft = needTies;
        int out = 0;
        for (int j = 0; j < w; j++) {
            int bits = cb[j];
            int u = bits & MAG;
            outPos[out] = cp[j];
            outBits[out] = bits;
            int keep = u > tau ? 1 : 0;
            if (u == tau) {
                boolean pick = needLeft > 0 && rng.nextLong(tiesLeft) < needLeft;
                tiesLeft--;
                if (pick) {
                    needLeft--;
                    keep = 1;
                }
            }
            out += u != 0 ? keep : 0;
        }
        return out;
    }
}
