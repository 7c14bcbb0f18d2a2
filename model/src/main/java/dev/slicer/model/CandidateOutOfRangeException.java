package dev.slicer.model;

/** A split candidate index outside {@code [0, count)}. */
public class CandidateOutOfRangeException extends ModelException {
    private final int index;
    private final int count;

    public CandidateOutOfRangeException(int index, int count, String modelName) {
        super("split candidate " + index + " is out of range: " + modelName + " has " + count + " candidates (0.."
                + (count - 1) + ")");
        this.index = index;
        this.count = count;
    }

    public int index() {
        return index;
    }

    public int count() {
        return count;
    }
}
