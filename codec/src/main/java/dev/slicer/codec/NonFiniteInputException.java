package dev.slicer.codec;

/** A lossy mode was given NaN or an infinity; only {@link CodecMode#LOSSLESS} carries non-finite values. */
public final class NonFiniteInputException extends CodecException {
    private final long index;

    public NonFiniteInputException(long index, float value) {
        super("non-finite value " + value + " at element " + index + ": lossy modes accept finite values only");
        this.index = index;
    }

    /** Element index (relative to the tensor start) of the first non-finite value. */
    public long index() {
        return index;
    }
}
