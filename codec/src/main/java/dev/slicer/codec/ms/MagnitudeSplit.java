package dev.slicer.codec.ms;

import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.simd.Simd;
import dev.slicer.codec.simd.SplitRange;
import java.util.Arrays;

/**
 * Magnitude splitting: separates the survivors by sign and cuts each sign's survivors into {@code M} blocks of equal
 * cardinality by descending magnitude rank (block sizes {@code floor((b+1)n/M) - floor(bn/M)}, so they differ by at
 * most one). The result equals a stable sort by descending magnitude: equal magnitudes straddling a boundary go to
 * the earlier (larger) block in position order. Blocks are numbered {@code 0..M+-1} for the positive side (largest
 * magnitudes first), then {@code M+..M+ + M- - 1} for the negative side. The sign is the sign bit, so {@code -0.0}
 * counts as negative.
 *
 * <p>Instead of sorting: a first pass measures each side's magnitude range, a histogram pass over narrow
 * magnitude-bit bins spanning that range locates the bins holding the block boundaries, and only those few bins are
 * gathered and sorted to get the exact thresholds. With at most three blocks per side and no ties straddling a
 * boundary, a survivor's block then follows from comparing its magnitude with its side's (at most two) thresholds;
 * otherwise every bin wholly inside one block maps to it by a table lookup and only boundary bins are resolved
 * exactly.
 */
public final class MagnitudeSplit {
    /** Histogram bins per sign: a few survivors per boundary bin at the reference point, so gathering stays cheap. */
    static final int LOG_BINS = 10;

    private static final int BINS = 1 << LOG_BINS;
    private static final int MAG = 0x7FFFFFFF;
    /** {@link #blockOfBin} entry of a boundary bin, resolved exactly. */
    private static final byte EXACT = -1;

    /** Blocks of both signs. */
    private static final int MAX_BLOCKS = 2 * CodecSettings.MAX_BLOCKS;

    /** Per-sign histograms of the bin key (positive bins first); all-zero between calls. */
    private final int[] hist = new int[2 * BINS];
    /** Bins whose magnitudes are gathered (1) or not (0); all-zero between calls. */
    private final byte[] gatherBin = new byte[2 * BINS];
    /** Block of the survivors in a bin, or {@link #EXACT} for a boundary bin (exact path only). */
    private final byte[] blockOfBin = new byte[2 * BINS];

    /** Whether the range pass runs the Vector API kernel {@link SplitRange}. */
    private final boolean vectorScans;

    /** Smallest and largest magnitude of the positive side, then of the negative side, then the negative count. */
    private final int[] range = new int[5];

    /** Bin geometry of the current call: magnitude {@code u} falls in bin {@code (u - origin) >>> shift}. */
    private int shift;

    private int origin;
    /** Bin of the largest magnitude. */
    private int top;

    /** Per survivor: bin key, overwritten by the block on the threshold path (one scratch array instead of two). */
    private int[] keys = new int[0];

    /** Raw bits of the survivors in boundary bins. */
    private int[] gathered = new int[0];
    /** Per block: smallest magnitude (boundary threshold), survivors equal to it the block takes, threshold's bin. */
    private final int[] thr = new int[MAX_BLOCKS];

    private final int[] quota = new int[MAX_BLOCKS];
    private final int[] thrBin = new int[MAX_BLOCKS];
    /** Per block: write cursor of the grouped output. */
    private final int[] next = new int[MAX_BLOCKS];
    /** Write cursors of the threshold path. */
    private final long[] cursor = new long[MAX_BLOCKS];
    /** Per block: index of its smallest / largest magnitude in the order-statistic arrays below, or -1 when that is
     * the side's smallest / largest magnitude (known from the range pass). */
    private final int[] loQ = new int[MAX_BLOCKS];

    private final int[] hiQ = new int[MAX_BLOCKS];
    /** Order statistics: ascending index within the side, its bin, survivors in lower bins, value, equal above. */
    private final int[] need = new int[2 * MAX_BLOCKS];

    private final int[] needBin = new int[2 * MAX_BLOCKS];
    private final int[] needBelow = new int[2 * MAX_BLOCKS];
    private final int[] needValue = new int[2 * MAX_BLOCKS];
    private final int[] needEqualAbove = new int[2 * MAX_BLOCKS];
    private final boolean[] needTieBelow = new boolean[2 * MAX_BLOCKS];
    /** Whether every threshold's ties all stay in its block, with no empty blocks. */
    private boolean simple;

    /** Uses the Vector API range pass when {@link Simd#enabled()}. */
    public MagnitudeSplit() {
        this(Simd.enabled());
    }

    /** @param vectorScans whether to use {@link SplitRange} (requires {@link Simd#available()}) */
    MagnitudeSplit(boolean vectorScans) {
        this.vectorScans = vectorScans;
    }

    /**
     * Assigns blocks to {@code bits[0..n)} (raw float bits).
     *
     * @param blockOf out: block of each survivor
     * @param counts out: survivors per block ({@code mPos + mNeg} entries)
     * @param minMag out: smallest magnitude bits per block ({@code Integer.MAX_VALUE} for empty blocks)
     * @param maxMag out: largest magnitude bits per block ({@code 0} for empty blocks)
     * @param grouped out: the magnitudes grouped by block (block 0 first), each block in position order
     */
    public void split(
            int[] bits,
            int n,
            int mPos,
            int mNeg,
            byte[] blockOf,
            int[] counts,
            int[] minMag,
            int[] maxMag,
            float[] grouped) {
        if (n == 0) {
            for (int b = 0; b < mPos + mNeg; b++) {
                counts[b] = 0;
                minMag[b] = Integer.MAX_VALUE;
                maxMag[b] = 0;
            }
            return;
        }
        if (keys.length < n) {
            keys = new int[Math.max(n, keys.length + (keys.length >> 1))];
            gathered = new int[keys.length];
        }
        int[] r = range;
        if (vectorScans) {
            SplitRange.range(bits, n, r);
        } else {
            scanRange(bits, n, r);
        }
        int nNeg = r[4];
        int nPos = n - nNeg;
        int lo = Math.min(r[0], r[2]);
        int hi = Math.max(r[1], r[3]);
        // the narrowest bins that cover the range
        shift = Math.max(0, 32 - Integer.numberOfLeadingZeros(hi - lo) - LOG_BINS);
        origin = lo;
        top = (hi - lo) >>> shift;
        histogram(bits, n);
        int needPos = locate(nPos, mPos, 0, 0);
        int needNeg = locate(nNeg, mNeg, mPos, needPos);
        Arrays.fill(hist, 0, top + 1, 0);
        Arrays.fill(hist, BINS, BINS + top + 1, 0);
        int m = gather(bits, n);
        resolve(m, needPos, needPos + needNeg);
        simple = true;
        blocks(nPos, mPos, 0, r[0], r[1], counts, minMag, maxMag);
        blocks(nNeg, mNeg, mPos, r[2], r[3], counts, minMag, maxMag);
        int total = mPos + mNeg;
        int acc = 0;
        for (int b = 0; b < total; b++) {
            next[b] = acc;
            acc += counts[b];
        }
        if (simple && mPos <= 3 && mNeg <= 3) {
            assignByThresholds(bits, n, mPos, mNeg, blockOf, grouped);
        } else {
            assignExact(bits, n, mPos, mNeg, blockOf, grouped);
        }
    }

    /** Scalar route of {@link SplitRange#range}. */
    static void scanRange(int[] bits, int n, int[] r) {
        // as signed ints, negative values (sign bit set) order below the others and by magnitude among themselves;
        // flipping the sign bit swaps the two sides
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        int minFlip = Integer.MAX_VALUE;
        int maxFlip = Integer.MIN_VALUE;
        int neg = 0;
        for (int i = 0; i < n; i++) {
            int v = bits[i];
            int f = v ^ Integer.MIN_VALUE;
            min = Math.min(min, v);
            max = Math.max(max, v);
            minFlip = Math.min(minFlip, f);
            maxFlip = Math.max(maxFlip, f);
            neg += v >>> 31;
        }
        r[0] = minFlip < 0 ? minFlip & MAG : MAG;
        r[1] = Math.max(max, 0);
        r[2] = min < 0 ? min & MAG : MAG;
        r[3] = Math.max(maxFlip, 0);
        r[4] = neg;
    }

    /** Bin key of raw bits {@code v}: the magnitude's bin, plus {@link #BINS} for negative values. */
    private static int key(int v, int origin, int shift) {
        return (((v & MAG) - origin) >>> shift) | ((v >> 31) & BINS);
    }

    /** Stores the survivors' bin keys (a loop the compiler vectorises) and counts them per bin. */
    private void histogram(int[] bits, int n) {
        int[] kk = keys;
        int o = origin;
        int sh = shift;
        for (int i = 0; i < n; i++) {
            kk[i] = key(bits[i], o, sh);
        }
        int[] h = hist;
        for (int i = 0; i < n; i++) {
            h[kk[i]]++;
        }
    }

    /**
     * Lists the order statistics one side needs (each nonempty block's smallest and largest magnitude, by ascending
     * index within the side, except the side's extremes, which the range pass measured), finds their bins and marks
     * those for gathering. Returns the count stored from {@code at}.
     */
    private int locate(int ns, int m, int first, int at) {
        int q = at;
        for (int j = m - 1; j >= 0; j--) {
            int start = (int) ((long) j * ns / m);
            int end = (int) ((long) (j + 1) * ns / m);
            if (start != end) {
                if (end == ns) {
                    loQ[first + j] = -1;
                } else {
                    loQ[first + j] = q;
                    need[q++] = ns - end;
                }
                if (start == 0) {
                    hiQ[first + j] = -1;
                } else {
                    hiQ[first + j] = q;
                    need[q++] = ns - 1 - start;
                }
            }
        }
        int off = first == 0 ? 0 : BINS;
        int[] h = hist;
        int last = top;
        int bin = 0;
        int below = 0;
        for (int i = at; i < q; i++) {
            int idx = need[i];
            while (true) {
                int p = off + bin;
                // four bins at a time while they stay at or below the top
                if (bin + 3 <= last) {
                    int four = h[p] + h[p + 1] + h[p + 2] + h[p + 3];
                    if (below + four <= idx) {
                        below += four;
                        bin += 4;
                        continue;
                    }
                }
                int c = h[p];
                if (below + c > idx) {
                    break;
                }
                below += c;
                bin++;
            }
            needBin[i] = bin;
            needBelow[i] = below;
            gatherBin[off + bin] = 1;
        }
        return q - at;
    }

    /** Copies the raw bits of the survivors in marked bins to {@link #gathered}; returns their count. */
    private int gather(int[] bits, int n) {
        int[] g = gathered;
        byte[] gt = gatherBin;
        int[] kk = keys;
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (gt[kk[i]] != 0) {
                g[m++] = bits[i];
            }
        }
        return m;
    }

    /** Exact values of the order statistics {@code [0, count)} from the gathered survivors; unmarks their bins. */
    private void resolve(int m, int countPos, int count) {
        int[] g = gathered;
        // raw bits sort by sign (negative first), then by magnitude: each gathered bin is one contiguous run
        Arrays.sort(g, 0, m);
        for (int q = 0; q < count; q++) {
            int side = q < countPos ? 0 : 1;
            int bin = needBin[q];
            gatherBin[side * BINS + bin] = 0;
            int first = lowerBound(g, m, (side << 31) | (origin + (bin << shift)));
            int at = first + need[q] - needBelow[q];
            int v = g[at];
            int eq = 0;
            while (at + 1 + eq < m && g[at + 1 + eq] == v) {
                eq++;
            }
            needValue[q] = v & MAG;
            needEqualAbove[q] = eq;
            needTieBelow[q] = at > 0 && g[at - 1] == v;
        }
    }

    /**
     * Block sizes, minima, maxima, boundary thresholds and tie quotas of one side. Threshold {@code thr[b]} is block
     * {@code b}'s smallest magnitude; {@code quota[b]} how many survivors equal to it block {@code b} takes (the
     * earlier ones in position order go to earlier blocks with the same threshold). Empty blocks repeat the previous
     * threshold, so thresholds stay non-increasing.
     */
    private void blocks(int ns, int m, int first, int sideLo, int sideHi, int[] counts, int[] minMag, int[] maxMag) {
        int start = 0;
        int prevThr = Integer.MAX_VALUE;
        int prevBin = top + 1;
        simple &= ns >= m;
        for (int j = 0; j < m; j++) {
            int end = (int) ((long) (j + 1) * ns / m);
            int b = first + j;
            counts[b] = end - start;
            thr[b] = prevThr;
            thrBin[b] = prevBin;
            quota[b] = 0;
            if (end == start) {
                minMag[b] = Integer.MAX_VALUE;
                maxMag[b] = 0;
                continue;
            }
            int lq = loQ[b];
            int hq = hiQ[b];
            minMag[b] = lq < 0 ? sideLo : needValue[lq];
            maxMag[b] = hq < 0 ? sideHi : needValue[hq];
            if (j < m - 1) {
                int t = needValue[lq];
                int greater = end - 1 - needEqualAbove[lq];
                thr[b] = t;
                quota[b] = end - Math.max(start, greater);
                // a threshold sharing the previous one's bin, or tied with a survivor in the next block, needs the
                // exact path
                int tb = needBin[lq];
                simple &= tb < prevBin && !needTieBelow[lq];
                thrBin[b] = tb;
                prevThr = t;
                prevBin = Math.min(prevBin, tb);
            }
            start = end;
        }
    }

    /**
     * Simple case with at most three blocks per side: a survivor's block is its side's first block plus the number of
     * its side's thresholds above its magnitude, found branch-free.
     */
    private void assignByThresholds(int[] bits, int n, int mPos, int mNeg, byte[] blockOf, float[] grouped) {
        // missing thresholds are 0, which no magnitude is below
        int p0 = mPos > 1 ? thr[0] : 0;
        int p1 = mPos > 2 ? thr[1] : 0;
        int d0 = p0 ^ (mNeg > 1 ? thr[mPos] : 0);
        int d1 = p1 ^ (mNeg > 2 ? thr[mPos + 1] : 0);
        // pure int arithmetic into an int[]: the compiler vectorises this loop
        int[] bl = keys;
        for (int i = 0; i < n; i++) {
            int v = bits[i];
            int u = v & MAG;
            int s = v >> 31;
            // magnitudes and thresholds are non-negative ints, so the sign of the difference is the comparison
            bl[i] = (s & mPos) + ((u - (p0 ^ (s & d0))) >>> 31) + ((u - (p1 ^ (s & d1))) >>> 31);
        }
        // cursors in a long[]: unlike an int[] they cannot alias the int[] inputs, so the compiler needs no reloads
        // around the cursor stores
        long[] cur = cursor;
        for (int b = 0; b < mPos + mNeg; b++) {
            cur[b] = next[b];
        }
        for (int i = 0; i < n; i++) {
            int b = bl[i];
            blockOf[i] = (byte) b;
            grouped[(int) cur[b]++] = Float.intBitsToFloat(bits[i] & MAG);
        }
    }

    /**
     * General case: every bin wholly inside one block maps to it by a table lookup; survivors in a boundary bin are
     * resolved exactly.
     */
    private void assignExact(int[] bits, int n, int mPos, int mNeg, byte[] blockOf, float[] grouped) {
        fillTable(mPos, 0);
        fillTable(mNeg, mPos);
        byte[] tab = blockOfBin;
        int[] nx = next;
        int[] kk = keys;
        int total = mPos + mNeg;
        for (int i = 0; i < n; i++) {
            int v = bits[i];
            int u = v & MAG;
            int b = tab[kk[i]];
            if (b < 0) {
                b = exactBlock(u, v >>> 31, mPos, total);
            }
            blockOf[i] = (byte) b;
            grouped[nx[b]++] = Float.intBitsToFloat(u);
        }
    }

    /** Bin-to-block table of one side: bins between two thresholds' bins hold only one block. */
    private void fillTable(int m, int first) {
        byte[] tab = blockOfBin;
        int off = first == 0 ? 0 : BINS;
        int upper = top + 1;
        for (int j = 0; j < m - 1; j++) {
            int b = first + j;
            int tb = thrBin[b];
            if (tb < upper) {
                Arrays.fill(tab, off + tb + 1, off + upper, (byte) b);
                tab[off + tb] = EXACT;
                upper = tb;
            }
        }
        Arrays.fill(tab, off, off + upper, (byte) (first + m - 1));
    }

    /** Block of magnitude {@code u} in a boundary bin: thresholds above it, then tie quotas in position order. */
    private int exactBlock(int u, int neg, int mPos, int total) {
        int first = neg == 0 ? 0 : mPos;
        int last = neg == 0 ? mPos - 1 : total - 1;
        int[] th = thr;
        int b = first;
        for (int j = first; j < last; j++) {
            b += u < th[j] ? 1 : 0;
        }
        while (b < last) {
            int t = th[b];
            if (u > t) {
                break;
            }
            if (u == t && quota[b] > 0) {
                quota[b]--;
                break;
            }
            b++;
        }
        return b;
    }

    /** First index in the sorted {@code a[0, n)} holding a value {@code >= key}. */
    private static int lowerBound(int[] a, int n, int key) {
        int l = 0;
        int r = n;
        while (l < r) {
            int mid = (l + r) >>> 1;
            if (a[mid] < key) {
                l = mid + 1;
            } else {
                r = mid;
            }
        }
        return l;
    }
}
