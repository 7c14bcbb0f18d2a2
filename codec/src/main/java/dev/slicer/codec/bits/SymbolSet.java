package dev.slicer.codec.bits;

import dev.slicer.codec.MalformedFrameException;

/**
 * The set of byte symbols a static entropy-coded block uses, as the rANS and Huffman blocks write it: {@code k-1}
 * (1 byte, {@code 2 <= k <= 256}), then the symbols as {@code k} strictly increasing bytes when {@code k <= 32},
 * else a 32-byte bitmap (bit {@code s&7} of byte {@code s>>3}).
 */
public final class SymbolSet {
    private static final int LIST_MAX = 32;
    private static final int BITMAP_BYTES = 32;

    private SymbolSet() {}

    /** Bytes {@link #write} takes for {@code k} symbols. */
    public static int bytes(int k) {
        return 1 + (k <= LIST_MAX ? k : BITMAP_BYTES);
    }

    /** Writes {@code used[0, k)} (increasing, {@code k >= 2}) at {@code dst[p..]}; returns the position after it. */
    public static int write(int[] used, int k, byte[] dst, int p) {
        dst[p++] = (byte) (k - 1);
        if (k <= LIST_MAX) {
            for (int j = 0; j < k; j++) {
                dst[p++] = (byte) used[j];
            }
            return p;
        }
        java.util.Arrays.fill(dst, p, p + BITMAP_BYTES, (byte) 0);
        for (int j = 0; j < k; j++) {
            dst[p + (used[j] >>> 3)] |= (byte) (1 << (used[j] & 7));
        }
        return p + BITMAP_BYTES;
    }

    /**
     * Reads a set from {@code src[p, end)} into {@code used} (256 entries); returns its size {@code k}, and the
     * position after it in {@code next[0]}.
     *
     * @throws MalformedFrameException when truncated, not increasing, or with fewer than 2 symbols
     */
    public static int read(byte[] src, int p, int end, int[] used, int[] next) {
        MalformedFrameException.verify(p < end, p, "symbol set truncated");
        int k = (src[p++] & 0xFF) + 1;
        MalformedFrameException.verify(k >= 2, p - 1, "symbol set with fewer than 2 symbols");
        if (k <= LIST_MAX) {
            MalformedFrameException.verify(end - p >= k, p, "symbol list truncated");
            int prev = -1;
            for (int j = 0; j < k; j++) {
                int s = src[p + j] & 0xFF;
                MalformedFrameException.verify(s > prev, p + j, "symbol list not strictly increasing");
                used[j] = s;
                prev = s;
            }
            next[0] = p + k;
            return k;
        }
        MalformedFrameException.verify(end - p >= BITMAP_BYTES, p, "symbol bitmap truncated");
        int j = 0;
        for (int s = 0; s < 256; s++) {
            if ((src[p + (s >>> 3)] >>> (s & 7) & 1) != 0) {
                if (j < k) {
                    used[j] = s;
                }
                j++;
            }
        }
        if (j != k) {
            throw new MalformedFrameException(p, "symbol bitmap holds " + j + " symbols, header says " + k);
        }
        next[0] = p + BITMAP_BYTES;
        return k;
    }

    /**
     * Counts the byte symbols of {@code src[off, off+n)} into {@code hist[0, 256)}, through four partial tables
     * ({@code scratch}, 1024 entries): runs of one symbol would otherwise wait on the store of each increment.
     */
    public static void histogram(byte[] src, int off, int n, int[] scratch, int[] hist) {
        int[] c4 = scratch;
        java.util.Arrays.fill(c4, 0, 1024, 0);
        int i = off;
        for (int end = off + (n & ~3); i < end; i += 4) {
            c4[src[i] & 0xFF]++;
            c4[256 + (src[i + 1] & 0xFF)]++;
            c4[512 + (src[i + 2] & 0xFF)]++;
            c4[768 + (src[i + 3] & 0xFF)]++;
        }
        for (int end = off + n; i < end; i++) {
            c4[src[i] & 0xFF]++;
        }
        for (int s = 0; s < 256; s++) {
            hist[s] = c4[s] + c4[256 + s] + c4[512 + s] + c4[768 + s];
        }
    }
}
