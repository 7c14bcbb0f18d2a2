package dev.slicer.bench.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTest {

    @Test
    void tensorSetRoundTripsThroughAFile(@TempDir Path dir) throws IOException {
        TensorSet set = TensorSet.of(
                "t", "two tensors", 2, List.of(new float[] {1, -2, 3.5f, Float.MIN_VALUE}, new float[] {-0f, 7}));
        assertThat(set.count()).isEqualTo(2);
        assertThat(set.rows(0)).isEqualTo(2);
        assertThat(set.offset(1)).isEqualTo(4);
        assertThat(set.fp32Bytes()).isEqualTo(24);
        Path file = dir.resolve("t.bin");
        set.write(file);
        TensorSet back = TensorSet.read(file);
        assertThat(back.name()).isEqualTo("t");
        assertThat(back.description()).isEqualTo("two tensors");
        assertThat(back.cols()).isEqualTo(2);
        assertThat(back.tensor(0)).containsExactly(1, -2, 3.5f, Float.MIN_VALUE);
        assertThat(Float.floatToRawIntBits(back.tensor(1)[0])).isEqualTo(Float.floatToRawIntBits(-0f));
    }

    @Test
    void syntheticSetsAreSeededAndShaped() {
        TensorSet a = SyntheticTensors.heavyTailed(1, 4, 8, 32);
        TensorSet b = SyntheticTensors.heavyTailed(1, 4, 8, 32);
        assertThat(a.data()).containsExactly(b.data());
        assertThat(a.count()).isEqualTo(4);
        assertThat(a.elements(3)).isEqualTo(8 * 32);

        TensorSet relu = SyntheticTensors.reluSparse(2, 8, 64, 384);
        long zeros = 0;
        for (float v : relu.data()) {
            assertThat(v).isGreaterThanOrEqualTo(0f);
            if (v == 0) {
                zeros++;
            }
        }
        double zeroFraction = (double) zeros / relu.totalElements();
        assertThat(zeroFraction).isBetween(0.5, 0.8);
    }

    @Test
    void unpaddedKeepsOnlyMaskedRows() {
        // batch of 2, length 3, hidden 2; item 1 has one padding row
        float[] out = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6};
        long[] mask = {1, 1, 1, 1, 1, 0};
        assertThat(MiniLmActivations.unpadded(out, mask, 1, 3, 2)).containsExactly(4, 4, 5, 5);
        assertThat(MiniLmActivations.unpadded(out, mask, 0, 3, 2)).containsExactly(1, 1, 2, 2, 3, 3);
    }
}
