package dev.slicer.codec.bits;

import dev.slicer.codec.MalformedFrameException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian fixed-width and LEB128 varint access to byte arrays. Writers assume the caller sized the buffer;
 * readers used on frames go through a {@link Reader}, which checks every access against its bound and raises
 * {@link MalformedFrameException} with the offending offset.
 */
public final class ByteIo {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private ByteIo() {}

    public static void putInt(byte[] b, int off, int v) {
        INT.set(b, off, v);
    }

    public static int getInt(byte[] b, int off) {
        return (int) INT.get(b, off);
    }

    public static void putLong(byte[] b, int off, long v) {
        LONG.set(b, off, v);
    }

    public static long getLong(byte[] b, int off) {
        return (long) LONG.get(b, off);
    }

    public static void putShort(byte[] b, int off, short v) {
        SHORT.set(b, off, v);
    }

    public static short getShort(byte[] b, int off) {
        return (short) SHORT.get(b, off);
    }

    /** Bytes an unsigned LEB128 varint of {@code v} (treated as unsigned) takes. */
    public static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    /** Writes an unsigned LEB128 varint; returns bytes written. */
    public static int putVarint(byte[] b, int off, long v) {
        int p = off;
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p - off;
    }

    /** Bounds-checked sequential reader over {@code [off, off+len)} of a frame. */
    public static final class Reader {
        private final byte[] buf;
        private final int end;
        private final long base;
        private int pos;

        /**
         * @param base offset of {@code buf[0]} in the frame, so error offsets are frame-relative
         */
        public Reader(byte[] buf, int off, int len, long base) {
            this.buf = buf;
            this.pos = off;
            this.end = off + len;
            this.base = base;
        }

        /** The backing array (positions returned by {@link #take} index into it). */
        public byte[] buffer() {
            return buf;
        }

        public int position() {
            return pos;
        }

        public int remaining() {
            return end - pos;
        }

        /** Frame offset of the next byte, for error messages. */
        public long offset() {
            return base + pos;
        }

        public void need(long n, String what) {
            if (!(n >= 0 && n <= end - pos)) {
                throw new MalformedFrameException(
                        offset(), what + " truncated: need " + n + " bytes, have " + (end - pos));
            }
        }

        public int u8(String what) {
            need(1, what);
            return buf[pos++] & 0xFF;
        }

        public short i16(String what) {
            need(2, what);
            short v = getShort(buf, pos);
            pos += 2;
            return v;
        }

        public int i32(String what) {
            need(4, what);
            int v = getInt(buf, pos);
            pos += 4;
            return v;
        }

        public long i64(String what) {
            need(8, what);
            long v = getLong(buf, pos);
            pos += 8;
            return v;
        }

        public float f32(String what) {
            return Float.intBitsToFloat(i32(what));
        }

        public double f64(String what) {
            return Double.longBitsToDouble(i64(what));
        }

        /** Unsigned varint of at most 63 bits. */
        public long varint(String what) {
            long v = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                need(1, what);
                int b = buf[pos++] & 0xFF;
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (!(shift < 56 || (b >>> (63 - shift)) == 0)) {
                        throw new MalformedFrameException(offset() - 1, what + " varint overflows");
                    }
                    return v;
                }
            }
            throw new MalformedFrameException(offset(), what + " varint too long");
        }

        /** Unsigned varint of up to 64 bits (10 bytes), e.g. a zigzag-coded seed. */
        public long varint64(String what) {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                need(1, what);
                int b = buf[pos++] & 0xFF;
                if (shift == 63 && b > 1) {
                    throw new MalformedFrameException(offset() - 1, what + " varint overflows");
                }
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new MalformedFrameException(offset(), what + " varint too long");
        }

        /** Varint that must lie in {@code [0, max]}; returned as int. */
        public int varintUpTo(long max, String what) {
            long at = offset();
            long v = varint(what);
            if (!(v <= max && v <= Integer.MAX_VALUE)) {
                throw new MalformedFrameException(at, what + " " + v + " exceeds " + max);
            }
            return (int) v;
        }

        /** Skips {@code n} bytes after checking they exist; returns the array offset where they start. */
        public int take(long n, String what) {
            need(n, what);
            int start = pos;
            pos += (int) n;
            return start;
        }
    }
}
