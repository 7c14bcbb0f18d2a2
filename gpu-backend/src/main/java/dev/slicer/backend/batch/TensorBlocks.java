package dev.slicer.backend.batch;

import java.lang.reflect.Array;

/**
 * Copies an axis-aligned block between two row-major arrays of the same rank: stacking requests into a padded
 * batch and slicing the batch's outputs back are both this one copy.
 */
final class TensorBlocks {
    private TensorBlocks() {}

    /**
     * Copies the block of shape {@code block}, starting at row {@code srcRow} of {@code src} (shape {@code srcShape})
     * and at row {@code dstRow} of {@code dst} (shape {@code dstShape}); every other axis starts at 0.
     */
    static void copy(Object src, long[] srcShape, long srcRow, Object dst, long[] dstShape, long dstRow, long[] block) {
        int rank = block.length;
        for (long d : block) {
            if (d == 0) {
                return;
            }
        }
        long[] srcStride = strides(srcShape);
        long[] dstStride = strides(dstShape);
        int run = (int) block[rank - 1];
        if (rank == 1) {
            System.arraycopy(src, (int) srcRow, dst, (int) dstRow, run);
            return;
        }
        long[] idx = new long[rank - 1];
        while (true) {
            long s = (srcRow + idx[0]) * srcStride[0];
            long t = (dstRow + idx[0]) * dstStride[0];
            for (int a = 1; a < rank - 1; a++) {
                s += idx[a] * srcStride[a];
                t += idx[a] * dstStride[a];
            }
            System.arraycopy(src, (int) s, dst, (int) t, run);
            int a = rank - 2;
            while (a >= 0 && ++idx[a] == block[a]) {
                idx[a] = 0;
                a--;
            }
            if (a < 0) {
                return;
            }
        }
    }

    /** A zero-filled array of {@code like}'s element type. */
    static Object zeros(Object like, long elements) {
        return Array.newInstance(like.getClass().getComponentType(), Math.toIntExact(elements));
    }

    private static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }
}
