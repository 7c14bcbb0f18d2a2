package dev.slicer.codec.simd;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Rice gaps of sorted positions and their sums at three Rice parameters, eight lanes at a time: HotSpot 17 does
 * not vectorise the scalar loop (three reductions over a difference of neighbours), and this pass is most of the
 * cost of choosing the index mode.
 *
 * <p>Load this class only when {@link Simd#available()}: it links against {@code jdk.incubator.vector}.
 */
public final class IndexGaps {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final int LANES = 8;

    private IndexGaps() {}

    /**
     * Writes {@code gaps[i] = pos[i] - pos[i-1] - 1} ({@code pos[-1] = -1}) for {@code i < n} ({@code n >= 1},
     * {@code pos} strictly ascending and non-negative) and returns in {@code sums[0..2]} the sums of
     * {@code gaps[i] >>> r0}, {@code >>> r1} and {@code >>> r2}; the caller guarantees they fit an int.
     */
    public static void gaps(int[] pos, int n, int[] gaps, int r0, int r1, int r2, int[] sums) {
        int g0 = pos[0];
        gaps[0] = g0;
        IntVector one = IntVector.broadcast(I, 1);
        IntVector a0 = IntVector.zero(I);
        IntVector a1 = a0;
        IntVector a2 = a0;
        int i = 1;
        for (int end = n - LANES; i <= end; i += LANES) {
            IntVector g = IntVector.fromArray(I, pos, i)
                    .sub(IntVector.fromArray(I, pos, i - 1))
                    .sub(one);
            g.intoArray(gaps, i);
            a0 = a0.add(g.lanewise(VectorOperators.LSHR, r0));
            a1 = a1.add(g.lanewise(VectorOperators.LSHR, r1));
            a2 = a2.add(g.lanewise(VectorOperators.LSHR, r2));
        }
        int s0 = (g0 >>> r0) + a0.reduceLanes(VectorOperators.ADD);
        int s1 = (g0 >>> r1) + a1.reduceLanes(VectorOperators.ADD);
        int s2 = (g0 >>> r2) + a2.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            int g = pos[i] - pos[i - 1] - 1;
            gaps[i] = g;
            s0 += g >>> r0;
            s1 += g >>> r1;
            s2 += g >>> r2;
        }
        sums[0] = s0;
        sums[1] = s1;
        sums[2] = s2;
    }
}
