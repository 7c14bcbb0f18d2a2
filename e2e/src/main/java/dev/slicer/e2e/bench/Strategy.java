package dev.slicer.e2e.bench;

/** The four ways the fleet benchmark serves the same workload, in the order they print. */
enum Strategy {
    /** Edges send the raw input; the back-end runs the whole model. */
    CLOUD("cloud-only"),
    /** Split after the first candidate, IF cast to fp16 and sent losslessly: the static, shallow policy. */
    SHALLOW("shallow"),
    /** The planner's split, lossless frames: what the split buys without the codec. */
    UNCOMPRESSED("uncompressed"),
    /** The planner's split and knobs under the fidelity floor. */
    SLICER("slicer");

    final String label;

    Strategy(String label) {
        this.label = label;
    }
}
