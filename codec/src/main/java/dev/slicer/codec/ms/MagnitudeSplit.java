package dev.slicer.codec.ms;

import dev.slicer.codec.atkf.RadixSelect;

/**
 * Magnitude splitting: separates the survivors by sign and cuts each sign's survivors into {@code M} blocks of equal
 * cardinality by descending magnitude rank (block sizes {@code floor((b+1)n/M) - floor(bn/M)}, so they differ by at
 * most one). Instead of sorting, the {@code M-1} block boundaries are found by radix multi-quantile selection; equal
 * magnitudes straddling a boundary go to the earlier (larger) block in position order. Blocks are numbered
 * {@code 0..M+-1} for the positive side (largest magnitudes first), then {@code M+..M+ + M- - 1} for the negative
 * side. The sign is the sign bit, so {@code -0.0} counts as negative.
 */
public final class MagnitudeSplit {
    private final RadixSelect select = new RadixSelect();
    private int[] keys = new int[0];
    private final int[] thr = new int[128];
    private final int[] quota = new int[128];
    private final int[] pad = new int[6];
    private final int[] next = new int[128];
    private final int[] ranks = new int[64];
    private final int[] keyAt = new int[64];
    private final int[] greaterAt = new int[64];
    /** Level-1 histogram of the raw bits {@code >>> 20}: positive magnitudes in 0..2047, negative in 2048..4095. */
    private final int[] hist = new int[4096];
    /** Highest bin per sign of {@link #hist} that may be nonzero. */
    private int histTop = -1;

    /**
     * Assigns blocks to {@code bits[0..n)} (raw float bits).
     *
     * @param blockOf out: block of each survivor
     * @param counts out: survivors per block ({@code mPos + mNeg} entries)
     * @param minMag out: smallest magnitude bits per block (undefined for empty blocks)
     * @param maxMag out: largest magnitude bits per block
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
        if (keys.length < n) {
            keys = new int[Math.max(n, keys.length + (keys.length >> 1))];
        }
        int[] kk = keys;
        int[] hs = hist;
        // bins above histTop (per sign) are zero: clear only what the previous call may have used
        if (histTop >= 0) {
            java.util.Arrays.fill(hs, 0, histTop + 1, 0);
            java.util.Arrays.fill(hs, 2048, 2048 + histTop + 1, 0);
        }
        histTop = 2047;
        int max = 0;
        int wp = 0;
        int wn = n - 1;
        for (int i = 0; i < n; i++) {
            int b = bits[i];
            int u = b & 0x7FFFFFFF;
            kk[wp] = u;
            kk[wn] = u;
            hs[b >>> 20]++;
            max = Math.max(max, u);
            int neg = b >>> 31;
            wp += 1 - neg;
            wn -= neg;
        }
        histTop = max >>> 20;
        int nPos = wp;
        int nNeg = n - nPos;
        boundaries(kk, 0, nPos, mPos, 0, hs, 0, histTop);
        boundaries(kk, nPos, nNeg, mNeg, mPos, hs, 2048, histTop);
        int total = mPos + mNeg;
        // block sizes are known in advance (equal cardinality), so the scan writes each magnitude straight into
        // its block's slot range
        int acc = 0;
        for (int b = 0; b < total; b++) {
            int side = b < mPos ? nPos : nNeg;
            int m = b < mPos ? mPos : mNeg;
            int j = b < mPos ? b : b - mPos;
            int size = (int) ((long) (j + 1) * side / m - (long) j * side / m);
            next[b] = acc;
            acc += size;
            minMag[b] = Integer.MAX_VALUE;
            maxMag[b] = 0;
        }
        int lastPos = mPos - 1;
        int lastNeg = total - 1;
        // up to 4 blocks per sign: three padded threshold slots per sign, compared branch-free
        boolean small = mPos <= 4 && mNeg <= 4;
        int[] pad = this.pad;
        java.util.Arrays.fill(pad, -1);
        for (int j = 0; j < mPos - 1 && small; j++) {
            pad[j] = thr[j];
        }
        for (int j = 0; j < mNeg - 1 && small; j++) {
            pad[3 + j] = thr[mPos + j];
        }
        int[] th = thr;
        int[] qu = quota;
        int[] nx = next;
        int lastStep = lastNeg - lastPos;
        for (int i = 0; i < n; i++) {
            int v = bits[i];
            int u = v & 0x7FFFFFFF;
            // sign-dependent values computed arithmetically: the sign is unpredictable, a branch would miss half
            // the time
            int neg = v >>> 31;
            int first = neg * mPos;
            int last = lastPos + neg * lastStep;
            // thresholds are non-increasing: the block is the number of thresholds above u (u - t < 0 with
            // u <= 0x7F7FFFFF and t >= -1 never overflows)
            int b;
            boolean tie;
            if (small) {
                int t = neg * 3;
                int p0 = pad[t];
                int p1 = pad[t + 1];
                int p2 = pad[t + 2];
                b = first + ((u - p0) >>> 31) + ((u - p1) >>> 31) + ((u - p2) >>> 31);
                // same as b < last && u == th[b] (the padded slots are the non-last thresholds of this sign),
                // without the unpredictable b < last branch
                tie = (u == p0) | (u == p1) | (u == p2);
            } else {
                b = first;
                for (int j = first; j < last; j++) {
                    b += (u - th[j]) >>> 31;
                }
                tie = b < last && u == th[b];
            }
            if (tie) {
                while (b < last) {
                    int t = th[b];
                    if (u > t) {
                        break;
                    }
                    if (u == t && qu[b] > 0) {
                        qu[b]--;
                        break;
                    }
                    b++;
                }
            }
            blockOf[i] = (byte) b;
            grouped[nx[b]++] = Float.intBitsToFloat(u);
        }
        // smallest and largest magnitude per block, over its contiguous slot range
        int from = 0;
        for (int b = 0; b < total; b++) {
            int to = nx[b];
            int lo = Integer.MAX_VALUE;
            int hi = 0;
            for (int j = from; j < to; j++) {
                int u = Float.floatToRawIntBits(grouped[j]);
                lo = Math.min(lo, u);
                hi = Math.max(hi, u);
            }
            minMag[b] = lo;
            maxMag[b] = hi;
            from = to;
        }
        int begin = 0;
        for (int b = 0; b < total; b++) {
            counts[b] = nx[b] - begin;
            begin = nx[b];
        }
    }

    private void boundaries(int[] k, int off, int n, int m, int first, int[] histogram, int histOff, int top) {
        int count = 0;
        int start = 0;
        for (int b = 0; b < m - 1; b++) {
            int end = (int) ((long) (b + 1) * n / m);
            if (end != start) {
                ranks[count++] = end - 1;
            }
            start = end;
        }
        if (count > 0) {
            select.prepared(histogram, histOff, top);
            select.selectMany(k, off, n, ranks, count, keyAt, greaterAt);
        }
        int j = 0;
        start = 0;
        int prevThr = Integer.MAX_VALUE;
        for (int b = 0; b < m; b++) {
            int end = (int) ((long) (b + 1) * n / m);
            if (end == start || b == m - 1) {
                // empty (or last) block: repeat the previous threshold, so thresholds stay non-increasing
                thr[first + b] = prevThr;
                quota[first + b] = 0;
            } else {
                int t = keyAt[j];
                thr[first + b] = t;
                quota[first + b] = end - Math.max(start, greaterAt[j]);
                prevThr = t;
                j++;
            }
            start = end;
        }
    }
}
