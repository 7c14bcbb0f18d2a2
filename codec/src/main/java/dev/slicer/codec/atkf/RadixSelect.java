package dev.slicer.codec.atkf;

/**
 * Linear-time selection of the r-th largest key among non-negative int keys (magnitude bits of finite floats, which
 * order like the floats). Three histogram passes over 11, 11 and 9 bits; each pass only visits the keys that share
 * the prefix found so far. Reusable; scratch grows on demand.
 *
 * <p>Per-call cost does not depend on the histogram size: the level-1 histogram is scanned only from its highest
 * possibly used bin (the caller passes a bound), and the level-2/3 histograms only over the digit range the
 * candidates actually use, and are cleared after use over that range only (they stay all-zero between calls).
 */
public final class RadixSelect {
    private static final int[] SHIFT = {20, 9, 0};
    private static final int[] MASK = {0x7FF, 0x7FF, 0x1FF};

    /** Always all-zero between calls (cleared over the used range after each pass). */
    private final int[] hist = new int[2048];

    private final int[] level1 = new int[2048];
    /** Highest bin of {@link #level1} that may be nonzero (cleared up to it before the next count). */
    private int ownTop = -1;
    /** The prepared level-1 histogram: {@code l1[l1Off + b]} for bins {@code 0..l1Top}, zero above. */
    private int[] l1 = level1;

    private int l1Off;
    private int l1Top = -1;
    private int[] cand = new int[0];
    private int[] cand2 = new int[0];
    private int greater;
    private int binAbove;
    private int equal;

    /** Keys strictly greater than the last result. */
    public int greater() {
        return greater;
    }

    /** Keys equal to the last result. */
    public int equal() {
        return equal;
    }

    /** Histogram of {@code key >>> 20} over {@code keys[off, off+n)}, kept for {@link #selectPrepared}. */
    public void prepare(int[] keys, int off, int n) {
        int[] h = level1;
        if (ownTop >= 0) {
            java.util.Arrays.fill(h, 0, ownTop + 1, 0);
        }
        int max = 0;
        for (int i = off, end = off + n; i < end; i++) {
            int k = keys[i];
            h[k >>> 20]++;
            max = Math.max(max, k);
        }
        ownTop = max >>> 20;
        l1 = h;
        l1Off = 0;
        l1Top = ownTop;
    }

    /** Histogram already counted by the caller (2048 bins of {@code key >>> 20}); used in place until the next call. */
    public void prepared(int[] histogram) {
        prepared(histogram, 0, 2047);
    }

    /**
     * As {@link #prepared(int[])}, the 2048 bins starting at {@code histogram[off]}, all zero above bin {@code top}.
     * The array is read, not copied: it must not change while this selection is in use.
     */
    public void prepared(int[] histogram, int off, int top) {
        l1 = histogram;
        l1Off = off;
        l1Top = top;
    }

    /** The key of descending rank {@code r} (0 = largest) among {@code keys[off, off+n)}, {@code 0 <= r < n}. */
    public int select(int[] keys, int off, int n, int r) {
        prepare(keys, off, n);
        return selectPrepared(keys, off, n, r);
    }

    /** As {@link #select}, reusing the level-1 histogram from {@link #prepare} on the same keys. */
    public int selectPrepared(int[] keys, int off, int n, int r) {
        if (r < 0 || r >= n) {
            throw new IllegalArgumentException("rank " + r + " out of 0.." + (n - 1));
        }
        int bin = level1Bin(r);
        int above = binAbove;
        int prefix = bin << 20;
        int count = l1[l1Off + bin];
        // gather the keys of this bin
        if (cand.length < count) {
            cand = new int[Math.max(count, cand.length * 2)];
            cand2 = new int[cand.length];
        }
        int m = 0;
        int[] c1 = cand;
        for (int i = off, end = off + n; i < end; i++) {
            int k = keys[i];
            if ((k >>> 20) == bin) {
                c1[m++] = k;
            }
        }
        return finish(c1, m, r, above, prefix);
    }

    private final int[] binSlot = new int[2048];
    private final int[] slotBin = new int[2048];
    private final int[] regionOff = new int[2048];
    private final byte[] binFlag = new byte[2048];

    {
        java.util.Arrays.fill(binSlot, -1);
    }

    /**
     * Several order statistics of the keys in one gather pass: for each {@code ranks[j]} (descending, 0-based),
     * {@code outKey[j]} is the key and {@code outGreater[j]} the number of keys strictly greater. The level-1
     * histogram must be prepared for these keys.
     */
    public void selectMany(int[] keys, int off, int n, int[] ranks, int count, int[] outKey, int[] outGreater) {
        int distinct = 0;
        for (int j = 0; j < count; j++) {
            int bin = level1Bin(ranks[j]);
            outKey[j] = bin;
            outGreater[j] = binAbove;
            if (binSlot[bin] < 0) {
                binSlot[bin] = distinct;
                slotBin[distinct++] = bin;
            }
        }
        int total = 0;
        for (int s = 0; s < distinct; s++) {
            regionOff[s] = total;
            total += l1[l1Off + slotBin[s]];
        }
        if (cand.length < total + 1) {
            cand = new int[Math.max(total + 1, cand.length * 2)];
        }
        if (cand2.length < total + 1) {
            cand2 = new int[Math.max(total + 1, cand2.length * 2)];
        }
        // branch-free gathers (which keys fall in a chosen bin is unpredictable): first every key of a chosen bin
        // into cand2, then each bin's keys into its region of cand; a non-matching key is written at the cursor
        // and overwritten by the next match (or lands in the next region's first slot, filled later, or in the
        // spare slot at the end)
        int[] c = cand;
        int[] stage = cand2;
        byte[] flag = binFlag;
        for (int s = 0; s < distinct; s++) {
            flag[slotBin[s]] = 1;
        }
        int w = 0;
        for (int i = off, end = off + n; i < end; i++) {
            int k = keys[i];
            stage[w] = k;
            w += flag[k >>> 20];
        }
        for (int s = 0; s < distinct; s++) {
            int bin = slotBin[s];
            flag[bin] = 0;
            int p = regionOff[s];
            for (int i = 0; i < w; i++) {
                int k = stage[i];
                c[p] = k;
                p += (((k >>> 20) ^ bin) - 1) >>> 31;
            }
        }
        for (int j = 0; j < count; j++) {
            int bin = outKey[j];
            int s = binSlot[bin];
            outKey[j] = finish(c, regionOff[s], l1[l1Off + bin], ranks[j], outGreater[j], bin << 20);
            outGreater[j] = greater;
        }
        for (int s = 0; s < distinct; s++) {
            binSlot[slotBin[s]] = -1;
        }
    }

    /** Descending-rank bin (of {@code key >>> 20}) holding rank {@code r} in the prepared histogram. */
    public int level1Bin(int r) {
        int cum = 0;
        int[] h = l1;
        int o = l1Off;
        for (int b = l1Top; b >= 0; b--) {
            int c = h[o + b];
            if (cum + c > r) {
                binAbove = cum;
                return b;
            }
            cum += c;
        }
        throw new IllegalArgumentException("rank " + r + " beyond the histogram");
    }

    /** Keys in bins above the last {@link #level1Bin} result. */
    public int binAbove() {
        return binAbove;
    }

    /** Keys counted in level-1 bin {@code b}. */
    public int binCount(int b) {
        return b > l1Top ? 0 : l1[l1Off + b];
    }

    /**
     * Finishes a selection whose level-1 bin is known: {@code cand[0, m)} are exactly the keys of bin {@code bin}
     * (left untouched), {@code above} keys lie in higher bins, {@code r} is the overall rank.
     */
    public int selectInBin(int[] cand, int m, int r, int bin, int above) {
        if (cand2.length < m) {
            cand2 = new int[Math.max(m, cand2.length * 2)];
        }
        return finish(cand, m, r, above, bin << 20);
    }

    private int finish(int[] c1, int m, int r, int above, int prefix) {
        return finish(c1, 0, m, r, above, prefix);
    }

    /** Below this many candidates, sorting a copy beats scanning the 2048 level-2 bins. */
    private static final int SORT_MAX = 96;

    private int finish(int[] c1, int c1Off, int m, int r, int above, int prefix) {
        if (m > 0 && m <= SORT_MAX) {
            // same result as the digit passes: the key of rank r - above among the candidates, with the
            // counts of greater and equal keys
            int[] t = cand2;
            System.arraycopy(c1, c1Off, t, 0, m);
            java.util.Arrays.sort(t, 0, m);
            int j = m - 1 - (r - above);
            int key = t[j];
            int hiIdx = j;
            while (hiIdx + 1 < m && t[hiIdx + 1] == key) {
                hiIdx++;
            }
            int loIdx = j;
            while (loIdx > 0 && t[loIdx - 1] == key) {
                loIdx--;
            }
            greater = above + (m - 1 - hiIdx);
            equal = hiIdx - loIdx + 1;
            return key;
        }
        int[] src = c1;
        int so = c1Off;
        int[] other = cand2;
        int[] h = hist;
        for (int level = 1; level < 3; level++) {
            int shift = SHIFT[level];
            int mask = MASK[level];
            int lo = mask;
            int hi = 0;
            for (int i = 0; i < m; i++) {
                int d = (src[so + i] >>> shift) & mask;
                h[d]++;
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            }
            int rr = r - above;
            int cc = 0;
            int sel = 0;
            for (int b = hi; b >= lo; b--) {
                int c = h[b];
                if (cc + c > rr) {
                    sel = b;
                    break;
                }
                cc += c;
            }
            above += cc;
            prefix |= sel << shift;
            int keep = h[sel];
            if (hi >= lo) {
                java.util.Arrays.fill(h, lo, hi + 1, 0);
            }
            if (level < 2 && keep != m) {
                int w = 0;
                for (int i = 0; i < m; i++) {
                    int k = src[so + i];
                    if (((k >>> shift) & mask) == sel) {
                        other[w++] = k;
                    }
                }
                src = other;
                so = 0;
                m = w;
            } else {
                m = keep;
            }
        }
        greater = above;
        equal = m;
        return prefix;
    }
}
