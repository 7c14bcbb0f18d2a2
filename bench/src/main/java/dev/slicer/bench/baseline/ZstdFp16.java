package dev.slicer.bench.baseline;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import dev.slicer.bench.method.TensorCompressor;

/** fp16 cast, then zstd (native, zstd-jni) at a given level over the little-endian fp16 bytes. */
public final class ZstdFp16 implements TensorCompressor {

    private final ZstdCompressCtx compressor;
    private final ZstdDecompressCtx decompressor = new ZstdDecompressCtx();
    private final Fp32Bytes scratch = new Fp32Bytes();
    private short[] halves = new short[0];

    public ZstdFp16(int level) {
        compressor = new ZstdCompressCtx().setLevel(level);
    }

    @Override
    public int maxEncodedBytes(int rows, int cols) {
        return Math.toIntExact(Zstd.compressBound(2L * rows * cols));
    }

    @Override
    public int encode(float[] src, int srcOff, int rows, int cols, byte[] dst, int dstOff) {
        int n = rows * cols;
        short[] h = halves(n);
        Half.encode(src, srcOff, n, h);
        byte[] raw = scratch.putShorts(h, n);
        return compressor.compressByteArray(dst, dstOff, dst.length - dstOff, raw, 0, 2 * n);
    }

    @Override
    public void decode(byte[] src, int srcOff, int len, int rows, int cols, float[] dst, int dstOff) {
        int n = rows * cols;
        byte[] raw = scratch.ensure(2 * n);
        int got = decompressor.decompressByteArray(raw, 0, 2 * n, src, srcOff, len);
        if (got != 2 * n) {
            throw new IllegalStateException("zstd produced " + got + " bytes, expected " + 2 * n);
        }
        short[] h = halves(n);
        scratch.getShorts(h, n);
        Half.decode(h, n, dst, dstOff);
    }

    private short[] halves(int n) {
        if (halves.length < n) {
            halves = new short[n];
        }
        return halves;
    }

    @Override
    public void close() {
        compressor.close();
        decompressor.close();
    }
}
