package dev.slicer.codec.tabq;

/** IEEE 754 binary16 conversions (Java 17 has none), with round-to-nearest-even and directed rounding. */
final class Half {
    /** Largest finite half value. */
    static final float MAX = 65504f;
    /** Smallest positive normal half value, 2^-14. */
    static final float MIN_NORMAL = 0x1p-14f;

    private Half() {}

    /** Nearest half (ties to even); overflow gives infinity, NaN stays NaN. */
    static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = bits >>> 16 & 0x8000;
        int abs = bits & 0x7FFFFFFF;
        if (abs >= 0x7F800000) {
            return (short) (sign | 0x7C00 | (abs > 0x7F800000 ? 0x200 | (abs >>> 13 & 0x3FF) : 0));
        }
        if (abs >= 0x38800000) {
            int e = abs - 0x38000000;
            int h = (e + 0xFFF + (e >>> 13 & 1)) >>> 13;
            return (short) (sign | Math.min(h, 0x7C00));
        }
        int h = (int) Math.rint(Float.intBitsToFloat(abs) * 0x1p24);
        return (short) (sign | h);
    }

    static float toFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int e = h >>> 10 & 0x1F;
        int m = h & 0x3FF;
        if (e == 0) {
            float v = m * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (e == 31) {
            return Float.intBitsToFloat(sign | 0x7F800000 | m << 13);
        }
        return Float.intBitsToFloat(sign | (e + 112) << 23 | m << 13);
    }

    /** Largest half not above {@code f} (finite {@code f}); may be negative infinity. */
    static short roundDown(float f) {
        short h = fromFloat(f);
        if (toFloat(h) > f) {
            int b = h & 0xFFFF;
            h = (short) (b == 0 ? 0x8001 : (b & 0x8000) == 0 ? b - 1 : b + 1);
        }
        return h;
    }

    /** Smallest half not below {@code f} (finite {@code f}); may be positive infinity. */
    static short roundUp(float f) {
        short h = fromFloat(f);
        if (toFloat(h) < f) {
            int b = h & 0xFFFF;
            h = (short) (b == 0x8000 ? 0x0001 : (b & 0x8000) == 0 ? b + 1 : b - 1);
        }
        return h;
    }
}
