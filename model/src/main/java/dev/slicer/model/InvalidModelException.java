package dev.slicer.model;

/** The file is not a readable ONNX model: corrupt, truncated, not ONNX, or missing external data. */
public class InvalidModelException extends ModelException {
    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
