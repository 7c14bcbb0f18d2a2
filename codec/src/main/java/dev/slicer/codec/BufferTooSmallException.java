package dev.slicer.codec;

/** The caller's output buffer cannot hold the result; size it with {@link SizeBound}. */
public final class BufferTooSmallException extends CodecException {
    public BufferTooSmallException(long needed, long available) {
        super("output buffer too small: need " + needed + " bytes/elements, have " + available);
    }
}
