package dev.slicer.codec.atkf;

import dev.slicer.codec.NonFiniteInputException;
import dev.slicer.codec.simd.Simd;
import java.util.SplittableRandom;

/**
 * Asymmetric top-K filtering. Keeps exactly {@code k = floor((1-s)T)} elements: with {@code tau} the k-th largest
 * |x|, the strict set is {@code x > (1+lambda)tau} or {@code x < -(1-lambda)tau}. A short strict set is filled from the
 * remaining elements in descending |x|; an over-full one (possible only for lambda > 0, whose negative cut-off lies
 * below tau) keeps its k largest |x|. Ties at the last admitted magnitude are broken by selection sampling driven by
 * a {@link SplittableRandom} seeded from the settings, so a frame is reproducible. Runs in linear time: one
 * histogram pass plus at most two radix selections and two scans; for lambda = 0, {@link SampledTopK} usually replaces
 * all that by one pass plus work on a candidate set about a third larger than k.
 *
 * <p>Kept elements that are exactly zero carry no information; only nonzero survivors are emitted, so the number
 * emitted is {@code min(k, nnz(x))}.
 */
public final class Atkf {
    private final RadixSelect select = new RadixSelect();
    private final SampledTopK sampled;
    private final int[] level1 = new int[2048];
    /** Highest bin of {@link #level1} that may be nonzero. */
    private int level1Top = -1;

    private int[] mag = new int[0];
    private int[] pool = new int[0];

    /** Uses the Vector API scans when {@link Simd#enabled()}. */
    public Atkf() {
        this(Simd.enabled());
    }

    /** @param vectorScans whether to use the Vector API scans (requires {@link Simd#available()}) */
    Atkf(boolean vectorScans) {
        this.sampled = new SampledTopK(vectorScans);
    }

    /** {@code floor((1-s)T)}: the exact survivor count of ATKF. */
    public static long keepCount(long elements, double sparsity) {
        return (long) Math.floor((1.0 - sparsity) * elements);
    }

    /**
     * Filters {@code src[off, off+n)}; writes the positions (ascending, relative to {@code off}) and raw float bits of
     * the nonzero survivors to {@code outPos} / {@code outBits} (each at least {@code k + 1} long: the scan appends
     * branch-free). Returns how many.
     *
     * @throws NonFiniteInputException on NaN or infinity
     */
    public int filter(float[] src, int off, int n, long k, double lambda, long seed, int[] outPos, int[] outBits) {
        if (lambda == 0.0 && k > 0 && k < n) {
            int kept = sampled.filter(src, off, n, (int) k, seed, outPos, outBits);
            if (kept >= 0) {
                return kept;
            }
        }
        if (mag.length < n) {
            mag = new int[Math.max(n, mag.length + (mag.length >> 1))];
        }
        int[] m = mag;
        int[] h = level1;
        // bins above level1Top are zero: clear only the range the previous call may have used
        if (level1Top >= 0) {
            java.util.Arrays.fill(h, 0, level1Top + 1, 0);
        }
        level1Top = 2047;
        int bad = 0;
        int max = 0;
        for (int i = 0; i < n; i++) {
            int u = Float.floatToRawIntBits(src[off + i]) & 0x7FFFFFFF;
            m[i] = u;
            h[u >>> 20]++;
            bad |= (0x7F7FFFFF - u);
            max = Math.max(max, u);
        }
        level1Top = max >>> 20;
        if (bad < 0) {
            throwNonFinite(src, off, n);
        }
        if (k <= 0) {
            return 0;
        }
        if (k >= n) {
            int w = 0;
            for (int i = 0; i < n; i++) {
                if (m[i] != 0) {
                    outPos[w] = i;
                    outBits[w++] = Float.floatToRawIntBits(src[off + i]);
                }
            }
            return w;
        }
        int kk = (int) k;
        select.prepared(h, 0, level1Top);
        if (lambda == 0.0) {
            return topK(src, off, n, kk, seed, outPos, outBits);
        }
        int tau = select.selectPrepared(m, 0, n, kk - 1);
        float t = Float.intBitsToFloat(tau);
        int tauPos = Float.floatToRawIntBits((float) ((1.0 + lambda) * t));
        int tauNeg = Float.floatToRawIntBits((float) ((1.0 - lambda) * t));
        int strict = 0;
        for (int i = 0; i < n; i++) {
            if (m[i] > (Float.floatToRawIntBits(src[off + i]) < 0 ? tauNeg : tauPos)) {
                strict++;
            }
        }
        if (strict == kk) {
            return emit(src, off, n, EXACT, tauPos, tauNeg, Integer.MAX_VALUE, 0, 0, seed, outPos, outBits);
        }
        // pool: the non-strict elements (fill) or the strict ones (trim); keep the top r of the pool by |x|
        boolean fill = strict < kk;
        int poolSize = fill ? n - strict : strict;
        int r = fill ? kk - strict : kk;
        if (pool.length < poolSize) {
            pool = new int[Math.max(poolSize, pool.length + (pool.length >> 1))];
        }
        int[] p = pool;
        int w = 0;
        for (int i = 0; i < n; i++) {
            int u = m[i];
            boolean isStrict = u > (Float.floatToRawIntBits(src[off + i]) < 0 ? tauNeg : tauPos);
            if (isStrict != fill) {
                p[w++] = u;
            }
        }
        int cut = select.select(p, 0, poolSize, r - 1);
        return emit(
                src,
                off,
                n,
                fill ? FILL : TRIM,
                tauPos,
                tauNeg,
                cut,
                r - select.greater(),
                select.equal(),
                seed,
                outPos,
                outBits);
    }

    /** Throws for the first non-finite element of {@code src[off, off+n)}, if any. */
    static void throwNonFinite(float[] src, int off, int n) {
        for (int i = 0; i < n; i++) {
            if ((Float.floatToRawIntBits(src[off + i]) & 0x7FFFFFFF) > 0x7F7FFFFF) {
                throw new NonFiniteInputException(i, src[off + i]);
            }
        }
    }

    private int[] cPos = new int[0];

    /**
     * lambda = 0: keep the k largest |x|. One scan appends, in position order, every element of a level-1 bin above
     * the cut bin (kept for sure) and every element of the cut bin (a candidate, its key also collected); the cut
     * bin is then resolved by selection and the list compacted, with seeded sampling of the ties at tau.
     */
    private int topK(float[] src, int off, int n, int k, long seed, int[] outPos, int[] outBits) {
        int bin = select.level1Bin(k - 1);
        int above = select.binAbove();
        int inBin = select.binCount(bin);
        int cap = above + inBin + 1;
        if (cPos.length < cap) {
            cPos = new int[Math.max(cap, cPos.length + (cPos.length >> 1))];
        }
        if (pool.length < inBin + 1) {
            pool = new int[Math.max(inBin + 1, pool.length + (pool.length >> 1))];
        }
        int[] m = mag;
        int[] cp = cPos;
        int[] keys = pool;
        int w = 0;
        int c = 0;
        for (int i = 0; i < n; i++) {
            int u = m[i];
            int b = u >>> 20;
            cp[w] = i;
            keys[c] = u;
            // b >= bin and b == bin as 0/1 without branches (b, bin < 2048)
            w += 1 + ((b - bin) >> 31);
            c += ((b ^ bin) - 1) >>> 31;
        }
        int tau = select.selectInBin(keys, inBin, k - 1, bin, above);
        int needTies = k - select.greater();
        int ties = select.equal();
        boolean sampleAll = needTies >= ties;
        SplittableRandom rng = sampleAll ? null : new SplittableRandom(seed);
        long tiesLeft = ties;
        long needLeft = needTies;
        int out = 0;
        for (int j = 0; j < w; j++) {
            int p = cp[j];
            int bits = Float.floatToRawIntBits(src[off + p]);
            int u = bits & 0x7FFFFFFF;
            outPos[out] = p;
            outBits[out] = bits;
            int keep = u > tau ? 1 : 0;
            if (u == tau) {
                if (sampleAll) {
                    keep = 1;
                } else {
                    boolean pick = needLeft > 0 && rng.nextLong(tiesLeft) < needLeft;
                    tiesLeft--;
                    if (pick) {
                        needLeft--;
                        keep = 1;
                    }
                }
            }
            out += u != 0 ? keep : 0;
        }
        return out;
    }

    private static final int EXACT = 1;
    private static final int FILL = 2;
    private static final int TRIM = 3;

    /**
     * Final scan in position order (lambda > 0). EXACT: keep the strict set. FILL: keep the
     * strict set plus the pool of non-strict elements. TRIM: only the strict elements form the pool. A pool element
     * is kept if its magnitude is above {@code cut}, or equals it and wins the seeded sampling of {@code needTies}
     * out of {@code ties}.
     */
    private int emit(
            float[] src,
            int off,
            int n,
            int mode,
            int tauPos,
            int tauNeg,
            int cut,
            int needTies,
            int ties,
            long seed,
            int[] outPos,
            int[] outBits) {
        int[] m = mag;
        boolean sampleAll = needTies >= ties;
        SplittableRandom rng = sampleAll ? null : new SplittableRandom(seed);
        long tiesLeft = ties;
        long needLeft = needTies;
        int w = 0;
        for (int i = 0; i < n; i++) {
            int u = m[i];
            int bits = Float.floatToRawIntBits(src[off + i]);
            boolean inPool;
            boolean keep = false;
            boolean isStrict = u > (bits < 0 ? tauNeg : tauPos);
            if (mode == EXACT || (mode == FILL && isStrict)) {
                keep = isStrict;
                inPool = false;
            } else {
                inPool = mode == FILL || isStrict;
            }
            if (inPool) {
                if (u > cut) {
                    keep = true;
                } else if (u == cut) {
                    if (sampleAll) {
                        keep = true;
                    } else {
                        keep = needLeft > 0 && rng.nextLong(tiesLeft) < needLeft;
                        tiesLeft--;
                        if (keep) {
                            needLeft--;
                        }
                    }
                }
            }
            outPos[w] = i;
            outBits[w] = bits;
            w += keep && u != 0 ? 1 : 0;
        }
        return w;
    }
}
