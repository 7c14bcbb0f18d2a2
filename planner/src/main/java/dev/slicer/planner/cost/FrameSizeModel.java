package dev.slicer.planner.cost;

import dev.slicer.codec.TensorShape;
import dev.slicer.planner.search.Theta;

/**
 * The conservative frame-size bound {@code B_UB} of SLICER-Search: an upper bound, in bytes, on the frame the codec
 * produces for a float tensor of the given shape under the given knobs, known before encoding.
 */
@FunctionalInterface
public interface FrameSizeModel {
    long maxFrameBytes(TensorShape shape, Theta theta);

    /**
     * The bound on what one AR step ships at this one-position shape: the frame's body, without the header the
     * session's hand-off fixed (codec {@code FrameBodies}). By default the whole frame, which is conservative.
     */
    default long maxTokenBytes(TensorShape shape, Theta theta) {
        return maxFrameBytes(shape, theta);
    }

    /**
     * The smallest frame the codec can produce for this shape and these knobs. A setting whose {@link #maxFrameBytes}
     * is below it cannot be encoded at this shape (an ECSQ byte budget too small for the tensor) and is never
     * planned there. 0 (anything encodes) unless a model knows better.
     */
    default long minFrameBytes(TensorShape shape, Theta theta) {
        return 0;
    }

    /** Whether the codec can encode a tensor of this shape with these knobs. */
    default boolean encodable(TensorShape shape, Theta theta) {
        return maxFrameBytes(shape, theta) >= minFrameBytes(shape, theta);
    }
}
