package dev.slicer.bench.baseline;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import dev.slicer.bench.method.TensorCompressor;

/** zstd (native, zstd-jni) at a given level over the little-endian fp32 bytes: lossless. */
public final class ZstdFp32 implements TensorCompressor {

    private final ZstdCompressCtx compressor;
    private final ZstdDecompressCtx decompressor = new ZstdDecompressCtx();
    private final Fp32Bytes scratch = new Fp32Bytes();

    public ZstdFp32(int level) {
        compressor = new ZstdCompressCtx().setLevel(level);
    }

    @Override
    public int maxEncodedBytes(int rows, int cols) {
        return Math.toIntExact(Zstd.compressBound(4L * rows * cols));
    }

    @Override
    public int encode(float[] src, int srcOff, int rows, int cols, byte[] dst, int dstOff) {
        int n = rows * cols;
        byte[] raw = scratch.putFloats(src, srcOff, n);
        return compressor.compressByteArray(dst, dstOff, dst.length - dstOff, raw, 0, 4 * n);
    }

    @Override
    public void decode(byte[] src, int srcOff, int len, int rows, int cols, float[] dst, int dstOff) {
        int n = rows * cols;
        byte[] raw = scratch.ensure(4 * n);
        int got = decompressor.decompressByteArray(raw, 0, 4 * n, src, srcOff, len);
        if (got != 4 * n) {
            throw new IllegalStateException("zstd produced " + got + " bytes, expected " + 4 * n);
        }
        scratch.getFloats(dst, dstOff, n);
    }

    @Override
    public void close() {
        compressor.close();
        decompressor.close();
    }
}
