package dev.slicer.codec.simd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class QuantCodesTest {
    /** The scalar rule the kernel must reproduce. */
    private static int[] reference(float[] v, int off, int n, float lo, double inv, int lq) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.min((int) ((v[off + i] - (double) lo) * inv + 0.5), lq);
        }
        return out;
    }

    private static void assertSame(float[] v, int off, int n, float lo, double inv, int lq) {
        assertThat(QuantCodes.serves(inv, lq)).isTrue();
        int[] out = new int[n + 4];
        out[n + 1] = -7;
        QuantCodes.codes(v, off, n, lo, inv, lq, out, 1);
        int[] got = java.util.Arrays.copyOfRange(out, 1, 1 + n);
        assertThat(got).as("lo=%s inv=%s lq=%d", lo, inv, lq).isEqualTo(reference(v, off, n, lo, inv, lq));
        assertThat(out[0]).isZero();
        assertThat(out[n + 1]).isEqualTo(-7);
    }

    /** Random blocks, the two ways the codec builds inv (T0 at qbit, and 1 / scale), and values on the range ends. */
    @Property(tries = 400)
    void codesMatchTheScalarRule(
            @ForAll @IntRange(min = 0, max = 300) int n,
            @ForAll @IntRange(min = 0, max = 9) int off,
            @ForAll @IntRange(min = 1, max = 10) int q,
            @ForAll @IntRange(min = 0, max = 3) int shape,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float lo = (float) Math.scalb(1.0 + r.nextDouble(), r.nextInt(-60, 60));
        float hi = Math.max(Math.nextUp(lo), (float) (lo * (1 + r.nextDouble() * (r.nextBoolean() ? 1e-3 : 100))));
        float[] v = new float[off + n + 2];
        java.util.Arrays.fill(v, Float.NaN); // outside the range: never read
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            float x = (float)
                    switch (shape) {
                        case 0 -> lo + (hi - (double) lo) * u;
                        case 1 -> lo + (hi - (double) lo) * u * u * u;
                        case 2 -> r.nextBoolean() ? lo : hi;
                        default -> lo + (hi - (double) lo) * Math.floor(u * 7) / 7;
                    };
            v[off + i] = Math.min(hi, Math.max(lo, x));
        }
        int lq = (1 << q) - 1;
        assertSame(v, off, n, lo, lq / ((double) hi - lo), lq);
        float scale = (float) (((double) hi - lo) / lq);
        if (QuantCodes.serves(1.0 / scale, lq)) {
            assertSame(v, off, n, lo, 1.0 / scale, lq);
        }
    }

    /**
     * Values whose scaled offset lies on or next to a half-integer, where float and double rounding part ways: every
     * lane there must take the scalar route, whichever lane of the group it sits in.
     */
    @Test
    void valuesAtHalfIntegersRoundAsTheScalarRule() {
        SplittableRandom r = new SplittableRandom(3);
        for (int lq : new int[] {1, 3, 31, 255, 1023}) {
            for (int t = 0; t < 50; t++) {
                float lo = (float) (0.1 + r.nextDouble());
                float hi = lo + (float) (0.01 + r.nextDouble());
                double inv = lq / ((double) hi - lo);
                int n = 64 + r.nextInt(40);
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    double half = r.nextInt(lq + 1) + 0.5;
                    float x = (float) (lo + half / inv);
                    for (int k = r.nextInt(4); k > 0; k--) {
                        x = r.nextBoolean() ? Math.nextUp(x) : Math.nextDown(x);
                    }
                    v[i] = Math.min(hi, Math.max(lo, x));
                }
                assertSame(v, 0, n, lo, inv, lq);
            }
        }
    }

    @Test
    void edgeCases() {
        // n = 0 and fewer values than one group
        assertSame(new float[0], 0, 0, 1f, 3.0, 7);
        assertSame(new float[] {1f, 2f, 1.5f}, 0, 3, 1f, 7.0, 7);
        // all equal to lo (code 0), -0.0 and 0.0 as lo and values, subnormal values above a zero minimum
        float[] same = new float[37];
        java.util.Arrays.fill(same, 2.5f);
        assertSame(same, 0, 37, 2.5f, 1e6, 255);
        float[] zeros = {0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, Float.MIN_VALUE, 1e-40f, 1e-39f};
        assertSame(zeros, 0, zeros.length, -0f, 1e30, 255);
        assertSame(zeros, 0, zeros.length, 0f, 1e30, 1023);
        // values just above the top of the range clamp to lq in both rules
        float[] above = new float[16];
        for (int i = 0; i < 16; i++) {
            above[i] = 1f + i / 15f * 1.0001f;
        }
        assertSame(above, 0, 16, 1f, 31.0, 31);
    }

    @Test
    void servesOnlyWhatItCanProve() {
        assertThat(QuantCodes.serves(1.0, 1)).isTrue();
        assertThat(QuantCodes.serves(1.0, QuantCodes.MAX_CODE)).isTrue();
        assertThat(QuantCodes.serves(1.0, 0)).isFalse();
        assertThat(QuantCodes.serves(1.0, QuantCodes.MAX_CODE + 1)).isFalse();
        assertThat(QuantCodes.serves(1e39, 255)).isFalse(); // (float) inv overflows
        assertThat(QuantCodes.serves(1e-39, 255)).isFalse(); // (float) inv is subnormal
        assertThat(QuantCodes.serves(Double.NaN, 255)).isFalse();
    }
}
