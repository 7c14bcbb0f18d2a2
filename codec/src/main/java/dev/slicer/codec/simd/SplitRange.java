package dev.slicer.codec.simd;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Each sign's magnitude range over raw float bits with the Vector API, eight lanes at a time: HotSpot 17 does not
 * vectorise min/max reductions, and the scalar loop runs at about 1 ns per element.
 *
 * <p>Load this class only when {@link Simd#available()}: it links against {@code jdk.incubator.vector}.
 */
public final class SplitRange {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final int LANES = 8;
    private static final int MAG = 0x7FFFFFFF;

    private SplitRange() {}

    /**
     * Stores in {@code out[0..5)} the smallest and largest magnitude bits of the non-negative values of {@code
     * bits[0, n)}, then those of the negative values (sign bit set, so {@code -0.0} counts), then the number of
     * negative values. A side without values gets {@code MAG} and {@code 0}.
     */
    public static void range(int[] bits, int n, int[] out) {
        // a value of the other side contributes MAG to a side's minimum and 0 to its maximum
        IntVector posLo = IntVector.broadcast(I, MAG);
        IntVector posHi = IntVector.zero(I);
        IntVector negLo = posLo;
        IntVector negHi = posHi;
        IntVector negs = posHi;
        int i = 0;
        for (int end = I.loopBound(n); i < end; i += LANES) {
            IntVector v = IntVector.fromArray(I, bits, i);
            IntVector u = v.and(MAG);
            IntVector s = v.lanewise(VectorOperators.ASHR, 31);
            IntVector notS = s.not();
            posLo = posLo.min(u.or(s.and(MAG)));
            posHi = posHi.max(u.and(notS));
            negLo = negLo.min(u.or(notS.and(MAG)));
            negHi = negHi.max(u.and(s));
            negs = negs.sub(s);
        }
        int pl = posLo.reduceLanes(VectorOperators.MIN);
        int ph = posHi.reduceLanes(VectorOperators.MAX);
        int nl = negLo.reduceLanes(VectorOperators.MIN);
        int nh = negHi.reduceLanes(VectorOperators.MAX);
        int neg = negs.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            int v = bits[i];
            int u = v & MAG;
            int s = v >> 31;
            pl = Math.min(pl, u | (s & MAG));
            ph = Math.max(ph, u & ~s);
            nl = Math.min(nl, u | (~s & MAG));
            nh = Math.max(nh, u & s);
            neg -= s;
        }
        out[0] = pl;
        out[1] = ph;
        out[2] = nl;
        out[3] = nh;
        out[4] = neg;
    }
}
