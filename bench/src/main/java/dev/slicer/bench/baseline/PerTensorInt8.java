package dev.slicer.bench.baseline;

import dev.slicer.bench.method.TensorCompressor;

/**
 * Per-tensor asymmetric int8: one (min, scale) pair per tensor, 256 levels; 8 bits per element plus an 8-byte header.
 * Reconstruction error is at most {@code scale / 2} per element.
 */
public final class PerTensorInt8 implements TensorCompressor {

    private static final int LEVELS = 255;

    @Override
    public int maxEncodedBytes(int rows, int cols) {
        return Affine.HEADER_BYTES + rows * cols;
    }

    @Override
    public int encode(float[] src, int srcOff, int rows, int cols, byte[] dst, int dstOff) {
        int n = rows * cols;
        float[] p = Affine.fit(src, srcOff, n, LEVELS, dst, dstOff);
        float min = p[0];
        float inv = Affine.inverse(p[1]);
        int out = dstOff + Affine.HEADER_BYTES;
        for (int i = 0; i < n; i++) {
            dst[out + i] = (byte) Affine.quantize(src[srcOff + i], min, inv, LEVELS);
        }
        return Affine.HEADER_BYTES + n;
    }

    @Override
    public void decode(byte[] src, int srcOff, int len, int rows, int cols, float[] dst, int dstOff) {
        int n = rows * cols;
        if (len != Affine.HEADER_BYTES + n) {
            throw new IllegalArgumentException("int8 payload of " + len + " bytes for " + n + " elements");
        }
        float min = Affine.getFloat(src, srcOff);
        float scale = Affine.getFloat(src, srcOff + 4);
        int in = srcOff + Affine.HEADER_BYTES;
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = min + (src[in + i] & 0xff) * scale;
        }
    }
}
