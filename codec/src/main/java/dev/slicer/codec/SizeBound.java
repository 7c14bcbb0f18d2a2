package dev.slicer.codec;

import dev.slicer.codec.atkf.Atkf;
import dev.slicer.codec.ecsq.EcsqPayloadCodec;
import dev.slicer.codec.frame.FrameFormat;
import dev.slicer.codec.frame.LosslessPayloadCodec;
import dev.slicer.codec.frame.PayloadCodec;
import dev.slicer.codec.frame.PayloadCodecs;
import dev.slicer.codec.frame.TopKPayloadCodec;

/**
 * The size bound {@code B_UB(shape, theta)}: the largest frame the encoder can produce for any tensor of this shape
 * with these knobs, computed without the data (SLICER-Search's conservative bound: every value at its maximum bit
 * width, the index at the best data-independent mode, exact header bytes). Never below the actual frame size;
 * {@code O(sqrt T)} at worst (the CSR reshape search), allocation-free. For ECSQ with a byte budget it is the budget
 * itself: those frames are exactly that long.
 */
public final class SizeBound {
    private SizeBound() {}

    private static final class Tabq {
        static final PayloadCodec CODEC = PayloadCodecs.create(CodecMode.TS_TABQ);
    }

    /** {@code floor((1-s)T)}: the number of values top-K keeps. */
    public static long keepCount(long elements, double sparsity) {
        return Atkf.keepCount(elements, sparsity);
    }

    /** B_UB in bytes for an fp32 tensor. */
    public static long maxFrameBytes(TensorShape shape, CodecSettings s) {
        return maxFrameBytes(shape, s, DType.FP32);
    }

    /**
     * The bound on a frame's body ({@link FrameBodies}: the frame without its header), what an AR step ships: the
     * frame bound less the header, which these knobs and this shape fix.
     */
    public static long maxBodyBytes(TensorShape shape, CodecSettings s, DType dtype) {
        return maxFrameBytes(shape, s, dtype) - FrameFormat.headerBytes(shape, s);
    }

    /** B_UB in bytes for a tensor of {@code dtype} (matters for LOSSLESS only). */
    public static long maxFrameBytes(TensorShape shape, CodecSettings s, DType dtype) {
        long payload =
                switch (s.mode()) {
                    case LOSSLESS -> LosslessPayloadCodec.maxPayloadBytes(shape.elementCount(), dtype.bytes());
                    case TOPK -> TopKPayloadCodec.maxPayload(shape, s);
                    case TS_TABQ -> Tabq.CODEC.maxPayloadBytes(shape, s);
                    case ECSQ -> EcsqPayloadCodec.maxPayload(shape);
                };
        long frame = FrameFormat.headerBytes(shape, s) + payload + FrameFormat.CRC_BYTES;
        // a byte budget is exact: the encoder pads up to it and never exceeds it
        return s.hasBudget() && shape.elementCount() > 0 ? s.budgetBytes(shape.elementCount()) : frame;
    }

    /** B_UB in bits, as SLICER-Search uses it. */
    public static long maxFrameBits(TensorShape shape, CodecSettings s) {
        return 8 * maxFrameBytes(shape, s);
    }
}
