package dev.slicer.backend.tail;

/** A request names a split this model does not have (or one this back-end cannot serve). */
public final class UnknownSplitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownSplitException(String message) {
        super(message);
    }
}
