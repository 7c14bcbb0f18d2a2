package dev.slicer.codec.ms;

import dev.slicer.codec.CodecSettings;
import java.util.Arrays;

/**
 * Magnitude splitting: separates the survivors by sign and cuts each sign's survivors into {@code M} blocks of equal
 * cardinality by descending magnitude rank (block sizes {@code floor((b+1)n/M) - floor(bn/M)}, so they differ by at
 * most one). The result equals a stable sort by descending magnitude: equal magnitudes straddling a boundary go to
 * the earlier (larger) block in position order. Blocks are numbered {@code 0..M+-1} for the positive side (largest
 * magnitudes first), then {@code M+..M+ + M- - 1} for the negative side. The sign is the sign bit, so {@code -0.0}
 * counts as negative.
 *
 * <p>Instead of sorting, one histogram pass over narrow magnitude-bit bins (which also measures the range) locates
 * the bins holding each block's smallest and largest magnitude; only those few bins are gathered and sorted to get
 * the exact values. Every other bin lies wholly inside one block, so the assignment pass maps a survivor to its block
 * by a table lookup, plus one comparison with the threshold of a bin holding a block boundary.
 */
public final class MagnitudeSplit {
    /** Histogram bins per sign: a few survivors per boundary bin at the reference point, so gathering stays cheap. */
    static final int LOG_BINS = 10;

    /** Bin width (log2, in magnitude bits): 2^(23 - SHIFT) bins per octave; BINS cover 2^(LOG_BINS + SHIFT - 23) octaves. */
    static final int SHIFT = 16;

    private static final int BINS = 1 << LOG_BINS;
    private static final int MAG = 0x7FFFFFFF;
    /** {@link #blockOfBin} entry of a boundary bin when ties or shared bins need the exact, quota-aware path. */
    private static final byte EXACT = -1;

    /** Blocks of both signs. */
    private static final int MAX_BLOCKS = 2 * CodecSettings.MAX_BLOCKS;

    /** Per-sign histograms of the bin key (positive bins first); all-zero between calls. */
    private final int[] hist = new int[2 * BINS];
    /** Bins whose magnitudes are gathered (1) or not (0); all-zero between calls. */
    private final byte[] gatherBin = new byte[2 * BINS];
    /** Block of the survivors in a bin (of those at or above the threshold, in a boundary bin), or {@link #EXACT}. */
    private final byte[] blockOfBin = new byte[2 * BINS];

    /** Bin geometry of the current call: magnitude {@code u} falls in logical bin {@code (u - origin) >>> shift}. */
    private int shift;

    private int origin;
    /** Physical index of logical bin 0. */
    private int base;

    /** Logical bin of the largest magnitude. */
    private int top;

    private char[] keys = new char[0];
    private int[] gathered = new int[0];
    /** Per block: smallest magnitude (boundary threshold), survivors equal to it the block takes, write cursor. */
    private final int[] thr = new int[MAX_BLOCKS];

    private final int[] quota = new int[MAX_BLOCKS];
    private final int[] next = new int[MAX_BLOCKS];
    /** Write cursors of the simple assignment path. */
    private final long[] cursor = new long[MAX_BLOCKS];
    /** Per block: index of its smallest / largest magnitude in the order-statistic arrays below. */
    private final int[] loQ = new int[MAX_BLOCKS];

    private final int[] hiQ = new int[MAX_BLOCKS];
    /** Order statistics: ascending index within the side, its bin, survivors in lower bins, value, equal above. */
    private final int[] need = new int[2 * MAX_BLOCKS];

    private final int[] needBin = new int[2 * MAX_BLOCKS];
    private final int[] needBelow = new int[2 * MAX_BLOCKS];
    private final int[] needValue = new int[2 * MAX_BLOCKS];
    private final int[] needEqualAbove = new int[2 * MAX_BLOCKS];
    private final boolean[] needTieBelow = new boolean[2 * MAX_BLOCKS];
    /** Threshold of each boundary bin (the bin's block applies at or above it, the next block below); else 0. */
    private final int[] binThr = new int[2 * BINS];
    /** Boundary bins of this call (physical keys) and their thresholds. */
    private final int[] boundaryKey = new int[MAX_BLOCKS];

    private final int[] boundaryThr = new int[MAX_BLOCKS];
    private int boundaries;
    /** Whether every boundary bin holds one threshold whose ties all stay in its block, with no empty blocks. */
    private boolean simple;

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
            keys = new char[Math.max(n, keys.length + (keys.length >> 1))];
        }
        int nNeg = histogram(bits, n);
        int nPos = n - nNeg;
        int needPos = locate(nPos, mPos, 0, 0);
        int needNeg = locate(nNeg, mNeg, mPos, needPos);
        fillCircular(hist, 0, 0, top + 1, 0);
        fillCircular(hist, BINS, 0, top + 1, 0);
        int m = gather(bits, n);
        resolve(m, needPos, needPos + needNeg);
        boundaries = 0;
        simple = true;
        blocks(nPos, mPos, 0, counts, minMag, maxMag);
        blocks(nNeg, mNeg, mPos, counts, minMag, maxMag);
        int total = mPos + mNeg;
        int acc = 0;
        for (int b = 0; b < total; b++) {
            next[b] = acc;
            acc += counts[b];
        }
        assign(bits, n, mPos, total, blockOf, grouped);
    }

    /**
     * Counts the survivors per bin (keeping each one's bin key) and sets the bin geometry; returns the number of
     * negative survivors. Bins are {@code 2^SHIFT} magnitude-bit values wide and indexed modulo {@link #BINS}, which
     * needs no magnitude range up front: the range is measured in the same pass, and only if it spans more than
     * {@link #BINS} bins is the histogram recounted with wider bins starting at the smallest magnitude.
     */
    private int histogram(int[] bits, int n) {
        char[] kk = keys;
        int[] h = hist;
        int lo = MAG;
        int hi = 0;
        int neg = 0;
        for (int i = 0; i < n; i++) {
            int v = bits[i];
            int u = v & MAG;
            int s = v >> 31;
            int key = ((u >>> SHIFT) & (BINS - 1)) | (s & BINS);
            kk[i] = (char) key;
            h[key]++;
            lo = Math.min(lo, u);
            hi = Math.max(hi, u);
            neg -= s;
        }
        if ((hi >>> SHIFT) - (lo >>> SHIFT) < BINS) {
            shift = SHIFT;
            origin = (lo >>> SHIFT) << SHIFT;
            base = (lo >>> SHIFT) & (BINS - 1);
            top = (hi - origin) >>> shift;
            return neg;
        }
        Arrays.fill(h, 0);
        shift = 32 - Integer.numberOfLeadingZeros(hi - lo) - LOG_BINS;
        origin = lo;
        base = 0;
        top = (hi - origin) >>> shift;
        for (int i = 0; i < n; i++) {
            int v = bits[i];
            int key = (((v & MAG) - lo) >>> shift) | ((v >> 31) & BINS);
            kk[i] = (char) key;
            h[key]++;
        }
        return neg;
    }

    /** Physical index of logical bin {@code bin} (bins in ascending magnitude order from the smallest). */
    private int phys(int bin) {
        return (bin + base) & (BINS - 1);
    }

    /** Fills logical bins {@code [from, to)} of the side at {@code off}. */
    private void fillCircular(int[] a, int off, int from, int to, int value) {
        int p = phys(from);
        int len = to - from;
        int head = Math.min(len, BINS - p);
        Arrays.fill(a, off + p, off + p + head, value);
        Arrays.fill(a, off, off + len - head, value);
    }

    private void fillCircular(byte[] a, int off, int from, int to, byte value) {
        int p = phys(from);
        int len = to - from;
        int head = Math.min(len, BINS - p);
        Arrays.fill(a, off + p, off + p + head, value);
        Arrays.fill(a, off, off + len - head, value);
    }

    /**
     * Lists the order statistics one side needs (each nonempty block's smallest and largest magnitude, by ascending
     * index within the side), finds their bins and marks those for gathering. Returns the count stored from {@code
     * at}.
     */
    private int locate(int ns, int m, int first, int at) {
        int q = at;
        for (int j = m - 1; j >= 0; j--) {
            int start = (int) ((long) j * ns / m);
            int end = (int) ((long) (j + 1) * ns / m);
            if (start != end) {
                loQ[first + j] = q;
                need[q++] = ns - end;
                hiQ[first + j] = q;
                need[q++] = ns - 1 - start;
            }
        }
        int off = first == 0 ? 0 : BINS;
        int[] h = hist;
        int bin = 0;
        int below = 0;
        for (int i = at; i < q; i++) {
            int idx = need[i];
            if (idx == ns - 1) {
                // the side's largest: scan down from the top rather than up through the sparse large bins
                bin = top;
                while (h[off + phys(bin)] == 0) {
                    bin--;
                }
                below = ns - h[off + phys(bin)];
            } else {
                // four bins at a time while they stay below the top and do not wrap around the array
                while (true) {
                    int p = off + phys(bin);
                    if (bin + 3 <= top && p + 3 < off + BINS) {
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
            }
            needBin[i] = bin;
            needBelow[i] = below;
            gatherBin[off + phys(bin)] = 1;
        }
        return q - at;
    }

    /** Copies the raw bits of the survivors in marked bins to {@link #gathered}; returns their count. */
    private int gather(int[] bits, int n) {
        if (gathered.length < n) {
            gathered = new int[Math.max(n, gathered.length + (gathered.length >> 1))];
        }
        int[] g = gathered;
        byte[] gt = gatherBin;
        char[] kk = keys;
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
            gatherBin[side * BINS + phys(bin)] = 0;
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
     * Block sizes, minima, maxima, boundary thresholds and tie quotas of one side, and its bin-to-block table.
     * Threshold {@code thr[b]} is block {@code b}'s smallest magnitude; {@code quota[b]} how many survivors equal to
     * it block {@code b} takes (the earlier ones in position order go to earlier blocks with the same threshold).
     * Empty blocks repeat the previous threshold, so thresholds stay non-increasing.
     */
    private void blocks(int ns, int m, int first, int[] counts, int[] minMag, int[] maxMag) {
        int start = 0;
        int prevThr = Integer.MAX_VALUE;
        byte[] tab = blockOfBin;
        int off = first == 0 ? 0 : BINS;
        // bins [0, upper) still need a table entry
        int upper = top + 1;
        simple &= ns >= m;
        for (int j = 0; j < m; j++) {
            int end = (int) ((long) (j + 1) * ns / m);
            int b = first + j;
            counts[b] = end - start;
            thr[b] = prevThr;
            quota[b] = 0;
            if (end == start) {
                minMag[b] = Integer.MAX_VALUE;
                maxMag[b] = 0;
                continue;
            }
            int lq = loQ[b];
            int t = needValue[lq];
            minMag[b] = t;
            maxMag[b] = needValue[hiQ[b]];
            if (j < m - 1) {
                int greater = end - 1 - needEqualAbove[lq];
                thr[b] = t;
                quota[b] = end - Math.max(start, greater);
                prevThr = t;
                // bins between this threshold's bin and the previous one's hold only this block
                int tb = needBin[lq];
                simple &= tb < upper && !needTieBelow[lq];
                if (tb + 1 < upper) {
                    fillCircular(tab, off, tb + 1, upper, (byte) b);
                }
                int key = off + phys(tb);
                tab[key] = (byte) b;
                boundaryKey[boundaries] = key;
                boundaryThr[boundaries++] = t;
                upper = Math.min(upper, tb);
            }
            start = end;
        }
        if (upper > 0) {
            fillCircular(tab, off, 0, upper, (byte) (first + m - 1));
        }
    }

    /**
     * Block of each survivor and the grouped magnitudes. In the simple case a boundary bin's survivors below its
     * threshold belong to the next block, found branch-free; otherwise boundary bins are resolved exactly.
     */
    private void assign(int[] bits, int n, int mPos, int total, byte[] blockOf, float[] grouped) {
        byte[] tab = blockOfBin;
        char[] kk = keys;
        int[] nx = next;
        int[] bt = binThr;
        if (simple) {
            for (int q = 0; q < boundaries; q++) {
                bt[boundaryKey[q]] = boundaryThr[q];
            }
            // cursors in a long[]: unlike an int[] they cannot alias the int[] inputs, so the compiler needs no
            // reloads around the cursor stores (measurably faster)
            long[] cur = cursor;
            for (int b = 0; b < total; b++) {
                cur[b] = nx[b];
            }
            for (int i = 0; i < n; i++) {
                int u = bits[i] & MAG;
                int k = kk[i];
                int b = tab[k] + (u < bt[k] ? 1 : 0);
                blockOf[i] = (byte) b;
                grouped[(int) cur[b]++] = Float.intBitsToFloat(u);
            }
            for (int q = 0; q < boundaries; q++) {
                bt[boundaryKey[q]] = 0;
            }
            return;
        }
        for (int q = 0; q < boundaries; q++) {
            tab[boundaryKey[q]] = EXACT;
        }
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
