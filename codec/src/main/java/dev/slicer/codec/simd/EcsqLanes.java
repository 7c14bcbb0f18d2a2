package dev.slicer.codec.simd;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * ECSQ's per-element rules, eight lanes at a time, computing exactly what the scalar loops of {@code
 * EcsqPayloadCodec} do (same float operations in the same order, no fused multiply-add), so frames and decoded values
 * are the same bit for bit. A group of eight takes the lane path only when every code is a direct symbol (below
 * 224, {@code |q| <= 111}); otherwise the caller runs the scalar rule on it, before anything of the group was
 * written. Rounding is to nearest, ties to even ({@code y + 1.5 x 2^23} in float arithmetic; the scalar rule is
 * {@link Math#rint}); HotSpot 17 does not vectorise float-to-int conversions, the raw bits of that sum hold the code.
 *
 * <p>Load this class only when {@link Simd#available()}: it links against {@code jdk.incubator.vector}.
 */
public final class EcsqLanes {
    public static final int LANES = 8;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;
    private static final float MAGIC = 0x1.8p23f;
    private static final int MAGIC_BITS = 0x4B400000;
    /** |y| below this rounds to |q| <= 111, a zigzag code of at most 222. */
    private static final float DIRECT_Y = 111f;

    private static final int DIRECT = 224;

    private EcsqLanes() {}

    /**
     * Quantizes {@code x[xi, xi+8)} against the channel sums {@code sum[j, j+8)} with prediction weight {@code w}:
     * {@code pred = w sum}, {@code q = rint((x - pred) inv)}, {@code sum += pred + q d}, symbol = zigzag(q). Returns
     * false, writing nothing, when a code is not direct or a lane is not finite.
     */
    public static boolean quantize(
            float[] x, int xi, float[] sum, int j, float w, float inv, float d, byte[] sym, int si) {
        FloatVector s = FloatVector.fromArray(F, sum, j);
        FloatVector pred = s.mul(w);
        FloatVector y = FloatVector.fromArray(F, x, xi).sub(pred).mul(inv);
        // NaN compares false, so a NaN lane takes the scalar path too
        if (!y.abs().compare(VectorOperators.LT, DIRECT_Y).allTrue()) {
            return false;
        }
        FloatVector m = y.add(MAGIC);
        FloatVector qf = m.sub(MAGIC); // the rounded value, exact
        IntVector q = m.reinterpretAsInts().sub(MAGIC_BITS);
        pred.add(qf.mul(d)).add(s).intoArray(sum, j);
        IntVector z =
                q.lanewise(VectorOperators.LSHL, 1).lanewise(VectorOperators.XOR, q.lanewise(VectorOperators.ASHR, 31));
        z.convertShape(VectorOperators.I2B, B, 0).reinterpretAsBytes().intoArray(sym, si);
        return true;
    }

    /**
     * Reconstructs {@code dst[di, di+8)} from the direct symbols {@code sym[si, si+8)}: {@code y = w sum + q d},
     * {@code sum += y}. Returns false, writing nothing, when a symbol is not direct or a value is not finite.
     */
    public static boolean reconstruct(byte[] sym, int si, float[] sum, int j, float w, float d, float[] dst, int di) {
        IntVector z = (IntVector) ByteVector.fromArray(B, sym, si).convertShape(VectorOperators.B2I, I, 0);
        z = z.and(0xFF);
        if (!z.compare(VectorOperators.LT, DIRECT).allTrue()) {
            return false;
        }
        IntVector q = z.lanewise(VectorOperators.LSHR, 1)
                .lanewise(VectorOperators.XOR, z.and(1).neg());
        FloatVector qf = q.add(MAGIC_BITS).reinterpretAsFloats().sub(MAGIC); // exact for |q| < 2^22
        FloatVector s = FloatVector.fromArray(F, sum, j);
        FloatVector y = s.mul(w).add(qf.mul(d));
        if (!y.abs().compare(VectorOperators.LT, Float.POSITIVE_INFINITY).allTrue()) {
            return false;
        }
        s.add(y).intoArray(sum, j);
        y.intoArray(dst, di);
        return true;
    }
}
