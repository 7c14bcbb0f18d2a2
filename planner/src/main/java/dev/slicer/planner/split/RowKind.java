package dev.slicer.planner.split;

/** What an edge does in a plan row. Ordered from least to most work on the edge. */
public enum RowKind {
    /**
     * No usable link and the model does not fit the device: the edge fails the request (split index -1, no
     * upload); the row's latency is the budget D, the time by which the edge reports the failure.
     */
    UNAVAILABLE,
    /** Nothing fits: send the raw input, the back-end runs everything (split index -1). */
    CLOUD_ONLY,
    /** Run the front up to a split, ship the coded IF. */
    SPLIT,
    /** The edge can do everything within its budgets: no offload (split index = candidate count). */
    LOCAL_ONLY
}
