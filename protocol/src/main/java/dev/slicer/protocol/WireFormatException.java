package dev.slicer.protocol;

/** A tensor or message on the wire that does not describe what it claims, or exceeds the receiver's limits. */
public final class WireFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }
}
