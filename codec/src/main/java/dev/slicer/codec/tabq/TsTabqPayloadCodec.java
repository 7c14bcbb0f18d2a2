package dev.slicer.codec.tabq;

import dev.slicer.codec.CodecException;
import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.NonFiniteInputException;
import dev.slicer.codec.TensorShape;
import dev.slicer.codec.abq.Abq;
import dev.slicer.codec.bits.ByteIo;
import dev.slicer.codec.frame.PayloadCodec;
import dev.slicer.codec.frame.SymbolStream;
import dev.slicer.codec.rans.RansCoder;
import java.util.Arrays;
import java.util.Objects;

/**
 * TS + TAB-Q: threshold splitting plus token-wise adaptive bit quantization, for row-wise tensors (per-token hidden
 * states, shape {@code [..., hidden]}: {@code R = shape.rows()} rows of {@code C = shape.cols()} values).
 *
 * <h2>Method</h2>
 *
 * <ol>
 *   <li><b>Threshold splitting.</b> Exactly {@code k = floor(outlierFraction * T)} values (the product computed in
 *       {@code double}) of largest {@code |x|} are outliers; ties at the threshold magnitude go to the lowest
 *       row-major index. The threshold is found in linear time by a three-level radix selection over the bits of
 *       {@code |x|} (11 + 10 + 10 bits). Input must be finite (a {@link NonFiniteInputException} names the
 *       first element that is not). Outlier values are stored as fp16 (round to nearest even) when every one of
 *       them is zero or a normal half ({@code 2^-14 <= |x| <= 65504}, relative error {@code <= 2^-11});
 *       otherwise all of them as fp32, bit-exact.
 *   <li><b>Outlier positions</b> are coded in column-major order ({@code p' = col * R + row}), as LEB128 varints of
 *       the gaps {@code p'_i - p'_(i-1) - 1} ({@code p'_0} itself first). Outliers of transformer hidden states sit
 *       in a few fixed channels, so column-major gaps are mostly 0 and the rANS stage codes them in well under a
 *       bit each; scattered positions cost about {@code log2(1/fraction) + 1.5} bits.
 *   <li><b>TAB-Q.</b> Each row's inliers get asymmetric quantization over their own {@code [min, max]} with their
 *       own level count {@code L_r <= 2^qbit}, so bit width {@code q_r = ceil(log2 L_r) <= qbit}, chosen by ABQ's DS
 *       rule ({@link Abq#chooseLevels}, the same definition TOPK's blocks use, so one {@code delta} means one
 *       thing): starting from {@code L = 2^qbit}, step down while the mean gap between the reconstructions at the
 *       next smaller level count and at {@code 2^qbit} levels stays {@code <= delta} of the row's range. Spread-out
 *       rows give about {@code 1 / (4 (L - 1))} ({@code L = 8: 0.036, 16: 0.017, 32: 0.008, 64: 0.004}). Without
 *       entropy coding the steps are the powers of two (the paper's bit widths). With entropy coding the steps are
 *       the quarter-bit ladder {@code round(2^(j/4))} (2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 16, 19, ...): rANS codes a
 *       level count that is not a power of two at its entropy, so the finer steps buy real rate-distortion points
 *       between the bit widths. Because a larger {@code delta} only relaxes every test of the descent, it never
 *       gives more levels or bits. Rows without inliers or with {@code max == min} get {@code L = 2}.
 *   <li><b>Row parameters</b> {@code (min_r, scale_r)}: as fp16, {@code min} rounded down and {@code scale} rounded
 *       up so the grid {@code min + j * scale, j < L} covers the row, when that widens no row's grid by more
 *       than 1/64; otherwise all rows as fp32 ({@code min} exact, {@code scale} rounded up). Codes are
 *       {@code round((x - min_r) / scale_r)} clamped to {@code [0, L_r - 1]}; reconstruction is
 *       {@code min_r + code * scale_r} (in double, then rounded to float), so {@code |x - x̂| <= scale_r / 2} plus
 *       float rounding.
 *   <li><b>Codes</b> are grouped by bit width: for each {@code q = 1..16} whose rows hold at least one inlier, the
 *       codes of those rows in row-major order. {@code q <= 8}: one plane of {@code q}-bit symbols; {@code q > 8}:
 *       a plane of the low 8 bits, then a plane of the high {@code q - 8} bits.
 * </ol>
 *
 * <h2>Payload layout</h2>
 *
 * <p>A <i>block</i> is a {@link SymbolStream} block of {@code n} symbols of {@code w <= 8} bits, {@code n} known to the
 * decoder: a coding byte ({@code 0} = bit-packed, exactly {@code ceil(n w / 8)} bytes; {@code 1} = {@link RansCoder}
 * output), a varint byte length, the bytes. With {@code settings.entropy()} the encoder writes whichever is shorter,
 * otherwise always packed. A block with {@code n = 0} is omitted entirely. Varints are unsigned LEB128
 * ({@link ByteIo}). An empty tensor ({@code T = 0}) has the payload {@code 00 00}.
 *
 * <table>
 *   <caption>TS_TABQ payload, in order</caption>
 *   <tr><th>field</th><th>size</th><th>content</th></tr>
 *   <tr><td>flags</td><td>1</td><td>bit 0: outlier values fp32 (else fp16); bit 1: row parameters fp32 (else fp16);
 *       other bits 0</td></tr>
 *   <tr><td>k</td><td>varint</td><td>outlier count, exactly {@code floor(outlierFraction * T)}</td></tr>
 *   <tr><td>row bits</td><td>block</td><td>{@code R} symbols {@code q_r - 1}, 4 bits; {@code q_r <= qbit}</td></tr>
 *   <tr><td>row parameters</td><td>{@code 4R} or {@code 8R}</td><td>per row {@code min_r}, {@code scale_r}, fp16 or
 *       fp32, little-endian; {@code scale_r >= 0}, both finite</td></tr>
 *   <tr><td>position bytes {@code m}</td><td>varint (if {@code k > 0})</td><td>length of the gap varint stream,
 *       {@code k <= m <= 5k}</td></tr>
 *   <tr><td>positions</td><td>block</td><td>{@code m} bytes: the {@code k} gap varints, column-major</td></tr>
 *   <tr><td>outlier values</td><td>2 or 4 blocks</td><td>byte plane {@code j} (little-endian byte {@code j} of each
 *       fp16/fp32 value, in column-major position order), {@code k} symbols of 8 bits each</td></tr>
 *   <tr><td>codes</td><td>1-2 blocks per used {@code q}</td><td>as above, ascending {@code q}</td></tr>
 * </table>
 *
 * <p>The decoder checks every count, length, position, bit width and value before it writes: {@code k} as above,
 * {@code q_r <= qbit}, outlier values finite, and every row's largest code reconstructing to a finite value, so
 * every output lies in its row's range {@code [min_r, min_r + (2^q_r - 1) scale_r]} and is finite. It sizes
 * scratch only for counts the bytes already read can describe (the row parameters are uncompressed; a block's
 * symbol count is checked against its bytes first), fills every one of the {@code T} output values, and requires
 * the payload to end exactly at {@code off + len}; anything else is a {@link MalformedFrameException}. Lossy
 * input must be finite ({@link NonFiniteInputException}). Instances are reusable and not thread-safe (scratch
 * arrays grow on demand and are kept, except after a rejected payload: {@link #releaseScratch}).
 */
public final class TsTabqPayloadCodec implements PayloadCodec {
    static final int FLAG_OUTLIERS_FP32 = 1;
    static final int FLAG_PARAMS_FP32 = 2;
    private static final int MAX_VARINT = 5;
    private static final int BLOCK_HEADER = 1 + MAX_VARINT;
    /** fp16 row parameters may widen a row's grid by at most this fraction. */
    private static final double FP16_SLACK = 1.0 / 64;
    /** Scratch (in elements) a decoder keeps after a rejected payload; more is dropped. */
    private static final int SCRATCH_KEEP = 1 << 16;

    /** Level counts a quarter bit apart, {@code round(2^(j/4))} for {@code j = 4..64}, ascending, distinct. */
    static final int[] LADDER;
    /** The powers of two {@code 2..2^16}: the level counts without entropy coding. */
    static final int[] POWERS = new int[16];

    static {
        int[] l = new int[61];
        int n = 0;
        for (int j = 4; j <= 64; j++) {
            int v = (int) Math.round(Math.pow(2, j / 4.0));
            if (n == 0 || l[n - 1] != v) {
                l[n++] = v;
            }
        }
        LADDER = Arrays.copyOf(l, n);
        for (int q = 1; q <= 16; q++) {
            POWERS[q - 1] = 1 << q;
        }
    }

    private final SymbolStream stream = new SymbolStream(new RansCoder());
    private final Abq abq = new Abq();
    private final int[] hist = new int[1 << 11];
    private final int[] groupCount = new int[17];
    private final int[] groupStart = new int[17];
    private final int[] groupFill = new int[17];
    private final SymbolStream.Span[] lowSpan = new SymbolStream.Span[17];
    private final SymbolStream.Span[] highSpan = new SymbolStream.Span[17];

    private int[] positions = new int[0]; // row-major, ascending
    private int[] columnMajor = new int[0];
    private int[] bucket = new int[0];
    private float[] rowMin = new float[0];
    private float[] rowScale = new float[0];
    private int[] rowLevels = new int[0];
    private byte[] rowQ = new byte[0];
    private int[] rowOutStart = new int[0];
    private int[] codes = new int[0];
    private int[] stage = new int[0];
    private byte[] bytes = new byte[0];
    private float[] vals = new float[0];
    private int[] valueBits = new int[0];
    private int selectedCount;

    public TsTabqPayloadCodec() {}

    /** The outlier count for {@code elements} values: {@code floor(fraction * elements)} in double. */
    public static int outlierCount(int elements, double fraction) {
        return (int) Math.min(elements, Math.floor(fraction * elements));
    }

    @Override
    public long maxPayloadBytes(TensorShape shape, CodecSettings settings) {
        long t = shape.elementCount();
        if (t == 0) {
            return 2;
        }
        long r = shape.rows();
        long k = outlierCount(shape.elementCount(), settings.outlierFraction());
        int qbit = settings.qbit();
        long bound = 1 + MAX_VARINT;
        bound += BLOCK_HEADER + (r + 1) / 2 + 8 * r;
        if (k > 0) {
            bound += MAX_VARINT + BLOCK_HEADER + MAX_VARINT * k;
            bound += 4 * (BLOCK_HEADER + k);
        }
        // each used q <= qbit: ceil(n q / 8) packed, + 1 when split into two planes, + two block headers
        bound += ((t - k) * qbit + 7) / 8 + Math.min(qbit, CodecSettings.MAX_QBIT) * (2 * BLOCK_HEADER + 2);
        return bound;
    }

    private static int[] grow(int[] a, long n) {
        return a.length >= n ? a : new int[(int) n];
    }

    private static byte[] grow(byte[] a, long n) {
        return a.length >= n ? a : new byte[(int) n];
    }

    private static float[] grow(float[] a, long n) {
        return a.length >= n ? a : new float[(int) n];
    }

    // ------------------------------------------------------------------ encode

    @Override
    public int encode(float[] src, int srcOff, TensorShape shape, CodecSettings settings, byte[] dst, int dstOff) {
        final int t = shape.elementCount();
        Objects.checkFromIndexSize(srcOff, t, src.length);
        final int k = outlierCount(t, settings.outlierFraction());
        if (t == 0) {
            // no rows worth the name: a zero-element shape may declare a huge last dimension
            selectedCount = 0;
            dst[dstOff] = 0;
            dst[dstOff + 1] = 0;
            return 2;
        }
        for (int i = 0; i < t; i++) {
            if (!Float.isFinite(src[srcOff + i])) {
                throw new NonFiniteInputException(i, src[srcOff + i]);
            }
        }
        final int rows = shape.rows();
        final int cols = shape.cols();
        final int qbit = settings.qbit();
        final boolean entropy = settings.entropy();
        ensureEncode(t, rows, cols, k);

        selectOutliers(src, srcOff, t, k);
        boolean outliersFp32 = false;
        for (int i = 0; i < k; i++) {
            float a = Math.abs(src[srcOff + positions[i]]);
            if (a != 0 && (a < Half.MIN_NORMAL || a > Half.MAX)) {
                outliersFp32 = true;
                break;
            }
        }

        // pass A: per row min, max, bits; inlier counts per bit width
        Arrays.fill(groupCount, 0);
        int op = 0;
        boolean paramsFp32 = false;
        int[] ladder = entropy ? LADDER : POWERS;
        for (int r = 0; r < rows; r++) {
            int n = gatherRow(src, srcOff, r, cols, op);
            op += cols - n;
            float mn = Float.POSITIVE_INFINITY;
            float mx = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                float v = vals[i];
                mn = Math.min(mn, v);
                mx = Math.max(mx, v);
            }
            int levels = n == 0 || mx == mn ? 2 : abq.chooseLevels(vals, 0, n, mn, mx, qbit, settings.delta(), ladder);
            if (n == 0) {
                mn = 0;
                mx = 0;
            }
            double range = (double) mx - mn;
            while (range / (levels - 1) > Float.MAX_VALUE) {
                if (levels >= 1 << qbit) {
                    throw new CodecException(
                            "TS_TABQ: row " + r + " range " + range + " does not fit " + qbit + " bits");
                }
                levels = Math.min(1 << qbit, 2 * levels);
            }
            int q = bitsFor(levels);
            rowLevels[r] = levels;
            rowQ[r] = (byte) q;
            rowMin[r] = mn;
            rowScale[r] = mx; // max for now; replaced by the scale below
            groupCount[q] += n;
            if (!paramsFp32) {
                paramsFp32 = !fp16Fits(mn, mx, levels);
            }
        }
        for (int r = 0; r < rows; r++) {
            float mn = rowMin[r];
            float mx = rowScale[r];
            int steps = rowLevels[r] - 1;
            if (paramsFp32) {
                rowScale[r] = roundUpToFloat(((double) mx - mn) / steps);
            } else {
                float mnS = Half.toFloat(Half.roundDown(mn));
                rowMin[r] = mnS;
                rowScale[r] = Half.toFloat(Half.roundUp(roundUpToFloat(((double) mx - mnS) / steps)));
            }
        }
        int s = 0;
        for (int q = 1; q <= 16; q++) {
            groupStart[q] = s;
            groupFill[q] = s;
            s += groupCount[q];
        }

        // pass B: codes, grouped by bit width
        op = 0;
        for (int r = 0; r < rows; r++) {
            int n = gatherRow(src, srcOff, r, cols, op);
            op += cols - n;
            int q = rowQ[r];
            double mn = rowMin[r];
            double sc = rowScale[r];
            int top = finiteTop(mn, sc, rowLevels[r] - 1);
            double inv = sc == 0 ? 0 : 1 / sc;
            int w = groupFill[q];
            for (int i = 0; i < n; i++) {
                int c = (int) ((vals[i] - mn) * inv + 0.5);
                codes[w + i] = Math.max(0, Math.min(top, c));
            }
            groupFill[q] = w + n;
        }

        // write
        int p = dstOff;
        dst[p++] = (byte) ((outliersFp32 ? FLAG_OUTLIERS_FP32 : 0) | (paramsFp32 ? FLAG_PARAMS_FP32 : 0));
        p += ByteIo.putVarint(dst, p, k);
        for (int r = 0; r < rows; r++) {
            stage[r] = rowQ[r] - 1;
        }
        p += stream.writeBlock(stage, 0, rows, 4, entropy, dst, p);
        for (int r = 0; r < rows; r++) {
            if (paramsFp32) {
                ByteIo.putInt(dst, p, Float.floatToRawIntBits(rowMin[r]));
                ByteIo.putInt(dst, p + 4, Float.floatToRawIntBits(rowScale[r]));
                p += 8;
            } else {
                ByteIo.putShort(dst, p, Half.fromFloat(rowMin[r]));
                ByteIo.putShort(dst, p + 2, Half.fromFloat(rowScale[r]));
                p += 4;
            }
        }
        if (k > 0) {
            toColumnMajor(k, rows, cols);
            bytes = grow(bytes, (long) k * ByteIo.varintSize(t - 1));
            int m = 0;
            int prev = -1;
            for (int i = 0; i < k; i++) {
                int cm = columnMajor[i];
                m += ByteIo.putVarint(bytes, m, cm - prev - 1);
                prev = cm;
            }
            p += ByteIo.putVarint(dst, p, m);
            stream.prepareByteBlock(bytes, 0, m, entropy);
            p += stream.putByteBlock(dst, p);
            int width = outliersFp32 ? 4 : 2;
            for (int plane = 0; plane < width; plane++) {
                int shift = 8 * plane;
                for (int i = 0; i < k; i++) {
                    int cm = columnMajor[i];
                    float v = src[srcOff + (cm % rows) * cols + cm / rows];
                    int bits = outliersFp32 ? Float.floatToRawIntBits(v) : Half.fromFloat(v);
                    stage[i] = bits >>> shift & 0xFF;
                }
                p += stream.writeBlock(stage, 0, k, 8, entropy, dst, p);
            }
        }
        for (int q = 1; q <= 16; q++) {
            int n = groupCount[q];
            if (n == 0) {
                continue;
            }
            int from = groupStart[q];
            if (q <= 8) {
                p += stream.writeBlock(codes, from, n, q, entropy, dst, p);
            } else {
                for (int i = 0; i < n; i++) {
                    stage[i] = codes[from + i] & 0xFF;
                }
                p += stream.writeBlock(stage, 0, n, 8, entropy, dst, p);
                for (int i = 0; i < n; i++) {
                    stage[i] = codes[from + i] >>> 8;
                }
                p += stream.writeBlock(stage, 0, n, q - 8, entropy, dst, p);
            }
        }
        return p - dstOff;
    }

    /**
     * The largest code {@code <= top} whose reconstruction {@code (float) (mn + code * sc)} is finite: a row whose
     * grid, rounded up, passes {@code Float.MAX_VALUE} leaves its last code unused, so no frame decodes to infinity.
     */
    private static int finiteTop(double mn, double sc, int top) {
        while (top > 0 && !Float.isFinite((float) (mn + top * sc))) {
            top--;
        }
        return top;
    }

    private void ensureEncode(int t, int rows, int cols, int k) {
        if (positions.length < k) {
            positions = new int[k];
            columnMajor = new int[k];
        }
        if (rowQ.length < rows) {
            rowQ = new byte[rows];
            rowMin = new float[rows];
            rowScale = new float[rows];
            rowLevels = new int[rows];
            rowOutStart = new int[rows + 1];
        }
        vals = grow(vals, cols);
        codes = grow(codes, t);
        // stage holds row bits (rows) or one plane (<= t)
        stage = grow(stage, Math.max(rows, t));
        bucket = grow(bucket, Math.max(rows, cols) + 1L);
    }

    /** Copies the inliers of row {@code r} into {@link #vals}; {@code op} indexes its first outlier. */
    private int gatherRow(float[] src, int srcOff, int r, int cols, int op) {
        int base = r * cols;
        int n = 0;
        int next = nextOutlier(op);
        for (int c = 0; c < cols; c++) {
            int idx = base + c;
            if (idx == next) {
                op++;
                next = nextOutlier(op);
                continue;
            }
            vals[n++] = src[srcOff + idx];
        }
        return n;
    }

    private int nextOutlier(int op) {
        return op < selectedCount ? positions[op] : Integer.MAX_VALUE;
    }

    /** Picks the {@code k} largest |x| into {@link #positions}, row-major ascending (radix selection). */
    private void selectOutliers(float[] src, int off, int t, int k) {
        selectedCount = k;
        if (k == 0) {
            return;
        }
        if (k >= t) {
            for (int i = 0; i < t; i++) {
                positions[i] = i;
            }
            return;
        }
        int prefix = 0;
        int prefixMask = 0;
        int need = k;
        int[] h = hist;
        for (int level = 0; level < 3; level++) {
            int shift = level == 0 ? 20 : level == 1 ? 10 : 0;
            int width = level == 0 ? 11 : 10;
            int mask = (1 << width) - 1;
            Arrays.fill(h, 0, 1 << width, 0);
            for (int i = 0; i < t; i++) {
                int key = Float.floatToRawIntBits(src[off + i]) & 0x7FFFFFFF;
                if ((key & prefixMask) == prefix) {
                    h[key >>> shift & mask]++;
                }
            }
            int b = mask;
            int above = 0;
            while (above + h[b] < need) {
                above += h[b];
                b--;
            }
            need -= above;
            prefix |= b << shift;
            prefixMask |= mask << shift;
        }
        int threshold = prefix;
        int j = 0;
        for (int i = 0; i < t; i++) {
            int key = Float.floatToRawIntBits(src[off + i]) & 0x7FFFFFFF;
            if (key > threshold) {
                positions[j++] = i;
            } else if (key == threshold && need > 0) {
                positions[j++] = i;
                need--;
            }
        }
        assert j == k;
    }

    /** Bits of a code with {@code levels} levels: {@code ceil(log2(levels))}, at least 1. */
    static int bitsFor(int levels) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(levels - 1));
    }

    /** Whether fp16 row parameters lose at most {@link #FP16_SLACK} of this row's grid. */
    private static boolean fp16Fits(float mn, float mx, int levels) {
        float mnS = Half.toFloat(Half.roundDown(mn));
        if (!Float.isFinite(mnS)) {
            return false;
        }
        double range = (double) mx - mn;
        double widened = (double) mx - mnS;
        if (widened > range * (1 + FP16_SLACK)) {
            return false;
        }
        double scale = widened / (levels - 1);
        float scaleS = Half.toFloat(Half.roundUp(roundUpToFloat(scale)));
        return Float.isFinite(scaleS) && scaleS <= scale * (1 + FP16_SLACK);
    }

    private static float roundUpToFloat(double v) {
        float f = (float) v;
        return f < v ? Math.nextUp(f) : f;
    }

    /** Sorts {@link #positions} (row-major) into {@link #columnMajor} as column-major indices {@code c * R + r}. */
    private void toColumnMajor(int k, int rows, int cols) {
        int[] cnt = bucket;
        Arrays.fill(cnt, 0, cols + 1, 0);
        for (int i = 0; i < k; i++) {
            cnt[positions[i] % cols + 1]++;
        }
        for (int c = 0; c < cols; c++) {
            cnt[c + 1] += cnt[c];
        }
        for (int i = 0; i < k; i++) {
            int pos = positions[i];
            int c = pos % cols;
            columnMajor[cnt[c]++] = c * rows + pos / cols;
        }
    }

    // the last encode's choices, for tests in this package

    int lastRowLevels(int r) {
        return rowLevels[r];
    }

    int lastRowBits(int r) {
        return rowQ[r];
    }

    float lastRowMin(int r) {
        return rowMin[r];
    }

    float lastRowScale(int r) {
        return rowScale[r];
    }

    int[] lastOutliers() {
        return Arrays.copyOf(positions, selectedCount);
    }

    // ------------------------------------------------------------------ decode

    @Override
    public void decode(
            byte[] src, int off, int len, TensorShape shape, CodecSettings settings, float[] dst, int dstOff) {
        Objects.checkFromIndexSize(off, len, src.length);
        final int t = shape.elementCount();
        Objects.checkFromIndexSize(dstOff, t, dst.length);
        ByteIo.Reader in = new ByteIo.Reader(src, off, len, 0);
        int flags = in.u8("TS_TABQ flags");
        MalformedFrameException.verify((flags & ~3) == 0, off, "TS_TABQ unknown flags " + flags);
        long kAt = in.offset();
        int k = in.varintUpTo(t, "TS_TABQ outlier count");
        int expected = outlierCount(t, settings.outlierFraction());
        MalformedFrameException.verify(k == expected, kAt, "TS_TABQ outlier count " + k + ", expected " + expected);
        if (t == 0) {
            // nothing to size: the shape's dimensions (one may be huge) play no part
            MalformedFrameException.verify(
                    flags == 0 && in.remaining() == 0, in.offset(), "TS_TABQ empty tensor with a body");
            return;
        }
        final int rows = shape.rows();
        final int cols = shape.cols();
        final int qbit = settings.qbit();
        boolean outliersFp32 = (flags & FLAG_OUTLIERS_FP32) != 0;
        boolean paramsFp32 = (flags & FLAG_PARAMS_FP32) != 0;
        int paramBytes = paramsFp32 ? 8 : 4;
        // row parameters are stored uncompressed: the rows are bounded by the bytes before anything is sized
        MalformedFrameException.verify(
                (long) paramBytes * rows <= in.remaining(),
                in.offset(),
                "TS_TABQ payload too short for " + rows + " rows");
        ensureRows(rows);

        long bitsAt = in.offset();
        stage = grow(stage, rows);
        stream.readBlock(in, rows, 4, stage, 0);
        for (int r = 0; r < rows; r++) {
            int q = stage[r] + 1;
            MalformedFrameException.verify(
                    q <= qbit, bitsAt, "TS_TABQ row " + r + " has " + q + " bits > qbit " + qbit);
            rowQ[r] = (byte) q;
        }
        for (int r = 0; r < rows; r++) {
            long at = in.offset();
            float mn;
            float sc;
            if (paramsFp32) {
                mn = in.f32("TS_TABQ row min");
                sc = in.f32("TS_TABQ row scale");
            } else {
                mn = Half.toFloat(in.i16("TS_TABQ row min"));
                sc = Half.toFloat(in.i16("TS_TABQ row scale"));
            }
            MalformedFrameException.verify(
                    Float.isFinite(mn) && Float.isFinite(sc) && sc >= 0, at, "TS_TABQ bad row parameters");
            rowMin[r] = mn;
            rowScale[r] = sc;
        }

        Arrays.fill(rowOutStart, 0, rows + 1, 0);
        if (k > 0) {
            readOutliers(in, t, rows, k, outliersFp32);
        }

        // code blocks: every header is checked against its bytes before the codes are sized
        Arrays.fill(groupCount, 0);
        for (int r = 0; r < rows; r++) {
            groupCount[rowQ[r]] += cols - (rowOutStart[r + 1] - rowOutStart[r]);
        }
        int s = 0;
        int widest = 0;
        for (int q = 1; q <= 16; q++) {
            int n = groupCount[q];
            groupStart[q] = s;
            groupFill[q] = s;
            s += n;
            lowSpan[q] = stream.readBlock(in, n, Math.min(q, 8));
            highSpan[q] = q > 8 ? stream.readBlock(in, n, q - 8) : null;
            if (q > 8) {
                widest = Math.max(widest, n);
            }
        }
        MalformedFrameException.verify(
                in.remaining() == 0, in.offset(), "TS_TABQ payload has " + in.remaining() + " trailing bytes");
        codes = grow(codes, s);
        stage = grow(stage, widest);
        for (int q = 1; q <= 16; q++) {
            int n = groupCount[q];
            int from = groupStart[q];
            stream.decode(src, lowSpan[q], n, Math.min(q, 8), codes, from);
            if (q > 8) {
                stream.decode(src, highSpan[q], n, q - 8, stage, 0);
                for (int i = 0; i < n; i++) {
                    codes[from + i] |= stage[i] << 8;
                }
            }
        }
        checkRowRanges(rows, cols, kAt);

        // everything is validated: write the output
        for (int i = 0; i < k; i++) {
            int cm = columnMajor[i];
            int bits = valueBits[i];
            dst[dstOff + (cm % rows) * cols + cm / rows] =
                    outliersFp32 ? Float.intBitsToFloat(bits) : Half.toFloat((short) bits);
        }
        for (int r = 0; r < rows; r++) {
            int q = rowQ[r];
            double mn = rowMin[r];
            double sc = rowScale[r];
            int w = groupFill[q];
            int op = rowOutStart[r];
            int opEnd = rowOutStart[r + 1];
            int base = r * cols;
            int next = op < opEnd ? positions[op] : Integer.MAX_VALUE;
            for (int c = 0; c < cols; c++) {
                int idx = base + c;
                if (idx == next) {
                    op++;
                    next = op < opEnd ? positions[op] : Integer.MAX_VALUE;
                    continue;
                }
                dst[dstOff + idx] = (float) (mn + codes[w++] * sc);
            }
            groupFill[q] = w;
        }
    }

    /**
     * Positions and values of the {@code k} outliers into {@link #columnMajor}, {@link #positions} (row-major) and
     * {@link #valueBits}, their per-row counts into {@link #rowOutStart}. The {@code k}-sized arrays are sized only
     * after the position block has shown it holds at least {@code k} bytes' worth of gaps.
     */
    private void readOutliers(ByteIo.Reader in, int t, int rows, int k, boolean fp32) {
        long mAt = in.offset();
        int m = in.varintUpTo((long) k * ByteIo.varintSize(t - 1), "TS_TABQ position stream length");
        MalformedFrameException.verify(m >= k, mAt, "TS_TABQ position stream length " + m + " < " + k);
        SymbolStream.Span span = stream.readBlock(in, m, 8);
        int width = fp32 ? 4 : 2;
        // a 2-byte single-symbol block can describe millions of gaps: before decoding and sizing for k outliers,
        // the blocks that follow (the value planes, and the codes of the other elements if any) must have room
        int blocksAfter = width + (k < t ? 1 : 0);
        MalformedFrameException.verify(
                in.remaining() >= (long) blocksAfter * SymbolStream.MIN_BLOCK_BYTES,
                in.offset(),
                "TS_TABQ payload too short for " + width + " outlier value planes and the codes");
        bytes = grow(bytes, m);
        stream.decodeBytes(in.buffer(), span, m, bytes, 0);
        ensureOutliers(k);
        ByteIo.Reader gaps = new ByteIo.Reader(bytes, 0, m, mAt);
        long prev = -1;
        for (int i = 0; i < k; i++) {
            long cm = prev + 1 + gaps.varint("TS_TABQ outlier gap");
            MalformedFrameException.verify(cm < t, mAt, "TS_TABQ outlier position " + cm + " >= elements " + t);
            columnMajor[i] = (int) cm;
            prev = cm;
            rowOutStart[(int) (cm % rows) + 1]++;
        }
        MalformedFrameException.verify(gaps.remaining() == 0, mAt, "TS_TABQ position stream has trailing bytes");
        Arrays.fill(valueBits, 0, k, 0);
        bytes = grow(bytes, k);
        for (int plane = 0; plane < width; plane++) {
            stream.readByteBlock(in, k, bytes, 0);
            int shift = 8 * plane;
            for (int i = 0; i < k; i++) {
                valueBits[i] |= (bytes[i] & 0xFF) << shift;
            }
        }
        for (int i = 0; i < k; i++) {
            int v = valueBits[i];
            boolean finite = fp32 ? Float.isFinite(Float.intBitsToFloat(v)) : (v & 0x7C00) != 0x7C00;
            MalformedFrameException.verify(finite, mAt, "TS_TABQ outlier value " + i + " not finite");
        }
        // row-major outlier list: stable counting sort of the column-major list by row
        for (int r = 0; r < rows; r++) {
            rowOutStart[r + 1] += rowOutStart[r];
        }
        System.arraycopy(rowOutStart, 0, bucket, 0, rows);
        for (int i = 0; i < k; i++) {
            int cm = columnMajor[i];
            positions[bucket[cm % rows]++] = (cm % rows) * (t / rows) + cm / rows;
        }
    }

    /**
     * Checks that every row's largest code reconstructs to a finite value: reconstruction is monotone in the code,
     * so every output of the row then lies in {@code [min_r, min_r + maxCode * scale_r]} and is finite.
     */
    private void checkRowRanges(int rows, int cols, long at) {
        System.arraycopy(groupStart, 0, groupFill, 0, 17);
        for (int r = 0; r < rows; r++) {
            int q = rowQ[r];
            int n = cols - (rowOutStart[r + 1] - rowOutStart[r]);
            int w = groupFill[q];
            int top = 0;
            for (int i = w; i < w + n; i++) {
                top = Math.max(top, codes[i]);
            }
            groupFill[q] = w + n;
            MalformedFrameException.verify(
                    Float.isFinite((float) (rowMin[r] + top * (double) rowScale[r])),
                    at,
                    "TS_TABQ row " + r + " reconstructs beyond the float range");
        }
        System.arraycopy(groupStart, 0, groupFill, 0, 17);
    }

    private void ensureRows(int rows) {
        if (rowQ.length < rows) {
            rowQ = new byte[rows];
            rowMin = new float[rows];
            rowScale = new float[rows];
            rowLevels = new int[rows];
        }
        rowOutStart = grow(rowOutStart, rows + 1L);
        bucket = grow(bucket, rows);
    }

    private void ensureOutliers(int k) {
        if (positions.length < k) {
            positions = new int[k];
            columnMajor = new int[k];
        }
        valueBits = grow(valueBits, k);
    }

    @Override
    public void releaseScratch() {
        if (codes.length > SCRATCH_KEEP
                || stage.length > SCRATCH_KEEP
                || positions.length > SCRATCH_KEEP
                || valueBits.length > SCRATCH_KEEP
                || bytes.length > SCRATCH_KEEP
                || rowQ.length > SCRATCH_KEEP
                || vals.length > SCRATCH_KEEP
                || bucket.length > SCRATCH_KEEP) {
            positions = new int[0];
            columnMajor = new int[0];
            bucket = new int[0];
            rowMin = new float[0];
            rowScale = new float[0];
            rowLevels = new int[0];
            rowQ = new byte[0];
            rowOutStart = new int[0];
            codes = new int[0];
            stage = new int[0];
            bytes = new byte[0];
            vals = new float[0];
            valueBits = new int[0];
        }
        stream.trimScratch(SCRATCH_KEEP);
    }

    /** Bytes of scratch held now, for tests of the retention rule. */
    long scratchBytes() {
        return 4L
                        * (positions.length
                                + columnMajor.length
                                + bucket.length
                                + rowMin.length
                                + rowScale.length
                                + rowLevels.length
                                + rowOutStart.length
                                + codes.length
                                + stage.length
                                + vals.length
                                + valueBits.length)
                + rowQ.length
                + bytes.length;
    }
}
