package dev.slicer.model;

/** A request gives a scalar input another value than the one the served (specialized) model was built for. */
public class PinnedInputException extends ModelException {
    public PinnedInputException(String message) {
        super(message);
    }
}
