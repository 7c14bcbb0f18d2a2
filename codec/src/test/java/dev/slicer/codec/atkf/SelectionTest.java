package dev.slicer.codec.atkf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.slicer.codec.NonFiniteInputException;
import dev.slicer.codec.ms.MagnitudeSplit;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SelectionTest {

    @Property(tries = 150)
    void radixSelectMatchesSorting(
            @ForAll @IntRange(min = 1, max = 5000) int n,
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3) int kind) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] keys = new int[n];
        for (int i = 0; i < n; i++) {
            keys[i] = switch (kind) {
                case 0 -> r.nextInt() & 0x7F7FFFFF;
                case 1 -> r.nextInt(5);
                case 2 -> Float.floatToRawIntBits((float) Math.abs(r.nextGaussian()));
                default -> 0x3F800000 + r.nextInt(1 << 12);
            };
        }
        int[] sorted = keys.clone();
        Arrays.sort(sorted);
        RadixSelect sel = new RadixSelect();
        for (int t = 0; t < 5; t++) {
            int rank = r.nextInt(n);
            int v = sel.select(keys, 0, n, rank);
            assertThat(v).isEqualTo(sorted[n - 1 - rank]);
            int greater = 0;
            int equal = 0;
            for (int k : keys) {
                greater += k > v ? 1 : 0;
                equal += k == v ? 1 : 0;
            }
            assertThat(sel.greater()).isEqualTo(greater);
            assertThat(sel.equal()).isEqualTo(equal);
        }
    }

    @Property(tries = 150)
    void atkfKeepsExactlyKWithSeededTies(
            @ForAll @IntRange(min = 1, max = 3000) int n,
            @ForAll @IntRange(min = 0, max = 100) int percent,
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 80) int lambdaPercent) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (r.nextInt(9) - 4) * 0.25f + (r.nextBoolean() ? 0 : (float) r.nextGaussian());
        }
        long k = Atkf.keepCount(n, percent / 100.0 * 0.999);
        int[] pos = new int[n + 1];
        int[] bits = new int[n + 1];
        Atkf atkf = new Atkf();
        double lambda = lambdaPercent / 100.0;
        int kept = atkf.filter(x, 0, n, k, lambda, 7, pos, bits);
        int nnz = 0;
        for (float v : x) {
            nnz += v != 0 ? 1 : 0;
        }
        assertThat(kept).isEqualTo((int) Math.min(k, nnz));
        for (int i = 1; i < kept; i++) {
            assertThat(pos[i]).isGreaterThan(pos[i - 1]);
        }
        int[] pos2 = new int[n + 1];
        int[] bits2 = new int[n + 1];
        assertThat(new Atkf().filter(x, 0, n, k, lambda, 7, pos2, bits2)).isEqualTo(kept);
        assertThat(Arrays.copyOf(pos2, kept)).isEqualTo(Arrays.copyOf(pos, kept));
    }

    /**
     * Sort-based reference for lambda = 0: tau is the k-th largest |x|; keep |x| > tau, and sample the ties at tau in
     * position order exactly as specified (selection sampling from a SplittableRandom seeded with {@code seed}).
     */
    private static int referenceTopK(float[] x, int off, int n, long k, long seed, int[] pos, int[] bits) {
        if (k <= 0) {
            return 0;
        }
        int[] mags = new int[n];
        for (int i = 0; i < n; i++) {
            mags[i] = Float.floatToRawIntBits(x[off + i]) & 0x7FFFFFFF;
        }
        int tau = -1;
        long need = 0;
        long ties = 0;
        if (k < n) {
            int[] sorted = mags.clone();
            Arrays.sort(sorted);
            tau = sorted[n - (int) k];
            long greater = 0;
            for (int u : mags) {
                greater += u > tau ? 1 : 0;
                ties += u == tau ? 1 : 0;
            }
            need = k - greater;
        }
        SplittableRandom rng = need >= ties ? null : new SplittableRandom(seed);
        int out = 0;
        for (int i = 0; i < n; i++) {
            int u = mags[i];
            boolean keep = u > tau;
            if (u == tau) {
                if (rng == null) {
                    keep = true;
                } else {
                    keep = need > 0 && rng.nextLong(ties) < need;
                    ties--;
                    if (keep) {
                        need--;
                    }
                }
            }
            if (keep && u != 0) {
                pos[out] = i;
                bits[out++] = Float.floatToRawIntBits(x[off + i]);
            }
        }
        return out;
    }

    /** Tensors that stress the sampled cut: ties, zeros, heavy tails, and samples that misjudge the rest. */
    private static float[] tensor(SplittableRandom r, int n, int kind) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (kind) {
                case 0 -> (float) r.nextGaussian();
                case 1 -> (r.nextInt(9) - 4) * 0.25f; // few distinct values: wide ties at tau
                case 2 -> 1.5f; // all equal
                case 3 -> r.nextInt(3) == 0 ? (r.nextBoolean() ? 0f : -0f) : (float) r.nextGaussian();
                case 4 -> (float) (Math.tan(Math.PI * (r.nextDouble() - 0.5))); // Cauchy: heavy tails
                // the sampled positions (multiples of 17) are large, everything else small: the cut is too high
                case 5 -> i % 17 == 0 ? 100f + r.nextFloat() : r.nextFloat();
                // the sampled positions are tiny: the cut is far too low and nearly everything is a candidate
                case 6 -> i % 17 == 0 ? r.nextFloat() * 1e-6f : 1f + r.nextFloat();
                case 7 -> r.nextInt(4) == 0 ? 0f : (float) r.nextGaussian() * 1e-30f; // subnormals and zeros
                default -> Float.intBitsToFloat(0x3F800000 + r.nextInt(64)) * (r.nextBoolean() ? 1 : -1);
            };
        }
        return x;
    }

    @Property(tries = 300)
    void topKMatchesSortingReference(
            @ForAll @IntRange(min = 0, max = 6000) int n,
            @ForAll @IntRange(min = 0, max = 8) int kind,
            @ForAll @IntRange(min = 0, max = 1000) int permille,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int off = r.nextInt(4);
        float[] data = new float[off + n];
        System.arraycopy(tensor(r, n, kind), 0, data, off, n);
        long k = (long) n * permille / 1000;
        assertTopKExact(data, off, n, k, seed);
    }

    private static void assertTopKExact(float[] x, int off, int n, long k, long seed) {
        int cap = (int) Math.min(k, n) + 1;
        int[] pos = new int[cap];
        int[] bits = new int[cap];
        int[] refPos = new int[n + 1];
        int[] refBits = new int[n + 1];
        int expected = referenceTopK(x, off, n, k, seed, refPos, refBits);
        // the scalar route and the Vector API route (the codec's test JVM adds the module) must both match
        for (boolean vector : new boolean[] {false, true}) {
            Atkf atkf = new Atkf(vector);
            for (int round = 0; round < 2; round++) { // the second call reuses the scratch
                int kept = atkf.filter(x, off, n, k, 0.0, seed, pos, bits);
                assertThat(kept).as("n=%d k=%d vector=%s", n, k, vector).isEqualTo(expected);
                assertThat(Arrays.copyOf(pos, kept)).isEqualTo(Arrays.copyOf(refPos, kept));
                assertThat(Arrays.copyOf(bits, kept)).isEqualTo(Arrays.copyOf(refBits, kept));
            }
        }
    }

    @Test
    void topKEdgeCasesMatchReference() {
        SplittableRandom r = new SplittableRandom(42);
        for (int n : new int[] {1, 2, 1023, 1024, 1025, 4096, 6342}) {
            for (int kind = 0; kind <= 8; kind++) {
                float[] x = tensor(r, n, kind);
                for (long k : new long[] {0, 1, 2, n / 4, n / 2, n - 1, n, n + 5}) {
                    assertTopKExact(x, 0, n, k, r.nextLong());
                }
            }
        }
    }

    @Test
    void tiesAtTauAreSampledLikeTheReference() {
        // 3000 copies of 1.0 around tau: the cut bin must be resolved and its ties sampled
        float[] x = new float[8000];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 8 < 3 ? (r.nextBoolean() ? 1f : -1f) : (float) r.nextGaussian() * 0.3f;
        }
        for (long seed = 0; seed < 5; seed++) {
            assertTopKExact(x, 0, x.length, 2000, seed);
        }
    }

    @Test
    void nonFiniteInputReportsTheFirstIndex() {
        SplittableRandom r = new SplittableRandom(11);
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0xFFC00001)};
        for (int n : new int[] {5, 1500, 6342}) {
            for (float v : bad) {
                for (int kind : new int[] {0, 5, 6}) {
                    float[] x = tensor(r, n, kind);
                    int first = r.nextInt(n);
                    x[first] = v;
                    if (first + 1 < n) {
                        x[first + 1 + r.nextInt(n - first - 1)] = Float.NaN;
                    }
                    for (double lambda : new double[] {0.0, 0.2}) {
                        for (long k : new long[] {0, 1, n / 4, n}) {
                            NonFiniteInputException e = catchThrowableOfType(
                                    () -> new Atkf(false).filter(x, 0, n, k, lambda, 1, new int[n + 1], new int[n + 1]),
                                    NonFiniteInputException.class);
                            assertThat(e).as("n=%d v=%s k=%d", n, v, k).isNotNull();
                            assertThat(e.index()).isEqualTo(first);
                            NonFiniteInputException ev = catchThrowableOfType(
                                    () -> new Atkf(true).filter(x, 0, n, k, lambda, 1, new int[n + 1], new int[n + 1]),
                                    NonFiniteInputException.class);
                            assertThat(ev).as("vector n=%d v=%s k=%d", n, v, k).isNotNull();
                            assertThat(ev.index()).isEqualTo(first);
                        }
                    }
                }
            }
        }
    }

    @Test
    void allNonFiniteSampleIsReported() {
        // every sampled position is NaN: the sample cut is not finite
        float[] x = new float[3000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 17 == 0 ? Float.NaN : i;
        }
        NonFiniteInputException e = catchThrowableOfType(
                () -> new Atkf().filter(x, 0, x.length, 700, 0.0, 1, new int[701], new int[701]),
                NonFiniteInputException.class);
        assertThat(e.index()).isZero();
    }

    @Property(tries = 150)
    void magnitudeSplitMakesEqualCardinalityBlocksOrderedByMagnitude(
            @ForAll @IntRange(min = 0, max = 3000) int n,
            @ForAll @IntRange(min = 1, max = 8) int mPos,
            @ForAll @IntRange(min = 1, max = 8) int mNeg,
            @ForAll long seed,
            @ForAll boolean ties) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] bits = new int[n];
        for (int i = 0; i < n; i++) {
            float v = ties ? (r.nextInt(7) - 3) * 0.5f + 0.25f : (float) r.nextGaussian();
            bits[i] = Float.floatToRawIntBits(v == 0 ? 1 : v);
        }
        int blocks = mPos + mNeg;
        byte[] of = new byte[n];
        int[] counts = new int[blocks];
        int[] lo = new int[blocks];
        int[] hi = new int[blocks];
        float[] grouped = new float[n];
        new MagnitudeSplit().split(bits, n, mPos, mNeg, of, counts, lo, hi, grouped);
        int nPos = 0;
        for (int b : bits) {
            nPos += b >= 0 ? 1 : 0;
        }
        for (int side = 0; side < 2; side++) {
            int m = side == 0 ? mPos : mNeg;
            int ns = side == 0 ? nPos : n - nPos;
            int first = side == 0 ? 0 : mPos;
            for (int b = 0; b < m; b++) {
                long expected = (long) (b + 1) * ns / m - (long) b * ns / m;
                assertThat(counts[first + b]).as("block %d", first + b).isEqualTo((int) expected);
                if (b > 0 && counts[first + b] > 0 && counts[first + b - 1] > 0) {
                    assertThat(lo[first + b - 1]).isGreaterThanOrEqualTo(hi[first + b]);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            assertThat(of[i] < mPos).isEqualTo(bits[i] >= 0);
        }
    }
}
