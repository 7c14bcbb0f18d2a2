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

    /** The DS rule as documented, computed per element with plain division: the reference for chooseBits. */
    private static int referenceBits(float[] v, float lo, float hi, int qbit, double delta) {
        int n = v.length;
        if (n == 0 || !(hi > lo) || Abq.scaleFor(lo, hi, 1) == 0f) {
            return 0;
        }
        int l0 = (1 << qbit) - 1;
        double inv = l0 / ((double) hi - lo);
        int q = qbit;
        while (q > 1) {
            int lq = (1 << (q - 1)) - 1;
            long sum = 0;
            for (float f : v) {
                long c = Math.min((int) ((f - (double) lo) * inv + 0.5), l0);
                long tq = (2 * c * lq + l0) / (2L * l0);
                sum += Math.abs(c * lq - tq * l0);
            }
            if (sum > delta * n * (double) lq * l0) {
                break;
            }
            q--;
        }
        return q;
    }

    @Property(tries = 200)
    void chooseBitsMatchesThePerElementRule(
            @ForAll @IntRange(min = 1, max = 3000) int n,
            @ForAll @IntRange(min = 1, max = 16) int qbit,
            @ForAll @IntRange(min = 0, max = 2) int shape,
            @ForAll @IntRange(min = 1, max = 200) int deltaPermille,
            @ForAll long seed) {
        float[] v = block(n, seed, shape);
        float lo = min(v);
        float hi = max(v);
        double delta = deltaPermille / 2000.0;
        assertThat(new Abq().chooseBits(v, 0, n, lo, hi, qbit, delta)).isEqualTo(referenceBits(v, lo, hi, qbit, delta));
    }

    /**
     * Table (qbit <= 12), histogram and division paths against the reference: every qbit, one reused instance,
     * block sizes around the histogram switch, and deltas at the exact DS values where the rule flips.
     */
    @Test
    void chooseBitsMatchesTheRuleForEveryQbitAndTieDeltas() {
        Abq abq = new Abq();
        SplittableRandom r = new SplittableRandom(5);
        int[] sizes = {1, 2, 3, 7, 64, 127, 128, 129, 264, 513, 2047, 2048, 2049, 5000};
        for (int qbit = 1; qbit <= 16; qbit++) {
            for (int n : sizes) {
                float[] v = block(n, r.nextLong(), r.nextInt(3));
                float lo = min(v);
                float hi = max(v);
                int l0 = (1 << qbit) - 1;
                double inv = l0 / ((double) hi - lo);
                java.util.List<Double> deltas =
                        new java.util.ArrayList<>(java.util.List.of(0.0, 1e-3, 0.01, 0.05, 0.3, 1.0));
                // DS(q) itself for every candidate: the comparison is strict, so these are the tie points
                for (int q = 1; q < qbit; q++) {
                    long lq = (1L << q) - 1;
                    long sum = 0;
                    for (float f : v) {
                        long c = Math.min((int) ((f - (double) lo) * inv + 0.5), l0);
                        long tq = (2 * c * lq + l0) / (2L * l0);
                        sum += Math.abs(c * lq - tq * l0);
                    }
                    double ds = sum / (n * (double) lq * l0);
                    deltas.add(ds);
                    deltas.add(Math.nextUp(ds));
                    deltas.add(Math.nextDown(ds));
                }
                for (double d : deltas) {
                    assertThat(abq.chooseBits(v, 0, n, lo, hi, qbit, d))
                            .as("qbit=%d n=%d delta=%s", qbit, n, d)
                            .isEqualTo(referenceBits(v, lo, hi, qbit, d));
                }
            }
        }
    }

    @Test
    void chooseBitsReadsOnlyItsRange() {
        float[] v = block(400, 9, 1);
        float[] padded = new float[v.length + 7];
        java.util.Arrays.fill(padded, 1e6f);
        System.arraycopy(v, 0, padded, 3, v.length);
        for (int qbit = 1; qbit <= 16; qbit++) {
            assertThat(new Abq().chooseBits(padded, 3, v.length, min(v), max(v), qbit, 0.01))
                    .isEqualTo(referenceBits(v, min(v), max(v), qbit, 0.01));
        }
    }

    /**
     * The lane sums move out every {@code 65535 / floor(l0 / 2)} elements (32 at qbit 12): large blocks of values
     * at the extremes of the range, where every element has its largest mismatch, must not carry between lanes;
     * and a large delta walks more candidates than one table holds.
     */
    @Test
    void laneSumsDoNotCarryOnLargeBlocksAndCoverEveryCandidate() {
        Abq abq = new Abq();
        SplittableRandom r = new SplittableRandom(11);
        for (int qbit = 2; qbit <= 12; qbit++) {
            for (int n : new int[] {31, 32, 33, 515, 516, 517, 70000}) {
                float[] v = new float[n];
                int l0 = (1 << qbit) - 1;
                for (int i = 0; i < n; i++) {
                    // codes at half the range: the largest mismatch for most candidates
                    v[i] = 1f + (r.nextInt(4) == 0 ? r.nextFloat() : (float) ((l0 >> 1) + r.nextInt(2)) / l0);
                }
                v[0] = 1f;
                v[n - 1] = 2f;
                for (double d : new double[] {0.001, 0.01, 0.1, 0.2, 0.26, 0.5}) {
                    assertThat(abq.chooseBits(v, 0, n, 1f, 2f, qbit, d))
                            .as("qbit=%d n=%d delta=%s", qbit, n, d)
                            .isEqualTo(referenceBits(v, 1f, 2f, qbit, d));
                }
            }
        }
    }

    /** The Vector API route ({@code QuantCodes}) picks the same bits and writes the same codes as the scalar one. */
    @Property(tries = 200)
    void vectorAndScalarRoutesAgree(
            @ForAll @IntRange(min = 0, max = 600) int n,
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 2) int shape,
            @ForAll @IntRange(min = 1, max = 16) int qbit) {
        float[] v = block(n, seed, shape);
        float lo = n == 0 ? 1f : min(v);
        float hi = n == 0 ? 1f : max(v);
        Abq vector = new Abq(true);
        Abq scalar = new Abq(false);
        for (double d : new double[] {0, 1e-3, 0.01, 0.05, 0.3}) {
            assertThat(vector.chooseBits(v, 0, n, lo, hi, qbit, d))
                    .isEqualTo(scalar.chooseBits(v, 0, n, lo, hi, qbit, d));
        }
        int[] a = new int[n + 1];
        int[] b = new int[n + 1];
        for (int q = 0; q <= qbit; q++) {
            float sc = Abq.scaleFor(lo, hi, q);
            vector.quantize(v, 0, n, lo, sc, q, a, 1);
            scalar.quantize(v, 0, n, lo, sc, q, b, 1);
            assertThat(a).as("q=%d", q).isEqualTo(b);
        }
    }

    /** One DS rule: level counts over the powers of two give exactly the bits of chooseBits, for any qbit. */
    @Property(tries = 300)
    void chooseLevelsOverPowersOfTwoIsChooseBits(
            @ForAll @IntRange(min = 1, max = 16) int qbit,
            @ForAll @IntRange(min = 1, max = 400) int n,
            @ForAll @IntRange(min = 0, max = 60) int deltaMilli,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextInt(4) == 0 ? r.nextInt(5) : Math.abs(r.nextGaussian()) + 0.5);
            lo = Math.min(lo, v[i]);
            hi = Math.max(hi, v[i]);
        }
        int[] powers = new int[16];
        for (int q = 1; q <= 16; q++) {
            powers[q - 1] = 1 << q;
        }
        double delta = deltaMilli / 1000.0;
        Abq abq = new Abq(false);
        int bits = abq.chooseBits(v, 0, n, lo, hi, qbit, delta);
        int levels = abq.chooseLevels(v, 0, n, lo, hi, qbit, delta, powers);
        assertThat(levels).isEqualTo(1 << Math.max(1, bits));
    }
}
