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
     * The blocked sum of squares of {@code x[off, off+t)} that sets ECSQ's step; the scalar rule is {@code
     * EcsqPayloadCodec.squareSum}. Thirty-two float lanes (four vectors, {@code a + v*v}, no fused multiply-add) run
     * over each block of {@link #SQUARE_BLOCK} elements; a block's lanes fold as {@code (a[k] + a[k+8]) + (a[k+16] +
     * a[k+24])} into eight double sums, which end as {@code ((d0+d1)+(d2+d3)) + ((d4+d5)+(d6+d7))}; the last
     * {@code t % 32} elements add in double, in order.
     */
    public static double squareSum(float[] x, int off, int t) {
        int full = t & ~(SQUARE_WIDTH - 1);
        double d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = 0;
        for (int b = 0; b < full; b += SQUARE_BLOCK) {
            int end = Math.min(full, b + SQUARE_BLOCK);
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int i = off + b, stop = off + end; i < stop; i += SQUARE_WIDTH) {
                FloatVector v0 = FloatVector.fromArray(F, x, i);
                FloatVector v1 = FloatVector.fromArray(F, x, i + LANES);
                FloatVector v2 = FloatVector.fromArray(F, x, i + 2 * LANES);
                FloatVector v3 = FloatVector.fromArray(F, x, i + 3 * LANES);
                a0 = a0.add(v0.mul(v0));
                a1 = a1.add(v1.mul(v1));
                a2 = a2.add(v2.mul(v2));
                a3 = a3.add(v3.mul(v3));
            }
            FloatVector f = a0.add(a1).add(a2.add(a3));
            d0 += f.lane(0);
            d1 += f.lane(1);
            d2 += f.lane(2);
            d3 += f.lane(3);
            d4 += f.lane(4);
            d5 += f.lane(5);
            d6 += f.lane(6);
            d7 += f.lane(7);
        }
        double s = ((d0 + d1) + (d2 + d3)) + ((d4 + d5) + (d6 + d7));
        for (int i = full; i < t; i++) {
            double v = x[off + i];
            s += v * v;
        }
        return s;
    }

    /** Lanes of {@link #squareSum}: four vectors. */
    public static final int SQUARE_WIDTH = 4 * LANES;
    /** Elements per float block of {@link #squareSum}: short enough that float sums keep about 7 digits. */
    public static final int SQUARE_BLOCK = 1024;

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
