package dev.slicer.codec;

/** Base of every error the codec raises; callers catch this one type. */
public class CodecException extends RuntimeException {
    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
