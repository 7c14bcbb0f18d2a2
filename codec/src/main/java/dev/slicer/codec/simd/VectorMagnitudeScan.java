package dev.slicer.codec.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Position scans over float magnitudes with the Vector API, eight lanes at a time. HotSpot 17 does not vectorise
 * compaction loops and does not intrinsify {@code VectorMask.toLong}, so the lane test is done in integer arithmetic
 * ({@code (t - |x|) >>> 31}), the eight results are folded into one byte by shifting each lane by its index and
 * OR-reducing, and that byte indexes a table of the packed lane numbers: one eight-lane store writes the positions
 * and the cursor moves on by the byte's population count. Output arrays need {@link #SLACK} spare slots past the
 * last position written, because every store is eight lanes wide.
 *
 * <p>Load this class only when {@link Simd#available()}: it links against {@code jdk.incubator.vector}.
 */
public final class VectorMagnitudeScan {
    /** Spare slots an output array needs beyond the positions written. */
    public static final int SLACK = 8;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final int LANES = 8;
    private static final int MAG = 0x7FFFFFFF;
    private static final IntVector LANE = IntVector.fromArray(I, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 0);
    /** Row {@code m}: the numbers of the set bits of {@code m}, ascending, then zeros. */
    private static final int[] PACKED = packedLanes();

    private VectorMagnitudeScan() {}

    /** Whether the CPU runs 256-bit vectors natively (else the Vector API falls back to slow Java code). */
    static boolean fast() {
        return IntVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    }

    private static int[] packedLanes() {
        int[] t = new int[(1 << LANES) * LANES];
        for (int m = 0; m < 1 << LANES; m++) {
            int c = 0;
            for (int b = 0; b < LANES; b++) {
                if ((m >>> b & 1) != 0) {
                    t[m * LANES + c++] = b;
                }
            }
        }
        return t;
    }

    /**
     * Writes to {@code band} the positions {@code i} (relative to {@code off}, ascending) of the elements of
     * {@code src[off, off+n)} with {@code lo <= |x| < hi}, comparing raw magnitude bits ({@code 0 <= lo <= hi}; NaN
     * and infinity rank above every finite value). Returns the band count in the low 32 bits and the number of
     * elements with {@code |x| >= hi} in the high 32 bits. {@code band} needs {@code count + SLACK} slots.
     */
    public static long band(float[] src, int off, int n, int lo, int hi, int[] band) {
        IntVector loLess1 = IntVector.broadcast(I, lo - 1);
        IntVector hiLess1 = IntVector.broadcast(I, hi - 1);
        IntVector aboveLanes = IntVector.zero(I);
        int w = 0;
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += LANES) {
            IntVector u =
                    FloatVector.fromArray(F, src, off + i).reinterpretAsInts().and(MAG);
            IntVector atLeastLo = loLess1.sub(u).lanewise(VectorOperators.LSHR, 31);
            IntVector atLeastHi = hiLess1.sub(u).lanewise(VectorOperators.LSHR, 31);
            aboveLanes = aboveLanes.add(atLeastHi);
            int m = atLeastLo
                    .sub(atLeastHi)
                    .lanewise(VectorOperators.LSHL, LANE)
                    .reduceLanes(VectorOperators.OR);
            IntVector.fromArray(I, PACKED, m * LANES).add(i).intoArray(band, w);
            w += Integer.bitCount(m);
        }
        int above = aboveLanes.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            int u = Float.floatToRawIntBits(src[off + i]) & MAG;
            int atLeastHi = (hi - 1 - u) >>> 31;
            band[w] = i;
            w += ((lo - 1 - u) >>> 31) - atLeastHi;
            above += atLeastHi;
        }
        return (long) above << 32 | w;
    }

    /**
     * Writes to {@code out} the positions {@code i} (relative to {@code off}, ascending) of the elements of
     * {@code src[off, off+n)} with {@code |x| > gt} ({@code gt >= 0}, raw magnitude bits); returns how many.
     * {@code out} needs {@code count + SLACK} slots.
     */
    public static int above(float[] src, int off, int n, int gt, int[] out) {
        IntVector g = IntVector.broadcast(I, gt);
        int w = 0;
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += LANES) {
            IntVector u =
                    FloatVector.fromArray(F, src, off + i).reinterpretAsInts().and(MAG);
            int m = g.sub(u)
                    .lanewise(VectorOperators.LSHR, 31)
                    .lanewise(VectorOperators.LSHL, LANE)
                    .reduceLanes(VectorOperators.OR);
            IntVector.fromArray(I, PACKED, m * LANES).add(i).intoArray(out, w);
            w += Integer.bitCount(m);
        }
        for (; i < n; i++) {
            int u = Float.floatToRawIntBits(src[off + i]) & MAG;
            out[w] = i;
            w += (gt - u) >>> 31;
        }
        return w;
    }
}
