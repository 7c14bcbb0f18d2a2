package dev.slicer.codec.atkf;

/**
 * Linear-time selection of the r-th largest key among non-negative int keys (magnitude bits of finite floats, which
 * order like the floats). Three histogram passes over 11, 11 and 9 bits; each pass only visits the keys that share
 * the prefix found so far. Reusable; scratch grows on demand.
 */
public final class RadixSelect {
    private static final int[] SHIFT = {20, 9, 0};
    private static final int[] MASK = {0x7FF, 0x7FF, 0x1FF};

    private final int[] hist = new int[2048];
    private final int[] level1 = new int[2048];
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
        java.util.Arrays.fill(level1, 0);
        for (int i = off, end = off + n; i < end; i++) {
            level1[keys[i] >>> 20]++;
        }
    }

    /** Histogram already counted by the caller (2048 bins of {@code key >>> 20}); copied in. */
    public void prepared(int[] histogram) {
        System.arraycopy(histogram, 0, level1, 0, 2048);
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
        int above = 0;
        int bin = 0;
        int cum = 0;
        for (int b = 2047; b >= 0; b--) {
            int c = level1[b];
            if (cum + c > r) {
                bin = b;
                break;
            }
            cum += c;
        }
        above = cum;
        int prefix = bin << 20;
        int count = level1[bin];
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
    private final int[] regionFill = new int[2048];

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
            regionFill[s] = total;
            total += level1[slotBin[s]];
        }
        if (cand.length < total) {
            cand = new int[Math.max(total, cand.length * 2)];
        }
        if (cand2.length < total) {
            cand2 = new int[Math.max(total, cand2.length * 2)];
        }
        int[] c = cand;
        int[] slot = binSlot;
        int[] fill = regionFill;
        for (int i = off, end = off + n; i < end; i++) {
            int k = keys[i];
            int s = slot[k >>> 20];
            if (s >= 0) {
                c[fill[s]++] = k;
            }
        }
        for (int j = 0; j < count; j++) {
            int bin = outKey[j];
            int s = binSlot[bin];
            outKey[j] = finish(c, regionOff[s], level1[bin], ranks[j], outGreater[j], bin << 20);
            outGreater[j] = greater;
        }
        for (int s = 0; s < distinct; s++) {
            binSlot[slotBin[s]] = -1;
        }
    }

    /** Descending-rank bin (of {@code key >>> 20}) holding rank {@code r} in the prepared histogram. */
    public int level1Bin(int r) {
        int cum = 0;
        for (int b = 2047; b >= 0; b--) {
            int c = level1[b];
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
        return level1[b];
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

    private int finish(int[] c1, int c1Off, int m, int r, int above, int prefix) {
        int[] src = c1;
        int so = c1Off;
        int[] other = cand2;
        for (int level = 1; level < 3; level++) {
            int shift = SHIFT[level];
            int mask = MASK[level];
            java.util.Arrays.fill(hist, 0, mask + 1, 0);
            for (int i = 0; i < m; i++) {
                hist[(src[so + i] >>> shift) & mask]++;
            }
            int rr = r - above;
            int cc = 0;
            int sel = 0;
            for (int b = mask; b >= 0; b--) {
                int c = hist[b];
                if (cc + c > rr) {
                    sel = b;
                    break;
                }
                cc += c;
            }
            above += cc;
            prefix |= sel << shift;
            int keep = hist[sel];
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
