package dev.slicer.bench.baseline;

import dev.slicer.bench.method.TensorCompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;

/**
 * aircompressor's pure-Java zstd over fp32 bytes: lossless. Version 0.27 has no level knob; it compresses at zstd's
 * default level 3.
 */
public final class AirZstdFp32 implements TensorCompressor {

    private final ZstdCompressor compressor = new ZstdCompressor();
    private final ZstdDecompressor decompressor = new ZstdDecompressor();
    private final Fp32Bytes scratch = new Fp32Bytes();

    @Override
    public int maxEncodedBytes(int rows, int cols) {
        return compressor.maxCompressedLength(4 * rows * cols);
    }

    @Override
    public int encode(float[] src, int srcOff, int rows, int cols, byte[] dst, int dstOff) {
        int n = rows * cols;
        byte[] raw = scratch.putFloats(src, srcOff, n);
        return compressor.compress(raw, 0, 4 * n, dst, dstOff, dst.length - dstOff);
    }

    @Override
    public void decode(byte[] src, int srcOff, int len, int rows, int cols, float[] dst, int dstOff) {
        int n = rows * cols;
        byte[] raw = scratch.ensure(4 * n);
        int got = decompressor.decompress(src, srcOff, len, raw, 0, 4 * n);
        if (got != 4 * n) {
            throw new IllegalStateException("aircompressor zstd produced " + got + " bytes, expected " + 4 * n);
        }
        scratch.getFloats(dst, dstOff, n);
    }
}
