package dev.slicer.codec.abq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AbqTest {

    private static float[] block(int n, long seed, int shape) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            v[i] = (float)
                    switch (shape) {
                        case 0 -> 1 + u;
                        case 1 -> 1 + u * u * u * 10;
                        default -> 0.5 + Math.floor(u * 5) / 5;
                    };
        }
        return v;
    }

    private static float min(float[] v) {
        float m = Float.MAX_VALUE;
        for (float f : v) {
            m = Math.min(m, f);
        }
        return m;
    }

    private static float max(float[] v) {
        float m = 0;
        for (float f : v) {
            m = Math.max(m, f);
        }
        return m;
    }

    @Property(tries = 150)
    void largerDeltaNeverGivesMoreBits(
            @ForAll @IntRange(min = 1, max = 3000) int n,
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 2) int shape,
            @ForAll @IntRange(min = 1, max = 16) int qbit) {
        float[] v = block(n, seed, shape);
        Abq abq = new Abq();
        double[] deltas = {0, 1e-4, 1e-3, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1};
        int prev = Integer.MAX_VALUE;
        for (double d : deltas) {
            int q = abq.chooseBits(v, 0, n, min(v), max(v), qbit, d);
            assertThat(q).isBetween(0, qbit).isLessThanOrEqualTo(prev);
            prev = q;
        }
    }

    @Test
    void deltaOfOnePercentOfTheRangeGivesAboutFiveBitsOnEvenlySpreadValues() {
        float[] v = block(20000, 3, 0);
        int q = new Abq().chooseBits(v, 0, v.length, min(v), max(v), 8, 0.01);
        assertThat(q).isEqualTo(5);
        assertThat(new Abq().chooseBits(v, 0, v.length, min(v), max(v), 8, 0.0)).isEqualTo(8);
    }

    @Test
    void constantBlockHasZeroBits() {
        float[] v = {2.5f, 2.5f, 2.5f};
        assertThat(new Abq().chooseBits(v, 0, 3, 2.5f, 2.5f, 8, 0.01)).isZero();
    }
}
