package dev.slicer.edge.plan;

import dev.slicer.planner.link.LinkAxis;
import dev.slicer.planner.plan.DeviceClassTable;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.split.RowKind;
import java.util.List;
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
     * The lowest-rate row that offloads (split or cloud-only) of the class's table: what an edge sends on while it
     * does not know its link, or best-effort when no row fits the link it measured.
     */
    public static Optional<RowChoice> cheapestOffload(ActivePlan active, String deviceClass) {
        return active.plan().flatMap(p -> p.table(deviceClass)).flatMap(t -> cheapestOffload(t.rows()));
    }

    private static Optional<RowChoice> cheapestOffload(List<PlanRow> rows) {
        return rows.stream()
                .filter(r -> r.kind() == RowKind.SPLIT || r.kind() == RowKind.CLOUD_ONLY)
                .findFirst()
                .map(RowChoice::of);
    }
}
