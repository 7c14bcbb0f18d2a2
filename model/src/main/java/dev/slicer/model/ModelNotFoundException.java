package dev.slicer.model;

/** A model reference (builtin name, file path or URL) could not be resolved to a file. */
public class ModelNotFoundException extends ModelException {
    public ModelNotFoundException(String message) {
        super(message);
    }

    public ModelNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
