package dev.slicer.codec.simd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class IndexGapsTest {

    @Property(tries = 400)
    void gapsAndSumsMatchAScalarLoop(
            @ForAll @IntRange(min = 1, max = 200) int n,
            @ForAll @IntRange(min = 0, max = 30) int r0,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] pos = new int[n];
        int p = r.nextInt(4) == 0 ? 0 : r.nextInt(100);
        for (int i = 0; i < n; i++) {
            pos[i] = p;
            // mostly small gaps, some zero, some far beyond a Rice table
            p += 1
                    + switch (r.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> r.nextInt(4);
                        case 2 -> r.nextInt(40);
                        default -> r.nextInt(5000);
                    };
        }
        int r1 = Math.min(30, r0 + 1);
        int r2 = Math.min(30, r0 + 2);
        int[] gaps = new int[n];
        int[] sums = new int[3];
        IndexGaps.gaps(pos, n, gaps, r0, r1, r2, sums);

        int[] want = new int[n];
        int[] wantSums = new int[3];
        for (int i = 0; i < n; i++) {
            want[i] = pos[i] - (i == 0 ? -1 : pos[i - 1]) - 1;
            wantSums[0] += want[i] >>> r0;
            wantSums[1] += want[i] >>> r1;
            wantSums[2] += want[i] >>> r2;
        }
        assertThat(gaps).isEqualTo(want);
        assertThat(sums).isEqualTo(wantSums);
    }

    @Property(tries = 50)
    void allEqualGapsAndTheSmallestInputs(
            @ForAll @IntRange(min = 1, max = 20) int n, @ForAll @IntRange(max = 3) int step) {
        int[] pos = new int[n];
        for (int i = 0; i < n; i++) {
            pos[i] = step + i * (step + 1); // pos[-1] = -1, so the first gap is step too
        }
        int[] gaps = new int[n];
        int[] sums = new int[3];
        IndexGaps.gaps(pos, n, gaps, 0, 1, 2, sums);
        int[] want = new int[n];
        Arrays.fill(want, step);
        assertThat(gaps).isEqualTo(want);
        assertThat(sums).containsExactly(n * step, n * (step >>> 1), n * (step >>> 2));
    }
}
