package dev.slicer.codec;

import dev.slicer.codec.ecsq.EcsqPayloadCodec;
import dev.slicer.codec.frame.FrameFormat;
import dev.slicer.codec.frame.LosslessPayloadCodec;
import dev.slicer.codec.frame.PayloadCodec;
import dev.slicer.codec.frame.PayloadCodecs;
import dev.slicer.codec.frame.TopKPayloadCodec;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Encodes tensors into self-describing frames (layout in {@code codec/FORMAT.md}). Reusable and cheap to create, but
 * not thread-safe: keep one per thread. Scratch buffers grow on demand and are kept, so a warmed-up encoder does not
 * allocate per call.
 *
 * <pre>{@code
 * FrameEncoder enc = FrameEncoder.create();
 * CodecSettings s = CodecSettings.topK().sparsity(0.75).blocks(3, 3).qbit(8).delta(0.01).entropy(true).build();
 * byte[] frame = new byte[(int) SizeBound.maxFrameBytes(shape, s)];
 * int n = enc.encode(values, 0, shape, s, frame, 0);
 * }</pre>
 */
public final class FrameEncoder {
    private final LosslessPayloadCodec lossless = new LosslessPayloadCodec();
    private final TopKPayloadCodec topk = new TopKPayloadCodec();
    private PayloadCodec tabq;
    private final EcsqPayloadCodec ecsq = new EcsqPayloadCodec();
    private final CRC32C crc = new CRC32C();
    private float[] widened = new float[0];
    private short[] narrowed = new short[0];
    private byte[] scratch = new byte[0];

    private FrameEncoder() {}

    public static FrameEncoder create() {
        return new FrameEncoder();
    }

    /** The TOPK stage, for per-stage timing by {@link TimeModel}. */
    TopKPayloadCodec topk() {
        return topk;
    }

    private PayloadCodec tabq() {
        if (tabq == null) {
            tabq = PayloadCodecs.create(CodecMode.TS_TABQ);
        }
        return tabq;
    }

    /** Convenience: encodes the whole of {@code src} into a new array of exactly the frame's length. */
    public byte[] encode(float[] src, TensorShape shape, CodecSettings s) {
        if (src.length != shape.elementCount()) {
            throw new IllegalArgumentException(
                    "tensor has " + src.length + " values, shape " + shape + " needs " + shape.elementCount());
        }
        byte[] frame = new byte[Math.toIntExact(bound(shape, s, DType.FP32))];
        int n = encode(src, 0, shape, s, frame, 0);
        return n == frame.length ? frame : java.util.Arrays.copyOf(frame, n);
    }

    /**
     * Encodes {@code shape.elementCount()} fp32 values from {@code src[srcOff..]} into {@code dst[dstOff..]}.
     *
     * @return frame bytes written
     * @throws BufferTooSmallException if the frame does not fit (size {@code dst} with {@link SizeBound})
     * @throws NonFiniteInputException for NaN or infinity in a lossy mode
     */
    public int encode(float[] src, int srcOff, TensorShape shape, CodecSettings s, byte[] dst, int dstOff) {
        Objects.checkFromIndexSize(srcOff, shape.elementCount(), src.length);
        return frame(src, srcOff, null, shape, s, DType.FP32, dst, dstOff);
    }

    /**
     * Encodes fp32 values as {@code wire}: FP32 is {@link #encode(float[], int, TensorShape, CodecSettings, byte[],
     * int)}; FP16 or BF16 casts each value (round to nearest even) and keeps the 16-bit patterns losslessly, half the
     * bytes of fp32. A cast goes with LOSSLESS only: the lossy modes quantize the fp32 values themselves.
     *
     * @return frame bytes written
     */
    public int encodeAs(
            float[] src, int srcOff, TensorShape shape, CodecSettings s, DType wire, byte[] dst, int dstOff) {
        if (wire == DType.FP32) {
            return encode(src, srcOff, shape, s, dst, dstOff);
        }
        if (s.mode() != CodecMode.LOSSLESS) {
            throw new IllegalArgumentException("a cast to " + wire + " goes with LOSSLESS frames, not " + s.mode());
        }
        int t = shape.elementCount();
        Objects.checkFromIndexSize(srcOff, t, src.length);
        if (narrowed.length < t) {
            narrowed = new short[t];
        }
        short[] h = narrowed;
        for (int i = 0; i < t; i++) {
            h[i] = HalfFloats.fromFloat(wire, src[srcOff + i]);
        }
        return frame(null, 0, h, shape, s, wire, dst, dstOff);
    }

    /**
     * Encodes 16-bit patterns of {@code dtype} ({@link DType#FP16} or {@link DType#BF16}). LOSSLESS keeps the bits;
     * lossy modes widen to fp32 (exactly) and record the dtype in the frame.
     */
    public int encodeHalf(
            short[] bits, int srcOff, DType dtype, TensorShape shape, CodecSettings s, byte[] dst, int dstOff) {
        if (dtype == DType.FP32) {
            throw new IllegalArgumentException("encodeHalf takes FP16 or BF16");
        }
        int t = shape.elementCount();
        Objects.checkFromIndexSize(srcOff, t, bits.length);
        if (s.mode() == CodecMode.LOSSLESS) {
            return frame(null, srcOff, bits, shape, s, dtype, dst, dstOff);
        }
        if (widened.length < t) {
            widened = new float[t];
        }
        float[] w = widened;
        for (int i = 0; i < t; i++) {
            w[i] = HalfFloats.toFloat(dtype, bits[srcOff + i]);
        }
        return frame(w, 0, bits, shape, s, dtype, dst, dstOff);
    }

    private int frame(
            float[] f, int fOff, short[] h, TensorShape shape, CodecSettings s, DType dtype, byte[] dst, int dstOff) {
        Objects.checkIndex(dstOff, dst.length + 1);
        long bound = bound(shape, s, dtype);
        int room = dst.length - dstOff;
        if (room >= bound) {
            return write(f, fOff, h, shape, s, dtype, dst, dstOff);
        }
        if (bound > Integer.MAX_VALUE - 16) {
            throw new BufferTooSmallException(bound, room);
        }
        if (scratch.length < bound) {
            scratch = new byte[(int) bound];
        }
        int n = write(f, fOff, h, shape, s, dtype, scratch, 0);
        if (n > room) {
            throw new BufferTooSmallException(n, room);
        }
        System.arraycopy(scratch, 0, dst, dstOff, n);
        return n;
    }

    // the last size bound: shape and settings are immutable, so the same objects give the same bound
    private TensorShape boundShape;
    private CodecSettings boundSettings;
    private DType boundDtype;
    private long lastBound;

    private long bound(TensorShape shape, CodecSettings s, DType dtype) {
        if (shape != boundShape || s != boundSettings || dtype != boundDtype) {
            lastBound = SizeBound.maxFrameBytes(shape, s, dtype);
            boundShape = shape;
            boundSettings = s;
            boundDtype = dtype;
        }
        return lastBound;
    }

    private int write(
            float[] f, int fOff, short[] h, TensorShape shape, CodecSettings s, DType dtype, byte[] dst, int off) {
        int header = FrameFormat.writeHeader(dst, off, dtype, shape, s);
        int p = off + header;
        int payload =
                switch (s.mode()) {
                    case LOSSLESS ->
                        h != null
                                ? lossless.encodeHalf(h, fOff, shape.elementCount(), s.entropy(), dst, p)
                                : lossless.encode(f, fOff, shape, s, dst, p);
                    case TOPK -> topk.encode(f, fOff, shape, s, dst, p);
                    case TS_TABQ -> tabq().encode(f, fOff, shape, s, dst, p);
                    case ECSQ -> {
                        if (!s.hasBudget()) {
                            yield ecsq.encode(f, fOff, shape, s, dst, p);
                        }
                        // the allowance holds the largest header and the CRC (CodecSettings.FRAME_ALLOWANCE_BYTES)
                        long budget = s.budgetBytes(shape.elementCount()) - header - FrameFormat.CRC_BYTES;
                        yield ecsq.encodeWithin(f, fOff, shape, s, budget, dst, p);
                    }
                };
        FrameFormat.setPayloadLength(dst, off, header, payload);
        int end = p + payload;
        crc.reset();
        crc.update(dst, off, end - off);
        dev.slicer.codec.bits.ByteIo.putInt(dst, end, (int) crc.getValue());
        return end + FrameFormat.CRC_BYTES - off;
    }
}
