package dev.slicer.codec;

/** A byte budget too small for any frame of the tensor (not even at the coarsest step). */
public final class ByteBudgetException extends CodecException {
    public ByteBudgetException(long smallest, long budget) {
        super("byte budget " + budget + " is below the smallest frame of this tensor, " + smallest + " bytes");
    }
}
