package dev.slicer.planner.cost;

import dev.slicer.planner.search.Theta;

/**
 * {@code zeta(theta)}: predicted encode time, in seconds on the profiling device, for a tensor of n elements of a
 * candidate's intermediate feature (the candidate matters where the encoder's work depends on the values).
 */
@FunctionalInterface
public interface CodecTimeModel {
    double encodeSeconds(int candidate, long elements, Theta theta);
}
