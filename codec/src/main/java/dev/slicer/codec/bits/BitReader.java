package dev.slicer.codec.bits;

import dev.slicer.codec.MalformedFrameException;

/** LSB-first bit reader over {@code [off, off+len)}; reading past the end raises {@link MalformedFrameException}. */
public final class BitReader {
    private byte[] buf;
    private int pos;
    private int end;
    private long acc;
    private int avail;
    private long base;

    public BitReader reset(byte[] src, int off, int len, long frameBase) {
        this.buf = src;
        this.pos = off;
        this.end = off + len;
        this.acc = 0;
        this.avail = 0;
        this.base = frameBase;
        return this;
    }

    private void refill(int need) {
        if (end - pos >= 8) {
            // branch-free: load 8 bytes, keep the whole bytes that fit
            acc |= ByteIo.getLong(buf, pos) << avail;
            int bytes = (63 - avail) >>> 3;
            pos += bytes;
            avail += bytes << 3;
            if (avail < 64) {
                acc &= (1L << avail) - 1;
            }
            return;
        }
        while (avail <= 56 && pos < end) {
            acc |= (buf[pos++] & 0xFFL) << avail;
            avail += 8;
        }
        if (avail < need) {
            throw new MalformedFrameException(base + pos, "bit stream truncated");
        }
    }

    /** Reads {@code bits} (0..32) bits. */
    public int read(int bits) {
        if (avail < bits) {
            refill(bits);
        }
        int v = (int) (acc & ((1L << bits) - 1));
        acc >>>= bits;
        avail -= bits;
        return v;
    }

    /** Reads a unary code: the count of one-bits before the next zero, which must not exceed {@code max}. */
    public int unary(int max) {
        int n = 0;
        while (true) {
            if (avail == 0) {
                refill(1);
            }
            long inv = ~acc;
            int ones = inv == 0 ? 64 : Long.numberOfTrailingZeros(inv);
            if (ones < avail) {
                n += ones;
                acc = ones == 63 ? 0 : acc >>> (ones + 1);
                avail -= ones + 1;
                if (n > max) {
                    throw new MalformedFrameException(base + pos, "unary run exceeds " + max);
                }
                return n;
            }
            n += avail;
            acc = 0;
            avail = 0;
            if (n > max) {
                throw new MalformedFrameException(base + pos, "unary run exceeds " + max);
            }
        }
    }

    /**
     * Reads a Golomb-Rice code with parameter {@code r} (0..30): a unary quotient of at most {@code maxQ} one-bits,
     * a zero, then {@code r} low bits; returns {@code quotient << r | low}. Same as {@link #unary} then
     * {@link #read}, with one refill and no loop for the common short codes.
     */
    public long rice(int r, int maxQ) {
        if (avail < 32 && end - pos >= 8) {
            refill(0);
        }
        long a = acc;
        int ones = Long.numberOfTrailingZeros(~a);
        int used = ones + 1 + r;
        if (used <= avail && used < 64 && ones <= maxQ) {
            long low = (a >>> (ones + 1)) & ((1L << r) - 1);
            acc = a >>> used;
            avail -= used;
            return ((long) ones << r) | low;
        }
        int q = unary(maxQ);
        return ((long) q << r) | read(r);
    }

    /** Bytes not yet pulled into the bit buffer plus whole bytes still buffered. */
    public int bytesConsumed(int off) {
        return pos - off - (avail >>> 3);
    }
}
