package dev.slicer.codec.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Quantization codes {@code min((int) ((v - lo) * inv + 0.5), lq)}, the scalar rule in double arithmetic, eight lanes
 * at a time. HotSpot 17 does not vectorise float-to-int conversions, so each lane rounds in float arithmetic instead
 * ({@code y + 2^23} rounds {@code y} to an integer, and the raw bits of the sum hold it) and checks that the float
 * result cannot differ from the double one: {@code y} is off by at most {@code 3 * 2^-24 y} (float subtraction,
 * {@code (float) inv}, product) and the double value by far less, so a lane whose {@code y} lies more than
 * {@code (lq + 2) 2^-20} from a half-integer rounds the same in both. An eight-lane group with a lane closer than
 * that (about one in 250 at {@code lq = 255}) is redone with the scalar rule after the pass.
 *
 * <p>Load this class only when {@link Simd#available()}: it links against {@code jdk.incubator.vector}.
 */
public final class QuantCodes {
    /** Largest {@code lq} served: the error margin grows with it, and so does the share of lanes redone. */
    public static final int MAX_CODE = 1023;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final int LANES = 8;
    private static final float MAGIC = 0x1p23f;
    private static final int MAGIC_BITS = 0x4B000000;

    private QuantCodes() {}

    /**
     * Whether {@link #codes} serves {@code inv} and {@code lq}: {@code 1 <= lq <= MAX_CODE}, and {@code (float) inv}
     * normal and finite, so its relative error stays within {@code 2^-24}.
     */
    public static boolean serves(double inv, int lq) {
        float f = (float) inv;
        return lq >= 1 && lq <= MAX_CODE && f >= Float.MIN_NORMAL && f < Float.POSITIVE_INFINITY;
    }

    /**
     * Writes {@code min((int) ((vals[off + i] - (double) lo) * inv + 0.5), lq)} to {@code out[outOff + i]} for
     * {@code i < n}; every value must be at least {@code lo}, and {@link #serves} must hold.
     */
    public static void codes(float[] vals, int off, int n, float lo, double inv, int lq, int[] out, int outOff) {
        float invF = (float) inv;
        float cap = lq + 2f;
        float unsafe = 0.5f - (lq + 2) * 0x1p-20f; // exact: a multiple of 2^-20 below 2^-1
        // a lane is near a half-integer when the bits of |y - round(y)| reach those of `unsafe` (both are
        // non-negative floats): the sign of (unsafe bits - 1) - (|d| bits), ORed over the block, says if any was;
        // cheaper than a test and branch per group
        IntVector below = IntVector.broadcast(I, Float.floatToRawIntBits(unsafe) - 1);
        IntVector near = IntVector.zero(I);
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += LANES) {
            // min: a value above the range clamps to lq in both rules, and keeps the sum below 2^24
            FloatVector y =
                    FloatVector.fromArray(F, vals, off + i).sub(lo).mul(invF).min(cap);
            FloatVector m = y.add(MAGIC);
            m.reinterpretAsInts().sub(MAGIC_BITS).min(lq).intoArray(out, outOff + i);
            // y - round(y) is exact (Sterbenz, or y itself when it rounds to 0)
            near = near.or(below.sub(y.sub(m.sub(MAGIC)).abs().reinterpretAsInts()));
        }
        double dlo = lo;
        if (near.reduceLanes(VectorOperators.OR) < 0) {
            // rare: find those groups again and redo them with the scalar rule
            for (int g = 0; g < end; g += LANES) {
                FloatVector y = FloatVector.fromArray(F, vals, off + g)
                        .sub(lo)
                        .mul(invF)
                        .min(cap);
                FloatVector d = y.sub(y.add(MAGIC).sub(MAGIC)).abs();
                if (d.compare(VectorOperators.GE, unsafe).anyTrue()) {
                    for (int j = g; j < g + LANES; j++) {
                        out[outOff + j] = Math.min((int) ((vals[off + j] - dlo) * inv + 0.5), lq);
                    }
                }
            }
        }
        for (; i < n; i++) {
            out[outOff + i] = Math.min((int) ((vals[off + i] - dlo) * inv + 0.5), lq);
        }
    }
}
