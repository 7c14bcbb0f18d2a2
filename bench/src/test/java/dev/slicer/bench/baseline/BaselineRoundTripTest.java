package dev.slicer.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.bench.method.MethodSpec;
import dev.slicer.bench.method.Methods;
import dev.slicer.bench.method.TensorCompressor;
import dev.slicer.codec.HalfFloats;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BaselineRoundTripTest {

    /** Named inputs: shape and values. */
    static Stream<Arguments> dataSets() {
        SplittableRandom rnd = new SplittableRandom(7);
        float[] gaussian = new float[37 * 16];
        for (int i = 0; i < gaussian.length; i++) {
            gaussian[i] = (float) ((rnd.nextDouble() - 0.5) * 6 + (i % 16 == 3 ? 40 : 0));
        }
        float[] constant = new float[5 * 8];
        java.util.Arrays.fill(constant, 2.5f);
        float[] zeros = new float[3 * 4];
        float[] odd = {1.5f, -2.25f, 3.0f, 0.125f, -7.5f, 0f, 9.75f};
        return Stream.of(
                Arguments.of("gaussian with outlier channel", gaussian, 37, 16),
                Arguments.of("constant", constant, 5, 8),
                Arguments.of("zeros", zeros, 3, 4),
                Arguments.of("odd count", odd, 7, 1),
                Arguments.of("single", new float[] {-0.3f}, 1, 1));
    }

    private static float[] roundTrip(TensorCompressor c, float[] x, int rows, int cols) {
        int pad = 5;
        byte[] frame = new byte[pad + c.maxEncodedBytes(rows, cols)];
        float[] src = new float[x.length + 3];
        System.arraycopy(x, 0, src, 3, x.length);
        int len = c.encode(src, 3, rows, cols, frame, pad);
        assertThat(len).isPositive().isLessThanOrEqualTo(frame.length - pad);
        float[] out = new float[x.length + 2];
        c.decode(frame, pad, len, rows, cols, out, 2);
        return java.util.Arrays.copyOfRange(out, 2, 2 + x.length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dataSets")
    void losslessBaselinesAreBitExact(String name, float[] x, int rows, int cols) {
        for (MethodSpec m : Methods.baselines()) {
            if (!m.lossless()) {
                continue;
            }
            try (TensorCompressor c = m.create()) {
                float[] y = roundTrip(c, x, rows, cols);
                for (int i = 0; i < x.length; i++) {
                    assertThat(Float.floatToRawIntBits(y[i]))
                            .as("%s element %d", m.id(), i)
                            .isEqualTo(Float.floatToRawIntBits(x[i]));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dataSets")
    void int8ErrorIsAtMostHalfAStep(String name, float[] x, int rows, int cols) {
        checkAffine(new PerTensorInt8(), 255, x, rows, cols);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dataSets")
    void int4ErrorIsAtMostHalfAStep(String name, float[] x, int rows, int cols) {
        checkAffine(new PerTensorInt4(), 15, x, rows, cols);
    }

    private static void checkAffine(TensorCompressor c, int levels, float[] x, int rows, int cols) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double step = ((double) max - min) / levels;
        float[] y = roundTrip(c, x, rows, cols);
        for (int i = 0; i < x.length; i++) {
            // half a step plus float rounding of min + q * scale
            double tolerance = step / 2 + 1e-5 * (Math.abs(max) + Math.abs(min));
            assertThat(Math.abs((double) y[i] - x[i])).as("element %d", i).isLessThanOrEqualTo(tolerance);
        }
        int expectedBytes = 8 + (levels == 255 ? x.length : (x.length + 1) / 2);
        assertThat(c.maxEncodedBytes(rows, cols)).isEqualTo(expectedBytes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dataSets")
    void fp16BaselinesEqualTheCast(String name, float[] x, int rows, int cols) {
        float[] viaCast = roundTrip(new Fp16Cast(), x, rows, cols);
        float[] viaZstd;
        try (ZstdFp16 z = new ZstdFp16(1)) {
            viaZstd = roundTrip(z, x, rows, cols);
        }
        for (int i = 0; i < x.length; i++) {
            float expected = HalfFloats.fp16ToFloat(HalfFloats.floatToFp16(x[i]));
            assertThat(viaCast[i]).isEqualTo(expected);
            assertThat(viaZstd[i]).isEqualTo(expected);
            assertThat(Math.abs(viaCast[i] - x[i])).isLessThanOrEqualTo(Math.abs(x[i]) * 0x1p-11f + 0x1p-25f);
        }
        assertThat(new Fp16Cast().maxEncodedBytes(rows, cols)).isEqualTo(2 * x.length);
    }
}
