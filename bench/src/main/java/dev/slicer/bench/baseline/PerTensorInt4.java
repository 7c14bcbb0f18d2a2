package dev.slicer.bench.baseline;

import dev.slicer.bench.method.TensorCompressor;

/**
 * Per-tensor asymmetric int4: one (min, scale) pair per tensor, 16 levels, two values per byte (low nibble first);
 * 4 bits per element plus an 8-byte header. Reconstruction error is at most {@code scale / 2} per element.
 */
public final class PerTensorInt4 implements TensorCompressor {

    private static final int LEVELS = 15;

    @Override
    public int maxEncodedBytes(int rows, int cols) {
        return Affine.HEADER_BYTES + (rows * cols + 1) / 2;
    }

    @Override
    public int encode(float[] src, int srcOff, int rows, int cols, byte[] dst, int dstOff) {
        int n = rows * cols;
        float[] p = Affine.fit(src, srcOff, n, LEVELS, dst, dstOff);
        float min = p[0];
        float inv = Affine.inverse(p[1]);
        int out = dstOff + Affine.HEADER_BYTES;
        int pairs = n / 2;
        for (int i = 0; i < pairs; i++) {
            int lo = Affine.quantize(src[srcOff + 2 * i], min, inv, LEVELS);
            int hi = Affine.quantize(src[srcOff + 2 * i + 1], min, inv, LEVELS);
            dst[out + i] = (byte) (lo | hi << 4);
        }
        if ((n & 1) != 0) {
            dst[out + pairs] = (byte) Affine.quantize(src[srcOff + n - 1], min, inv, LEVELS);
        }
        return Affine.HEADER_BYTES + (n + 1) / 2;
    }

    @Override
    public void decode(byte[] src, int srcOff, int len, int rows, int cols, float[] dst, int dstOff) {
        int n = rows * cols;
        if (len != Affine.HEADER_BYTES + (n + 1) / 2) {
            throw new IllegalArgumentException("int4 payload of " + len + " bytes for " + n + " elements");
        }
        float min = Affine.getFloat(src, srcOff);
        float scale = Affine.getFloat(src, srcOff + 4);
        int in = srcOff + Affine.HEADER_BYTES;
        int pairs = n / 2;
        for (int i = 0; i < pairs; i++) {
            int b = src[in + i];
            dst[dstOff + 2 * i] = min + (b & 0x0f) * scale;
            dst[dstOff + 2 * i + 1] = min + ((b >>> 4) & 0x0f) * scale;
        }
        if ((n & 1) != 0) {
            dst[dstOff + n - 1] = min + (src[in + pairs] & 0x0f) * scale;
        }
    }
}
