package dev.slicer.model;

/** A quantization request on a model (or front) with no float weight the quantizer would change. */
public class NothingToQuantizeException extends ModelException {
    public NothingToQuantizeException(String message) {
        super(message);
    }
}
