package dev.slicer.codec.ecsq;

import dev.slicer.codec.ByteBudgetException;
import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.NonFiniteInputException;
import dev.slicer.codec.TensorShape;
import dev.slicer.codec.bits.BitReader;
import dev.slicer.codec.bits.BitWriter;
import dev.slicer.codec.bits.ByteIo;
import dev.slicer.codec.frame.PayloadCodec;
import dev.slicer.codec.frame.SymbolStream;
import dev.slicer.codec.rans.RansCoder;
import dev.slicer.codec.simd.EcsqLanes;
import dev.slicer.codec.simd.Simd;

/**
 * ECSQ: entropy-coded uniform scalar quantization. One step {@code D = step x RMS} per tensor; with {@code predict}
 * each value is first predicted from the running mean of its channel (column) over the rows decoded so far,
 * {@code p = 0.8 x mean}, and the residual is quantized (closed loop: encoder and decoder predict from the same
 * reconstructed values, so the error stays that of one rounding, at most {@code D/2} per element). Codes are zigzag
 * mapped; codes below 224 are byte symbols, larger ones a magnitude-class symbol plus raw bits; one {@link
 * SymbolStream} byte block (rANS or stored, whichever is smaller) codes the symbols. Layout in {@code codec/FORMAT.md}.
 *
 * <p>Why these stages (measured on the 355 MiniLM sentences of the benchmark): at cosine 0.99 the order-0 entropy of
 * the plain codes is 3.00 bits/element; the channel-mean prediction lowers it to 2.80 (hidden-state channels carry
 * offsets that persist across tokens); a dead zone with a reconstruction offset, per-token steps and contexts from
 * the previous token's code each gained less than 0.06 bits there, so they are not part of the format.
 *
 * <p>A byte budget ({@link #encodeWithin}) searches the step and pads the payload to exactly the budget.
 *
 * <p>Reusable, not thread-safe: scratch arrays grow on demand and are kept, so a warmed-up codec does not allocate.
 */
public final class EcsqPayloadCodec implements PayloadCodec {

    /** Codes below this are their own symbol; larger codes are sent as a magnitude class plus raw bits. */
    static final int DIRECT = 224;
    /** Largest |q|: its zigzag code minus {@link #DIRECT} plus one still has at most 31 bits. */
    static final int MAX_Q = (Integer.MAX_VALUE - DIRECT) / 2;

    static final float PRED_WEIGHT = 0.8f;

    /** Largest step: keeps {@code q x D} finite for every fp32 input. */
    static final double MAX_STEP = 0x1p120;

    /** Eight-lane quantization and reconstruction ({@link EcsqLanes}: the same bytes and values as the scalar rule). */
    private final boolean simd;

    /** Uses {@link EcsqLanes} when {@link Simd#enabled()}. */
    public EcsqPayloadCodec() {
        this(Simd.enabled());
    }

    /** {@code simd} true needs {@link Simd#available()}. */
    public EcsqPayloadCodec(boolean simd) {
        this.simd = simd;
    }

    private final SymbolStream stream = new SymbolStream(new RansCoder());
    private byte[] symbols = new byte[0];
    private byte[] escapes = new byte[0];
    private float[] sums = new float[0];
    private final BitWriter extra = new BitWriter();
    private final BitReader extraIn = new BitReader();

    /** Worst case: step and flags, 30 raw bits for every element, a stored symbol block. */
    @Override
    public long maxPayloadBytes(TensorShape shape, CodecSettings settings) {
        return maxPayload(shape);
    }

    /** {@link #maxPayloadBytes} without an instance. */
    public static long maxPayload(TensorShape shape) {
        long t = shape.elementCount();
        return t == 0 ? 0 : 5 + ByteIo.varintSize(4 * t + 8) + 4 * t + 8 + SymbolStream.maxBlockBytes(t, 8);
    }

    @Override
    public int encode(float[] src, int srcOff, TensorShape shape, CodecSettings s, byte[] dst, int dstOff) {
        int t = shape.elementCount();
        if (t == 0) {
            return 0;
        }
        float d = step(src, srcOff, t, s.step(), simd);
        return encodeAt(src, srcOff, shape, s.predict(), d, dst, dstOff, 0);
    }

    /**
     * Encodes with the smallest step whose payload fits {@code budget} bytes, padded to exactly {@code budget}. The
     * search runs on the relative step in [{@link CodecSettings#MIN_STEP}, {@link CodecSettings#MAX_STEP}] with a
     * secant guess in log(step) and bisection, and stops once the fit is within 2% of the budget (the finest
     * fidelity reachable otherwise). Each probe writes to scratch; the chosen one is copied to {@code dst}.
     *
     * @throws ByteBudgetException if even the coarsest step does not fit
     */
    public int encodeWithin(
            float[] src, int srcOff, TensorShape shape, CodecSettings s, long budget, byte[] dst, int dstOff) {
        int t = shape.elementCount();
        if (t == 0) {
            return 0;
        }
        double rms = rms(src, srcOff, t, simd);
        // padded to the budget, which for a few elements exceeds the largest unpadded payload (the frame allowance)
        int cap = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(maxPayload(shape), budget));
        if (probe.length < cap) {
            probe = new byte[cap];
        }
        // bits per element of a uniform quantizer fall by about one per doubling of the step
        double bitsPerElement = 8.0 * budget / t;
        double lo = Math.log(CodecSettings.MIN_STEP);
        double hi = Math.log(CodecSettings.MAX_STEP);
        double fitLog = Double.NaN; // smallest probed step that fits
        double overLog = lo; // largest probed step that does not fit
        double guess = Math.max(lo, Math.min(hi, (2.0 - bitsPerElement) * Math.log(2)));
        double lastLog = Double.NaN;
        int lastBytes = -1;
        boolean fitInProbe = false;
        int fitBytes = 0;
        for (int probes = 0; probes < MAX_PROBES; probes++) {
            encodeAt(src, srcOff, shape, s.predict(), stepOf(rms, Math.exp(guess)), probe, 0, budget);
            int n = unpadded;
            fitInProbe = false;
            if (n <= budget) {
                if (Double.isNaN(fitLog) || guess < fitLog) {
                    fitLog = guess;
                    fitBytes = n;
                    fitInProbe = true;
                }
                if (n >= budget - budget / 50 || guess <= lo) {
                    break; // within 2%, or the finest step fits
                }
            } else {
                overLog = Math.max(overLog, guess);
                if (guess >= hi) {
                    break; // not even the coarsest step fits
                }
            }
            double upper = Double.isNaN(fitLog) ? hi : fitLog;
            if (upper - overLog < 1e-6) {
                break;
            }
            double next;
            if (!Double.isNaN(lastLog) && lastBytes != n) {
                // secant on log(bytes) against log(step), aiming just below the budget
                double slope = (Math.log(n) - Math.log(lastBytes)) / (guess - lastLog);
                next = guess + (Math.log(budget * 0.99) - Math.log(n)) / slope;
            } else {
                // about one bit per element less per doubling of the step
                next = guess + 8.0 * (n - budget * 0.99) / t * Math.log(2);
            }
            if (!(next > overLog && next < upper)) {
                next = Double.isNaN(fitLog) ? Math.min(hi, Math.max(overLog, guess) + 1) : 0.5 * (overLog + upper);
            }
            lastLog = guess;
            lastBytes = n;
            guess = next;
        }
        if (Double.isNaN(fitLog)) {
            // the search can creep below the coarsest step when bytes barely move with it: try that step itself,
            // then bisect towards the finest step that fits, so a frame is refused only when nothing fits
            encodeAt(src, srcOff, shape, s.predict(), stepOf(rms, Math.exp(hi)), probe, 0, budget);
            if (unpadded > budget) {
                throw new ByteBudgetException(unpadded, budget);
            }
            fitLog = hi;
            fitBytes = unpadded;
            fitInProbe = true;
            for (int probes = 0; probes < MAX_PROBES && fitLog - overLog > 1e-3; probes++) {
                double g = 0.5 * (overLog + fitLog);
                encodeAt(src, srcOff, shape, s.predict(), stepOf(rms, Math.exp(g)), probe, 0, budget);
                if (unpadded <= budget) {
                    fitLog = g;
                    fitBytes = unpadded;
                    fitInProbe = true;
                } else {
                    overLog = g;
                    fitInProbe = false;
                }
            }
        }
        if (fitBytes < budget - budget / 50) {
            // small frames: bytes are not monotone in the step near the boundary; scan a little finer than the fit
            for (int k = 1; k <= SCAN_PROBES && fitLog - SCAN * k > lo; k++) {
                double g = fitLog - SCAN * k;
                encodeAt(src, srcOff, shape, s.predict(), stepOf(rms, Math.exp(g)), probe, 0, budget);
                if (unpadded <= budget) {
                    fitLog = g;
                    fitBytes = unpadded;
                    fitInProbe = true;
                    k = 0;
                    if (fitBytes >= budget - budget / 50) {
                        break;
                    }
                } else {
                    fitInProbe = false;
                }
            }
        }
        if (!fitInProbe) {
            encodeAt(src, srcOff, shape, s.predict(), stepOf(rms, Math.exp(fitLog)), probe, 0, budget);
        }
        System.arraycopy(probe, 0, dst, dstOff, (int) budget);
        return (int) budget;
    }

    static final int MAX_PROBES = 32;
    static final int SCAN_PROBES = 12;
    static final double SCAN = 0.004;
    private byte[] probe = new byte[0];
    /** Payload bytes of the last {@link #encodeAt} before padding. */
    private int unpadded;

    /**
     * Quantizes with the absolute step {@code d} and writes the payload; with {@code padTo > 0} pads it to exactly
     * {@code padTo} bytes when it is shorter.
     */
    private int encodeAt(
            float[] src, int srcOff, TensorShape shape, boolean predict, float d, byte[] dst, int dstOff, long padTo) {
        int t = shape.elementCount();
        int cols = shape.cols();
        int rows = t / cols;
        if (symbols.length < t) {
            symbols = new byte[t];
        }
        if (escapes.length < 4 * t + 8) {
            escapes = new byte[4 * t + 8];
        }
        extra.reset(escapes, 0, escapes.length);
        boolean predicted = predict;
        int e = predicted && quantizePredicted(src, srcOff, rows, cols, d) ? 0 : -1;
        if (e < 0) {
            // no prediction asked, or its running sums overflowed fp32 (values near the float range)
            predicted = false;
            extra.reset(escapes, 0, escapes.length);
            quantizePlain(src, srcOff, t, d);
        }
        e = extra.finish();
        int p = dstOff;
        ByteIo.putInt(dst, p, Float.floatToRawIntBits(d));
        int flagsAt = p + 4;
        dst[flagsAt] = (byte) (predicted ? FLAG_PREDICT : 0);
        p += 5;
        p += ByteIo.putVarint(dst, p, e);
        System.arraycopy(escapes, 0, dst, p, e);
        p += e;
        int ransAt = p;
        stream.prepareByteBlock(symbols, 0, t, true);
        int n = stream.putByteBlock(dst, p);
        int len = ransAt + n - dstOff;
        unpadded = len;
        if (padTo > len) {
            // "varint P" then zeros, P bytes in all (the varint included), in front of the rANS block
            int pad = (int) (padTo - len);
            System.arraycopy(dst, ransAt, dst, ransAt + pad, n);
            int z = ransAt + ByteIo.putVarint(dst, ransAt, pad);
            java.util.Arrays.fill(dst, z, ransAt + pad, (byte) 0);
            dst[flagsAt] |= FLAG_PADDED;
            return (int) padTo;
        }
        return len;
    }

    static final int FLAG_PREDICT = 1;
    static final int FLAG_PADDED = 2;

    /**
     * The RMS; rejects NaN and infinity (lossy modes take finite input only). The fast sum is {@link #squareSum} in
     * float blocks; when it overflows, or its mean square is so small that float squares lose digits, the exact
     * double sum decides.
     */
    static double rms(float[] x, int off, int t, boolean simd) {
        double ss = simd ? EcsqLanes.squareSum(x, off, t) : squareSum(x, off, t);
        if (!(ss >= FLOAT_SAFE_MEAN_SQUARE * t && ss <= Double.MAX_VALUE)) {
            ss = exactSquareSum(x, off, t);
        }
        return Math.sqrt(ss / t);
    }

    /**
     * Below this mean square, squares under {@link Float#MIN_NORMAL} could weigh in the sum: their absolute error
     * (at most {@code t x 2^-149}) stays below {@code 10^-7} of it above.
     */
    static final double FLOAT_SAFE_MEAN_SQUARE = 1e-30;

    /** The scalar rule of {@link EcsqLanes#squareSum}, with the same float and double operations in the same order. */
    static double squareSum(float[] x, int off, int t) {
        int width = EcsqLanes.SQUARE_WIDTH;
        int full = t & ~(width - 1);
        double[] d = new double[EcsqLanes.LANES];
        float[] a = new float[width];
        for (int b = 0; b < full; b += EcsqLanes.SQUARE_BLOCK) {
            int end = Math.min(full, b + EcsqLanes.SQUARE_BLOCK);
            java.util.Arrays.fill(a, 0f);
            for (int i = b; i < end; i += width) {
                for (int k = 0; k < width; k++) {
                    float v = x[off + i + k];
                    a[k] = a[k] + v * v;
                }
            }
            int l = EcsqLanes.LANES;
            for (int k = 0; k < l; k++) {
                d[k] += (a[k] + a[k + l]) + (a[k + 2 * l] + a[k + 3 * l]);
            }
        }
        double s = ((d[0] + d[1]) + (d[2] + d[3])) + ((d[4] + d[5]) + (d[6] + d[7]));
        for (int i = full; i < t; i++) {
            double v = x[off + i];
            s += v * v;
        }
        return s;
    }

    /**
     * The sum of squares in double, where every finite float squares without overflow or underflow; rejects NaN and
     * infinity.
     */
    private static double exactSquareSum(float[] x, int off, int t) {
        // four running sums: one would wait on the latency of each addition
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (int end = t & ~3; i < end; i += 4) {
            double v0 = x[off + i];
            double v1 = x[off + i + 1];
            double v2 = x[off + i + 2];
            double v3 = x[off + i + 3];
            s0 += v0 * v0;
            s1 += v1 * v1;
            s2 += v2 * v2;
            s3 += v3 * v3;
        }
        for (; i < t; i++) {
            double v = x[off + i];
            s0 += v * v;
        }
        double ss = (s0 + s1) + (s2 + s3);
        if (!Double.isFinite(ss)) {
            for (int k = 0; k < t; k++) {
                if (!Float.isFinite(x[off + k])) {
                    throw new NonFiniteInputException(k, x[off + k]);
                }
            }
        }
        return ss;
    }

    /** The absolute step for a relative one: at least the smallest normal float, 1 for an all-zero tensor. */
    static float stepOf(double rms, double relative) {
        if (rms == 0) {
            return 1f;
        }
        return (float) Math.max(Float.MIN_NORMAL, Math.min(MAX_STEP, relative * rms));
    }

    /** The absolute step of a tensor for a relative step. */
    static float step(float[] x, int off, int t, double relative, boolean simd) {
        return stepOf(rms(x, off, t, simd), relative);
    }

    private void quantizePlain(float[] x, int off, int t, float d) {
        float inv = 1f / d;
        byte[] sym = symbols;
        for (int i = 0; i < t; i++) {
            int q = clamp(Math.round(x[off + i] * inv));
            if (!Float.isFinite(q * d)) {
                // rounding up next to the fp32 maximum: the one code below stays finite
                q -= Integer.signum(q);
            }
            int z = (q << 1) ^ (q >> 31);
            if (z < DIRECT) {
                sym[i] = (byte) z;
            } else {
                sym[i] = large(z);
            }
        }
    }

    /** Returns false when the running sums overflowed fp32 (values near the float range). */
    private boolean quantizePredicted(float[] x, int off, int rows, int cols, float d) {
        if (sums.length < cols) {
            sums = new float[cols];
        }
        float[] sum = sums;
        java.util.Arrays.fill(sum, 0, cols, 0f);
        float inv = 1f / d;
        byte[] sym = symbols;
        int lanes = simd ? cols - cols % EcsqLanes.LANES : 0;
        for (int r = 0, i = 0; r < rows; r++, i += cols) {
            float w = r == 0 ? 0f : PRED_WEIGHT / r;
            int j = 0;
            for (; j < lanes; j += EcsqLanes.LANES) {
                if (!EcsqLanes.quantize(x, off + i + j, sum, j, w, inv, d, sym, i + j)) {
                    for (int k = j; k < j + EcsqLanes.LANES; k++) {
                        quantizeOne(x[off + i + k], sum, k, w, inv, d, i + k);
                    }
                }
            }
            for (; j < cols; j++) {
                quantizeOne(x[off + i + j], sum, j, w, inv, d, i + j);
            }
        }
        for (int j = 0; j < cols; j++) {
            if (!Float.isFinite(sum[j])) {
                return false;
            }
        }
        return true;
    }

    /** The scalar rule of {@link EcsqLanes#quantize}: round to nearest even, then the symbol and its raw bits. */
    private void quantizeOne(float v, float[] sum, int j, float w, float inv, float d, int i) {
        float pred = w * sum[j];
        int q = clamp((int) Math.rint((v - pred) * inv));
        sum[j] += pred + q * d;
        int z = (q << 1) ^ (q >> 31);
        symbols[i] = z < DIRECT ? (byte) z : large(z);
    }

    private static int clamp(int q) {
        return Math.max(-MAX_Q, Math.min(MAX_Q, q));
    }

    /** The class symbol of a code {@code z >= DIRECT}; writes its raw bits. */
    private byte large(int z) {
        int v = z - DIRECT + 1;
        int bits = 31 - Integer.numberOfLeadingZeros(v);
        extra.write(v, bits);
        return (byte) (DIRECT + bits);
    }

    @Override
    public void decode(byte[] src, int off, int len, TensorShape shape, CodecSettings s, float[] dst, int dstOff) {
        int t = shape.elementCount();
        if (t == 0) {
            MalformedFrameException.verify(len == 0, off, "zero-element ECSQ payload must be empty");
            return;
        }
        ByteIo.Reader in = new ByteIo.Reader(src, off, len, 0);
        long at = in.offset();
        float d = in.f32("ECSQ step");
        MalformedFrameException.verify(d > 0 && d <= MAX_STEP, at, "ECSQ step must be in (0, 2^120]");
        int flags = in.u8("ECSQ flags");
        MalformedFrameException.verify(
                (flags & ~(FLAG_PREDICT | FLAG_PADDED)) == 0 && ((flags & FLAG_PREDICT) == 0 || s.predict()),
                at + 4,
                "ECSQ flags " + flags + " not allowed");
        int e = in.varintUpTo(in.remaining(), "ECSQ extra bytes");
        int escAt = in.take(e, "ECSQ extra bits");
        if ((flags & FLAG_PADDED) != 0) {
            int padAt = in.position();
            int pad = in.varintUpTo(Integer.MAX_VALUE, "ECSQ padding");
            int field = in.position() - padAt;
            MalformedFrameException.verify(pad >= field, padAt, "ECSQ padding shorter than its length field");
            int zeros = in.take(pad - field, "ECSQ padding");
            for (int i = zeros, end = zeros + pad - field; i < end; i++) {
                MalformedFrameException.verify(src[i] == 0, i, "ECSQ padding byte not zero");
            }
        }
        SymbolStream.Span block = stream.readBlock(in, t, 8);
        MalformedFrameException.verify(in.remaining() == 0, in.offset(), "ECSQ payload has bytes after the symbols");
        if (symbols.length < t) {
            symbols = new byte[t];
        }
        stream.decodeBytes(src, block, t, symbols, 0);
        int cols = shape.cols();
        extraIn.reset(src, escAt, e, 0);
        long bits = (flags & FLAG_PREDICT) != 0
                ? reconstructPredicted(t / cols, cols, d, dst, dstOff)
                : reconstructPlain(t, d, dst, dstOff);
        MalformedFrameException.verify((bits + 7) >>> 3 == e, escAt, "ECSQ extra bits do not fill their bytes exactly");
    }

    /** The code of symbol {@code s}: itself, or for a class symbol the implicit top bit plus its raw bits. */
    private int code(int s) {
        if (s < DIRECT) {
            return s;
        }
        int bits = s - DIRECT;
        if (bits > 30) {
            throw new MalformedFrameException(0, "ECSQ symbol " + s + " out of range");
        }
        return DIRECT - 1 + ((1 << bits) | extraIn.read(bits));
    }

    /** Returns the number of raw bits read. */
    private long reconstructPlain(int t, float d, float[] dst, int dstOff) {
        byte[] sym = symbols;
        long bits = 0;
        for (int i = 0; i < t; i++) {
            int s = sym[i] & 0xFF;
            int z = s < DIRECT ? s : code(s);
            bits += s < DIRECT ? 0 : s - DIRECT;
            int q = (z >>> 1) ^ -(z & 1);
            float y = q * d;
            if (!Float.isFinite(y)) {
                throw new MalformedFrameException(0, "ECSQ value " + i + " is not finite");
            }
            dst[dstOff + i] = y;
        }
        return bits;
    }

    private long reconstructPredicted(int rows, int cols, float d, float[] dst, int dstOff) {
        if (sums.length < cols) {
            sums = new float[cols];
        }
        float[] sum = sums;
        java.util.Arrays.fill(sum, 0, cols, 0f);
        int lanes = simd ? cols - cols % EcsqLanes.LANES : 0;
        long bits = 0;
        for (int r = 0, i = 0; r < rows; r++, i += cols) {
            float w = r == 0 ? 0f : PRED_WEIGHT / r;
            int j = 0;
            for (; j < lanes; j += EcsqLanes.LANES) {
                if (!EcsqLanes.reconstruct(symbols, i + j, sum, j, w, d, dst, dstOff + i + j)) {
                    for (int k = j; k < j + EcsqLanes.LANES; k++) {
                        bits += reconstructOne(sum, k, w, d, dst, dstOff, i + k);
                    }
                }
            }
            for (; j < cols; j++) {
                bits += reconstructOne(sum, j, w, d, dst, dstOff, i + j);
            }
        }
        return bits;
    }

    /** The scalar rule of {@link EcsqLanes#reconstruct}; returns the raw bits read. */
    private int reconstructOne(float[] sum, int j, float w, float d, float[] dst, int dstOff, int i) {
        int s = symbols[i] & 0xFF;
        int z = s < DIRECT ? s : code(s);
        int q = (z >>> 1) ^ -(z & 1);
        float y = w * sum[j] + q * d;
        if (!Float.isFinite(y)) {
            throw new MalformedFrameException(0, "ECSQ value " + i + " is not finite");
        }
        sum[j] += y;
        dst[dstOff + i] = y;
        return s < DIRECT ? 0 : s - DIRECT;
    }
}
