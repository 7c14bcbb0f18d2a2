package dev.slicer.codec.tabq;

import dev.slicer.codec.CodecException;
import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.TensorShape;
import dev.slicer.codec.bits.BitPacker;
import dev.slicer.codec.frame.PayloadCodec;
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
 *       {@code |x|} (11 + 10 + 10 bits). Non-finite values order above every finite value, so NaN and infinities
 *       are outliers first and survive exactly; a tensor with more than {@code k} non-finite values is rejected
 *       with a {@link CodecException}. Outlier values are stored as fp16 (round to nearest even) when every one of
 *       them is zero, non-finite or a normal half ({@code 2^-14 <= |x| <= 65504}, relative error {@code <= 2^-11});
 *       otherwise all of them as fp32, bit-exact.
 *   <li><b>Outlier positions</b> are coded in column-major order ({@code p' = col * R + row}), as LEB128 varints of
 *       the gaps {@code p'_i - p'_(i-1) - 1} ({@code p'_0} itself first). Outliers of transformer hidden states sit
 *       in a few fixed channels, so column-major gaps are mostly 0 and the rANS stage codes them in well under a
 *       bit each; scattered positions cost about {@code log2(1/fraction) + 1.5} bits.
 *   <li><b>TAB-Q.</b> Each row's inliers get asymmetric quantization over their own {@code [min, max]} with their
 *       own level count {@code L_r <= 2^qbit}, so bit width {@code q_r = ceil(log2 L_r) <= qbit}, found as in the
 *       paper's ABQ: starting from {@code L = 2^qbit}, step down while the integer mismatch at the next smaller
 *       level count stays {@code <= delta}. With reference codes {@code T0 = round((x - min) / range * M0)},
 *       {@code M0 = 2^qbit - 1}, candidate codes {@code T = round(T0 * (L-1) / M0)}, lifted back
 *       {@code U = round(T * M0 / (L-1))}:
 *       <pre>DS(L) = mean(|T0 - U|) / M0</pre>
 *       i.e. the mean absolute mismatch as a fraction of the row's range, computed on integers only. The paper's
 *       literal form {@code mean(|floor(T0 / 2^(qbit-q)) - T|)} is about 0.5 for every {@code q}, so it cannot
 *       steer; this one is about {@code 1 / (4 (L - 1))} for spread-out rows ({@code L = 8: 0.036, 16: 0.017,
 *       32: 0.008, 64: 0.004}) and smaller for rows whose values sit on few levels. Without entropy coding the
 *       steps are the powers of two (the paper's bit widths). With entropy coding the steps are the quarter-bit
 *       ladder {@code round(2^(j/4))} (2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 16, 19, ...): rANS codes a level count
 *       that is not a power of two at its entropy, so the finer steps buy real rate-distortion points between
 *       the bit widths (on MiniLM-like rows, 11-13 levels sit near cosine 0.99 at about 3.3 bits/element in
 *       total, where 8 levels give 0.982 and 16 give 0.996). Because a larger {@code delta} only relaxes every
 *       test of the descent, it never gives more levels or bits. Rows without inliers or with {@code max == min}
 *       get {@code L = 2}.
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
 * <p>A <i>block</i> codes {@code n} symbols of {@code w <= 8} bits, {@code n} known to the decoder: one tag byte
 * ({@code 0} = bit-packed LSB-first by {@link BitPacker}, exactly {@code ceil(n w / 8)} bytes; {@code 1} =
 * {@link RansCoder} output), a varint byte length, the bytes. With {@code settings.entropy()} the encoder writes
 * whichever of the two is shorter, otherwise always packed. A block with {@code n = 0} is omitted entirely. Varints
 * are unsigned LEB128, at most 5 bytes, at most {@code 2^31 - 1}.
 *
 * <table>
 *   <caption>TS_TABQ payload, in order</caption>
 *   <tr><th>field</th><th>size</th><th>content</th></tr>
 *   <tr><td>flags</td><td>1</td><td>bit 0: outlier values fp32 (else fp16); bit 1: row parameters fp32 (else fp16);
 *       other bits 0</td></tr>
 *   <tr><td>k</td><td>varint</td><td>outlier count, {@code <= T}</td></tr>
 *   <tr><td>row bits</td><td>block</td><td>{@code R} symbols {@code q_r - 1}, 4 bits</td></tr>
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
 * <p>The decoder checks every count, length, position and bit width against the declared shape before it writes,
 * fills every one of the {@code T} output values, and requires the payload to end exactly at {@code off + len};
 * anything else is a {@link MalformedFrameException}. Instances are reusable and not thread-safe (scratch arrays
 * grow on demand and are kept).
 */
public final class TsTabqPayloadCodec implements PayloadCodec {
    static final int FLAG_OUTLIERS_FP32 = 1;
    static final int FLAG_PARAMS_FP32 = 2;
    static final int TAG_PACKED = 0;
    static final int TAG_RANS = 1;
    private static final int MAX_VARINT = 5;
    private static final int BLOCK_HEADER = 1 + MAX_VARINT;
    /** fp16 row parameters may widen a row's grid by at most this fraction. */
    private static final double FP16_SLACK = 1.0 / 64;

    /** Level counts a quarter bit apart, {@code round(2^(j/4))} for {@code j = 4..64}, ascending, distinct. */
    static final int[] LADDER;
    /** {@code LADDER[LADDER_INDEX[q]] == 2^q}. */
    static final int[] LADDER_INDEX = new int[17];

    static {
        int[] l = new int[61];
        int n = 0;
        for (int j = 4; j <= 64; j++) {
            int v = (int) Math.round(Math.pow(2, j / 4.0));
            if (n == 0 || l[n - 1] != v) {
                l[n++] = v;
            }
            if ((j & 3) == 0) {
                LADDER_INDEX[j >> 2] = n - 1;
            }
        }
        LADDER = Arrays.copyOf(l, n);
    }

    /** Mismatch tables are cached for {@code qbit} up to this (at most 4096 entries each). */
    private static final int MISMATCH_TABLE_MAX_QBIT = 12;

    private final RansCoder rans = new RansCoder();
    private final int[][][] mismatchTables = new int[MISMATCH_TABLE_MAX_QBIT + 1][][];
    private final int[] hist = new int[1 << 11];
    private final int[] groupCount = new int[17];
    private final int[] groupStart = new int[17];
    private final int[] groupFill = new int[17];

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
    private float[] vals = new float[0];
    private int[] ref = new int[0];
    private byte[] symbols = new byte[0];
    private byte[] ransOut = new byte[0];
    private int[] valueBits = new int[0];
    private int selectedCount;
    private int cursor;

    public TsTabqPayloadCodec() {}

    /** The outlier count for {@code elements} values: {@code floor(fraction * elements)} in double. */
    public static int outlierCount(int elements, double fraction) {
        return (int) Math.min(elements, Math.floor(fraction * elements));
    }

    @Override
    public long maxPayloadBytes(TensorShape shape, CodecSettings settings) {
        long t = shape.elementCount();
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

    // ------------------------------------------------------------------ encode

    @Override
    public int encode(float[] src, int srcOff, TensorShape shape, CodecSettings settings, byte[] dst, int dstOff) {
        final int t = shape.elementCount();
        Objects.checkFromIndexSize(srcOff, t, src.length);
        final int rows = shape.rows();
        final int cols = shape.cols();
        final int qbit = settings.qbit();
        final boolean entropy = settings.entropy();
        final int k = outlierCount(t, settings.outlierFraction());
        ensureEncode(t, rows, cols, k);

        selectOutliers(src, srcOff, t, k);
        boolean outliersFp32 = false;
        for (int i = 0; i < k; i++) {
            float v = src[srcOff + positions[i]];
            float a = Math.abs(v);
            if (Float.isFinite(v) && a != 0 && (a < Half.MIN_NORMAL || a > Half.MAX)) {
                outliersFp32 = true;
                break;
            }
        }

        // pass A: per row min, max, bits; inlier counts per bit width
        Arrays.fill(groupCount, 0);
        int op = 0;
        boolean paramsFp32 = false;
        for (int r = 0; r < rows; r++) {
            int n = gatherRow(src, srcOff, r, cols, op);
            op += cols - n;
            float mn = Float.POSITIVE_INFINITY;
            float mx = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                float v = vals[i];
                if (!(Math.abs(v) <= Float.MAX_VALUE)) {
                    throw new CodecException("TS_TABQ: more non-finite values than the outlier budget " + k);
                }
                mn = Math.min(mn, v);
                mx = Math.max(mx, v);
            }
            int levels = n == 0 || mx == mn ? 2 : chooseLevels(n, mn, mx, qbit, settings.delta(), entropy);
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
            int top = rowLevels[r] - 1;
            double mn = rowMin[r];
            double sc = rowScale[r];
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
        p = writeVarint(dst, p, k);
        for (int r = 0; r < rows; r++) {
            stage[r] = rowQ[r] - 1;
        }
        p = writeBlock(stage, 0, rows, 4, entropy, dst, p);
        for (int r = 0; r < rows; r++) {
            if (paramsFp32) {
                p = putInt(dst, p, Float.floatToRawIntBits(rowMin[r]));
                p = putInt(dst, p, Float.floatToRawIntBits(rowScale[r]));
            } else {
                p = putShort(dst, p, Half.fromFloat(rowMin[r]));
                p = putShort(dst, p, Half.fromFloat(rowScale[r]));
            }
        }
        if (k > 0) {
            toColumnMajor(k, rows, cols);
            int m = 0;
            int prev = -1;
            for (int i = 0; i < k; i++) {
                int cm = columnMajor[i];
                int gap = cm - prev - 1;
                prev = cm;
                while (gap >= 0x80) {
                    stage[m++] = gap & 0x7F | 0x80;
                    gap >>>= 7;
                }
                stage[m++] = gap;
            }
            p = writeVarint(dst, p, m);
            p = writeBlock(stage, 0, m, 8, entropy, dst, p);
            int width = outliersFp32 ? 4 : 2;
            for (int plane = 0; plane < width; plane++) {
                int shift = 8 * plane;
                for (int i = 0; i < k; i++) {
                    int cm = columnMajor[i];
                    float v = src[srcOff + (cm % rows) * cols + cm / rows];
                    int bits = outliersFp32 ? Float.floatToRawIntBits(v) : Half.fromFloat(v);
                    stage[i] = bits >>> shift & 0xFF;
                }
                p = writeBlock(stage, 0, k, 8, entropy, dst, p);
            }
        }
        for (int q = 1; q <= 16; q++) {
            int n = groupCount[q];
            if (n == 0) {
                continue;
            }
            int from = groupStart[q];
            if (q <= 8) {
                p = writeBlock(codes, from, n, q, entropy, dst, p);
            } else {
                for (int i = 0; i < n; i++) {
                    stage[i] = codes[from + i] & 0xFF;
                }
                p = writeBlock(stage, 0, n, 8, entropy, dst, p);
                for (int i = 0; i < n; i++) {
                    stage[i] = codes[from + i] >>> 8;
                }
                p = writeBlock(stage, 0, n, q - 8, entropy, dst, p);
            }
        }
        return p - dstOff;
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
        if (vals.length < cols) {
            vals = new float[cols];
            ref = new int[cols];
        }
        if (codes.length < t) {
            codes = new int[t];
        }
        // stage holds row bits (rows), position varint bytes (<= 5k) or one plane (<= t)
        int st = Math.max(Math.max(rows, t), (int) Math.min(Integer.MAX_VALUE - 8, 5L * k));
        if (stage.length < st) {
            stage = new int[st];
        }
        if (bucket.length < Math.max(rows, cols) + 1) {
            bucket = new int[Math.max(rows, cols) + 1];
        }
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

    /**
     * The ABQ descent on integer mismatch (see the class comment) over level counts: powers of two, and with
     * entropy coding also the quarter-bit ladder {@link #LADDER}. Returns the level count, {@code <= 2^qbit}.
     */
    private int chooseLevels(int n, float mn, float mx, int qbit, double delta, boolean entropy) {
        int m0 = (1 << qbit) - 1;
        double inv = m0 / ((double) mx - mn);
        int[] t0 = ref;
        for (int i = 0; i < n; i++) {
            t0[i] = Math.min(m0, (int) ((vals[i] - (double) mn) * inv + 0.5));
        }
        double limit = delta * n * m0;
        int levels = 1 << qbit;
        int j = LADDER_INDEX[qbit];
        while (levels > 2) {
            int idx = entropy ? j - 1 : LADDER_INDEX[bitsFor(levels) - 1];
            int cand = LADDER[idx];
            // |T0 - U| <= m0 / (2 (L-1)) + 1/2 for every element, so DS(L) <= 1/(2(L-1)) + 1/(2 m0): when that is
            // within delta the test passes without looking at the row
            if (0.5 / (cand - 1) + 0.5 / m0 > delta && mismatch(n, qbit, m0, idx, cand) > limit) {
                break;
            }
            levels = cand;
            j = idx;
        }
        return levels;
    }

    /** {@code sum |T0 - U|} over the row for level count {@code cand} (ladder index {@code idx}). */
    private long mismatch(int n, int qbit, int m0, int idx, int cand) {
        int[] t0 = ref;
        long sum = 0;
        if (qbit <= MISMATCH_TABLE_MAX_QBIT) {
            int[] tab = mismatchTable(qbit, m0, idx, cand);
            for (int i = 0; i < n; i++) {
                sum += tab[t0[i]];
            }
        } else {
            long mq = cand - 1;
            for (int i = 0; i < n; i++) {
                sum += mismatchOf(t0[i], m0, mq);
            }
        }
        return sum;
    }

    private static int mismatchOf(long v, long m0, long mq) {
        long t = (v * mq * 2 + m0) / (2 * m0);
        long lifted = (t * m0 * 2 + mq) / (2 * mq);
        return (int) Math.abs(v - lifted);
    }

    /** Cached {@code |T0 - U|} for every reference code {@code T0 <= m0}; built once per (qbit, level count). */
    private int[] mismatchTable(int qbit, int m0, int idx, int cand) {
        int[][] byLevel = mismatchTables[qbit];
        if (byLevel == null) {
            byLevel = new int[LADDER.length][];
            mismatchTables[qbit] = byLevel;
        }
        int[] tab = byLevel[idx];
        if (tab == null) {
            tab = new int[m0 + 1];
            for (int v = 0; v <= m0; v++) {
                tab[v] = mismatchOf(v, m0, cand - 1);
            }
            byLevel[idx] = tab;
        }
        return tab;
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

    /** Writes one block of {@code n} symbols of {@code bits} bits from {@code v[from..]}. */
    private int writeBlock(int[] v, int from, int n, int bits, boolean entropy, byte[] dst, int p) {
        if (n == 0) {
            return p;
        }
        int packed = (int) BitPacker.packedBytes(n, bits);
        if (entropy) {
            if (symbols.length < n) {
                symbols = new byte[n];
            }
            if (ransOut.length < n + 1) {
                ransOut = new byte[n + 1];
            }
            for (int i = 0; i < n; i++) {
                symbols[i] = (byte) v[from + i];
            }
            int len = rans.encode(symbols, 0, n, ransOut, 0);
            if (len < packed) {
                dst[p++] = TAG_RANS;
                p = writeVarint(dst, p, len);
                System.arraycopy(ransOut, 0, dst, p, len);
                return p + len;
            }
        }
        dst[p++] = TAG_PACKED;
        p = writeVarint(dst, p, packed);
        return p + BitPacker.pack(v, from, n, bits, dst, p);
    }

    private static int writeVarint(byte[] dst, int p, int v) {
        while ((v & ~0x7F) != 0) {
            dst[p++] = (byte) (v & 0x7F | 0x80);
            v >>>= 7;
        }
        dst[p++] = (byte) v;
        return p;
    }

    private static int putShort(byte[] dst, int p, short v) {
        dst[p] = (byte) v;
        dst[p + 1] = (byte) (v >>> 8);
        return p + 2;
    }

    private static int putInt(byte[] dst, int p, int v) {
        dst[p] = (byte) v;
        dst[p + 1] = (byte) (v >>> 8);
        dst[p + 2] = (byte) (v >>> 16);
        dst[p + 3] = (byte) (v >>> 24);
        return p + 4;
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
        final int rows = shape.rows();
        final int cols = shape.cols();
        final int end = off + len;
        cursor = off;

        MalformedFrameException.verify(len >= 1, off, "TS_TABQ payload empty");
        int flags = src[cursor++] & 0xFF;
        MalformedFrameException.verify((flags & ~3) == 0, off, "TS_TABQ unknown flags " + flags);
        boolean outliersFp32 = (flags & FLAG_OUTLIERS_FP32) != 0;
        boolean paramsFp32 = (flags & FLAG_PARAMS_FP32) != 0;
        int k = readVarint(src, end);
        MalformedFrameException.verify(k <= t, cursor - 1, "TS_TABQ outlier count " + k + " > elements " + t);
        // row parameters are stored uncompressed: reject a short payload before allocating per-row scratch
        MalformedFrameException.verify(
                (paramsFp32 ? 8L : 4L) * rows <= end - cursor,
                cursor,
                "TS_TABQ payload too short for " + rows + " rows");
        ensureDecode(t, rows, cols, k);

        readBlock(src, end, rows, 4, stage, 0);
        for (int r = 0; r < rows; r++) {
            rowQ[r] = (byte) (stage[r] + 1);
        }
        int paramBytes = (paramsFp32 ? 8 : 4) * rows;
        MalformedFrameException.verify(paramBytes <= end - cursor, cursor, "TS_TABQ row parameters truncated");
        for (int r = 0; r < rows; r++) {
            int at = cursor;
            float mn;
            float sc;
            if (paramsFp32) {
                mn = Float.intBitsToFloat(getInt(src, cursor));
                sc = Float.intBitsToFloat(getInt(src, cursor + 4));
                cursor += 8;
            } else {
                mn = Half.toFloat((short) getShort(src, cursor));
                sc = Half.toFloat((short) getShort(src, cursor + 2));
                cursor += 4;
            }
            MalformedFrameException.verify(
                    Float.isFinite(mn) && Float.isFinite(sc) && sc >= 0, at, "TS_TABQ bad row parameters");
            rowMin[r] = mn;
            rowScale[r] = sc;
        }

        Arrays.fill(rowOutStart, 0, rows + 1, 0);
        if (k > 0) {
            int mAt = cursor;
            int m = readVarint(src, end);
            MalformedFrameException.verify(m >= k && m <= 5L * k, mAt, "TS_TABQ position stream length " + m);
            readBlock(src, end, m, 8, stage, 0);
            int sp = 0;
            long prev = -1;
            for (int i = 0; i < k; i++) {
                long gap = 0;
                int shift = 0;
                while (true) {
                    MalformedFrameException.verify(sp < m && shift < 35, mAt, "TS_TABQ bad position varint");
                    int b = stage[sp++];
                    gap |= (long) (b & 0x7F) << shift;
                    shift += 7;
                    if (b < 0x80) {
                        break;
                    }
                }
                long cm = prev + 1 + gap;
                if (cm >= t) {
                    throw new MalformedFrameException(mAt, "TS_TABQ outlier position " + cm + " >= elements " + t);
                }
                columnMajor[i] = (int) cm;
                prev = cm;
                rowOutStart[(int) (cm % rows) + 1]++;
            }
            MalformedFrameException.verify(sp == m, mAt, "TS_TABQ position stream has trailing bytes");
            int width = outliersFp32 ? 4 : 2;
            Arrays.fill(valueBits, 0, k, 0);
            for (int plane = 0; plane < width; plane++) {
                readBlock(src, end, k, 8, stage, 0);
                int shift = 8 * plane;
                for (int i = 0; i < k; i++) {
                    valueBits[i] |= stage[i] << shift;
                }
            }
            // row-major outlier list: stable counting sort of the column-major list by row
            for (int r = 0; r < rows; r++) {
                rowOutStart[r + 1] += rowOutStart[r];
            }
            System.arraycopy(rowOutStart, 0, bucket, 0, rows);
            for (int i = 0; i < k; i++) {
                int cm = columnMajor[i];
                positions[bucket[cm % rows]++] = (cm % rows) * cols + cm / rows;
            }
        }

        Arrays.fill(groupCount, 0);
        for (int r = 0; r < rows; r++) {
            groupCount[rowQ[r]] += cols - (rowOutStart[r + 1] - rowOutStart[r]);
        }
        int s = 0;
        for (int q = 1; q <= 16; q++) {
            groupStart[q] = s;
            groupFill[q] = s;
            int n = groupCount[q];
            s += n;
            if (n == 0) {
                continue;
            }
            int from = groupStart[q];
            if (q <= 8) {
                readBlock(src, end, n, q, codes, from);
            } else {
                readBlock(src, end, n, 8, codes, from);
                readBlock(src, end, n, q - 8, stage, 0);
                for (int i = 0; i < n; i++) {
                    codes[from + i] |= stage[i] << 8;
                }
            }
        }
        MalformedFrameException.verify(
                cursor == end, cursor, "TS_TABQ payload has " + (end - cursor) + " trailing bytes");

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

    private void ensureDecode(int t, int rows, int cols, int k) {
        if (positions.length < k) {
            positions = new int[k];
            columnMajor = new int[k];
        }
        if (valueBits.length < k) {
            valueBits = new int[k];
        }
        if (rowQ.length < rows) {
            rowQ = new byte[rows];
            rowMin = new float[rows];
            rowScale = new float[rows];
        }
        if (rowOutStart.length < rows + 1) {
            rowOutStart = new int[rows + 1];
        }
        if (codes.length < t) {
            codes = new int[t];
        }
        int st = Math.max(Math.max(rows, t), (int) Math.min(Integer.MAX_VALUE - 8, 5L * k));
        if (stage.length < st) {
            stage = new int[st];
        }
        if (bucket.length < Math.max(rows, cols) + 1) {
            bucket = new int[Math.max(rows, cols) + 1];
        }
    }

    /** Reads one block of {@code n} symbols of {@code bits} bits into {@code out[outOff, outOff+n)}; none if n = 0. */
    private void readBlock(byte[] src, int end, int n, int bits, int[] out, int outOff) {
        if (n == 0) {
            return;
        }
        int at = cursor;
        MalformedFrameException.verify(cursor < end, at, "TS_TABQ block truncated");
        int tag = src[cursor++];
        int len = readVarint(src, end);
        MalformedFrameException.verify(len <= end - cursor, at, "TS_TABQ block length " + len + " exceeds payload");
        if (tag == TAG_PACKED) {
            MalformedFrameException.verify(
                    len == BitPacker.packedBytes(n, bits), at, "TS_TABQ packed block length " + len + " for " + n);
            BitPacker.unpack(src, cursor, len, n, bits, out, outOff);
        } else {
            MalformedFrameException.verify(tag == TAG_RANS, at, "TS_TABQ unknown block tag " + tag);
            if (symbols.length < n) {
                symbols = new byte[n];
            }
            rans.decode(src, cursor, len, symbols, 0, n);
            int or = 0;
            for (int i = 0; i < n; i++) {
                int v = symbols[i] & 0xFF;
                or |= v;
                out[outOff + i] = v;
            }
            MalformedFrameException.verify(or >>> bits == 0, at, "TS_TABQ symbol wider than " + bits + " bits");
        }
        cursor += len;
    }

    private int readVarint(byte[] src, int end) {
        int at = cursor;
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            MalformedFrameException.verify(cursor < end && shift < 35, at, "TS_TABQ bad varint");
            int b = src[cursor++] & 0xFF;
            v |= (long) (b & 0x7F) << shift;
            if (b < 0x80) {
                break;
            }
        }
        MalformedFrameException.verify(v <= Integer.MAX_VALUE, at, "TS_TABQ varint out of range");
        return (int) v;
    }

    private static int getShort(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    private static int getInt(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }
}
