package dev.slicer.planner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.codec.TensorShape;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.planner.search.Theta;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IfFramingTest {
    static final int ROWS = 6;
    static final int COLS = 64;

    private static HostTensor activation() {
        Random r = new Random(7);
        float[] v = new float[ROWS * COLS];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return HostTensor.ofFloats(new long[] {1, ROWS, COLS}, v);
    }

    @Test
    void aDecoderSendsTheFirstHalfAsItsHandOffThenOneFramePerToken() {
        assertThat(IfFraming.AUTOREGRESSIVE.frames(TensorShape.of(16, 64)))
                .containsExactly(TensorShape.of(8, 64), TensorShape.of(1, 64));
        assertThat(IfFraming.AUTOREGRESSIVE.frames(TensorShape.of(1, 64))).containsExactly(TensorShape.of(1, 64));
        assertThat(IfFraming.WHOLE.frames(TensorShape.of(16, 64))).containsExactly(TensorShape.of(16, 64));
        assertThat(IfFraming.of(SplittableModel.load("builtin:tiny-llama"))).isEqualTo(IfFraming.AUTOREGRESSIVE);
        assertThat(IfFraming.of(SplittableModel.load("builtin:minilm"))).isEqualTo(IfFraming.WHOLE);
    }

    /** The calibration and plan check round-trip an fp16 theta as the edge sends it: each value rounded to fp16. */
    @Test
    void anFp16ThetaRoundTripsAsTheEdgeSendsIt() {
        CodecRoundTrip codec = new CodecRoundTrip();
        HostTensor t = activation();
        float[] v = t.floats();
        float[] half = IfFraming.WHOLE.roundTrip(codec, t, Theta.losslessHalf()).floats();
        float[] full = IfFraming.WHOLE.roundTrip(codec, t, Theta.lossless()).floats();
        assertThat(full).containsExactly(v);
        assertThat(half).isNotEqualTo(v);
        for (int i = 0; i < v.length; i++) {
            assertThat(half[i])
                    .isEqualTo(dev.slicer.codec.HalfFloats.fp16ToFloat(dev.slicer.codec.HalfFloats.floatToFp16(v[i])));
        }
    }

    @Test
    void theRoundTripEncodesEachFrameOnItsOwn() {
        CodecRoundTrip codec = new CodecRoundTrip();
        Theta theta = Theta.ecsq(12, false);
        HostTensor t = activation();
        float[] v = t.floats();
        float[] framed = IfFraming.AUTOREGRESSIVE.roundTrip(codec, t, theta).floats();
        int handOff = IfFraming.handOffRows(ROWS);
        float[] first = codec.roundTrip(Arrays.copyOf(v, handOff * COLS), TensorShape.of(handOff, COLS), theta);
        assertThat(Arrays.copyOf(framed, handOff * COLS)).containsExactly(first);
        for (int r : List.of(handOff, ROWS - 1)) {
            float[] row =
                    codec.roundTrip(Arrays.copyOfRange(v, r * COLS, (r + 1) * COLS), TensorShape.of(1, COLS), theta);
            assertThat(Arrays.copyOfRange(framed, r * COLS, (r + 1) * COLS)).containsExactly(row);
        }
        assertThat(framed)
                .as("per-token frames are not the whole-sequence frame")
                .isNotEqualTo(IfFraming.WHOLE.roundTrip(codec, t, theta).floats());
        assertThat(IfFraming.AUTOREGRESSIVE
                        .roundTrip(codec, t, Theta.lossless())
                        .floats())
                .containsExactly(v);
    }
}
