package dev.slicer.codec.rans;

import dev.slicer.codec.BufferTooSmallException;
import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.bits.SymbolSet;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Order-0 static rANS over byte symbols: four interleaved 64-bit states with 32-bit renormalisation (the
 * construction of ryg_rans {@code rans64.h}: {@code L = 2^31}, states in {@code [L, 2^63)}, so they fit a Java
 * {@code long}; the encoder divides by a frequency through a precomputed 64-bit reciprocal). A decoder step needs
 * at most one 4-byte read, which keeps the rarely taken renormalisation branch cheap. Every call builds its own
 * normalised frequency table and writes it in front of the payload, so an encoded block is self-contained.
 *
 * <h2>Encoded layout</h2>
 *
 * <table>
 *   <caption>first byte selects the mode</caption>
 *   <tr><th>mode byte</th><th>followed by</th><th>total</th></tr>
 *   <tr><td>{@code 0x00} stored</td><td>the {@code n} symbols verbatim</td><td>{@code n + 1}</td></tr>
 *   <tr><td>{@code 0x01} single</td><td>the one symbol every position holds ({@code n >= 1})</td><td>2</td></tr>
 *   <tr><td>{@code 0x02 | (scaleBits-8) << 4} rANS</td>
 *       <td>{@code k-1} (1 byte, {@code k >= 2} used symbols); the used symbols, as {@code k} strictly increasing
 *       bytes when {@code k <= 32}, else a 32-byte bitmap (bit {@code s&7} of byte {@code s>>3}); for each used
 *       symbol in increasing order its frequency minus one as a 1-2 byte varint (7 low bits, high bit = more;
 *       second byte 1..31); the four final encoder states, little-endian 8 bytes each (state 0 first); the
 *       renormalisation words, little-endian 4 bytes each, in decoder read order</td>
 *       <td>at most {@code n + 1}</td></tr>
 * </table>
 *
 * <p>{@code scaleBits} is 8..12 and the frequencies sum to exactly {@code 2^scaleBits}. Symbol {@code i} is coded by
 * state {@code i & 3}. The encoder starts every state at {@code L}; the decoder must consume exactly the given
 * bytes and end with every state back at {@code L}.
 *
 * <p><b>Corruption detection.</b> The decoder rejects any structural fault (bad mode, bad table, sum of frequencies
 * not {@code 2^scaleBits}, a state outside {@code [L, 2^63)}, a read past the end, bytes left over, a final state
 * other than {@code L}) with a {@link MalformedFrameException}; it never reads or writes out of bounds and runs in
 * {@code O(n + srcLen)}. A corrupted payload byte that keeps all of these invariants (rare: the final-state check
 * alone passes by chance with probability about {@code 2^-31} per state touched) would decode to wrong symbols of
 * the right length; the frame's CRC32C is what catches that.
 *
 * <p>Instances are reusable and not thread-safe: they keep the scratch tables (a few KiB, allocated once).
 * {@code src} and {@code dst} ranges must not overlap.
 */
public final class RansCoder {
    static final int MODE_STORED = 0;
    static final int MODE_SINGLE = 1;
    static final int MODE_RANS = 2;

    static final int MIN_SCALE_BITS = 8;
    static final int MAX_SCALE_BITS = 12;
    private static final long RANS_L = 1L << 31;
    private static final int STATE_BYTES = 32;

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** {@code log2(f)} for {@code f} in {@code 0..4096} (entry 0 unused): for the cost estimate. */
    private static final double[] LOG2 = new double[(1 << MAX_SCALE_BITS) + 1];

    static {
        for (int f = 1; f < LOG2.length; f++) {
            LOG2[f] = Math.log(f) / Math.log(2);
        }
    }

    private final int[] counts = new int[256];
    private final int[] counts4 = new int[4 * 256];
    private final int[] freqs = new int[256];
    private final int[] used = new int[256];
    private final int[] cursor = new int[1];
    // encoder symbol tables
    // per symbol s at 8 s: renormalisation bound - 1, reciprocal, bias, 2^scaleBits - freq, reciprocal shift (one
    // slot per field: the encoder loop then loads them instead of unpacking, three slots spare for the stride)
    private final long[] enc = new long[256 * 8];
    // decoder: slot -> (freq-1) << 20 | (slot-start) << 8 | symbol
    private final int[] slots = new int[1 << MAX_SCALE_BITS];
    // encoder output cursor for the tail helper
    private int pos;
    private int limit;

    public RansCoder() {}

    /** Upper bound of {@link #encode} output for {@code n} symbols, table and header included: {@code n + 1}. */
    public static int maxEncodedLength(int n) {
        if (n < 0 || n > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("symbol count out of range: " + n);
        }
        return n + 1;
    }

    /**
     * Encodes {@code src[srcOff, srcOff+n)} into {@code dst[dstOff..]}, which must have room for
     * {@link #maxEncodedLength(int)} bytes. Returns the bytes written.
     */
    public int encode(byte[] src, int srcOff, int n, byte[] dst, int dstOff) {
        checkEncodeArgs(src, srcOff, n, dst, dstOff);
        SymbolSet.histogram(src, srcOff, n, counts4, counts);
        return encodeCounted(src, srcOff, n, 256, dst, dstOff);
    }

    /**
     * As {@link #encode(byte[], int, int, byte[], int)} when the caller already holds the symbol counts: every
     * symbol of {@code src[srcOff, srcOff+n)} is below {@code bins} (at most 256) and {@code hist[s]} is the number
     * of {@code s} among them.
     */
    public int encode(byte[] src, int srcOff, int n, int[] hist, int bins, byte[] dst, int dstOff) {
        checkEncodeArgs(src, srcOff, n, dst, dstOff);
        System.arraycopy(hist, 0, counts, 0, bins);
        return encodeCounted(src, srcOff, n, bins, dst, dstOff);
    }

    private static void checkEncodeArgs(byte[] src, int srcOff, int n, byte[] dst, int dstOff) {
        Objects.checkFromIndexSize(srcOff, n, src.length);
        int cap = maxEncodedLength(n);
        if (dstOff < 0 || dstOff > dst.length || dst.length - dstOff < cap) {
            throw new BufferTooSmallException(cap, Math.max(0, dst.length - dstOff));
        }
    }

    /** Encodes with the symbol counts already in {@link #counts}, all symbols below {@code bins}. */
    private int encodeCounted(byte[] src, int srcOff, int n, int bins, byte[] dst, int dstOff) {
        if (n == 0) {
            dst[dstOff] = MODE_STORED;
            return 1;
        }
        int k = prepare(n, bins);
        if (k == 1) {
            dst[dstOff] = MODE_SINGLE;
            dst[dstOff + 1] = (byte) used[0];
            return 2;
        }
        int scaleBits = preparedScaleBits;
        int header = preparedHeader;
        double estimate = preparedEstimate;
        if (estimate < n + 1) {
            int written = encodeRans(src, srcOff, n, dst, dstOff, header, scaleBits, k);
            if (written > 0) {
                return written;
            }
        }
        dst[dstOff] = MODE_STORED;
        System.arraycopy(src, srcOff, dst, dstOff + 1, n);
        return n + 1;
    }

    /**
     * The size an rANS block of the {@code n} symbols counted in {@code hist[0, bins)} would have, from its table
     * and the ideal bits under its normalised frequencies (exact to a few bytes): lets a caller weigh another
     * coding against rANS without running it.
     */
    public double estimatedBytes(int[] hist, int bins, int n) {
        if (n == 0) {
            return 1;
        }
        System.arraycopy(hist, 0, counts, 0, bins);
        return prepare(n, bins) == 1 ? 2 : preparedEstimate;
    }

    private int preparedScaleBits;
    private int preparedHeader;
    private double preparedEstimate;

    /**
     * Collects the used symbols of {@link #counts}; with two or more, normalises them and sets the prepared scale,
     * header size and size estimate. Returns how many symbols are used.
     */
    private int prepare(int n, int bins) {
        int[] c = counts;
        int k = 0;
        int largest = 0;
        for (int s = 0; s < bins; s++) {
            if (c[s] != 0) {
                used[k++] = s;
                if (c[s] > c[largest]) {
                    largest = s;
                }
            }
        }
        if (k == 1) {
            return 1;
        }
        int scaleBits = Math.max(MIN_SCALE_BITS, Math.min(MAX_SCALE_BITS, 32 - Integer.numberOfLeadingZeros(n - 1)));
        normalise(n, k, largest, scaleBits);
        int header = 1 + SymbolSet.bytes(k);
        double bits = 0;
        for (int j = 0; j < k; j++) {
            int s = used[j];
            int f = freqs[s];
            header += f - 1 < 128 ? 1 : 2;
            bits += c[s] * (scaleBits - LOG2[f]);
        }
        preparedScaleBits = scaleBits;
        preparedHeader = header;
        // coding overhead per symbol is below log2(1 + 2^-19); the flush adds at most 8 bytes per state
        preparedEstimate = header + STATE_BYTES + bits * (1.0 + 1.0 / 4096) / 8 + 4;
        return k;
    }

    /** Normalises {@link #counts} to {@link #freqs} summing to {@code 2^scaleBits}, every used symbol at least 1. */
    private void normalise(int n, int k, int largest, int scaleBits) {
        int total = 1 << scaleBits;
        int sum = 0;
        for (int j = 0; j < k; j++) {
            int s = used[j];
            int f = (int) (((long) counts[s] * total + (n >> 1)) / n);
            if (f == 0) {
                f = 1;
            }
            freqs[s] = f;
            sum += f;
        }
        int diff = total - sum;
        if (diff >= 0 || freqs[largest] > -2 * diff) {
            freqs[largest] += diff;
            return;
        }
        // rare: many rare symbols rounded up; take one unit at a time where it costs the fewest bits
        while (diff < 0) {
            int best = -1;
            double bestCost = Double.MAX_VALUE;
            for (int j = 0; j < k; j++) {
                int s = used[j];
                int f = freqs[s];
                if (f > 1) {
                    double cost = counts[s] * (LOG2[f] - LOG2[f - 1]);
                    if (cost < bestCost) {
                        bestCost = cost;
                        best = s;
                    }
                }
            }
            freqs[best]--;
            diff++;
        }
    }

    /**
     * Writes mode, table, states and payload at {@code dst[dstOff..]}; the payload is first coded backwards from
     * {@code dstOff + n + 1} and then moved down. Returns the bytes written, or -1 if it would not beat stored.
     */
    private int encodeRans(byte[] src, int srcOff, int n, byte[] dst, int dstOff, int header, int scaleBits, int k) {
        int p = dstOff;
        dst[p++] = (byte) (MODE_RANS | (scaleBits - MIN_SCALE_BITS) << 4);
        p = SymbolSet.write(used, k, dst, p);
        int start = 0;
        int total = 1 << scaleBits;
        for (int j = 0; j < k; j++) {
            int s = used[j];
            int f = freqs[s];
            int v = f - 1;
            if (v < 128) {
                dst[p++] = (byte) v;
            } else {
                dst[p++] = (byte) (0x80 | (v & 0x7F));
                dst[p++] = (byte) (v >>> 7);
            }
            int e = s << 3;
            enc[e] = ((RANS_L >>> scaleBits) << 32) * f - 1;
            enc[e + 3] = total - f;
            if (f < 2) {
                enc[e + 1] = -1L;
                enc[e + 2] = start + total - 1;
                enc[e + 4] = 0;
            } else {
                int shift = 32 - Integer.numberOfLeadingZeros(f - 1);
                // ceil(2^(shift+63) / f), computed in two 32-bit halves (ryg_rans rans64.h)
                long x1 = 1L << (shift + 31);
                long t1 = x1 / f;
                long t0 = ((f - 1) + ((x1 % f) << 32)) / f;
                enc[e + 1] = t0 + (t1 << 32);
                enc[e + 2] = start;
                enc[e + 4] = shift - 1;
            }
            start += f;
        }
        assert p - dstOff == header;
        int statesAt = p;
        int lim = statesAt + STATE_BYTES;
        int hi = dstOff + n + 1;
        if (hi <= lim) {
            return -1;
        }

        // tail symbols (index >= n & ~3) first, in reverse, through the helper
        pos = hi;
        limit = lim;
        long x0 = RANS_L;
        long x1 = RANS_L;
        long x2 = RANS_L;
        long x3 = RANS_L;
        int base = n & ~3;
        int tail = n & 3;
        if (tail >= 3) {
            x2 = put(x2, src[srcOff + base + 2] & 0xFF, dst);
        }
        if (tail >= 2) {
            x1 = put(x1, src[srcOff + base + 1] & 0xFF, dst);
        }
        if (tail >= 1) {
            x0 = put(x0, src[srcOff + base] & 0xFF, dst);
        }
        if ((x0 | x1 | x2) < 0) {
            return -1;
        }
        final long[] t = enc;
        final int lim4 = lim + 4;
        p = pos;
        int i = srcOff + base - 4;
        // fast loop while four more words surely fit above lim: the renormalisation is branch-free (the word is
        // always stored at p - 4 and p moves only when it is part of the output; a word stored without moving
        // p lies below the final output and is overwritten or left outside it), which avoids a branch that
        // mispredicts on a large share of symbols; sh is 32 when x > bound - 1, else 0
        final int fastLim = lim + 16;
        for (; i >= srcOff && p >= fastLim; i -= 4) {
            int e = (src[i + 3] & 0xFF) << 3;
            long sh = ((t[e] - x3) >> 63) & 32;
            INT_LE.set(dst, p - 4, (int) x3);
            p -= (int) sh >>> 3;
            x3 >>>= sh;
            x3 += step(x3, t, e);

            e = (src[i + 2] & 0xFF) << 3;
            sh = ((t[e] - x2) >> 63) & 32;
            INT_LE.set(dst, p - 4, (int) x2);
            p -= (int) sh >>> 3;
            x2 >>>= sh;
            x2 += step(x2, t, e);

            e = (src[i + 1] & 0xFF) << 3;
            sh = ((t[e] - x1) >> 63) & 32;
            INT_LE.set(dst, p - 4, (int) x1);
            p -= (int) sh >>> 3;
            x1 >>>= sh;
            x1 += step(x1, t, e);

            e = (src[i] & 0xFF) << 3;
            sh = ((t[e] - x0) >> 63) & 32;
            INT_LE.set(dst, p - 4, (int) x0);
            p -= (int) sh >>> 3;
            x0 >>>= sh;
            x0 += step(x0, t, e);
        }
        for (; i >= srcOff; i -= 4) {
            int e = (src[i + 3] & 0xFF) << 3;
            if (x3 > t[e]) {
                if (p < lim4) {
                    return -1;
                }
                p -= 4;
                INT_LE.set(dst, p, (int) x3);
                x3 >>>= 32;
            }
            x3 += step(x3, t, e);

            e = (src[i + 2] & 0xFF) << 3;
            if (x2 > t[e]) {
                if (p < lim4) {
                    return -1;
                }
                p -= 4;
                INT_LE.set(dst, p, (int) x2);
                x2 >>>= 32;
            }
            x2 += step(x2, t, e);

            e = (src[i + 1] & 0xFF) << 3;
            if (x1 > t[e]) {
                if (p < lim4) {
                    return -1;
                }
                p -= 4;
                INT_LE.set(dst, p, (int) x1);
                x1 >>>= 32;
            }
            x1 += step(x1, t, e);

            e = (src[i] & 0xFF) << 3;
            if (x0 > t[e]) {
                if (p < lim4) {
                    return -1;
                }
                p -= 4;
                INT_LE.set(dst, p, (int) x0);
                x0 >>>= 32;
            }
            x0 += step(x0, t, e);
        }
        LONG_LE.set(dst, statesAt, x0);
        LONG_LE.set(dst, statesAt + 8, x1);
        LONG_LE.set(dst, statesAt + 16, x2);
        LONG_LE.set(dst, statesAt + 24, x3);
        int payload = hi - p;
        System.arraycopy(dst, p, dst, lim, payload);
        return lim + payload - dstOff;
    }

    /** One encoder step for the tail; returns the new state or -1 when the output would reach {@link #limit}. */
    private long put(long x, int s, byte[] dst) {
        int e = s << 3;
        if (x > enc[e]) {
            if (pos - 4 < limit) {
                return -1;
            }
            pos -= 4;
            INT_LE.set(dst, pos, (int) x);
            x >>>= 32;
        }
        return x + step(x, enc, e);
    }

    /**
     * The state increase for symbol entry {@code e}: {@code bias + floor(x / freq) (2^scaleBits - freq)}, with {@code
     * floor(x / freq)} as the high half of {@code x} times the reciprocal (whose top bit is always set, hence the
     * {@code + x}), shifted.
     */
    private static long step(long x, long[] t, int e) {
        return t[e + 2] + ((Math.multiplyHigh(x, t[e + 1]) + x) >>> t[e + 4]) * t[e + 3];
    }

    /**
     * The most symbols a well-formed block {@code src[off, off+len)} can decode to, from its mode byte alone: a
     * stored block holds {@code len - 1}; a single-symbol block any number; an rANS block at most what its state
     * and renormalisation bits carry at the smallest cost a symbol can have ({@code -log2(1 - 2^-scaleBits)} bits,
     * as every one of the {@code >= 2} used symbols has frequency {@code >= 1}), with a twofold margin. Lets a
     * decoder bound what it sizes for a declared count by the bytes present, before it allocates.
     */
    public static long maxSymbols(byte[] src, int off, int len) {
        if (len < 1) {
            return 0;
        }
        int mode = src[off] & 0xFF;
        if (mode == MODE_STORED) {
            return len - 1L;
        }
        if (mode == MODE_SINGLE) {
            return len == 2 ? Long.MAX_VALUE : 0;
        }
        int scaleBits = MIN_SCALE_BITS + (mode >>> 4);
        if ((mode & 0x0F) != MODE_RANS || scaleBits > MAX_SCALE_BITS) {
            return 0;
        }
        // bits carried: the four states above L (32 bits each) and every other byte of the block
        double bits = 4 * 32 + 8.0 * len;
        double perSymbol = -Math.log1p(-1.0 / (1 << scaleBits)) / Math.log(2);
        return 2 * (long) Math.ceil(bits / perSymbol) + 4;
    }

    /**
     * Decodes exactly {@code n} symbols from exactly {@code src[srcOff, srcOff+srcLen)} into {@code dst[dstOff..]}.
     *
     * @throws MalformedFrameException on any inconsistency of the encoded block
     */
    public void decode(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int n) {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, n, dst.length);
        final int end = srcOff + srcLen;
        MalformedFrameException.verify(srcLen >= 1, srcOff, "rANS block is empty");
        int mode = src[srcOff] & 0xFF;
        if (mode == MODE_STORED) {
            if (srcLen - 1 != n) {
                throw new MalformedFrameException(
                        srcOff, "stored block holds " + (srcLen - 1) + " symbols, expected " + n);
            }
            System.arraycopy(src, srcOff + 1, dst, dstOff, n);
            return;
        }
        if (mode == MODE_SINGLE) {
            if (srcLen != 2) {
                throw new MalformedFrameException(srcOff, "single-symbol block must be 2 bytes, is " + srcLen);
            }
            MalformedFrameException.verify(n >= 1, srcOff, "single-symbol block for zero symbols");
            java.util.Arrays.fill(dst, dstOff, dstOff + n, src[srcOff + 1]);
            return;
        }
        if ((mode & 0x0F) != MODE_RANS) {
            throw new MalformedFrameException(srcOff, "unknown rANS mode byte " + mode);
        }
        int scaleBits = MIN_SCALE_BITS + (mode >>> 4);
        if (scaleBits > MAX_SCALE_BITS) {
            throw new MalformedFrameException(srcOff, "rANS scale bits " + scaleBits + " > 12");
        }
        int k = SymbolSet.read(src, srcOff + 1, end, used, cursor);
        int p = cursor[0];
        final int total = 1 << scaleBits;
        int start = 0;
        for (int j = 0; j < k; j++) {
            MalformedFrameException.verify(p < end, p, "rANS frequency table truncated");
            int v = src[p++] & 0xFF;
            if (v >= 0x80) {
                MalformedFrameException.verify(p < end, p, "rANS frequency table truncated");
                int h = src[p++] & 0xFF;
                MalformedFrameException.verify(h >= 1 && h < 32, p - 1, "bad rANS frequency varint");
                v = (v & 0x7F) | h << 7;
            }
            int f = v + 1;
            if (f > total - start) {
                throw new MalformedFrameException(p - 1, "rANS frequencies exceed 2^" + scaleBits);
            }
            int s = used[j];
            int e = v << 20 | s;
            for (int slot = 0; slot < f; slot++) {
                slots[start + slot] = e | slot << 8;
            }
            start += f;
        }
        if (start != total) {
            throw new MalformedFrameException(p, "rANS frequencies sum to " + start + ", expected " + total);
        }
        MalformedFrameException.verify(end - p >= STATE_BYTES, p, "rANS states truncated");
        long x0 = (long) LONG_LE.get(src, p);
        long x1 = (long) LONG_LE.get(src, p + 8);
        long x2 = (long) LONG_LE.get(src, p + 16);
        long x3 = (long) LONG_LE.get(src, p + 24);
        MalformedFrameException.verify(
                x0 >= RANS_L && x1 >= RANS_L && x2 >= RANS_L && x3 >= RANS_L, p, "rANS state out of range");
        p += STATE_BYTES;

        final int[] tab = slots;
        final int mask = total - 1;
        final int shift = scaleBits;
        final int end4 = end - 4;
        final String truncated = "rANS payload truncated";
        int o = dstOff;
        int base = n & ~3;
        int stop = dstOff + base;
        for (; o < stop; o += 4) {
            int e = tab[(int) x0 & mask];
            x0 = ((e >>> 20) + 1) * (x0 >>> shift) + (e >>> 8 & 0xFFF);
            dst[o] = (byte) e;
            if (x0 < RANS_L) {
                MalformedFrameException.verify(p <= end4, p, truncated);
                x0 = x0 << 32 | ((int) INT_LE.get(src, p) & 0xFFFFFFFFL);
                p += 4;
            }
            e = tab[(int) x1 & mask];
            x1 = ((e >>> 20) + 1) * (x1 >>> shift) + (e >>> 8 & 0xFFF);
            dst[o + 1] = (byte) e;
            if (x1 < RANS_L) {
                MalformedFrameException.verify(p <= end4, p, truncated);
                x1 = x1 << 32 | ((int) INT_LE.get(src, p) & 0xFFFFFFFFL);
                p += 4;
            }
            e = tab[(int) x2 & mask];
            x2 = ((e >>> 20) + 1) * (x2 >>> shift) + (e >>> 8 & 0xFFF);
            dst[o + 2] = (byte) e;
            if (x2 < RANS_L) {
                MalformedFrameException.verify(p <= end4, p, truncated);
                x2 = x2 << 32 | ((int) INT_LE.get(src, p) & 0xFFFFFFFFL);
                p += 4;
            }
            e = tab[(int) x3 & mask];
            x3 = ((e >>> 20) + 1) * (x3 >>> shift) + (e >>> 8 & 0xFFF);
            dst[o + 3] = (byte) e;
            if (x3 < RANS_L) {
                MalformedFrameException.verify(p <= end4, p, truncated);
                x3 = x3 << 32 | ((int) INT_LE.get(src, p) & 0xFFFFFFFFL);
                p += 4;
            }
        }
        // tail: at most three symbols, states 0..2
        int tail = n & 3;
        for (int j = 0; j < tail; j++) {
            long x = j == 0 ? x0 : j == 1 ? x1 : x2;
            int e = tab[(int) x & mask];
            x = ((e >>> 20) + 1) * (x >>> shift) + (e >>> 8 & 0xFFF);
            dst[o + j] = (byte) e;
            if (x < RANS_L) {
                MalformedFrameException.verify(p <= end4, p, truncated);
                x = x << 32 | ((int) INT_LE.get(src, p) & 0xFFFFFFFFL);
                p += 4;
            }
            if (j == 0) {
                x0 = x;
            } else if (j == 1) {
                x1 = x;
            } else {
                x2 = x;
            }
        }
        if (p != end) {
            throw new MalformedFrameException(p, "rANS block has " + (end - p) + " trailing bytes");
        }
        MalformedFrameException.verify(
                x0 == RANS_L && x1 == RANS_L && x2 == RANS_L && x3 == RANS_L,
                p,
                "rANS final state mismatch: block corrupted");
    }
}
