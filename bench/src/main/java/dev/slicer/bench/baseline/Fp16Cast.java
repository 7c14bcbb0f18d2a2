package dev.slicer.bench.baseline;

import dev.slicer.bench.method.TensorCompressor;
import dev.slicer.codec.HalfFloats;

/** fp32 to fp16 (round to nearest even), 16 bits per element, no header. */
public final class Fp16Cast implements TensorCompressor {

    @Override
    public int maxEncodedBytes(int rows, int cols) {
        return 2 * rows * cols;
    }

    @Override
    public int encode(float[] src, int srcOff, int rows, int cols, byte[] dst, int dstOff) {
        int n = rows * cols;
        for (int i = 0; i < n; i++) {
            short h = HalfFloats.floatToFp16(src[srcOff + i]);
            dst[dstOff + 2 * i] = (byte) h;
            dst[dstOff + 2 * i + 1] = (byte) (h >>> 8);
        }
        return 2 * n;
    }

    @Override
    public void decode(byte[] src, int srcOff, int len, int rows, int cols, float[] dst, int dstOff) {
        int n = rows * cols;
        if (len != 2 * n) {
            throw new IllegalArgumentException("fp16 payload of " + len + " bytes for " + n + " elements");
        }
        for (int i = 0; i < n; i++) {
            int h = (src[srcOff + 2 * i] & 0xff) | (src[srcOff + 2 * i + 1] & 0xff) << 8;
            dst[dstOff + i] = Half.toFloat((short) h);
        }
    }
}
