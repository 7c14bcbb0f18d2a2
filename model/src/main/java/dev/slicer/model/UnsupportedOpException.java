package dev.slicer.model;

/** An operator (or an operator configuration) that a transformation cannot handle. */
public class UnsupportedOpException extends ModelException {
    private final String opType;
    private final String nodeName;

    public UnsupportedOpException(String opType, String nodeName, String reason) {
        super("unsupported " + opType + " node '" + nodeName + "': " + reason);
        this.opType = opType;
        this.nodeName = nodeName;
    }

    public String opType() {
        return opType;
    }

    public String nodeName() {
        return nodeName;
    }
}
