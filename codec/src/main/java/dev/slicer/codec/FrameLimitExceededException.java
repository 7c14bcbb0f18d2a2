package dev.slicer.codec;

/** A frame declares more elements or bytes than the decoder's {@link DecodeLimits} allow; raised before allocating. */
public final class FrameLimitExceededException extends MalformedFrameException {
    public FrameLimitExceededException(long offset, String what, long declared, long limit) {
        super(offset, what + " " + declared + " exceeds the limit " + limit);
    }
}
