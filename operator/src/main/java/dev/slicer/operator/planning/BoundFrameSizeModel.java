package dev.slicer.operator.planning;

import dev.slicer.codec.TensorShape;
import dev.slicer.planner.cost.FrameSizeModel;
import dev.slicer.planner.search.Theta;

/**
 * Conservative frame-size bound B_UB used for planning: every kept value at {@code qbit} bits, exact index bits
 * (the cheaper of a bitmap and per-value positions), per-block parameters and a fixed header allowance. It never
 * assumes entropy-coding gains, so it over-estimates, never under-estimates.
 */
public final class BoundFrameSizeModel implements FrameSizeModel {

    /** Magic, version, flags, dtype, shape, knobs, section lengths, CRC32C. */
    static final long HEADER_BYTES = 128;
    /** (count, bits, min, scale) per quantization block. */
    static final long BLOCK_BITS = 32 + 8 + 32 + 32;

    @Override
    public long maxFrameBytes(TensorShape shape, Theta t) {
        long n = shape.elementCount();
        long indexBitsPerValue = 64 - Long.numberOfLeadingZeros(Math.max(1, n - 1));
        long bits =
                switch (t.mode()) {
                    case LOSSLESS -> 32L * n;
                    case TOPK -> {
                        long kept = (long) Math.floor((1 - t.sparsity()) * n);
                        yield kept * t.qbit()
                                + Math.min(n, kept * indexBitsPerValue)
                                + BLOCK_BITS * (t.blocksPos() + t.blocksNeg());
                    }
                    default -> {
                        long outliers = (long) Math.ceil(t.outlierFraction() * n);
                        yield n * t.qbit() + outliers * (16 + indexBitsPerValue) + BLOCK_BITS * shape.rows();
                    }
                };
        return HEADER_BYTES + (bits + 7) / 8;
    }
}
