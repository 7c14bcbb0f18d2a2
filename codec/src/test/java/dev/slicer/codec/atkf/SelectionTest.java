package dev.slicer.codec.atkf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.codec.ms.MagnitudeSplit;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

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
