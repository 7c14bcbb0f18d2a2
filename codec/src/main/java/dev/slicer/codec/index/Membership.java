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
    /** {@code a^j} for the radix groups of alphabet {@link #powersBase}, and {@code a^(8c)} per 8-symbol chunk. */
    private final int[] powers = new int[32];

    private final long[] chunkScale = new long[4];
    /**
     * {@code a^j} for the (at most 3) symbols after a group's whole chunks, 0 past them: cheaper as three products
     * than as one more {@link #radix8}.
     */
    private final long[] tailScale = new long[3];

    private int powersBase;

    private void preparePowers(int a, int g) {
        if (powersBase == a) {
            return;
        }
        long x = 1;
        java.util.Arrays.fill(tailScale, 0);
        for (int j = 0; j < g; j++) {
            powers[j] = (int) x;
            if ((j & 7) == 0) {
                chunkScale[j >>> 3] = x;
            }
            int t = j - (g & ~7);
            if (t >= 0 && (g & 7) <= 3) {
                tailScale[t] = x;
            }
            x *= a;
        }
        powersBase = a;
    }

    /**
     * {@code sum b_k a^k} over the 8 bytes {@code b_k} of {@code x} (little-endian, each below {@code a}), by pairing
     * neighbours in ever wider lanes: 16-bit lanes hold {@code b0 + a b1 < a^2}, 32-bit lanes {@code < a^4}, so no
     * lane carries into the next for {@code a <= 256}. The result is below {@code 2^31} for the callers' groups.
     */
    static long radix8(long x, long a, long a2, long a4) {
        long y = (x & 0x00FF00FF00FF00FFL) + ((x >>> 8) & 0x00FF00FF00FF00FFL) * a;
        long z = (y & 0x0000FFFF0000FFFFL) + ((y >>> 16) & 0x0000FFFF0000FFFFL) * a2;
        return (z & 0xFFFFFFFFL) + (z >>> 32) * a4;
    }

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
        byte[] s = blockOf;
        if (a < blocks) {
            // some block is empty: renumber the used ones (with every block used the numbering is the identity)
            if (sym.length < n) {
                sym = new byte[Math.max(n, sym.length + (sym.length >> 1))];
            }
            s = sym;
            for (int i = 0; i < n; i++) {
                s[i] = toCompact[blockOf[i]];
            }
        }
        double floor = entropy && a > 1 ? Entropy.bytes(counts, blocks, n) : 0;
        if (entropy
                && a > 1
                && floor < radixBytes
                && Entropy.ransLowerBound(floor, Entropy.used(counts, blocks), n) < radixBytes) {
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
        preparePowers(a, g);
        int[] pw = powers;
        int fullBits = IndexCoder.bitsFor(pow(a, g) - 1);
        int end = (int) (p + radixBytes);
        int i = 0;
        int fullEnd = n - n % g;
        // a group is sum s[i+j] * a^j < a^g <= 2^31: its whole 8-symbol chunks summed in the lanes of a long, the
        // rest as three products (at most 3 symbols) or one more masked chunk, while every load stays inside the
        // array; the bits gather in a local accumulator while its 8-byte stores stay below end
        int whole = g >>> 3;
        boolean tailProducts = (g & 7) <= 3;
        int span = (whole << 3) + (tailProducts ? 3 : 8);
        long lastMask = (1L << ((g & 7) << 3)) - 1;
        long a1 = a;
        long a2 = a1 * a1;
        long a4 = a2 * a2;
        long[] cs = chunkScale;
        long t0 = tailScale[0];
        long t1 = tailScale[1];
        long t2 = tailScale[2];
        int swarEnd = Math.min(fullEnd, s.length - span + 1);
        int last = end - 8;
        long acc = 0;
        int filled = 0;
        if (whole == 1 && tailProducts) {
            // 8 to 11 symbols (6 to 14 blocks): one chunk and the products, without the chunk loop
            for (; i < swarEnd && p <= last; i += g) {
                long v = radix8(ByteIo.getLong(s, i), a1, a2, a4) + s[i + 8] * t0 + s[i + 9] * t1 + s[i + 10] * t2;
                acc |= v << filled;
                filled += fullBits;
                ByteIo.putLong(dst, p, acc);
                p += filled >>> 3;
                acc >>>= filled & 56;
                filled &= 7;
            }
        }
        for (; i < swarEnd && p <= last; i += g) {
            long v = 0;
            for (int c = 0; c < whole; c++) {
                v += radix8(ByteIo.getLong(s, i + (c << 3)), a1, a2, a4) * cs[c];
            }
            int t = i + (whole << 3);
            if (tailProducts) {
                v += s[t] * t0 + s[t + 1] * t1 + s[t + 2] * t2;
            } else {
                v += radix8(ByteIo.getLong(s, t) & lastMask, a1, a2, a4) * cs[whole];
            }
            acc |= v << filled;
            filled += fullBits;
            ByteIo.putLong(dst, p, acc);
            p += filled >>> 3;
            acc >>>= filled & 56;
            filled &= 7;
        }
        BitWriter w = writer.reset(dst, p, end);
        w.write(acc, filled);
        for (; i < fullEnd; i += g) {
            int v = 0;
            for (int j = 0; j < g; j++) {
                v += s[i + j] * pw[j];
            }
            w.write(v, fullBits);
        }
        if (i < n) {
            int cnt = n - i;
            int v = 0;
            for (int j = 0; j < cnt; j++) {
                v += s[i + j] * pw[j];
            }
            w.write(v, IndexCoder.bitsFor(pow(a, cnt) - 1));
        }
        return w.finish() - off;
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
        int[] tc = tallyCompact;
        java.util.Arrays.fill(tc, 0, Math.max(a, 1), 0);
        if (mode == RANS) {
            MalformedFrameException.verify(a > 1, at, "rANS membership with one block");
            rans.decode(buf, start, len, blockOf, 0, n);
            int bad = 0;
            for (int i = 0; i < n; i++) {
                int c = blockOf[i] & 0xFF;
                bad |= (a - 1) - c;
                blockOf[i] = toBlock[c];
                tc[c]++;
            }
            MalformedFrameException.verify(bad >= 0, at, "membership symbol out of range");
        } else {
            if (!(mode == RADIX)) {
                throw new MalformedFrameException(at, "unknown membership mode " + mode);
            }
            MalformedFrameException.verify(len == (radixBits(n, a) + 7) / 8, at, "membership length mismatch");
            if (a <= 1) {
                byte only = a == 1 ? toBlock[0] : 0;
                java.util.Arrays.fill(blockOf, 0, n, only);
                MalformedFrameException.verify(a == 1 || n == 0, at, "membership without blocks");
                tc[0] = n;
            } else {
                int g = groupSize(a);
                prepareDivisors(a, g);
                reader.reset(buf, start, len, 0);
                long full = pow(a, g);
                int fullBits = IndexCoder.bitsFor(full - 1);
                long[] mg = magic;
                int[] sh = magicShift;
                byte[] tb = toBlock;
                int i = 0;
                int fullEnd = n - n % g;
                // full groups: digit j is floor(v / a^j) - a * floor(v / a^(j+1)), each quotient an exact
                // multiply-shift, so the digits do not depend on each other
                if (a <= 8) {
                    // up to 8 blocks: the tally lives in a register, 8 bits per block, flushed every 8 groups
                    // (at most 8 * 31 < 256 symbols), so no counter goes through memory per symbol
                    long packed = 0;
                    int groups = 0;
                    while (i < fullEnd) {
                        long lv = readLong(fullBits);
                        MalformedFrameException.verify(lv < full, at, "membership group out of range");
                        long v = lv;
                        int prev = (int) lv;
                        for (int j = 1; j <= g; j++) {
                            int q = (int) ((v * mg[j]) >>> sh[j]);
                            int r = prev - q * a;
                            blockOf[i + j - 1] = tb[r];
                            packed += 1L << (r << 3);
                            prev = q;
                        }
                        i += g;
                        if (++groups == 8) {
                            flushTally(packed, a, tc);
                            packed = 0;
                            groups = 0;
                        }
                    }
                    flushTally(packed, a, tc);
                } else {
                    while (i < fullEnd) {
                        long lv = readLong(fullBits);
                        MalformedFrameException.verify(lv < full, at, "membership group out of range");
                        long v = lv;
                        int prev = (int) lv;
                        for (int j = 1; j <= g; j++) {
                            int q = (int) ((v * mg[j]) >>> sh[j]);
                            int r = prev - q * a;
                            blockOf[i + j - 1] = tb[r];
                            tc[r]++;
                            prev = q;
                        }
                        i += g;
                    }
                }
                if (i < n) {
                    int cnt = n - i;
                    long lim = pow(a, cnt);
                    long lv = readLong(IndexCoder.bitsFor(lim - 1));
                    MalformedFrameException.verify(lv < lim, at, "membership group out of range");
                    long v = lv;
                    int prev = (int) lv;
                    for (int j = 1; j <= cnt; j++) {
                        int q = (int) ((v * mg[j]) >>> sh[j]);
                        int r = prev - q * a;
                        blockOf[i + j - 1] = tb[r];
                        tc[r]++;
                        prev = q;
                    }
                }
            }
        }
        int c = 0;
        for (int b = 0; b < blocks; b++) {
            int want = counts[b];
            int got = want > 0 ? tc[c++] : 0;
            tally[b] = got;
            MalformedFrameException.verify(got == want, at, "membership does not match block counts");
        }
    }

    private static void flushTally(long packed, int a, int[] tc) {
        for (int x = 0; x < a; x++) {
            tc[x] += (int) (packed >>> (x << 3)) & 0xFF;
        }
    }

    private final int[] tallyCompact = new int[256];
    private final long[] magic = new long[32];
    private final int[] magicShift = new int[32];
    private int magicBase;

    /**
     * Exact division by {@code a^j} ({@code j = 1..g}, {@code a^g <= 2^31}) for dividends below {@code 2^31}:
     * {@code floor(v / d) = (v * m) >>> s} with {@code s = 31 + ceil(log2 d)} and {@code m = ceil(2^s / d)}
     * (Granlund-Montgomery; {@code v * m < 2^63}).
     */
    private void prepareDivisors(int a, int g) {
        if (magicBase == a) {
            return;
        }
        long d = 1;
        for (int j = 1; j <= g; j++) {
            d *= a;
            int s = 31 + (64 - Long.numberOfLeadingZeros(d - 1));
            magic[j] = ((1L << s) + d - 1) / d;
            magicShift[j] = s;
        }
        magicBase = a;
    }
}
