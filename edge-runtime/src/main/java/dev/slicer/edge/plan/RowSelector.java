package dev.slicer.edge.plan;

import dev.slicer.planner.link.LinkAxis;
import dev.slicer.planner.plan.DeviceClassTable;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.split.RowKind;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Picks the plan row for this edge's device class and the link goodput it measures. */
public final class RowSelector {
    private RowSelector() {}

    /**
     * The row for {@code goodputBytesPerSecond} (NaN while unknown). Goodput tables are looked up on their own axis
     * (bit/s, by the planner's lookup). SNR tables are indexed by a quantity the edge cannot measure, so the edge
     * takes the deepest row whose effective rate its measured goodput reaches. While the goodput is unknown the edge
     * takes the lowest-rate row that offloads (split or cloud-only), so its first transfers measure the link; a
     * local-only or unavailable row would never measure it.
     */
    public static RowChoice select(ActivePlan active, String deviceClass, double goodputBytesPerSecond) {
        Optional<DeviceClassTable> table = active.plan().flatMap(p -> p.table(deviceClass));
        if (table.isEmpty()) {
            return RowChoice.CLOUD_ONLY;
        }
        List<PlanRow> rows = table.get().rows();
        if (Double.isNaN(goodputBytesPerSecond)) {
            return cheapestOffload(rows).orElse(RowChoice.of(rows.get(0)));
        }
        double bits = goodputBytesPerSecond * 8;
        if (table.get().deviceClass().link().axis() == LinkAxis.GOODPUT_BITS_PER_SECOND) {
            return RowChoice.of(table.get().lookup(bits));
        }
        PlanRow best = rows.get(0);
        for (PlanRow r : rows) {
            if (r.effectiveRateBitsPerSecond() <= bits) {
                best = r;
            }
        }
        return RowChoice.of(best);
    }

    /**
     * The row one request runs on.
     *
     * @param row the row to follow; {@link RowKind#UNAVAILABLE} when the request must fall back (locally, or fail)
     * @param cause why the plan's row for the measured goodput is not followed, or null when it is
     */
    public record Decision(RowChoice row, String cause) {
        /** A row followed as it is (a fixed row: benchmarks and tests). */
        public static Decision of(RowChoice row) {
            return new Decision(row, null);
        }
    }

    /**
     * The row for one request, single-shot or AR alike. When no row fits the measured goodput, an edge that can run
     * the whole model falls back to it; one that cannot sends best-effort on the cheapest offloading row, since
     * answering late beats failing, and that row keeps measuring the link, so the edge sees its recovery (an edge
     * that stops sending never would).
     */
    public static Decision decide(
            ActivePlan active, String deviceClass, double goodputBytesPerSecond, boolean localFallback) {
        RowChoice selected = select(active, deviceClass, goodputBytesPerSecond);
        if (selected.kind() != RowKind.UNAVAILABLE) {
            return Decision.of(selected);
        }
        String cause = String.format(
                Locale.ROOT,
                "the plan has no usable link at the measured goodput of %.0f bytes/s",
                goodputBytesPerSecond);
        Optional<RowChoice> cheapest = localFallback ? Optional.empty() : cheapestOffload(active, deviceClass);
        return cheapest.map(c -> new Decision(
                        c,
                        cause + "; sent best-effort on the cheapest offloading row (" + c.splitName()
                                + "), the latency budget may be missed"))
                .orElse(new Decision(selected, cause));
    }

    /**
     * The lowest-rate row that offloads (split or cloud-only) of the class's table: what an edge sends on while it
     * does not know its link, or best-effort when no row fits the link it measured.
     */
    private static Optional<RowChoice> cheapestOffload(ActivePlan active, String deviceClass) {
        return active.plan().flatMap(p -> p.table(deviceClass)).flatMap(t -> cheapestOffload(t.rows()));
    }

    private static Optional<RowChoice> cheapestOffload(List<PlanRow> rows) {
        return rows.stream()
                .filter(r -> r.kind() == RowKind.SPLIT || r.kind() == RowKind.CLOUD_ONLY)
                .findFirst()
                .map(RowChoice::of);
    }
}
