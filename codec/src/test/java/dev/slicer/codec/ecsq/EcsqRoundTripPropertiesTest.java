package dev.slicer.codec.ecsq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.DecodeLimits;
import dev.slicer.codec.FrameDecoder;
import dev.slicer.codec.FrameEncoder;
import dev.slicer.codec.FrameHeader;
import dev.slicer.codec.SizeBound;
import dev.slicer.codec.TensorShape;
import dev.slicer.codec.TestTensors;
import dev.slicer.codec.TestTensors.Kind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** ECSQ round trips over random shapes, distributions, magnitudes and steps. */
class EcsqRoundTripPropertiesTest {

    record Case(int rows, int cols, Kind kind, long seed, double scale, CodecSettings settings) {
        float[] tensor() {
            float[] x = TestTensors.make(kind, rows, cols, seed);
            for (int i = 0; i < x.length; i++) {
                x[i] *= (float) scale;
            }
            return x;
        }

        TensorShape shape() {
            return rows == 1 ? TensorShape.of(cols) : TensorShape.of(rows, cols);
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> rows = Arbitraries.integers().between(1, 48);
        Arbitrary<Integer> cols = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 8), Arbitraries.integers().between(1, 512));
        Arbitrary<Double> scale = Arbitraries.of(1.0, 1e-30, 1e-3, 1e6, 1e30, 3e36);
        Arbitrary<Double> step = Arbitraries.oneOf(
                Arbitraries.of(CodecSettings.MIN_STEP, 0.01, 0.49, 2.0, CodecSettings.MAX_STEP),
                Arbitraries.doubles().between(CodecSettings.MIN_STEP, 8).ofScale(4));
        Arbitrary<CodecSettings> settings = Combinators.combine(step, Arbitraries.of(true, false))
                .as((st, pr) -> CodecSettings.ecsq().step(st).predict(pr).build());
        return Combinators.combine(rows, cols, Arbitraries.of(Kind.class), Arbitraries.longs(), scale, settings)
                .as(Case::new);
    }

    @Property(tries = 250)
    void everyValueIsWithinHalfAStepAndTheFrameFitsTheBound(@ForAll("cases") Case c) {
        float[] x = c.tensor();
        TensorShape shape = c.shape();
        CodecSettings s = c.settings();
        byte[] frame = new byte[(int) SizeBound.maxFrameBytes(shape, s)];
        int n = FrameEncoder.create().encode(x, 0, shape, s, frame, 0);
        float[] y = new float[shape.elementCount()];
        FrameHeader h = FrameDecoder.create(DecodeLimits.defaults()).decode(frame, 0, n, y, 0);
        assertThat(h.settings()).isEqualTo(s);
        assertThat(h.frameBytes()).isEqualTo(n);

        float d = EcsqPayloadCodec.step(x, 0, x.length, s.step(), false);
        float max = 0;
        for (float v : x) {
            max = Math.max(max, Math.abs(v));
        }
        // half a step, plus the fp32 rounding of the residual, the prediction and q * D
        double slack = 0.5 * d * (1 + 1e-6) + 8 * Math.ulp(max + d);
        for (int i = 0; i < x.length; i++) {
            assertThat(Float.isFinite(y[i])).as("value %d finite", i).isTrue();
            assertThat(Math.abs((double) y[i] - x[i]))
                    .as("error of value %d", i)
                    .isLessThanOrEqualTo(slack);
        }
    }
}
