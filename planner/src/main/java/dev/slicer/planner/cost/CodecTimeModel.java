package dev.slicer.planner.cost;

import dev.slicer.planner.search.Theta;

/** {@code zeta(theta)}: predicted encode time, in seconds on the profiling device, for a tensor of n elements. */
@FunctionalInterface
public interface CodecTimeModel {
    double encodeSeconds(long elements, Theta theta);
}
