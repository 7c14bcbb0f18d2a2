package dev.slicer.model;

/** Base of every error the model module reports to a user; the message names the problem. */
public class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
