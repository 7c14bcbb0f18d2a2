package dev.slicer.model;

/** A tensor name given by the user does not exist in the graph. */
public class UnknownTensorException extends ModelException {
    private final String tensorName;

    public UnknownTensorException(String tensorName, String modelName) {
        super("unknown tensor '" + tensorName + "' in model " + modelName);
        this.tensorName = tensorName;
    }

    public String tensorName() {
        return tensorName;
    }
}
