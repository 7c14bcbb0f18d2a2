package dev.slicer.codec.bits;

/** LSB-first bit writer into a caller-sized byte array; reusable via {@link #reset}. */
public final class BitWriter {
    private byte[] buf;
    private int pos;
    private long acc;
    private int filled;

    public BitWriter reset(byte[] dst, int off) {
        this.buf = dst;
        this.pos = off;
        this.acc = 0;
        this.filled = 0;
        return this;
    }

    /** Writes the low {@code bits} (0..32) bits of {@code value}. */
    public void write(int value, int bits) {
        if (bits == 0) {
            return;
        }
        acc |= (value & ((1L << bits) - 1)) << filled;
        filled += bits;
        if (filled >= 32) {
            flush32();
        }
    }

    private void flush32() {
        byte[] b = buf;
        int p = pos;
        long a = acc;
        b[p] = (byte) a;
        b[p + 1] = (byte) (a >>> 8);
        b[p + 2] = (byte) (a >>> 16);
        b[p + 3] = (byte) (a >>> 24);
        pos = p + 4;
        acc = a >>> 32;
        filled -= 32;
    }

    /** Golomb-Rice code: {@code q} one-bits, a zero, then the low {@code r} bits of {@code low}. */
    public void rice(int q, int low, int r) {
        if (q + 1 + r <= 32) {
            write(((1 << q) - 1) | (low << (q + 1)), q + 1 + r);
        } else {
            unary(q);
            write(low, r);
        }
    }

    /** Writes {@code n} one-bits followed by a zero (unary code of n). */
    public void unary(int n) {
        while (n >= 31) {
            write(0x7FFFFFFF, 31);
            n -= 31;
        }
        write((1 << n) - 1, n + 1);
    }

    /** Flushes the partial byte; returns the position after the last byte written. */
    public int finish() {
        while (filled > 0) {
            buf[pos++] = (byte) acc;
            acc >>>= 8;
            filled -= 8;
        }
        filled = 0;
        return pos;
    }
}
