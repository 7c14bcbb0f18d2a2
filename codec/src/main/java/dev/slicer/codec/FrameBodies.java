package dev.slicer.codec;

import dev.slicer.codec.frame.FrameFormat;
import java.util.Arrays;
import java.util.Objects;

/**
 * Frames without their header, for a stream of frames whose header both ends already know: the per-token frames of
 * an AR session, whose dtype and settings the hand-off frame fixed and whose shape is one position. A <i>body</i> is
 * what follows the header: the payload and the CRC32C. The CRC still covers the implied header, so a body restored
 * under another header (other settings, dtype or shape) fails with {@link ChecksumMismatchException} instead of
 * decoding into wrong values. On a 512-wide token the header is 36 of about 450 bytes.
 */
public final class FrameBodies {
    private FrameBodies() {}

    /** The body of the whole frame at {@code frame[off, off+len)}: its bytes after the header. */
    public static byte[] body(byte[] frame, int off, int len, DecodeLimits limits) {
        Objects.checkFromIndexSize(off, len, frame.length);
        FrameFormat.Parsed p = FrameFormat.parse(frame, off, len, limits);
        int end = off + p.headerBytes() + p.payloadBytes() + FrameFormat.CRC_BYTES;
        return Arrays.copyOfRange(frame, off + p.headerBytes(), end);
    }

    /**
     * The whole frame {@code body[off, off+len)} stands for under the header {@code (dtype, shape, settings)}
     * imply. Its length is checked against {@code limits} before anything is allocated; the CRC and the payload
     * are checked by {@link FrameDecoder} as for any frame.
     */
    public static byte[] frame(
            DType dtype,
            TensorShape shape,
            CodecSettings settings,
            byte[] body,
            int off,
            int len,
            DecodeLimits limits) {
        Objects.checkFromIndexSize(off, len, body.length);
        if (len < FrameFormat.CRC_BYTES) {
            throw new MalformedFrameException(0, "frame body too short: " + len + " bytes, the CRC alone is 4");
        }
        int header = FrameFormat.headerBytes(shape, settings);
        if (header + (long) len > limits.maxFrameBytes()) {
            throw new FrameLimitExceededException(0, "frame bytes", header + (long) len, limits.maxFrameBytes());
        }
        if (shape.elementCount() > limits.maxElements()) {
            throw new FrameLimitExceededException(0, "element count", shape.elementCount(), limits.maxElements());
        }
        byte[] frame = new byte[header + len];
        FrameFormat.writeHeader(frame, 0, dtype, shape, settings);
        FrameFormat.setPayloadLength(frame, 0, header, len - FrameFormat.CRC_BYTES);
        System.arraycopy(body, off, frame, header, len);
        return frame;
    }
}
