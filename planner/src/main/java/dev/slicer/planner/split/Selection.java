package dev.slicer.planner.split;

/**
 * The outcome of split selection for one device class and link bucket.
 *
 * @param kind what the edge does
 * @param split candidate index; -1 for cloud-only, the candidate count for local-only
 * @param w AR hand-off step (1-based: steps 1..w-1 run locally); 1 for single-shot offloading rows and cloud-only,
 *     0 for local-only (never hands off)
 * @param setting index into the knob grid, -1 when no frame is coded
 * @param bytes predicted upload bytes (frame bound plus side tensors; raw input for cloud-only)
 * @param latencySeconds predicted latency (eq. 2 / eq. 5; local compute for local-only; D for unavailable rows);
 *     always finite
 * @param fidelity predicted fidelity of the chosen setting (1 when nothing is coded)
 * @param reason why the row is what it is, in words (which budget binds, what the fallback gives up)
 */
public record Selection(
        RowKind kind,
        int split,
        int w,
        int setting,
        long bytes,
        Double latencySeconds,
        double fidelity,
        String reason) {

    /**
     * Depth order: unavailable &lt; cloud-only &lt; any split &lt; local-only; splits compare by (w, l) lexicographically. Used by the
     * monotonicity properties ("a worse link never yields a deeper split").
     */
    public static int compareDepth(Selection a, Selection b) {
        int k = Integer.compare(a.kind.ordinal(), b.kind.ordinal());
        if (k != 0 || a.kind != RowKind.SPLIT) {
            return k;
        }
        int w = Integer.compare(a.w, b.w);
        return w != 0 ? w : Integer.compare(a.split, b.split);
    }
}
