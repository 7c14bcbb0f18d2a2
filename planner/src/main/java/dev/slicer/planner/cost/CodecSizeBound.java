package dev.slicer.planner.cost;

import dev.slicer.codec.SizeBound;
import dev.slicer.codec.TensorShape;
import dev.slicer.planner.search.Theta;

/** The codec's own {@code B_UB} ({@link SizeBound}) for fp32 features: the planner's production size model. */
public final class CodecSizeBound implements FrameSizeModel {
    public static final CodecSizeBound INSTANCE = new CodecSizeBound();

    private CodecSizeBound() {}

    @Override
    public long maxFrameBytes(TensorShape shape, Theta theta) {
        return SizeBound.maxFrameBytes(shape, theta.toCodecSettings());
    }
}
