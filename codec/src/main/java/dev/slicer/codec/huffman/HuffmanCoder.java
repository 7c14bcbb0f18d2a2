package dev.slicer.codec.huffman;

import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.bits.ByteIo;
import dev.slicer.codec.bits.SymbolSet;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Static canonical Huffman coding of byte symbols over four interleaved bit streams: symbol {@code i} goes to stream
 * {@code i & 3}, so the decoder follows four independent chains of table lookups at once. Where {@link
 * dev.slicer.codec.rans.RansCoder} spends a 64-bit multiply and a data-dependent branch per symbol, a Huffman step
 * is one table load and two shifts, and the decoder's table ({@code 2^11} entries) is filled once per block. It
 * codes within a few percent of the entropy on the dense, peaked code distributions of the quantizers and pays no
 * 32-byte state flush, so on blocks of a few thousand such symbols it is as small as rANS or smaller; the caller
 * ({@code SymbolStream}) picks it only where it is at most 1% larger than rANS would be.
 *
 * <h2>Encoded layout</h2>
 *
 * <p>The {@link SymbolSet} of the {@code k >= 2} used symbols; their code lengths (1..{@value #MAX_LENGTH}) as
 * nibbles in symbol order, low nibble first, a last unused nibble zero; the byte lengths of streams 0, 1 and 2 as
 * varints; then the four streams (stream 3 is the rest of the block). The lengths must form a complete prefix code
 * (Kraft sum exactly 1); codes are canonical (deflate's assignment: shorter codes first, then by symbol). Each stream
 * holds its codes most significant bit first, so the decoder indexes its table with the stream's next 11 bits, and
 * ends with zero bits to its byte boundary.
 *
 * <p><b>Corruption detection.</b> A bad table, lengths that are not a complete code, stream lengths past the block,
 * a stream whose codes do not end exactly in its last byte, or nonzero padding bits throw {@link
 * MalformedFrameException}. The decoder never reads or writes out of bounds and runs in {@code O(n + srcLen)}.
 *
 * <p>Reusable, not thread-safe: the tables (about 10 KiB) are kept, and a stream buffer grows to the largest block.
 */
public final class HuffmanCoder {
    /** Longest code: the decoder's table has {@code 2^MAX_LENGTH} entries. */
    public static final int MAX_LENGTH = 11;

    private static final int TABLE = 1 << MAX_LENGTH;
    private static final int MASK = TABLE - 1;
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final int[] used = new int[256];
    private final int[] length = new int[256];
    private final int[] weight = new int[256];
    private final long[] sorted = new long[256];
    private final int[] work = new int[256];
    private final int[] perLength = new int[MAX_LENGTH + 2];
    private final int[] nextCode = new int[MAX_LENGTH + 2];
    private final int[] cursor = new int[1];
    /** Encoder: code << 8 | length, per symbol (the low 6 bits are then the shift a code takes as they stand). */
    private final long[] enc = new long[256];
    /** Decoder: length | symbol << 8, per value of the next {@link #MAX_LENGTH} stream bits. */
    private final int[] dec = new int[TABLE];

    private int k;
    private byte[] streams = new byte[0];
    private final int[] sizes = new int[4];
    private final long[] bitPos = new long[4];
    private final int[] limits = new int[4];

    public HuffmanCoder() {}

    /**
     * Builds the code for symbols counted in {@code hist[0, bins)} ({@code n} in all) and returns the size in bytes
     * the block will have, or -1 when fewer than two symbols occur. {@link #encode} then writes it.
     */
    public long plan(int[] hist, int bins, int n) {
        k = 0;
        for (int s = 0; s < bins; s++) {
            if (hist[s] != 0) {
                used[k] = s;
                weight[s] = hist[s];
                k++;
            }
        }
        if (k < 2) {
            return -1;
        }
        // a code longer than the table takes the weights halved (they stay >= 1) until it fits: 256 equal
        // weights need 8 bits, so this ends
        while (codeLengths() > MAX_LENGTH) {
            for (int j = 0; j < k; j++) {
                int s = used[j];
                weight[s] = (weight[s] + 1) >>> 1;
            }
        }
        long codedBits = 0;
        for (int j = 0; j < k; j++) {
            int s = used[j];
            codedBits += (long) hist[s] * length[s];
        }
        canonicalCodes();
        return headerBytes(n) + (codedBits + 7) / 8 + 3;
    }

    /**
     * Sets {@link #length} for the used symbols from {@link #weight} (Moffat and Katajainen's in-place computation
     * over the weights in increasing order); returns the longest length.
     */
    private int codeLengths() {
        // counts mostly fall as symbols rise (small codes are the common ones), so the reversed order is nearly
        // sorted already, which the sort's insertion pass for short arrays finishes in about linear time
        for (int j = 0; j < k; j++) {
            int s = used[k - 1 - j];
            sorted[j] = (long) weight[s] << 8 | s;
        }
        Arrays.sort(sorted, 0, k);
        int[] a = work;
        int n = k;
        for (int j = 0; j < n; j++) {
            a[j] = (int) (sorted[j] >>> 8);
        }
        // first pass, left to right: parent pointers of the internal nodes
        a[0] += a[1];
        int root = 0;
        int leaf = 2;
        for (int next = 1; next < n - 1; next++) {
            if (leaf >= n || a[root] < a[leaf]) {
                a[next] = a[root];
                a[root++] = next;
            } else {
                a[next] = a[leaf++];
            }
            if (leaf >= n || (root < next && a[root] < a[leaf])) {
                a[next] += a[root];
                a[root++] = next;
            } else {
                a[next] += a[leaf++];
            }
        }
        // second pass, right to left: depths of the internal nodes
        a[n - 2] = 0;
        for (int next = n - 3; next >= 0; next--) {
            a[next] = a[a[next]] + 1;
        }
        // third pass, right to left: depths of the leaves
        int avail = 1;
        int usedNodes = 0;
        int depth = 0;
        root = n - 2;
        int next = n - 1;
        while (avail > 0) {
            while (root >= 0 && a[root] == depth) {
                usedNodes++;
                root--;
            }
            while (avail > usedNodes) {
                a[next--] = depth;
                avail--;
            }
            avail = 2 * usedNodes;
            depth++;
            usedNodes = 0;
        }
        for (int j = 0; j < n; j++) {
            length[(int) (sorted[j] & 0xFF)] = a[j];
        }
        return a[0];
    }

    /** Deflate's canonical assignment from {@link #length}; fills {@link #enc}. */
    private void canonicalCodes() {
        Arrays.fill(perLength, 0);
        for (int j = 0; j < k; j++) {
            perLength[length[used[j]]]++;
        }
        int code = 0;
        for (int bits = 1; bits <= MAX_LENGTH; bits++) {
            code = (code + perLength[bits - 1]) << 1;
            nextCode[bits] = code;
        }
        for (int j = 0; j < k; j++) {
            int s = used[j];
            int len = length[s];
            int c = nextCode[len]++;
            enc[s] = (long) c << 8 | len;
        }
    }

    /** The code length of symbol {@code s} in the last {@link #plan}, for tests. */
    int codeLength(int s) {
        return length[s];
    }

    private int headerBytes(int n) {
        return SymbolSet.bytes(k) + (k + 1) / 2 + 3 * ByteIo.varintSize(maxStreamBytes(n));
    }

    /** The most bytes one of the four streams of {@code n} symbols can take: all its codes of the longest length. */
    private static long maxStreamBytes(int n) {
        return ((long) (n + 3) / 4 * MAX_LENGTH + 7) / 8;
    }

    /**
     * Writes the block for the symbols {@code src[off, off+n)} counted by the last {@link #plan} at {@code
     * dst[dstOff..]}, which must have room for the size {@link #plan} returned. Returns the bytes written.
     */
    public int encode(byte[] src, int off, int n, byte[] dst, int dstOff) {
        // four regions of scratch, one per stream, each with room for its longest codes and an 8-byte store
        int region = (int) (maxStreamBytes(n) + 8);
        if (streams.length < 4 * region) {
            streams = new byte[4 * region];
        }
        // two streams per pass: four at once would not fit their buffers in the registers
        encodeTwo(src, off, n, 0, region);
        encodeTwo(src, off, n, 2, region);
        int p = SymbolSet.write(used, k, dst, dstOff);
        for (int j = 0; j < k; j += 2) {
            int lo = length[used[j]];
            int hi = j + 1 < k ? length[used[j + 1]] : 0;
            dst[p++] = (byte) (lo | hi << 4);
        }
        for (int j = 0; j < 3; j++) {
            p += ByteIo.putVarint(dst, p, sizes[j]);
        }
        for (int j = 0; j < 4; j++) {
            System.arraycopy(streams, j * region, dst, p, sizes[j]);
            p += sizes[j];
        }
        return p - dstOff;
    }

    /** Codes streams {@code j} and {@code j + 1} into their scratch regions; sets their {@link #sizes}. */
    private void encodeTwo(byte[] src, int off, int n, int j, int region) {
        byte[] out = streams;
        long[] e = enc;
        int pa = j * region;
        int pb = pa + region;
        // codes enter at the low end and leave from the high end (most significant bit first): a code's shift is
        // its own length, so no running bit count sits on the chain from one code to the next; a marker bit above
        // the waiting bits tells how many there are
        long aa = 1;
        long ab = 1;
        int end = off + n;
        int i = off + j;
        // stream j codes src[i + 4t], stream j + 1 src[i + 1 + 4t]; four codes each per round, at most 44 bits on
        // the 7 waiting, then one store per stream
        for (; i + 14 <= end; i += 16) {
            long c = e[src[i] & 0xFF];
            aa = aa << c | c >>> 8;
            c = e[src[i + 1] & 0xFF];
            ab = ab << c | c >>> 8;
            c = e[src[i + 4] & 0xFF];
            aa = aa << c | c >>> 8;
            c = e[src[i + 5] & 0xFF];
            ab = ab << c | c >>> 8;
            c = e[src[i + 8] & 0xFF];
            aa = aa << c | c >>> 8;
            c = e[src[i + 9] & 0xFF];
            ab = ab << c | c >>> 8;
            c = e[src[i + 12] & 0xFF];
            aa = aa << c | c >>> 8;
            c = e[src[i + 13] & 0xFF];
            ab = ab << c | c >>> 8;
            int na = 63 - Long.numberOfLeadingZeros(aa);
            LONG_BE.set(out, pa, aa << -na);
            pa += na >>> 3;
            aa = aa & ((1L << (na & 7)) - 1) | 1L << (na & 7);
            int nb = 63 - Long.numberOfLeadingZeros(ab);
            LONG_BE.set(out, pb, ab << -nb);
            pb += nb >>> 3;
            ab = ab & ((1L << (nb & 7)) - 1) | 1L << (nb & 7);
        }
        // at most four codes left per stream, which the buffers still hold
        for (; i < end; i += 4) {
            long c = e[src[i] & 0xFF];
            aa = aa << c | c >>> 8;
            if (i + 1 < end) {
                c = e[src[i + 1] & 0xFF];
                ab = ab << c | c >>> 8;
            }
        }
        sizes[j] = pa - j * region + flush(out, pa, aa, 63 - Long.numberOfLeadingZeros(aa));
        sizes[j + 1] = pb - (j + 1) * region + flush(out, pb, ab, 63 - Long.numberOfLeadingZeros(ab));
    }

    /**
     * Writes the last {@code bits} bits of {@code acc} (the marker above them drops out) at {@code out[p..]},
     * zero-padded; returns the bytes.
     */
    private static int flush(byte[] out, int p, long acc, int bits) {
        if (bits == 0) {
            return 0;
        }
        LONG_BE.set(out, p, acc << -bits);
        return (bits + 7) >>> 3;
    }

    /** The most symbols a block of {@code len} bytes can hold: every code takes at least one bit. */
    public static long maxSymbols(int len) {
        return 8L * len;
    }

    /**
     * Decodes exactly {@code n} symbols from exactly {@code src[off, off+len)} into {@code dst[dstOff..]}.
     *
     * @throws MalformedFrameException on any inconsistency of the block
     */
    public void decode(byte[] src, int off, int len, byte[] dst, int dstOff, int n) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        java.util.Objects.checkFromIndexSize(dstOff, n, dst.length);
        int end = off + len;
        k = SymbolSet.read(src, off, end, used, cursor);
        int p = cursor[0];
        int nibbles = (k + 1) / 2;
        MalformedFrameException.verify(end - p >= nibbles, p, "Huffman code lengths truncated");
        long kraft = 0;
        for (int j = 0; j < k; j++) {
            int v = src[p + (j >>> 1)] >>> ((j & 1) << 2) & 15;
            MalformedFrameException.verify(v >= 1 && v <= MAX_LENGTH, p + (j >>> 1), "Huffman code length " + v);
            length[used[j]] = v;
            kraft += 1L << (MAX_LENGTH - v);
        }
        MalformedFrameException.verify(
                (k & 1) == 0 || (src[p + nibbles - 1] & 0xF0) == 0, p + nibbles - 1, "Huffman length padding");
        MalformedFrameException.verify(kraft == TABLE, p, "Huffman code lengths do not form a complete code");
        p += nibbles;
        ByteIo.Reader in = new ByteIo.Reader(src, p, end - p, 0);
        int s0 = in.varintUpTo(in.remaining(), "Huffman stream 0 length");
        int s1 = in.varintUpTo(in.remaining() - s0, "Huffman stream 1 length");
        int s2 = in.varintUpTo(in.remaining() - s0 - s1, "Huffman stream 2 length");
        int start0 = in.position();
        int start1 = start0 + s0;
        int start2 = start1 + s1;
        int start3 = start2 + s2;
        canonicalCodes();
        for (int j = 0; j < k; j++) {
            int s = used[j];
            int c = (int) enc[s];
            int l = c & 0xFF;
            int from = (c >>> 8) << (MAX_LENGTH - l);
            Arrays.fill(dec, from, from + (1 << (MAX_LENGTH - l)), l | s << 8);
        }

        long[] q = bitPos;
        q[0] = 8L * (start0 - off);
        q[1] = 8L * (start1 - off);
        q[2] = 8L * (start2 - off);
        q[3] = 8L * (start3 - off);
        limits[0] = start1;
        limits[1] = start2;
        limits[2] = start3;
        limits[3] = end;
        decodeFour(src, off, dst, dstOff, n);
        for (int j = 0; j < 4; j++) {
            checkEnd(src, off, q[j], limits[j]);
        }
    }

    /** Decodes the four streams: symbol {@code i} from stream {@code i & 3}. */
    private void decodeFour(byte[] src, int off, byte[] dst, int dstOff, int n) {
        final int[] t = dec;
        // the bit positions stay in memory between rounds: in registers they would push the windows out of them
        final long[] q = bitPos;
        // while every stream has 8 bytes to read before the array ends: reading past a stream's end (into the
        // next stream, or what follows the block) is harmless, the exact ends are checked after
        long safe = 8L * (src.length - off - 8);
        int o = dstOff;
        for (int stop = dstOff + (n & ~15);
                o < stop && Math.max(Math.max(q[0], q[1]), Math.max(q[2], q[3])) <= safe;
                o += 16) {
            long w0 = window(src, off, q[0]);
            long w1 = window(src, off, q[1]);
            long w2 = window(src, off, q[2]);
            long w3 = window(src, off, q[3]);
            // four codes per stream: at most 44 of a window's 56 bits; an entry's low byte is the code length, so
            // it is the shift as it stands
            int x = t[(int) (w0 >>> PEEK)];
            dst[o] = (byte) (x >>> 8);
            w0 <<= x;
            x = t[(int) (w1 >>> PEEK)];
            dst[o + 1] = (byte) (x >>> 8);
            w1 <<= x;
            x = t[(int) (w2 >>> PEEK)];
            dst[o + 2] = (byte) (x >>> 8);
            w2 <<= x;
            x = t[(int) (w3 >>> PEEK)];
            dst[o + 3] = (byte) (x >>> 8);
            w3 <<= x;
            x = t[(int) (w0 >>> PEEK)];
            dst[o + 4] = (byte) (x >>> 8);
            w0 <<= x;
            x = t[(int) (w1 >>> PEEK)];
            dst[o + 5] = (byte) (x >>> 8);
            w1 <<= x;
            x = t[(int) (w2 >>> PEEK)];
            dst[o + 6] = (byte) (x >>> 8);
            w2 <<= x;
            x = t[(int) (w3 >>> PEEK)];
            dst[o + 7] = (byte) (x >>> 8);
            w3 <<= x;
            x = t[(int) (w0 >>> PEEK)];
            dst[o + 8] = (byte) (x >>> 8);
            w0 <<= x;
            x = t[(int) (w1 >>> PEEK)];
            dst[o + 9] = (byte) (x >>> 8);
            w1 <<= x;
            x = t[(int) (w2 >>> PEEK)];
            dst[o + 10] = (byte) (x >>> 8);
            w2 <<= x;
            x = t[(int) (w3 >>> PEEK)];
            dst[o + 11] = (byte) (x >>> 8);
            w3 <<= x;
            x = t[(int) (w0 >>> PEEK)];
            dst[o + 12] = (byte) (x >>> 8);
            w0 <<= x;
            x = t[(int) (w1 >>> PEEK)];
            dst[o + 13] = (byte) (x >>> 8);
            w1 <<= x;
            x = t[(int) (w2 >>> PEEK)];
            dst[o + 14] = (byte) (x >>> 8);
            w2 <<= x;
            x = t[(int) (w3 >>> PEEK)];
            dst[o + 15] = (byte) (x >>> 8);
            w3 <<= x;
            q[0] += Long.numberOfTrailingZeros(w0) - 7;
            q[1] += Long.numberOfTrailingZeros(w1) - 7;
            q[2] += Long.numberOfTrailingZeros(w2) - 7;
            q[3] += Long.numberOfTrailingZeros(w3) - 7;
        }
        // the rest one code at a time, each read bounded by its own stream's end
        for (int end = dstOff + n; o < end; o++) {
            int j = (o - dstOff) & 3;
            q[j] = decodeOne(src, off, q[j], limits[j], dst, o);
        }
    }

    /** Shift from a window's top to a table index. */
    private static final int PEEK = 64 - MAX_LENGTH;

    /**
     * The 56 stream bits from bit {@code q} on, at the top of a long, with a marker bit under them: after the
     * codes' shifts its trailing zeros less 7 are the bits they took.
     */
    private static long window(byte[] src, int off, long q) {
        return ((long) LONG_BE.get(src, off + (int) (q >>> 3)) << (q & 7)) & -256L | 0x80;
    }

    /** Decodes one code at bit {@code q} of a stream ending at byte {@code limit}; bits past it read as zero. */
    private long decodeOne(byte[] src, int off, long q, int limit, byte[] dst, int o) {
        int at = off + (int) Math.min(q >>> 3, limit - off);
        int w = 0;
        for (int b = 0; b < 3; b++) {
            w = w << 8 | (at + b < limit ? src[at + b] & 0xFF : 0);
        }
        int x = dec[(w >>> (24 - MAX_LENGTH - (int) (q & 7))) & MASK];
        dst[o] = (byte) (x >>> 8);
        return q + (x & 0xFF);
    }

    /** A stream's codes must end in its last byte, and the bits after them there must be zero. */
    private static void checkEnd(byte[] src, int off, long q, int limit) {
        long bytes = (q + 7) >>> 3;
        MalformedFrameException.verify(
                off + bytes == limit, off + Math.min(bytes, limit - off), "Huffman stream length mismatch");
        if ((q & 7) != 0) {
            int last = src[limit - 1] & 0xFF;
            MalformedFrameException.verify(
                    (last & (0xFF >>> (q & 7))) == 0, limit - 1, "Huffman stream padding not zero");
        }
    }
}
