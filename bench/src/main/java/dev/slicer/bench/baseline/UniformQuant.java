package dev.slicer.bench.baseline;

import dev.slicer.bench.method.TensorCompressor;
import dev.slicer.codec.HalfFloats;
import dev.slicer.codec.rans.RansCoder;

/**
 * The strong baselines of issue 10: uniform scalar quantization with one step per tensor or per token (row), codes
 * either packed raw or through the project's {@link RansCoder}.
 *
 * <ul>
 *   <li>{@link Scale#RMS}: entropy-coded scalar quantization (ECSQ), step {@code c x RMS} of the group, codes
 *       unbounded (zigzag bytes, 255 escapes to a 4-byte code in a side list), always rANS;
 *   <li>{@link Scale#ABSMAX}: symmetric absmax int{@code b}, step {@code max|x| / (2^(b-1) - 1)}, codes packed in
 *       {@code b} bits or through rANS.
 * </ul>
 *
 * Layout: one fp16 step per group, then (rANS) {@code u32} block length, the block, the escape list, or (raw) the
 * packed codes. About 30 lines of logic: the quantizer the codec has to beat.
 */
public final class UniformQuant implements TensorCompressor {

    public enum Scale {
        RMS,
        ABSMAX
    }

    private final Scale scale;
    private final double param;
    private final boolean perToken;
    private final boolean rans;
    private final RansCoder coder = new RansCoder();
    private byte[] symbols = new byte[0];
    private int[] escapes = new int[0];

    /**
     * @param param the step factor {@code c} (RMS) or the bit width {@code b} (ABSMAX, 4 or 8)
     */
    public UniformQuant(Scale scale, double param, boolean perToken, boolean rans) {
        if (scale == Scale.RMS && !rans) {
            throw new IllegalArgumentException("ECSQ codes are unbounded: rANS only");
        }
        this.scale = scale;
        this.param = param;
        this.perToken = perToken;
        this.rans = rans;
    }

    private int groups(int rows) {
        return perToken ? rows : 1;
    }

    @Override
    public int maxEncodedBytes(int rows, int cols) {
        int n = rows * cols;
        return 2 * groups(rows) + 4 + RansCoder.maxEncodedLength(n) + 4 * n + n;
    }

    private float step(float[] x, int off, int n) {
        double acc = 0;
        for (int i = 0; i < n; i++) {
            float v = x[off + i];
            acc = scale == Scale.RMS ? acc + (double) v * v : Math.max(acc, Math.abs(v));
        }
        double s = scale == Scale.RMS ? param * Math.sqrt(acc / Math.max(1, n)) : acc / ((1 << ((int) param - 1)) - 1);
        // the step is stored as fp16: round it first so encoder and decoder use the same value
        return Half.toFloat(HalfFloats.floatToFp16((float) (s > 0 ? s : 1)));
    }

    @Override
    public int encode(float[] src, int srcOff, int rows, int cols, byte[] dst, int dstOff) {
        int n = rows * cols;
        int g = groups(rows);
        int per = n / g;
        if (symbols.length < n) {
            symbols = new byte[n];
            escapes = new int[n];
        }
        int p = dstOff;
        int esc = 0;
        int limit = scale == Scale.ABSMAX ? (1 << ((int) param - 1)) - 1 : Integer.MAX_VALUE / 2;
        for (int k = 0; k < g; k++) {
            float d = step(src, srcOff + k * per, per);
            short h = HalfFloats.floatToFp16(d);
            dst[p++] = (byte) h;
            dst[p++] = (byte) (h >>> 8);
            float inv = 1f / d;
            for (int i = k * per; i < (k + 1) * per; i++) {
                int q = Math.max(-limit, Math.min(limit, Math.round(src[srcOff + i] * inv)));
                if (!rans) {
                    symbols[i] = (byte) q;
                    continue;
                }
                int z = (q << 1) ^ (q >> 31);
                symbols[i] = (byte) Math.min(z, 255);
                if (z >= 255) {
                    escapes[esc++] = z;
                }
            }
        }
        if (!rans) {
            return p - dstOff + pack(n, dst, p);
        }
        int len = coder.encode(symbols, 0, n, dst, p + 4);
        Affine.putFloat(dst, p, Float.intBitsToFloat(len));
        p += 4 + len;
        for (int e = 0; e < esc; e++) {
            Affine.putFloat(dst, p, Float.intBitsToFloat(escapes[e]));
            p += 4;
        }
        return p - dstOff;
    }

    private int pack(int n, byte[] dst, int p) {
        if (param == 8) {
            System.arraycopy(symbols, 0, dst, p, n);
            return n;
        }
        for (int i = 0; i < n; i += 2) {
            int lo = symbols[i] & 0xF;
            int hi = i + 1 < n ? symbols[i + 1] & 0xF : 0;
            dst[p + (i >> 1)] = (byte) (lo | hi << 4);
        }
        return (n + 1) >> 1;
    }

    @Override
    public void decode(byte[] src, int srcOff, int len, int rows, int cols, float[] dst, int dstOff) {
        int n = rows * cols;
        int g = groups(rows);
        int per = n / g;
        if (symbols.length < n) {
            symbols = new byte[n];
            escapes = new int[n];
        }
        int p = srcOff + 2 * g;
        if (rans) {
            int block = Float.floatToRawIntBits(Affine.getFloat(src, p));
            coder.decode(src, p + 4, block, symbols, 0, n);
            p += 4 + block;
        } else if (param == 8) {
            System.arraycopy(src, p, symbols, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                int b = src[p + (i >> 1)] >> ((i & 1) << 2);
                symbols[i] = (byte) ((b << 28) >> 28);
            }
        }
        for (int k = 0; k < g; k++) {
            float d = Half.toFloat((short) ((src[srcOff + 2 * k] & 0xFF) | (src[srcOff + 2 * k + 1] << 8)));
            for (int i = k * per; i < (k + 1) * per; i++) {
                int q;
                if (rans) {
                    int z = symbols[i] & 0xFF;
                    if (z == 255) {
                        z = Float.floatToRawIntBits(Affine.getFloat(src, p));
                        p += 4;
                    }
                    q = (z >>> 1) ^ -(z & 1);
                } else {
                    q = symbols[i];
                }
                dst[dstOff + i] = q * d;
            }
        }
    }
}
