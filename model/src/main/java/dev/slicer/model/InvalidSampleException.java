package dev.slicer.model;

/** A given sample input is unusable: missing, malformed, of the wrong type or shape, or for no input of the model. */
public class InvalidSampleException extends ModelException {
    public InvalidSampleException(String message) {
        super(message);
    }

    public InvalidSampleException(String message, Throwable cause) {
        super(message, cause);
    }
}
