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
        int p = dstOff;
        int i = 0;
        if (bits >= 1 && bits <= 8) {
            // eight codes make exactly `bits` whole bytes: build them in a register (pairs, then quads of at most
            // 32 bits, then the word) and store one 8-byte word while that word stays inside the output (its
            // bytes past the group are zero and rewritten next)
            long room = Math.min(packedBytes(count, bits), dst.length - (long) dstOff);
            int stop = room < 8 ? 0 : (int) Math.min(count >>> 3, (room - 8) / bits + 1) << 3;
            int two = 2 * bits;
            int four = 4 * bits;
            for (; i < stop; i += 8) {
                int o = off + i;
                int q0 = codes[o] | codes[o + 1] << bits | (codes[o + 2] | codes[o + 3] << bits) << two;
                int q1 = codes[o + 4] | codes[o + 5] << bits | (codes[o + 6] | codes[o + 7] << bits) << two;
                ByteIo.putLong(dst, p, (q0 & 0xFFFFFFFFL) | (long) q1 << four);
                p += bits;
            }
        }
        long acc = 0;
        int filled = 0;
        // whole 32-bit words while they fill up (acc holds under 32 + 32 bits), then the last 0..7 bytes
        for (; i < count; i++) {
            acc |= (codes[off + i] & 0xFFFFFFFFL) << filled;
            filled += bits;
            if (filled >= 32) {
                ByteIo.putInt(dst, p, (int) acc);
                p += 4;
                acc >>>= 32;
                filled -= 32;
            }
        }
        for (; filled > 0; filled -= 8) {
            dst[p++] = (byte) acc;
            acc >>>= 8;
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
