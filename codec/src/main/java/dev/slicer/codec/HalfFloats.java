package dev.slicer.codec;

/** Conversions between fp32 and the 16-bit formats fp16 (IEEE binary16) and bf16, on raw bit patterns. */
public final class HalfFloats {
    private HalfFloats() {}

    /** Exact widening of an fp16 pattern; NaN payloads are kept (shifted into the fp32 mantissa). */
    public static float fp16ToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            // subnormal: value = mant * 2^-24, exact in fp32
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Rounds to the nearest fp16 (ties to even); overflow gives infinity, NaN stays NaN. */
    public static short floatToFp16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;
        if (exp == 0xFF) {
            if (mant == 0) {
                return (short) (sign | 0x7C00);
            }
            int m = mant >>> 13;
            return (short) (sign | 0x7C00 | (m == 0 ? 0x200 : m));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            int m = mant | 0x800000;
            int shift = 14 - e;
            int half = m >>> shift;
            int rem = m & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1FFF;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
            half++;
        }
        return (short) (sign | half);
    }

    /** Exact widening of a bf16 pattern. */
    public static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }

    /** Rounds to the nearest bf16 (ties to even); NaN stays NaN. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7F800000) == 0x7F800000 && (bits & 0x7FFFFF) != 0) {
            int hi = bits >>> 16;
            return (short) ((hi & 0x7F) == 0 ? hi | 0x40 : hi);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    public static float toFloat(DType dtype, short bits) {
        return dtype == DType.BF16 ? bf16ToFloat(bits) : fp16ToFloat(bits);
    }

    public static short fromFloat(DType dtype, float f) {
        return dtype == DType.BF16 ? floatToBf16(f) : floatToFp16(f);
    }
}
