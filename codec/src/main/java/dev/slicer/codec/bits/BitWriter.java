package dev.slicer.codec.bits;

import java.util.Objects;

/**
 * LSB-first bit writer into {@code dst[off, end)}; reusable via {@link #reset}. At most 7 bits wait in the
 * accumulator: every write stores 8 whole bytes and advances past the complete ones, so there is no data-dependent
 * flush branch. Near {@code end} it falls back to single bytes.
 */
public final class BitWriter {
    /** Most bits one {@link #write} takes: 7 waiting bits plus 56 still fit the 64-bit accumulator. */
    public static final int MAX_BITS = 56;

    private byte[] buf;
    private int pos;
    private int end;
    private long acc;
    private int filled;

    /**
     * Starts writing at {@code dst[off]}; the caller sizes {@code end} to hold every bit it writes, and the 8-byte
     * stores never reach {@code dst[end..]}.
     */
    public BitWriter reset(byte[] dst, int off, int end) {
        Objects.checkFromToIndex(off, end, dst.length);
        this.buf = dst;
        this.pos = off;
        this.end = end;
        this.acc = 0;
        this.filled = 0;
        return this;
    }

    /** Writes the low {@code bits} (0..56) bits of {@code value}. */
    public void write(long value, int bits) {
        long a = acc | ((value & ((1L << bits) - 1)) << filled);
        int f = filled + bits;
        int p = pos;
        if (p <= end - 8) {
            ByteIo.putLong(buf, p, a);
            int whole = f >>> 3;
            pos = p + whole;
            acc = a >>> (whole << 3);
            filled = f & 7;
        } else {
            while (f >= 8) {
                buf[p++] = (byte) a;
                a >>>= 8;
                f -= 8;
            }
            pos = p;
            acc = a;
            filled = f;
        }
    }

    /** Golomb-Rice code: {@code q} one-bits, a zero, then the low {@code r} (0..30) bits of {@code low}. */
    public void rice(int q, int low, int r) {
        if (q + 1 + r <= MAX_BITS) {
            write(((1L << q) - 1) | ((low & ((1L << r) - 1)) << (q + 1)), q + 1 + r);
        } else {
            unary(q);
            write(low, r);
        }
    }

    /**
     * Golomb-Rice codes (parameter {@code r}, 0..30) of {@code v[0..n)} (non-negative). Four small values are coded
     * together by two table entries, with the writer state in locals: a fraction of the work of {@link #rice} per
     * value. A quad with a value past the table or longer than {@link #MAX_BITS} goes through {@link #rice}.
     */
    public void riceAll(int[] v, int n, int r) {
        long[] t = pairTable(r);
        int pairGaps = pairGaps(r);
        int i = 0;
        while (n - i >= 4) {
            // a run of quads whose 8-byte stores surely stay below end: a quad advances at most 7 bytes
            int stop = Math.min(n - 3, i + 4 * ((end - 8 - pos) / 7));
            if (stop <= i) {
                break;
            }
            i = quads(v, i, stop, t, pairGaps);
            if (i < stop) {
                riceEach(v, i, i + 4, r);
                i += 4;
            }
        }
        riceEach(v, i, n, r);
    }

    /**
     * Codes the quads of {@code v[i, stop)} while they fit the table and {@link #MAX_BITS}; returns where it stopped.
     * Kept apart from the general path, so that the loop state stays in registers.
     */
    private int quads(int[] v, int i, int stop, long[] t, int pairGaps) {
        byte[] b = buf;
        int p = pos;
        long a = acc;
        int f = filled;
        for (; i < stop; i += 4) {
            int g0 = v[i];
            int g1 = v[i + 1];
            int g2 = v[i + 2];
            int g3 = v[i + 3];
            long e0 = t[(g0 | g1 << 5) & 1023];
            long e1 = t[(g2 | g3 << 5) & 1023];
            int l0 = (int) e0 & 63;
            int len = l0 + ((int) e1 & 63);
            if (((g0 | g1 | g2 | g3) >= pairGaps) | (len > MAX_BITS)) {
                break;
            }
            a |= ((e0 >>> 6) | (e1 >>> 6) << l0) << f;
            f += len;
            ByteIo.putLong(b, p, a);
            p += f >>> 3;
            a >>>= f & 56;
            f &= 7;
        }
        pos = p;
        acc = a;
        filled = f;
        return i;
    }

    private void riceEach(int[] v, int from, int to, int r) {
        for (int k = from; k < to; k++) {
            rice(v[k] >>> r, v[k], r);
        }
    }

    private final long[] pairCodes = new long[32 * 32];
    private int pairParam = -1;

    /**
     * Gaps below this are coded in pairs through {@link #pairTable}: 32 (pairs of at most 2 * (16 + r) bits), but
     * 16 for {@code r = 0} and none above {@code r = 24}, so that a pair fits {@link #MAX_BITS}.
     */
    private static int pairGaps(int r) {
        return r == 0 ? 16 : r <= 24 ? 32 : 0;
    }

    /**
     * Entry {@code g0 | g1 << 5} ({@code g0, g1 < pairGaps(r)}): the Rice codes of {@code g0} then {@code g1}
     * shifted up by 6, with their bit length in the low 6 bits. Kept for the last parameter.
     */
    private long[] pairTable(int r) {
        if (pairParam != r) {
            int lim = pairGaps(r);
            for (int g1 = 0; g1 < lim; g1++) {
                for (int g0 = 0; g0 < lim; g0++) {
                    int q0 = g0 >>> r;
                    int q1 = g1 >>> r;
                    int l0 = q0 + 1 + r;
                    int l1 = q1 + 1 + r;
                    long c0 = ((1L << q0) - 1) | ((long) g0 & ((1L << r) - 1)) << (q0 + 1);
                    long c1 = ((1L << q1) - 1) | ((long) g1 & ((1L << r) - 1)) << (q1 + 1);
                    pairCodes[g0 | g1 << 5] = (c0 | c1 << l0) << 6 | (l0 + l1);
                }
            }
            pairParam = r;
        }
        return pairCodes;
    }

    /** Writes {@code n} one-bits followed by a zero (unary code of n). */
    public void unary(int n) {
        while (n >= MAX_BITS) {
            write(-1L, MAX_BITS);
            n -= MAX_BITS;
        }
        write((1L << n) - 1, n + 1);
    }

    /** Flushes the partial byte; returns the position after the last byte written. */
    public int finish() {
        if (filled > 0) {
            buf[pos++] = (byte) acc;
        }
        acc = 0;
        filled = 0;
        return pos;
    }
}
