package dev.slicer.codec.bits;

import dev.slicer.codec.MalformedFrameException;

/** Packs unsigned codes of 1..32 bits little-endian (LSB first) into bytes; static, allocation-free. */
public final class BitPacker {
    private BitPacker() {}

    /** Bytes needed for {@code count} codes of {@code bits} bits. */
    public static long packedBytes(long count, int bits) {
        return (count * bits + 7) >>> 3;
    }

    /** Packs {@code codes[off, off+count)}, each below {@code 2^bits}; returns bytes written. */
    public static int pack(int[] codes, int off, int count, int bits, byte[] dst, int dstOff) {
        long acc = 0;
        int filled = 0;
        int p = dstOff;
        for (int i = 0; i < count; i++) {
            acc |= (codes[off + i] & 0xFFFFFFFFL) << filled;
            filled += bits;
            while (filled >= 8) {
                dst[p++] = (byte) acc;
                acc >>>= 8;
                filled -= 8;
            }
        }
        if (filled > 0) {
            dst[p++] = (byte) acc;
        }
        return p - dstOff;
    }

    /** Unpacks {@code count} codes; throws when {@code src} holds fewer than {@link #packedBytes} bytes. */
    public static int unpack(byte[] src, int srcOff, int srcLen, int count, int bits, int[] codes, int off) {
        long need = packedBytes(count, bits);
        if (!(need <= srcLen)) {
            throw new MalformedFrameException(
                    srcOff, "packed codes truncated: need " + need + " bytes, have " + srcLen);
        }
        long mask = bits == 32 ? 0xFFFFFFFFL : (1L << bits) - 1;
        long acc = 0;
        int filled = 0;
        int p = srcOff;
        int i = 0;
        // whole 8-byte loads while they stay inside the packed bytes; the bytes a load takes are then consumed
        // whole, so acc holds exactly `filled` valid bits (at most 63)
        int fastEnd = srcOff + (int) need - 8;
        for (; i < count && p <= fastEnd; i++) {
            if (filled < bits) {
                acc |= ByteIo.getLong(src, p) << filled;
                int bytes = (63 - filled) >>> 3;
                p += bytes;
                filled += bytes << 3;
                acc &= (1L << filled) - 1;
            }
            codes[off + i] = (int) (acc & mask);
            acc >>>= bits;
            filled -= bits;
        }
        for (; i < count; i++) {
            while (filled < bits) {
                acc |= (src[p++] & 0xFFL) << filled;
                filled += 8;
            }
            codes[off + i] = (int) (acc & mask);
            acc >>>= bits;
            filled -= bits;
        }
        return (int) need;
    }
}
