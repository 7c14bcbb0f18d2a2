package dev.slicer.codec.frame;

import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.TensorShape;
import dev.slicer.codec.abq.Abq;
import dev.slicer.codec.atkf.Atkf;
import dev.slicer.codec.bits.BitPacker;
import dev.slicer.codec.bits.ByteIo;
import dev.slicer.codec.index.IndexCoder;
import dev.slicer.codec.index.Membership;
import dev.slicer.codec.ms.MagnitudeSplit;
import dev.slicer.codec.rans.RansCoder;
import java.util.Arrays;
import java.util.List;

/**
 * The SLICER TOPK payload: ATKF, magnitude splitting, ABQ per block, index and membership coding, optional rANS.
 * Layout (see FORMAT.md): {@code varint n}, block table ({@code M+ + M-} entries of {@code varint count, u8 bits,
 * u8 coding, f32 min, f32 scale, varint streamLength}), index section, membership section, value streams.
 */
public final class TopKPayloadCodec implements PayloadCodec {
    /** Stage indices of {@link #stageNanos()}. */
    public static final int STAGE_SELECT = 0;

    public static final int STAGE_SPLIT = 1;
    public static final int STAGE_QUANTIZE = 2;
    public static final int STAGE_INDEX = 3;
    public static final int STAGE_VALUES = 4;
    public static final int STAGES = 5;

    private static final int MAX_BLOCKS = 2 * CodecSettings.MAX_BLOCKS;
    private static final int TABLE_ENTRY_MAX = 5 + 1 + 1 + 4 + 4 + 5;

    private final RansCoder rans = new RansCoder();
    private final SymbolStream stream = new SymbolStream(rans);
    private final Atkf atkf = new Atkf();
    private final MagnitudeSplit split = new MagnitudeSplit();
    private final Abq abq = new Abq();
    private final IndexCoder index = new IndexCoder(rans);
    private final Membership membership = new Membership(rans);

    private int[] pos = new int[0];
    private int[] bits = new int[0];
    private byte[] blockOf = new byte[0];
    private float[] vals = new float[0];
    private int[] codes = new int[0];
    private byte[] vbuf = new byte[0];

    private final int[] counts = new int[MAX_BLOCKS];

    private final int[] tally = new int[MAX_BLOCKS];
    private final int[] minMag = new int[MAX_BLOCKS];
    private final int[] maxMag = new int[MAX_BLOCKS];
    private final int[] start = new int[MAX_BLOCKS];
    private final int[] fill = new int[MAX_BLOCKS];
    private final int[] qbits = new int[MAX_BLOCKS];
    private final int[] coding = new int[MAX_BLOCKS];
    private final int[] streamLen = new int[MAX_BLOCKS];
    private final float[] lo = new float[MAX_BLOCKS];
    private final float[] scale = new float[MAX_BLOCKS];

    private boolean profile;
    private final long[] stageNanos = new long[STAGES];
    private int lastSurvivors;

    /** Turns per-stage timing on (for {@code TimeModel} calibration); off by default. */
    public void profile(boolean on) {
        this.profile = on;
    }

    /** Accumulated nanoseconds per stage since the last {@link #resetStages}. */
    public long[] stageNanos() {
        return stageNanos;
    }

    public void resetStages() {
        Arrays.fill(stageNanos, 0);
    }

    /** Survivors in block {@code b} in the last encode or decode (blocks: M+ positive, then M- negative). */
    public int blockCount(int b) {
        return counts[b];
    }

    /** Bits per code of block {@code b} in the last encode or decode (0: every value equals the minimum). */
    public int blockBits(int b) {
        return qbits[b];
    }

    /** Smallest magnitude of block {@code b} in the last encode or decode. */
    public float blockMin(int b) {
        return lo[b];
    }

    /** Quantization step of block {@code b} in the last encode or decode. */
    public float blockScale(int b) {
        return scale[b];
    }

    /** Nonzero survivors of the last encode or decode. */
    public int lastSurvivors() {
        return lastSurvivors;
    }

    /** Scratch elements kept after a rejected payload. */
    private static final int SCRATCH_KEEP = 1 << 16;

    @Override
    public void releaseScratch() {
        if (pos.length > SCRATCH_KEEP || codes.length > SCRATCH_KEEP || blockOf.length > SCRATCH_KEEP) {
            pos = new int[0];
            bits = new int[0];
            blockOf = new byte[0];
            codes = new int[0];
        }
        stream.trimScratch(SCRATCH_KEEP);
    }

    private static int maxBits(CodecSettings s) {
        List<Integer> fixed = s.fixedBits();
        if (fixed.isEmpty()) {
            return s.qbit();
        }
        int m = 0;
        for (int b : fixed) {
            m = Math.max(m, b);
        }
        return m;
    }

    @Override
    public long maxPayloadBytes(TensorShape shape, CodecSettings s) {
        return maxPayload(shape, s);
    }

    /** Static form of {@link #maxPayloadBytes}. */
    public static long maxPayload(TensorShape shape, CodecSettings s) {
        long t = shape.elementCount();
        long k = Atkf.keepCount(t, s.sparsity());
        int blocks = s.blocksPos() + s.blocksNeg();
        return ByteIo.varintSize(k)
                + (long) blocks * TABLE_ENTRY_MAX
                + IndexCoder.maxSectionBytes(t, k)
                + Membership.maxSectionBytes(k, blocks)
                + (k * maxBits(s) + 7) / 8
                + blocks;
    }

    private static int[] grow(int[] a, int n) {
        return a.length >= n ? a : new int[Math.max(n, a.length + (a.length >> 1))];
    }

    private static byte[] grow(byte[] a, int n) {
        return a.length >= n ? a : new byte[Math.max(n, a.length + (a.length >> 1))];
    }

    @Override
    public int encode(float[] src, int srcOff, TensorShape shape, CodecSettings s, byte[] dst, int dstOff) {
        long t0 = profile ? System.nanoTime() : 0;
        int t = shape.elementCount();
        long kl = Atkf.keepCount(t, s.sparsity());
        int k = (int) Math.min(kl, t);
        pos = grow(pos, k + 1);
        bits = grow(bits, k + 1);
        int n = atkf.filter(src, srcOff, t, k, s.lambda(), s.seed(), pos, bits);
        lastSurvivors = n;
        long t1 = profile ? System.nanoTime() : 0;

        int mPos = s.blocksPos();
        int blocks = mPos + s.blocksNeg();
        blockOf = grow(blockOf, n);
        vals = vals.length >= n ? vals : new float[Math.max(n, vals.length + (vals.length >> 1))];
        float[] v = vals;
        split.split(bits, n, mPos, s.blocksNeg(), blockOf, counts, minMag, maxMag, v);
        int acc = 0;
        for (int b = 0; b < blocks; b++) {
            start[b] = acc;
            acc += counts[b];
        }
        long t2 = profile ? System.nanoTime() : 0;

        codes = grow(codes, n);
        List<Integer> fixed = s.fixedBits();
        for (int b = 0; b < blocks; b++) {
            int c = counts[b];
            if (c == 0) {
                qbits[b] = 0;
                lo[b] = 0f;
                scale[b] = 0f;
                continue;
            }
            float l = Float.intBitsToFloat(minMag[b]);
            float h = Float.intBitsToFloat(maxMag[b]);
            int q;
            if (!(h > l)) {
                q = 0;
            } else if (!fixed.isEmpty()) {
                q = fixed.get(Math.min(b, fixed.size() - 1));
            } else {
                q = abq.chooseBits(v, start[b], c, l, h, s.qbit(), s.delta());
            }
            float sc = Abq.scaleFor(l, h, q);
            if (sc == 0f) {
                q = 0;
            }
            qbits[b] = q;
            lo[b] = l;
            scale[b] = sc;
            abq.quantize(v, start[b], c, l, sc, q, codes, start[b]);
        }
        long t3 = profile ? System.nanoTime() : 0;

        // value streams into vbuf
        int vcap = 0;
        for (int b = 0; b < blocks; b++) {
            vcap += (int) Math.max(BitPacker.packedBytes(counts[b], qbits[b]), counts[b] + 1L) + 16;
        }
        vbuf = grow(vbuf, vcap);
        int vp = 0;
        for (int b = 0; b < blocks; b++) {
            vp += valueStream(b, s.entropy(), vp);
        }
        long t4 = profile ? System.nanoTime() : 0;

        int p = dstOff;
        p += ByteIo.putVarint(dst, p, n);
        for (int b = 0; b < blocks; b++) {
            p += ByteIo.putVarint(dst, p, counts[b]);
            dst[p++] = (byte) qbits[b];
            dst[p++] = (byte) coding[b];
            ByteIo.putInt(dst, p, Float.floatToRawIntBits(lo[b]));
            ByteIo.putInt(dst, p + 4, Float.floatToRawIntBits(scale[b]));
            p += 8;
            p += ByteIo.putVarint(dst, p, streamLen[b]);
        }
        p += index.encode(pos, n, t, s.entropy(), dst, p);
        p += membership.encode(blockOf, n, counts, blocks, s.entropy(), dst, p);
        long t5 = profile ? System.nanoTime() : 0;
        System.arraycopy(vbuf, 0, dst, p, vp);
        p += vp;
        if (profile) {
            long t6 = System.nanoTime();
            stageNanos[STAGE_SELECT] += t1 - t0;
            stageNanos[STAGE_SPLIT] += t2 - t1;
            stageNanos[STAGE_QUANTIZE] += t3 - t2;
            stageNanos[STAGE_VALUES] += (t4 - t3) + (t6 - t5);
            stageNanos[STAGE_INDEX] += t5 - t4;
        }
        return p - dstOff;
    }

    /** Codes block {@code b}'s codes into {@code vbuf[vp..]} as a {@link SymbolStream}; returns bytes. */
    private int valueStream(int b, boolean entropy, int vp) {
        int len = stream.encodeToScratch(codes, start[b], counts[b], qbits[b], entropy && qbits[b] > 0, vbuf, vp);
        coding[b] = stream.coding();
        streamLen[b] = len;
        return len;
    }

    @Override
    public void decode(byte[] src, int off, int len, TensorShape shape, CodecSettings s, float[] dst, int dstOff) {
        int t = shape.elementCount();
        long k = Math.min(Atkf.keepCount(t, s.sparsity()), t);
        int blocks = s.blocksPos() + s.blocksNeg();
        ByteIo.Reader in = new ByteIo.Reader(src, off, len, 0);
        int n = in.varintUpTo(k, "survivor count");
        lastSurvivors = n;
        long sum = 0;
        long streams = 0;
        for (int b = 0; b < blocks; b++) {
            long at = in.offset();
            int c = in.varintUpTo(n, "block count");
            int q = in.u8("block bits");
            int cod = in.u8("block coding");
            int loBits = in.i32("block min");
            int scBits = in.i32("block scale");
            int sl = in.varintUpTo(len, "block stream length");
            sum += c;
            streams += sl;
            MalformedFrameException.verify(sum <= n, at, "block counts exceed the survivors");
            if (!(q <= CodecSettings.MAX_QBIT)) {
                throw new MalformedFrameException(at, "block bits " + q);
            }
            SymbolStream.checkCoding(cod, q, at);
            MalformedFrameException.verify(loBits >= 0 && loBits < 0x7F800000, at, "block min not finite");
            MalformedFrameException.verify(scBits >= 0 && scBits < 0x7F800000, at, "block scale not finite");
            MalformedFrameException.verify(c == 0 || loBits > 0, at, "block min zero");
            MalformedFrameException.verify(q > 0 || scBits == 0, at, "scale without bits");
            float l = Float.intBitsToFloat(loBits);
            float sc = Float.intBitsToFloat(scBits);
            MalformedFrameException.verify(Float.isFinite(l + ((1 << q) - 1) * sc), at, "block range overflows");
            counts[b] = c;
            qbits[b] = q;
            coding[b] = cod;
            lo[b] = l;
            scale[b] = sc;
            streamLen[b] = sl;
        }
        MalformedFrameException.verify(sum == n, in.offset(), "block counts do not sum to the survivors");
        MalformedFrameException.verify(streams <= in.remaining(), in.offset(), "value streams exceed the payload");
        IndexCoder.checkDescribes(in, t, n);
        pos = grow(pos, n);
        blockOf = grow(blockOf, n);
        codes = grow(codes, n);
        index.decode(in, t, n, pos, 0);
        membership.decode(in, n, counts, blocks, blockOf, tally);
        int acc = 0;
        for (int b = 0; b < blocks; b++) {
            start[b] = acc;
            acc += counts[b];
            int sl = streamLen[b];
            int p = in.take(sl, "value stream");
            stream.decode(src, p, sl, coding[b], counts[b], qbits[b], codes, start[b]);
        }
        MalformedFrameException.verify(in.remaining() == 0, in.offset(), "trailing bytes in TOPK payload");
        scatter(n, s.blocksPos(), blocks, dst, dstOff, t);
    }

    private final float[] base = new float[MAX_BLOCKS];
    private final float[] step = new float[MAX_BLOCKS];

    private void scatter(int n, int mPos, int blocks, float[] dst, int dstOff, int t) {
        Arrays.fill(dst, dstOff, dstOff + t, 0f);
        for (int b = 0; b < blocks; b++) {
            fill[b] = start[b];
            base[b] = b < mPos ? lo[b] : -lo[b];
            step[b] = b < mPos ? scale[b] : -scale[b];
        }
        float[] bs = base;
        float[] sp = step;
        int[] ps = pos;
        byte[] bo = blockOf;
        int[] cd = codes;
        int[] ptr = fill;
        if (blocks > 8) {
            for (int i = 0; i < n; i++) {
                int b = bo[i];
                dst[dstOff + ps[i]] = bs[b] + cd[ptr[b]++] * sp[b];
            }
            return;
        }
        // up to 8 blocks: the per-block cursors advance in a register (8 bits per block, folded into ptr every
        // 255 survivors), so consecutive survivors do not wait on a counter stored to memory
        int i = 0;
        while (i < n) {
            int stop = Math.min(n, i + 255);
            long packed = 0;
            for (; i < stop; i++) {
                int b = bo[i];
                int sh = b << 3;
                int c = cd[ptr[b] + ((int) (packed >>> sh) & 0xFF)];
                packed += 1L << sh;
                dst[dstOff + ps[i]] = bs[b] + c * sp[b];
            }
            for (int b = 0; b < blocks; b++) {
                ptr[b] += (int) (packed >>> (b << 3)) & 0xFF;
            }
        }
    }
}
