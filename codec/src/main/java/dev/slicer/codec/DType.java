package dev.slicer.codec;

/** Element type of a tensor handed to the codec; half types arrive as raw 16-bit patterns. */
public enum DType {
    FP32(4),
    FP16(2),
    BF16(2);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }
}
