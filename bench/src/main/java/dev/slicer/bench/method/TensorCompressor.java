package dev.slicer.bench.method;

/**
 * One compression method under test: encodes a row-major fp32 tensor {@code [rows, cols]} into bytes and decodes it
 * back to fp32. Instances are stateful (scratch buffers, native contexts) and single-threaded; create one per thread.
 */
public interface TensorCompressor extends AutoCloseable {

    /** Upper bound of {@link #encode} output for a {@code [rows, cols]} tensor. */
    int maxEncodedBytes(int rows, int cols);

    /** Encodes {@code rows * cols} floats from {@code src[srcOff..]} into {@code dst[dstOff..]}; returns the bytes written. */
    int encode(float[] src, int srcOff, int rows, int cols, byte[] dst, int dstOff);

    /** Decodes {@code len} bytes from {@code src[srcOff..]} into {@code rows * cols} floats at {@code dst[dstOff..]}. */
    void decode(byte[] src, int srcOff, int len, int rows, int cols, float[] dst, int dstOff);

    /** Releases native resources; the default has none. */
    @Override
    default void close() {}
}
