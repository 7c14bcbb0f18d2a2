package dev.slicer.bench.baseline;

/**
 * Per-tensor asymmetric (affine) quantization parameters: {@code x ~ min + q * scale}, {@code q in [0, levels]},
 * {@code scale = (max - min) / levels}. Header: min and scale as little-endian fp32 (8 bytes).
 */
final class Affine {

    static final int HEADER_BYTES = 8;

    private Affine() {}

    /** Writes min and scale for {@code src[off..off+n)} to the header at {@code dst[dstOff..]}; returns {min, scale}. */
    static float[] fit(float[] src, int off, int n, int levels, byte[] dst, int dstOff) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off, end = off + n; i < end; i++) {
            float v = src[i];
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (n == 0) {
            min = 0;
            max = 0;
        }
        if (!Float.isFinite(min) || !Float.isFinite(max)) {
            throw new IllegalArgumentException("per-tensor quantization needs finite input");
        }
        float scale = (max - min) / levels;
        putFloat(dst, dstOff, min);
        putFloat(dst, dstOff + 4, scale);
        return new float[] {min, scale};
    }

    static int quantize(float v, float min, float inv, int levels) {
        int q = (int) ((v - min) * inv + 0.5f);
        return q > levels ? levels : Math.max(q, 0);
    }

    static float inverse(float scale) {
        return scale > 0 ? 1f / scale : 0f;
    }

    static void putFloat(byte[] b, int off, float v) {
        int bits = Float.floatToRawIntBits(v);
        b[off] = (byte) bits;
        b[off + 1] = (byte) (bits >>> 8);
        b[off + 2] = (byte) (bits >>> 16);
        b[off + 3] = (byte) (bits >>> 24);
    }

    static float getFloat(byte[] b, int off) {
        return Float.intBitsToFloat(
                (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24);
    }
}
