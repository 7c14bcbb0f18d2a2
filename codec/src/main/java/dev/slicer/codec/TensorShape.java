package dev.slicer.codec;

import java.util.Arrays;

/**
 * Shape of a dense row-major tensor. Row-wise modes treat the last dimension as a row (a token's hidden
 * state) and all leading dimensions as rows.
 */
public final class TensorShape {
    public static final int MAX_RANK = 8;

    private final int[] dims;
    private final long elements;

    private TensorShape(int[] dims) {
        if (dims.length == 0 || dims.length > MAX_RANK) {
            throw new IllegalArgumentException("rank must be 1.." + MAX_RANK + ", got " + dims.length);
        }
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
            // saturate: any product beyond the frame limit is rejected below, and a zero dimension wins
            n = n > Integer.MAX_VALUE ? n : n * d;
        }
        for (int d : dims) {
            if (d == 0) {
                n = 0;
            }
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor too large for one frame: " + n + " elements");
        }
        this.dims = dims.clone();
        this.elements = n;
    }

    public static TensorShape of(int... dims) {
        return new TensorShape(dims);
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i];
    }

    public int[] dims() {
        return dims.clone();
    }

    public int elementCount() {
        return (int) elements;
    }

    /** Length of one row: the last dimension. */
    public int cols() {
        return dims[dims.length - 1];
    }

    /** Number of rows: product of all but the last dimension. */
    public int rows() {
        return cols() == 0 ? 0 : (int) (elements / cols());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorShape t && Arrays.equals(dims, t.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
