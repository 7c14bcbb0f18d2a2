package dev.slicer.codec.index;

import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.bits.BitReader;
import dev.slicer.codec.bits.BitWriter;
import dev.slicer.codec.bits.ByteIo;
import dev.slicer.codec.bits.Entropy;
import dev.slicer.codec.rans.RansCoder;
import dev.slicer.codec.simd.IndexGaps;
import dev.slicer.codec.simd.Simd;

/**
 * Codes the sorted survivor positions of a flattened tensor, choosing per frame the smallest of:
 *
 * <ul>
 *   <li>{@code NONE} / {@code ALL}: no survivors, or every position (no bytes);
 *   <li>{@code BITMAP}: one bit per element, LSB first;
 *   <li>{@code BITMAP_RANS}: the bitmap bytes through rANS (entropy stage on);
 *   <li>{@code RICE}: Golomb-Rice codes of the gaps {@code p[i] - p[i-1] - 1} with parameter {@code r};
 *   <li>{@code CSR}: the tensor viewed as {@code N x K} ({@code K} divides {@code T}, chosen to minimise the bits):
 *       {@code N} row counts of {@code bits(min(K, n))} bits, then {@code n} column indices of {@code bits(K-1)}
 *       bits.
 * </ul>
 *
 * Section layout: {@code u8 mode, varint length, bytes}. CSR and RICE sizes are computed exactly without coding;
 * their data-independent upper bounds (at {@code n = k}) give the index part of the size bound B_UB.
 */
public final class IndexCoder {
    public static final int NONE = 0;
    public static final int ALL = 1;
    public static final int BITMAP = 2;
    public static final int BITMAP_RANS = 3;
    public static final int RICE = 4;
    public static final int CSR = 5;

    private final BitWriter writer = new BitWriter();
    private final BitReader reader = new BitReader();
    private final RansCoder rans;
    private final PositionBitmap bitmap = new PositionBitmap();
    private byte[] decoded = new byte[0];
    private byte[] packed = new byte[0];
    /** Rice values {@code pos[i] - pos[i-1] - 1} ({@code pos[-1] = -1}). */
    private int[] gaps = new int[0];
    /** Their sums {@code >>> r} for the three Rice parameters tried. */
    private final int[] riceSums = new int[3];
    /** Whether the gaps come from {@link IndexGaps} (the Vector API) rather than the scalar loops. */
    private final boolean vectorGaps;

    /** Mode forced by tests (-1: choose the smallest). */
    private int forced = -1;

    void force(int mode) {
        this.forced = mode;
    }

    /** Uses the Vector API kernel when {@link Simd#enabled()}. */
    public IndexCoder(RansCoder rans) {
        this(rans, Simd.enabled());
    }

    /** @param vectorGaps whether to use {@link IndexGaps} (requires {@link Simd#available()}) */
    IndexCoder(RansCoder rans, boolean vectorGaps) {
        this.rans = rans;
        this.vectorGaps = vectorGaps;
    }

    /** Bits needed for values {@code 0..maxValue}. */
    static int bitsFor(long maxValue) {
        return maxValue <= 0 ? 0 : 64 - Long.numberOfLeadingZeros(maxValue);
    }

    /** Exact CSR body bits for row length {@code k}. */
    static long csrBits(long elements, long n, long rowLen) {
        return (elements / rowLen) * bitsFor(Math.min(rowLen, n)) + n * bitsFor(rowLen - 1);
    }

    /** The row length minimising CSR bits (over divisors of {@code elements}). */
    static long bestCsrRow(long elements, long n) {
        long best = elements;
        long bestBits = csrBits(elements, n, elements);
        for (long d = 1; d * d <= elements; d++) {
            if (elements % d == 0) {
                long b1 = csrBits(elements, n, d);
                if (b1 < bestBits) {
                    bestBits = b1;
                    best = d;
                }
                long e = elements / d;
                long b2 = csrBits(elements, n, e);
                if (b2 < bestBits) {
                    bestBits = b2;
                    best = e;
                }
            }
        }
        return best;
    }

    /** Data-independent Rice bound {@code ceil((T-n)/2^r) + n(1+r)} bits; never below the exact size at r. */
    static long riceBound(long elements, long n, int r) {
        return ((elements - n + (1L << r) - 1) >> r) + n * (1 + r);
    }

    static int bestRiceBoundParam(long elements, long n) {
        int best = 0;
        long bestBits = Long.MAX_VALUE;
        for (int r = 0; r <= 30; r++) {
            long b = riceBound(elements, n, r);
            if (b < bestBits) {
                bestBits = b;
                best = r;
            }
        }
        return best;
    }

    /**
     * The size parameters of (elements, survivors): the best CSR row length, the Rice bound's parameter and the
     * section bound. Immutable, so a slot read racing a write sees a whole entry.
     */
    private record Sizing(long elements, long k, long csrRow, int riceParam, long sectionBytes) {}

    private static final int MEMO_SETS = 32;

    /**
     * {@link Sizing} per (elements, survivors), shared by all coders, two ways per set (a miss moves the set's first
     * entry to its second slot): the frames of a stream cycle through a few shapes, the size bound and the encoder both
     * ask per frame, and the CSR search costs a division per candidate row length.
     */
    private static final Sizing[] SIZINGS = new Sizing[2 * MEMO_SETS];

    private static Sizing sizing(long elements, long k) {
        int slot = (int) (((elements << 32 ^ k) * 0x9E3779B97F4A7C15L) >>> 59) << 1;
        Sizing first = SIZINGS[slot];
        if (first != null && first.elements == elements && first.k == k) {
            return first;
        }
        Sizing second = SIZINGS[slot + 1];
        if (second != null && second.elements == elements && second.k == k) {
            return second;
        }
        long row = bestCsrRow(elements, k);
        int riceParam = bestRiceBoundParam(elements, k);
        Sizing fresh = new Sizing(elements, k, row, riceParam, sectionBound(elements, k, row, riceParam));
        SIZINGS[slot + 1] = first;
        SIZINGS[slot] = fresh;
        return fresh;
    }

    /** Upper bound of the index section for at most {@code k} survivors among {@code elements}. */
    public static long maxSectionBytes(long elements, long k) {
        return k <= 0 ? 2 : sizing(elements, k).sectionBytes;
    }

    /** {@link #maxSectionBytes} computed afresh ({@code k >= 1}). */
    static long sectionBound(long elements, long k) {
        return sectionBound(elements, k, bestCsrRow(elements, k), bestRiceBoundParam(elements, k));
    }

    private static long sectionBound(long elements, long k, long csrRow, int riceParam) {
        long bitmapBytes = (elements + 7) >>> 3;
        long csrBytes = (csrBits(elements, k, csrRow) + 7) / 8 + ByteIo.varintSize(elements);
        long riceBytes = (riceBound(elements, k, riceParam) + 7) / 8 + 1;
        long body = Math.min(bitmapBytes, Math.min(csrBytes, riceBytes));
        return 1 + ByteIo.varintSize(body) + body;
    }

    /**
     * Writes the index section for {@code pos[0..n)} (strictly ascending, {@code < elements}); returns bytes
     * written. {@code dst} must have room for {@link #maxSectionBytes}.
     */
    public int encode(int[] pos, int n, int elements, boolean entropy, byte[] dst, int off) {
        if (n == 0 || n == elements) {
            dst[off] = (byte) (n == 0 ? NONE : ALL);
            dst[off + 1] = 0;
            return 2;
        }
        long bitmapBytes = (elements + 7L) >>> 3;
        Sizing sz = sizing(elements, n);
        long row = sz.csrRow;
        long csrBytes = (csrBits(elements, n, row) + 7) / 8 + ByteIo.varintSize(row);
        // Rice: exact sizes for parameters around the bound's optimum (which guarantees the bound)
        int r0 = Math.max(0, sz.riceParam - 1);
        int r1 = Math.min(30, r0 + 1);
        int r2 = Math.min(30, r0 + 2);
        if (gaps.length < n) {
            gaps = new int[Math.max(n, gaps.length + (gaps.length >> 1))];
        }
        // the gaps sum to less than elements, so the sums fit an int
        int[] sums = riceSums;
        if (vectorGaps) {
            IndexGaps.gaps(pos, n, gaps, r0, r1, r2, sums);
        } else {
            scalarGaps(pos, n, r0, r1, r2);
        }
        int rBest = r0;
        long riceBest = sums[0] + (long) n * (1 + r0);
        long b1 = sums[1] + (long) n * (1 + r1);
        long b2 = sums[2] + (long) n * (1 + r2);
        if (b1 < riceBest) {
            riceBest = b1;
            rBest = r1;
        }
        if (b2 < riceBest) {
            riceBest = b2;
            rBest = r2;
        }
        long riceBytes = (riceBest + 7) / 8 + 1;
        int mode = BITMAP;
        long best = bitmapBytes;
        if (riceBytes < best) {
            best = riceBytes;
            mode = RICE;
        }
        if (csrBytes < best) {
            best = csrBytes;
            mode = CSR;
        }
        int ransLen = -1;
        boolean built = false;
        if (entropy && bitmapBytes <= Integer.MAX_VALUE - 16) {
            int bb = (int) bitmapBytes;
            bitmap.build(pos, n, bb);
            built = true;
            int used = bitmap.countBytes(bb);
            // the quick entropy differs from Entropy's by rounding only (far below a byte), and both bounds are
            // monotone in it: a byte of margin rules out rANS exactly where Entropy's own test would
            double quick = bitmap.entropyBytes(bb, used);
            if (quick - 1 < best && Entropy.ransLowerBound(quick, used, bb) - 1 < best) {
                double floor = Entropy.bytes(bitmap.histogram(), 256, bb);
                if (floor < best && Entropy.ransLowerBound(floor, used, bb) < best) {
                    ransLen = encodeBitmapRans(bb);
                    if (ransLen < best) {
                        best = ransLen;
                        mode = BITMAP_RANS;
                    }
                }
            }
        }
        if (forced >= BITMAP) {
            mode = forced;
            if (mode == BITMAP_RANS && ransLen < 0) {
                int bb = (int) bitmapBytes;
                bitmap.build(pos, n, bb);
                built = true;
                ransLen = encodeBitmapRans(bb);
            }
            best = switch (mode) {
                case BITMAP -> bitmapBytes;
                case BITMAP_RANS -> ransLen;
                case RICE -> riceBytes;
                default -> csrBytes;
            };
        }
        dst[off] = (byte) mode;
        int p = off + 1 + ByteIo.putVarint(dst, off + 1, best);
        int end = (int) (p + best);
        switch (mode) {
            case BITMAP -> {
                int bb = (int) bitmapBytes;
                if (!built) {
                    bitmap.build(pos, n, bb);
                }
                System.arraycopy(bitmap.bytes(bb), 0, dst, p, bb);
                p += bb;
            }
            case BITMAP_RANS -> {
                System.arraycopy(packed, 0, dst, p, ransLen);
                p += ransLen;
            }
            case RICE -> {
                dst[p] = (byte) rBest;
                BitWriter w = writer.reset(dst, p + 1, end);
                w.riceAll(gaps, n, rBest);
                p = w.finish();
            }
            default -> {
                int k = (int) row;
                p += ByteIo.putVarint(dst, p, k);
                int rows = elements / k;
                int wr = bitsFor(Math.min(k, n));
                int wc = bitsFor(k - 1);
                BitWriter w = writer.reset(dst, p, end);
                int i = 0;
                for (int rr = 0; rr < rows; rr++) {
                    int limit = (rr + 1) * k;
                    int c = 0;
                    while (i + c < n && pos[i + c] < limit) {
                        c++;
                    }
                    w.write(c, wr);
                    i += c;
                }
                for (int j = 0; j < n; j++) {
                    w.write(pos[j] % k, wc);
                }
                p = w.finish();
            }
        }
        return p - off;
    }

    /** As {@link IndexGaps#gaps} into {@link #gaps} and {@link #riceSums}. */
    private void scalarGaps(int[] pos, int n, int r0, int r1, int r2) {
        int[] gp = gaps;
        gp[0] = pos[0];
        for (int i = 1; i < n; i++) {
            gp[i] = pos[i] - pos[i - 1] - 1;
        }
        int s0 = 0;
        int s1 = 0;
        int s2 = 0;
        for (int i = 0; i < n; i++) {
            int g = gp[i];
            s0 += g >>> r0;
            s1 += g >>> r1;
            s2 += g >>> r2;
        }
        riceSums[0] = s0;
        riceSums[1] = s1;
        riceSums[2] = s2;
    }

    private int encodeBitmapRans(int bb) {
        int cap = RansCoder.maxEncodedLength(bb);
        if (packed.length < cap) {
            packed = new byte[cap];
        }
        return rans.encode(bitmap.bytes(bb), 0, bb, packed, 0);
    }

    /**
     * Checks, without consuming it, that the index section at {@code in} can describe {@code n} survivors of
     * {@code elements}, so a decoder may size its position arrays: NONE holds none, ALL all, a bitmap at most
     * {@code elements}, Rice at most one per bit (each gap ends in a zero bit), CSR at most one per column-index bit
     * (or per row when the rows are one wide).
     */
    public static void checkDescribes(ByteIo.Reader in, int elements, int n) {
        ByteIo.Reader peek = new ByteIo.Reader(in.buffer(), in.position(), in.remaining(), in.offset() - in.position());
        long at = peek.offset();
        int mode = peek.u8("index mode");
        int len = peek.varintUpTo(peek.remaining(), "index length");
        long most =
                switch (mode) {
                    case NONE -> 0;
                    case ALL, BITMAP, BITMAP_RANS, CSR -> elements;
                    case RICE -> 8L * len;
                    default -> throw new MalformedFrameException(at, "unknown index mode " + mode);
                };
        MalformedFrameException.verify(n <= most, at, "index section cannot hold " + n + " survivors");
    }

    /**
     * Reads an index section of exactly {@code n} positions among {@code elements}, into {@code pos[0..n)}; every
     * inconsistency raises {@link MalformedFrameException}.
     */
    public void decode(ByteIo.Reader in, int elements, int n, int[] pos, long frameBase) {
        long at = in.offset();
        int mode = in.u8("index mode");
        int len = in.varintUpTo(in.remaining(), "index length");
        int start = in.take(len, "index section");
        byte[] buf = in.buffer();
        long base = frameBase;
        switch (mode) {
            case NONE -> MalformedFrameException.verify(n == 0 && len == 0, at, "index NONE with survivors");
            case ALL -> {
                MalformedFrameException.verify(n == elements && len == 0, at, "index ALL with wrong count");
                for (int i = 0; i < n; i++) {
                    pos[i] = i;
                }
            }
            case BITMAP -> {
                MalformedFrameException.verify(len == (elements + 7L) >>> 3, at, "bitmap length mismatch");
                readBitmap(buf, start, elements, n, pos, at);
            }
            case BITMAP_RANS -> {
                int bb = (int) ((elements + 7L) >>> 3);
                MalformedFrameException.verify(
                        bb <= RansCoder.maxSymbols(buf, start, len), at, "bitmap rANS block too short for the tensor");
                if (decoded.length < bb) {
                    decoded = new byte[Math.max(bb, decoded.length + (decoded.length >> 1))];
                }
                rans.decode(buf, start, len, decoded, 0, bb);
                readBitmap(decoded, 0, elements, n, pos, at);
            }
            case RICE -> {
                MalformedFrameException.verify(len >= 1, at, "rice parameter missing");
                int r = buf[start] & 0xFF;
                if (!(r <= 30)) {
                    throw new MalformedFrameException(at, "rice parameter " + r);
                }
                BitReader rd = reader.reset(buf, start + 1, len - 1, base);
                int prev = -1;
                int maxQ = elements >>> r;
                for (int i = 0; i < n; i++) {
                    long g = rd.rice(r, maxQ);
                    long p = prev + 1L + g;
                    MalformedFrameException.verify(p < elements, at, "rice position beyond the tensor");
                    prev = (int) p;
                    pos[i] = prev;
                }
                MalformedFrameException.verify(rd.bytesConsumed(start + 1) == len - 1, at, "rice trailing bytes");
            }
            case CSR -> {
                ByteIo.Reader sub = new ByteIo.Reader(buf, start, len, 0);
                long k = sub.varint("csr row length");
                MalformedFrameException.verify(k >= 1 && k <= elements && elements % k == 0, at, "csr row length");
                int kk = (int) k;
                int rows = elements / kk;
                int wr = bitsFor(Math.min(kk, n));
                int wc = bitsFor(kk - 1);
                long bodyBits = (long) rows * wr + (long) n * wc;
                int bodyStart = sub.position();
                MalformedFrameException.verify((bodyBits + 7) / 8 == start + len - bodyStart, at, "csr size");
                BitReader rd = reader.reset(buf, bodyStart, start + len - bodyStart, base);
                // row counts first: store row index temporarily in pos
                int i = 0;
                for (int rr = 0; rr < rows; rr++) {
                    int c = rd.read(wr);
                    MalformedFrameException.verify(c <= kk && c <= n - i, at, "csr row count");
                    for (int j = 0; j < c; j++) {
                        pos[i++] = rr;
                    }
                }
                MalformedFrameException.verify(i == n, at, "csr row counts do not sum to the survivors");
                int prev = -1;
                for (int j = 0; j < n; j++) {
                    int col = rd.read(wc);
                    MalformedFrameException.verify(col < kk, at, "csr column out of range");
                    long p = (long) pos[j] * kk + col;
                    MalformedFrameException.verify(p > prev, at, "csr columns not increasing");
                    prev = (int) p;
                    pos[j] = prev;
                }
            }
            default -> throw new MalformedFrameException(at, "unknown index mode " + mode);
        }
    }

    private static void readBitmap(byte[] b, int off, int elements, int n, int[] pos, long at) {
        int w = 0;
        int fullBytes = elements >>> 3;
        for (int j = 0; j < fullBytes; j++) {
            int v = b[off + j] & 0xFF;
            if (v != 0) {
                MalformedFrameException.verify(w + Integer.bitCount(v) <= n, at, "bitmap has too many survivors");
                int basePos = j << 3;
                while (v != 0) {
                    pos[w++] = basePos + Integer.numberOfTrailingZeros(v);
                    v &= v - 1;
                }
            }
        }
        int rest = elements & 7;
        if (rest != 0) {
            int v = b[off + fullBytes] & 0xFF;
            MalformedFrameException.verify((v >>> rest) == 0, at, "bitmap bits beyond the tensor");
            MalformedFrameException.verify(w + Integer.bitCount(v) <= n, at, "bitmap has too many survivors");
            while (v != 0) {
                pos[w++] = (fullBytes << 3) + Integer.numberOfTrailingZeros(v);
                v &= v - 1;
            }
        }
        MalformedFrameException.verify(w == n, at, "bitmap survivor count mismatch");
    }
}
