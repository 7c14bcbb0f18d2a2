package dev.slicer.operator.reconcile;

/** The spec fails validation; nothing is changed until the user fixes it. */
public class InvalidSpecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidSpecException(String message) {
        super(message);
    }
}
