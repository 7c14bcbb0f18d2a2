package dev.slicer.codec.index;

import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.bits.BitReader;
import dev.slicer.codec.bits.BitWriter;
import dev.slicer.codec.bits.ByteIo;
import dev.slicer.codec.bits.Entropy;
import dev.slicer.codec.rans.RansCoder;

/**
 * Block membership of each survivor (in position order), coded over the alphabet of the {@code A} non-empty blocks
 * only (so an all-positive ReLU feature with one positive block costs nothing). Modes: {@code RADIX} packs groups of
 * {@code g} symbols as one base-{@code A} number of {@code ceil(g log2 A)} bits ({@code A^g <= 2^31}), within 0.1
 * bit/symbol of {@code log2 A}; {@code RANS} codes one byte per symbol with rANS and wins when the blocks are
 * unevenly used (e.g. lambda > 0). Section layout: {@code u8 mode, varint length, bytes}.
 */
public final class Membership {
    public static final int RADIX = 0;
    public static final int RANS = 1;

    private final BitWriter writer = new BitWriter();
    private final BitReader reader = new BitReader();
    private final RansCoder rans;
    private final byte[] toCompact = new byte[256];
    private final byte[] toBlock = new byte[256];
    private byte[] sym = new byte[0];
    private byte[] packed = new byte[0];

    public Membership(RansCoder rans) {
        this.rans = rans;
    }

    /** Symbols per radix group for alphabet {@code a >= 2}: the most with {@code a^g <= 2^31}. */
    static int groupSize(int a) {
        int g = 0;
        long p = 1;
        while (p <= (1L << 31) / a) {
            p *= a;
            g++;
        }
        return g;
    }

    static long pow(int a, int g) {
        long p = 1;
        for (int i = 0; i < g; i++) {
            p *= a;
        }
        return p;
    }

    /** Exact radix body bits for {@code n} symbols over alphabet {@code a}. */
    static long radixBits(long n, int a) {
        if (a <= 1 || n == 0) {
            return 0;
        }
        int g = groupSize(a);
        long full = n / g;
        int rest = (int) (n % g);
        long bits = full * IndexCoder.bitsFor(pow(a, g) - 1);
        if (rest > 0) {
            bits += IndexCoder.bitsFor(pow(a, rest) - 1);
        }
        return bits;
    }

    /** Upper bound of the section for at most {@code n} survivors over {@code blocks} blocks. */
    public static long maxSectionBytes(long n, int blocks) {
        long body = (radixBits(n, blocks) + 7) / 8;
        return 1 + ByteIo.varintSize(body) + body;
    }

    /** Writes the section; {@code counts} gives the survivors per block ({@code blocks} entries). */
    public int encode(byte[] blockOf, int n, int[] counts, int blocks, boolean entropy, byte[] dst, int off) {
        int a = 0;
        for (int b = 0; b < blocks; b++) {
            if (counts[b] > 0) {
                toCompact[b] = (byte) a++;
            }
        }
        long radixBytes = (radixBits(n, a) + 7) / 8;
        int mode = RADIX;
        long best = radixBytes;
        int ransLen = -1;
        if (sym.length < n) {
            sym = new byte[Math.max(n, sym.length + (sym.length >> 1))];
        }
        byte[] s = sym;
        for (int i = 0; i < n; i++) {
            s[i] = toCompact[blockOf[i]];
        }
        if (entropy && a > 1 && Entropy.bytes(counts, blocks, n) < radixBytes) {
            int cap = RansCoder.maxEncodedLength(n);
            if (packed.length < cap) {
                packed = new byte[cap];
            }
            ransLen = rans.encode(s, 0, n, packed, 0);
            if (ransLen < best) {
                best = ransLen;
                mode = RANS;
            }
        }
        dst[off] = (byte) mode;
        int p = off + 1 + ByteIo.putVarint(dst, off + 1, best);
        if (mode == RANS) {
            System.arraycopy(packed, 0, dst, p, ransLen);
            return p + ransLen - off;
        }
        if (a <= 1) {
            return p - off;
        }
        int g = groupSize(a);
        BitWriter w = writer.reset(dst, p);
        int i = 0;
        while (i < n) {
            int cnt = Math.min(g, n - i);
            long v = 0;
            for (int j = cnt - 1; j >= 0; j--) {
                v = v * a + s[i + j];
            }
            int bits = IndexCoder.bitsFor(pow(a, cnt) - 1);
            writeLong(w, v, bits);
            i += cnt;
        }
        return w.finish() - off;
    }

    private static void writeLong(BitWriter w, long v, int bits) {
        if (bits <= 32) {
            w.write((int) v, bits);
        } else {
            w.write((int) v, 32);
            w.write((int) (v >>> 32), bits - 32);
        }
    }

    private long readLong(int bits) {
        if (bits <= 32) {
            return reader.read(bits) & 0xFFFFFFFFL;
        }
        long lo = reader.read(32) & 0xFFFFFFFFL;
        return lo | ((long) reader.read(bits - 32) << 32);
    }

    /**
     * Reads the section into {@code blockOf[0..n)} and checks that each block is used exactly {@code counts[b]}
     * times.
     */
    public void decode(ByteIo.Reader in, int n, int[] counts, int blocks, byte[] blockOf, int[] tally) {
        long at = in.offset();
        int mode = in.u8("membership mode");
        int len = in.varintUpTo(in.remaining(), "membership length");
        int start = in.take(len, "membership section");
        byte[] buf = in.buffer();
        int a = 0;
        for (int b = 0; b < blocks; b++) {
            if (counts[b] > 0) {
                toBlock[a++] = (byte) b;
            }
        }
        if (mode == RANS) {
            MalformedFrameException.verify(a > 1, at, "rANS membership with one block");
            rans.decode(buf, start, len, blockOf, 0, n);
            for (int i = 0; i < n; i++) {
                int c = blockOf[i] & 0xFF;
                MalformedFrameException.verify(c < a, at, "membership symbol out of range");
                blockOf[i] = toBlock[c];
            }
        } else {
            if (!(mode == RADIX)) {
                throw new MalformedFrameException(at, "unknown membership mode " + mode);
            }
            MalformedFrameException.verify(len == (radixBits(n, a) + 7) / 8, at, "membership length mismatch");
            if (a <= 1) {
                byte only = a == 1 ? toBlock[0] : 0;
                java.util.Arrays.fill(blockOf, 0, n, only);
            } else {
                int g = groupSize(a);
                reader.reset(buf, start, len, 0);
                double inv = 1.0 / a;
                long full = pow(a, g);
                int fullBits = IndexCoder.bitsFor(full - 1);
                int i = 0;
                while (i < n) {
                    int cnt = Math.min(g, n - i);
                    long lim = cnt == g ? full : pow(a, cnt);
                    long lv = readLong(cnt == g ? fullBits : IndexCoder.bitsFor(lim - 1));
                    MalformedFrameException.verify(lv < lim, at, "membership group out of range");
                    int v = (int) lv;
                    for (int j = 0; j < cnt; j++) {
                        // v < 2^31: the double quotient is off by at most one, fixed up exactly
                        int q = (int) (v * inv);
                        int r = v - q * a;
                        if (r < 0) {
                            q--;
                            r += a;
                        } else if (r >= a) {
                            q++;
                            r -= a;
                        }
                        blockOf[i + j] = toBlock[r];
                        v = q;
                    }
                    i += cnt;
                }
            }
        }
        java.util.Arrays.fill(tally, 0, blocks, 0);
        for (int i = 0; i < n; i++) {
            tally[blockOf[i]]++;
        }
        for (int b = 0; b < blocks; b++) {
            MalformedFrameException.verify(tally[b] == counts[b], at, "membership does not match block counts");
        }
    }
}
