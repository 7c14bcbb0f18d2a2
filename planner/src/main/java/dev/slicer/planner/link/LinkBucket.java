package dev.slicer.planner.link;

/**
 * One link-quality bucket {@code [lower, upper)} on a device class's axis and the rate the plan assumes in it.
 * Rows are planned at the bucket's lower end, so the prediction holds for every measurement inside it.
 *
 * @param index 0 is the catch-all below the nominal range
 * @param lower lower end on the axis (bit/s or dB)
 * @param upper upper end on the axis; the last bucket also serves every measurement above it
 * @param rate transmission rate and its eq. 1 cost at {@code lower}
 */
public record LinkBucket(int index, double lower, double upper, RateChoice rate) {}
