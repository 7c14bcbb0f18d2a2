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
    private final int[] histPos = new int[2048];
    private final int[] histNeg = new int[2048];

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
        int[] hp = histPos;
        int[] hn = histNeg;
        java.util.Arrays.fill(hp, 0);
        java.util.Arrays.fill(hn, 0);
        int wp = 0;
        int wn = n - 1;
        for (int i = 0; i < n; i++) {
            int b = bits[i];
            int u = b & 0x7FFFFFFF;
            kk[wp] = u;
            kk[wn] = u;
            (b < 0 ? hn : hp)[u >>> 20]++;
            int neg = b >>> 31;
            wp += 1 - neg;
            wn -= neg;
        }
        int nPos = wp;
        int nNeg = n - nPos;
        boundaries(kk, 0, nPos, mPos, 0, hp);
        boundaries(kk, nPos, nNeg, mNeg, mPos, hn);
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
        for (int i = 0; i < n; i++) {
            int v = bits[i];
            int u = v & 0x7FFFFFFF;
            int first = v >= 0 ? 0 : mPos;
            int last = v >= 0 ? lastPos : lastNeg;
            // thresholds are non-increasing: the block is the number of thresholds above u
            int b;
            if (small) {
                int t = v >= 0 ? 0 : 3;
                b = first + (pad[t] > u ? 1 : 0) + (pad[t + 1] > u ? 1 : 0) + (pad[t + 2] > u ? 1 : 0);
            } else {
                b = first;
                for (int j = first; j < last; j++) {
                    b += th[j] > u ? 1 : 0;
                }
            }
            if (b < last && u == th[b]) {
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
            if (u < minMag[b]) {
                minMag[b] = u;
            }
            if (u > maxMag[b]) {
                maxMag[b] = u;
            }
        }
        int begin = 0;
        for (int b = 0; b < total; b++) {
            counts[b] = nx[b] - begin;
            begin = nx[b];
        }
    }

    private void boundaries(int[] k, int off, int n, int m, int first, int[] histogram) {
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
            select.prepared(histogram);
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
