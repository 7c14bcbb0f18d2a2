package dev.slicer.codec;

/**
 * What a frame says about itself.
 *
 * @param version frame format version
 * @param dtype element type the tensor had when encoded
 * @param shape tensor shape
 * @param settings the knobs it was encoded with (for LOSSLESS: {@link CodecSettings#lossless()} with the entropy flag)
 * @param frameBytes total frame length, CRC included
 * @param headerBytes bytes before the payload
 * @param payloadBytes payload length
 */
public record FrameHeader(
        int version,
        DType dtype,
        TensorShape shape,
        CodecSettings settings,
        int frameBytes,
        int headerBytes,
        int payloadBytes) {

    public CodecMode mode() {
        return settings.mode();
    }

    public int elementCount() {
        return shape.elementCount();
    }

    /** Bits per element of this frame (all bytes, header and CRC included). */
    public double bitsPerElement() {
        return shape.elementCount() == 0 ? 0 : 8.0 * frameBytes / shape.elementCount();
    }
}
