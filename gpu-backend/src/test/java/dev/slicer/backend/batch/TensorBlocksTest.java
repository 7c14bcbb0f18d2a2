package dev.slicer.backend.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TensorBlocksTest {
    @Test
    void padsIntoALargerBatchAndSlicesBack() {
        // request: 1 x 2 x 3, placed at row 1 of a 2 x 4 x 3 batch
        float[] src = {1, 2, 3, 4, 5, 6};
        float[] batch = new float[2 * 4 * 3];
        TensorBlocks.copy(src, new long[] {1, 2, 3}, 0, batch, new long[] {2, 4, 3}, 1, new long[] {1, 2, 3});
        float[] expected = new float[24];
        System.arraycopy(src, 0, expected, 12, 6);
        assertThat(batch).containsExactly(expected);

        float[] back = new float[6];
        TensorBlocks.copy(batch, new long[] {2, 4, 3}, 1, back, new long[] {1, 2, 3}, 0, new long[] {1, 2, 3});
        assertThat(back).containsExactly(src);
    }

    @Test
    void copiesRankOneAndRankTwoAndSkipsEmptyBlocks() {
        long[] ids = {7, 8};
        long[] batch = new long[5];
        TensorBlocks.copy(ids, new long[] {2}, 0, batch, new long[] {5}, 3, new long[] {2});
        assertThat(batch).containsExactly(0, 0, 0, 7, 8);

        int[] mask = {1, 1, 1};
        int[] padded = new int[2 * 4];
        TensorBlocks.copy(mask, new long[] {1, 3}, 0, padded, new long[] {2, 4}, 1, new long[] {1, 3});
        assertThat(padded).containsExactly(0, 0, 0, 0, 1, 1, 1, 0);

        TensorBlocks.copy(mask, new long[] {1, 3}, 0, padded, new long[] {2, 4}, 0, new long[] {0, 3});
        assertThat(padded).containsExactly(0, 0, 0, 0, 1, 1, 1, 0);
    }
}
