package dev.slicer.codec;

/** A frame (or a section of one) that does not follow the format; carries the byte offset of the fault. */
public class MalformedFrameException extends CodecException {
    private final long offset;

    public MalformedFrameException(long offset, String reason) {
        super(reason + " (at byte " + offset + ")");
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }

    /** Central check for decoders: throws when {@code condition} is false. */
    public static void verify(boolean condition, long offset, String reason) {
        if (!condition) {
            throw new MalformedFrameException(offset, reason);
        }
    }
}
