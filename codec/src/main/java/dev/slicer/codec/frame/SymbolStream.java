package dev.slicer.codec.frame;

import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.bits.BitPacker;
import dev.slicer.codec.bits.ByteIo;
import dev.slicer.codec.bits.Entropy;
import dev.slicer.codec.bits.SymbolSet;
import dev.slicer.codec.huffman.HuffmanCoder;
import dev.slicer.codec.rans.RansCoder;
import java.util.Arrays;

/**
 * The one packed-or-rANS coding of {@code n} symbols of {@code bits} bits (1..16), shared by every payload. A
 * <i>stream</i> is coded one of three ways:
 *
 * <ul>
 *   <li>{@link #PACKED}: {@link BitPacker}, LSB first, exactly {@code ceil(n bits / 8)} bytes;
 *   <li>{@link #RANS8} ({@code bits <= 8}): {@link RansCoder} output over one byte per symbol;
 *   <li>{@link #RANS16} ({@code bits > 8}): {@code varint lowLength}, the {@link RansCoder} output of the low bytes,
 *       then that of the high bytes (the rest of the stream);
 *   <li>{@link #HUFF8} ({@code bits <= 8}): {@link HuffmanCoder} output over one byte per symbol. Byte blocks
 *       ({@link #prepareByteBlock}) take it where it is at most 1% larger than rANS would be: it codes about twice
 *       as fast, and on blocks of a few thousand peaked symbols it is often the smaller one.
 * </ul>
 *
 * The encoder writes rANS or Huffman only when it is shorter than packed (with {@code entropy}), so a stream never
 * exceeds {@link #maxStreamBytes}. A payload either records coding and length elsewhere (TOPK's block table) or
 * writes a self-framed <i>block</i>: {@code u8 coding, varint length, stream}; a block of zero symbols is omitted.
 *
 * <p>Decoding checks the coding against the width, the length against the bytes present, that those bytes can
 * describe {@code n} symbols at all ({@link RansCoder#maxSymbols}) before the caller sizes anything for them, and
 * that every symbol is below {@code 2^bits}; any fault is a {@link MalformedFrameException}. Reusable, not
 * thread-safe (scratch grows on demand; {@link #trimScratch} drops it).
 */
public final class SymbolStream {
    public static final int PACKED = 0;
    public static final int RANS8 = 1;
    public static final int RANS16 = 2;
    public static final int HUFF8 = 3;
    /**
     * A byte block takes Huffman when it is at most this factor of the rANS size: it decodes about twice as fast,
     * which is worth a fraction of a percent of the bytes.
     */
    static final double HUFFMAN_SLACK = 1.01;

    public static final int MAX_BITS = 16;

    /**
     * The fewest bytes a self-framed block of one or more symbols takes: its coding byte, its length and at least one
     * byte of stream. Lets a payload refuse, before it decodes anything, bytes too few for the blocks still to come.
     */
    public static final int MIN_BLOCK_BYTES = 3;

    /** Where a block's stream lies in the frame, from {@link #readBlock}. */
    public record Span(int coding, int offset, int length) {}

    private final RansCoder rans;
    private final HuffmanCoder huffman = new HuffmanCoder();
    private final int[] hist = new int[256];
    private final int[] hist4 = new int[1024];
    private final int[] hist2 = new int[256];
    private byte[] sym = new byte[0];
    private byte[] rbuf = new byte[0];
    private byte[] block = new byte[0];
    private int coding;
    private byte[] prepared;
    private int preparedFrom;
    private int preparedN;
    private int preparedLen;

    public SymbolStream(RansCoder rans) {
        this.rans = rans;
    }

    /** Upper bound of a stream of {@code n} symbols of {@code bits} bits: the packed size. */
    public static long maxStreamBytes(long n, int bits) {
        return BitPacker.packedBytes(n, bits);
    }

    /** Upper bound of a block (coding byte, length varint, stream); 0 for {@code n = 0}. */
    public static long maxBlockBytes(long n, int bits) {
        if (n == 0) {
            return 0;
        }
        long s = maxStreamBytes(n, bits);
        return 1 + ByteIo.varintSize(s) + s;
    }

    /** Coding of the stream the last {@link #encode} wrote. */
    public int coding() {
        return coding;
    }

    /**
     * Writes the stream of {@code v[from, from+n)} (each below {@code 2^bits}) at {@code dst[p..]}, which must have
     * room for {@link #maxStreamBytes}; rANS when {@code entropy} and shorter. Returns its length; {@link #coding()}
     * tells which coding it is. Nothing past the returned length is written.
     */
    public int encode(int[] v, int from, int n, int bits, boolean entropy, byte[] dst, int p) {
        return encode(v, from, n, bits, entropy, dst, p, false);
    }

    /**
     * As {@link #encode(int[], int, int, int, boolean, byte[], int)} into a scratch buffer that has room for
     * {@code n + 1} bytes at {@code p}: an 8-bit rANS attempt goes there directly, saving a copy, and may leave
     * bytes past the returned length.
     */
    public int encodeToScratch(int[] v, int from, int n, int bits, boolean entropy, byte[] dst, int p) {
        return encode(v, from, n, bits, entropy, dst, p, true);
    }

    private int encode(int[] v, int from, int n, int bits, boolean entropy, byte[] dst, int p, boolean scratch) {
        int packed = (int) maxStreamBytes(n, bits);
        coding = PACKED;
        if (entropy && n > 0) {
            int len = encodeRans(v, from, n, bits, packed, dst, p, scratch);
            if (len >= 0) {
                return len;
            }
        }
        BitPacker.pack(v, from, n, bits, dst, p);
        return packed;
    }

    /** rANS stream if it is shorter than {@code packed} (then written at {@code dst[p..]}), else -1. */
    private int encodeRans(int[] v, int from, int n, int bits, int packed, byte[] dst, int p, boolean scratch) {
        int bins = Math.min(256, 1 << bits);
        int[] hs = hist;
        Arrays.fill(hs, 0, bins, 0);
        for (int i = from, end = from + n; i < end; i++) {
            hs[v[i] & 0xFF]++;
        }
        double floor = Entropy.bytes(hs, bins, n);
        // strict lower bound of the rANS stream(s): skip an attempt that cannot beat the packed codes
        double bound = Entropy.ransLowerBound(floor, Entropy.used(hs, bins), n);
        int[] h2 = hist2;
        if (bits > 8) {
            Arrays.fill(h2, 0);
            for (int i = from, end = from + n; i < end; i++) {
                h2[v[i] >>> 8]++;
            }
            double hiFloor = Entropy.bytes(h2, 256, n);
            floor += hiFloor;
            bound += 1 + Entropy.ransLowerBound(hiFloor, Entropy.used(h2, 256), n);
        }
        if (floor >= packed || bound >= packed) {
            return -1;
        }
        sym = grow(sym, n);
        byte[] sy = sym;
        for (int i = 0; i < n; i++) {
            sy[i] = (byte) v[from + i];
        }
        if (bits <= 8) {
            int room = RansCoder.maxEncodedLength(n);
            boolean direct = scratch && dst.length - p >= room;
            byte[] out = direct ? dst : (rbuf = grow(rbuf, room));
            int len = rans.encode(sy, 0, n, hs, bins, out, direct ? p : 0);
            if (len >= packed) {
                return -1;
            }
            if (!direct) {
                System.arraycopy(out, 0, dst, p, len);
            }
            coding = RANS8;
            return len;
        }
        rbuf = grow(rbuf, 2 * RansCoder.maxEncodedLength(n));
        int len = rans.encode(sy, 0, n, hs, bins, rbuf, 0);
        for (int i = 0; i < n; i++) {
            sy[i] = (byte) (v[from + i] >>> 8);
        }
        int hiLen = rans.encode(sy, 0, n, h2, 256, rbuf, len);
        int head = ByteIo.varintSize(len);
        int total = head + len + hiLen;
        if (total >= packed) {
            return -1;
        }
        ByteIo.putVarint(dst, p, len);
        System.arraycopy(rbuf, 0, dst, p + head, len + hiLen);
        coding = RANS16;
        return total;
    }

    /** Writes a block ({@code u8 coding, varint length, stream}) of {@code n} symbols; nothing for {@code n = 0}. */
    public int writeBlock(int[] v, int from, int n, int bits, boolean entropy, byte[] dst, int p) {
        if (n == 0) {
            return 0;
        }
        // the stream goes to scratch first: its length decides the width of the length field before it
        int packed = (int) maxStreamBytes(n, bits);
        block = grow(block, packed);
        int len = encode(v, from, n, bits, entropy, block, 0);
        dst[p] = (byte) coding;
        int head = 1 + ByteIo.putVarint(dst, p + 1, len);
        System.arraycopy(block, 0, dst, p + head, len);
        return head + len;
    }

    /**
     * Reads a block header for {@code n} symbols of {@code bits} bits and moves {@code in} past the block, after
     * checking the coding, that the stream lies within {@code in}, and that it can describe {@code n} symbols. The
     * caller may then size its output for {@code n} and call {@link #decode(byte[], Span, int, int, int[], int)}.
     */
    public Span readBlock(ByteIo.Reader in, int n, int bits) {
        if (n == 0) {
            return new Span(PACKED, in.position(), 0);
        }
        long at = in.offset();
        int cod = in.u8("block coding");
        int len = in.varintUpTo(in.remaining(), "block length");
        int p = in.take(len, "block");
        checkStream(in.buffer(), p, len, cod, n, bits, at);
        return new Span(cod, p, len);
    }

    /** Decodes a block found by {@link #readBlock}. */
    public void decode(byte[] src, Span s, int n, int bits, int[] out, int outOff) {
        if (n > 0) {
            decode(src, s.offset(), s.length(), s.coding(), n, bits, out, outOff);
        }
    }

    /** Reads and decodes a block of {@code n} symbols into {@code out[outOff, outOff+n)}, sized by the caller. */
    public void readBlock(ByteIo.Reader in, int n, int bits, int[] out, int outOff) {
        decode(in.buffer(), readBlock(in, n, bits), n, bits, out, outOff);
    }

    /** Checks that {@code cod} is a coding for {@code bits}-bit symbols ({@code bits <= 16}). */
    public static void checkCoding(int cod, int bits, long at) {
        if (!(bits >= 0 && bits <= MAX_BITS)
                || !(cod == PACKED
                        || ((cod == RANS8 || cod == HUFF8) && bits >= 1 && bits <= 8)
                        || (cod == RANS16 && bits > 8))) {
            throw new MalformedFrameException(at, "stream coding " + cod + " for " + bits + "-bit symbols");
        }
    }

    /**
     * Checks that {@code src[p, p+len)} can be a stream of {@code n} symbols of {@code bits} bits with this coding:
     * the coding fits the width, packed streams have exactly the packed length, rANS streams can describe
     * {@code n} symbols. {@code at} is the frame offset reported on failure.
     */
    public static void checkStream(byte[] src, int p, int len, int cod, int n, int bits, long at) {
        checkCoding(cod, bits, at);
        if (cod == PACKED) {
            MalformedFrameException.verify(
                    len == maxStreamBytes(n, bits), at, "packed stream of " + len + " bytes for " + n + " symbols");
        } else if (cod == RANS8) {
            MalformedFrameException.verify(
                    n <= RansCoder.maxSymbols(src, p, len), at, "rANS stream too short for " + n + " symbols");
        } else if (cod == HUFF8) {
            MalformedFrameException.verify(
                    n <= HuffmanCoder.maxSymbols(len), at, "Huffman stream too short for " + n + " symbols");
        } else {
            ByteIo.Reader sub = new ByteIo.Reader(src, p, len, at - p);
            int loLen = sub.varintUpTo(sub.remaining(), "low stream length");
            int lp = sub.take(loLen, "low stream");
            int hp = sub.position();
            MalformedFrameException.verify(
                    n <= RansCoder.maxSymbols(src, lp, loLen) && n <= RansCoder.maxSymbols(src, hp, p + len - hp),
                    at,
                    "rANS streams too short for " + n + " symbols");
        }
    }

    /**
     * Decodes a stream (coding and length recorded by the caller) of {@code n} symbols of {@code bits} bits from
     * {@code src[p, p+len)} into {@code out[outOff, outOff+n)}.
     */
    public void decode(byte[] src, int p, int len, int cod, int n, int bits, int[] out, int outOff) {
        long at = p;
        checkStream(src, p, len, cod, n, bits, at);
        if (cod == PACKED) {
            BitPacker.unpack(src, p, len, n, bits, out, outOff);
            return;
        }
        int lim = 1 << bits;
        if (cod == RANS8 || cod == HUFF8) {
            sym = grow(sym, n);
            if (cod == RANS8) {
                rans.decode(src, p, len, sym, 0, n);
            } else {
                huffman.decode(src, p, len, sym, 0, n);
            }
            byte[] sy = sym;
            int or = 0;
            for (int i = 0; i < n; i++) {
                int x = sy[i] & 0xFF;
                or |= x;
                out[outOff + i] = x;
            }
            MalformedFrameException.verify(or < lim, at, "symbol wider than " + bits + " bits");
            return;
        }
        sym = grow(sym, 2 * n);
        ByteIo.Reader sub = new ByteIo.Reader(src, p, len, 0);
        int loLen = sub.varintUpTo(len, "low stream length");
        int lp = sub.take(loLen, "low stream");
        int hp = sub.position();
        rans.decode(src, lp, loLen, sym, 0, n);
        rans.decode(src, hp, p + len - hp, sym, n, n);
        byte[] sy = sym;
        int or = 0;
        for (int i = 0; i < n; i++) {
            int x = (sy[i] & 0xFF) | (sy[n + i] & 0xFF) << 8;
            or |= x;
            out[outOff + i] = x;
        }
        MalformedFrameException.verify(or < lim, at, "symbol wider than " + bits + " bits");
    }

    /** Decodes a block of {@code n} bytes (8-bit symbols) found by {@link #readBlock} into {@code out[outOff..]}. */
    public void decodeBytes(byte[] src, Span s, int n, byte[] out, int outOff) {
        if (n == 0) {
            return;
        }
        if (s.coding() == PACKED) {
            System.arraycopy(src, s.offset(), out, outOff, n);
        } else if (s.coding() == HUFF8) {
            huffman.decode(src, s.offset(), s.length(), out, outOff, n);
        } else {
            rans.decode(src, s.offset(), s.length(), out, outOff, n);
        }
    }

    /** Reads a block of {@code n} bytes (8-bit symbols) into {@code out[outOff, outOff+n)}, sized by the caller. */
    public void readByteBlock(ByteIo.Reader in, int n, byte[] out, int outOff) {
        if (n == 0) {
            return;
        }
        decodeBytes(in.buffer(), readBlock(in, n, 8), n, out, outOff);
    }

    /**
     * Codes a block of the {@code n} bytes {@code v[from..]} (8-bit symbols; packed = the bytes themselves) and
     * returns its size; {@link #putByteBlock} then writes it. Lets a payload compare sizes before it writes.
     */
    public int prepareByteBlock(byte[] v, int from, int n, boolean entropy) {
        prepared = v;
        preparedFrom = from;
        preparedN = n;
        preparedLen = n;
        coding = PACKED;
        if (n == 0) {
            return 0;
        }
        if (entropy) {
            SymbolSet.histogram(v, from, n, hist4, hist);
            long huff = huffman.plan(hist, 256, n);
            if (huff >= 0 && huff < n && huff <= HUFFMAN_SLACK * rans.estimatedBytes(hist, 256, n)) {
                rbuf = grow(rbuf, (int) huff);
                preparedLen = huffman.encode(v, from, n, rbuf, 0);
                coding = HUFF8;
            } else {
                rbuf = grow(rbuf, RansCoder.maxEncodedLength(n));
                int r = rans.encode(v, from, n, hist, 256, rbuf, 0);
                if (r < n) {
                    preparedLen = r;
                    coding = RANS8;
                }
            }
        }
        return 1 + ByteIo.varintSize(preparedLen) + preparedLen;
    }

    /** Writes the block of the last {@link #prepareByteBlock} at {@code dst[p..]}; returns its size. */
    public int putByteBlock(byte[] dst, int p) {
        if (preparedN == 0) {
            return 0;
        }
        dst[p] = (byte) coding;
        int head = 1 + ByteIo.putVarint(dst, p + 1, preparedLen);
        if (coding == PACKED) {
            System.arraycopy(prepared, preparedFrom, dst, p + head, preparedLen);
        } else {
            System.arraycopy(rbuf, 0, dst, p + head, preparedLen);
        }
        prepared = null;
        return head + preparedLen;
    }

    /** Drops scratch above {@code keepBytes}, e.g. after a rejected frame. */
    public void trimScratch(int keepBytes) {
        if (sym.length > keepBytes) {
            sym = new byte[0];
        }
        if (rbuf.length > keepBytes) {
            rbuf = new byte[0];
        }
        if (block.length > keepBytes) {
            block = new byte[0];
        }
    }

    private static byte[] grow(byte[] a, int n) {
        return a.length >= n ? a : new byte[Math.max(n, a.length + (a.length >> 1))];
    }
}
