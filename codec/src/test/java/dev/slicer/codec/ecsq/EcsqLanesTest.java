package dev.slicer.codec.ecsq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.TensorShape;
import dev.slicer.codec.TestTensors;
import dev.slicer.codec.TestTensors.Kind;
import dev.slicer.codec.simd.EcsqLanes;
import dev.slicer.codec.simd.Simd;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The eight-lane path ({@code EcsqLanes}) writes the same frames and decodes the same values as the scalar rule. */
class EcsqLanesTest {

    @Property(tries = 300)
    void lanesAndScalarGiveTheSameBytesAndValues(
            @ForAll Kind kind,
            @ForAll @IntRange(min = 1, max = 40) int rows,
            @ForAll @IntRange(min = 1, max = 70) int cols,
            @ForAll @DoubleRange(min = 0.01, max = 8) double step,
            @ForAll boolean predict,
            @ForAll long seed) {
        assumeThat(Simd.available()).isTrue();
        float[] x = TestTensors.make(kind, rows, cols, seed);
        SplittableRandom r = new SplittableRandom(seed);
        if (r.nextBoolean()) {
            // escapes (codes of 224 and above) mixed into lane groups, and values near the float range
            for (int k = 0; k < 1 + x.length / 20; k++) {
                x[r.nextInt(x.length)] = (float) (r.nextBoolean() ? r.nextGaussian() * 1e3 : r.nextGaussian() * 1e37);
            }
        }
        TensorShape shape = TensorShape.of(rows, cols);
        CodecSettings s = CodecSettings.ecsq().step(step).predict(predict).build();
        EcsqPayloadCodec lanes = new EcsqPayloadCodec(true);
        EcsqPayloadCodec scalar = new EcsqPayloadCodec(false);
        int cap = (int) EcsqPayloadCodec.maxPayload(shape);
        byte[] a = new byte[cap];
        byte[] b = new byte[cap];
        int na = lanes.encode(x, 0, shape, s, a, 0);
        int nb = scalar.encode(x, 0, shape, s, b, 0);
        assertThat(Arrays.copyOf(a, na)).isEqualTo(Arrays.copyOf(b, nb));

        float[] ya = new float[x.length];
        float[] yb = new float[x.length];
        new EcsqPayloadCodec(true).decode(a, 0, na, shape, s, ya, 0);
        new EcsqPayloadCodec(false).decode(a, 0, na, shape, s, yb, 0);
        for (int i = 0; i < x.length; i++) {
            assertThat(Float.floatToRawIntBits(ya[i])).isEqualTo(Float.floatToRawIntBits(yb[i]));
        }
    }

    @Property(tries = 300)
    void lanesAndScalarSumSquaresToTheSameBits(
            @ForAll @IntRange(min = 0, max = 5000) int t,
            @ForAll @IntRange(min = 0, max = 40) int off,
            @ForAll @DoubleRange(min = -30, max = 30) double log10Scale,
            @ForAll long seed) {
        assumeThat(Simd.available()).isTrue();
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[off + t + 7];
        double scale = Math.pow(10, log10Scale);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * scale);
        }
        double lanes = EcsqLanes.squareSum(x, off, t);
        double scalar = EcsqPayloadCodec.squareSum(x, off, t);
        assertThat(Double.doubleToRawLongBits(lanes)).isEqualTo(Double.doubleToRawLongBits(scalar));
    }

    @Property(tries = 200)
    void theRmsIsWithinAMillionthOfTheExactOneAtEveryScale(
            @ForAll @IntRange(min = 1, max = 5000) int t,
            @ForAll @DoubleRange(min = -44, max = 37) double log10Scale,
            @ForAll boolean simd,
            @ForAll long seed) {
        assumeThat(!simd || Simd.available()).isTrue();
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[t];
        double scale = Math.pow(10, log10Scale);
        java.math.BigDecimal exact = java.math.BigDecimal.ZERO;
        for (int i = 0; i < t; i++) {
            x[i] = (float) (r.nextGaussian() * scale);
            exact = exact.add(new java.math.BigDecimal(x[i]).pow(2));
        }
        double want = Math.sqrt(exact.doubleValue() / t);
        double got = EcsqPayloadCodec.rms(x, 0, t, simd);
        // float squares underflow below 1e-19 and overflow above 1e19: the exact double sum takes over there
        assertThat(got).isCloseTo(want, org.assertj.core.data.Offset.offset(want * 1e-6));
    }
}
