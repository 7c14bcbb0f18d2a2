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
}
