package dev.slicer.bench.baseline;

import dev.slicer.bench.method.TensorCompressor;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/** lz4-java, fastest available implementation (JNI when loadable), fast compressor, over fp32 bytes: lossless. */
public final class Lz4Fp32 implements TensorCompressor {

    private final LZ4Compressor compressor;
    private final LZ4SafeDecompressor decompressor;
    private final Fp32Bytes scratch = new Fp32Bytes();

    public Lz4Fp32() {
        LZ4Factory factory = LZ4Factory.fastestInstance();
        compressor = factory.fastCompressor();
        decompressor = factory.safeDecompressor();
    }

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
            throw new IllegalStateException("lz4 produced " + got + " bytes, expected " + 4 * n);
        }
        scratch.getFloats(dst, dstOff, n);
    }
}
