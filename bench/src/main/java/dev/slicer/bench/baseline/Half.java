package dev.slicer.bench.baseline;

import dev.slicer.codec.HalfFloats;

/** fp16 conversion for the baselines: the codec's rounding (nearest even) one way, a 64 Ki-entry table back. */
final class Half {

    private static final float[] TO_FLOAT = new float[1 << 16];

    static {
        for (int h = 0; h < TO_FLOAT.length; h++) {
            TO_FLOAT[h] = HalfFloats.fp16ToFloat((short) h);
        }
    }

    private Half() {}

    static void encode(float[] src, int off, int n, short[] dst) {
        for (int i = 0; i < n; i++) {
            dst[i] = HalfFloats.floatToFp16(src[off + i]);
        }
    }

    static void decode(short[] src, int n, float[] dst, int off) {
        float[] table = TO_FLOAT;
        for (int i = 0; i < n; i++) {
            dst[off + i] = table[src[i] & 0xffff];
        }
    }

    static float toFloat(short h) {
        return TO_FLOAT[h & 0xffff];
    }
}
