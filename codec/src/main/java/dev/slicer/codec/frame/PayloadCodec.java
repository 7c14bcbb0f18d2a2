package dev.slicer.codec.frame;

import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.TensorShape;

/**
 * One codec mode's payload: the bytes between the common frame header and the CRC. The frame layer owns magic,
 * version, dtype, shape, knobs and checksum; a payload codec owns only how values (and their positions) are
 * coded. Implementations are reusable and not thread-safe: they keep scratch buffers between calls.
 */
public interface PayloadCodec {

    /** Upper bound of {@link #encode} output for any tensor of this shape: part of the size bound B_UB. */
    long maxPayloadBytes(TensorShape shape, CodecSettings settings);

    /** Encodes {@code shape.elementCount()} values from {@code src[srcOff..]}; returns payload bytes written. */
    int encode(float[] src, int srcOff, TensorShape shape, CodecSettings settings, byte[] dst, int dstOff);

    /**
     * Decodes the payload {@code src[off, off+len)} into {@code dst[dstOff, dstOff+shape.elementCount())}.
     *
     * @throws dev.slicer.codec.MalformedFrameException on any inconsistency, never a wrong tensor
     */
    void decode(byte[] src, int off, int len, TensorShape shape, CodecSettings settings, float[] dst, int dstOff);

    /**
     * Drops scratch grown beyond a small size. The decoder calls it after a rejected payload, so a hostile frame
     * cannot leave memory behind that valid frames would not need; the next valid frame grows it again.
     */
    default void releaseScratch() {}
}
