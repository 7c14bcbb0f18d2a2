package dev.slicer.edge.testing;

import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.planner.plan.DeviceClass;
import dev.slicer.planner.plan.DeviceClassTable;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.Budgets;
import dev.slicer.planner.split.RowKind;
import java.util.ArrayList;
import java.util.List;

/** Hand-made plans for tests: one device class, rows given as (lower bound in bit/s, split, theta). */
public final class Plans {
    private Plans() {}

    /** A row: from {@code lowerBitsPerSecond} on, split at {@code split} (-2 unavailable, -1 cloud, count = local). */
    public record Row(double lowerBitsPerSecond, int split, Theta theta) {}

    public static Plan plan(SplittableModel m, String deviceClass, Row... rows) {
        int n = m.candidates().size();
        List<PlanRow> out = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            Row r = rows[i];
            double upper = i + 1 < rows.length ? rows[i + 1].lowerBitsPerSecond() : Double.MAX_VALUE;
            RowKind kind = r.split() < -1
                    ? RowKind.UNAVAILABLE
                    : r.split() < 0 ? RowKind.CLOUD_ONLY : r.split() >= n ? RowKind.LOCAL_ONLY : RowKind.SPLIT;
            String name = kind == RowKind.UNAVAILABLE
                    ? "unavailable"
                    : kind == RowKind.CLOUD_ONLY
                            ? "cloud"
                            : kind == RowKind.LOCAL_ONLY
                                    ? "local"
                                    : m.candidate(r.split()).name();
            out.add(new PlanRow(
                    i,
                    r.lowerBitsPerSecond(),
                    upper,
                    Math.max(r.lowerBitsPerSecond(), 1),
                    1,
                    Math.max(r.lowerBitsPerSecond(), 1),
                    kind,
                    Math.max(r.split(), -1),
                    name,
                    kind == RowKind.LOCAL_ONLY ? 0 : 1,
                    kind == RowKind.SPLIT ? r.theta() : null,
                    1000,
                    0.01,
                    1.0,
                    "test row"));
        }
        DeviceClass dc = DeviceClass.of(deviceClass, Budgets.singleShot(0.1, 1L << 30, 0));
        return new Plan(
                        Plan.FORMAT,
                        m.name(),
                        n,
                        m.candidates().stream().map(SplitCandidate::name).toList(),
                        "prior",
                        List.of(),
                        List.of(new DeviceClassTable(dc, out)),
                        null)
                .sealed();
    }

    public static String json(Plan p) {
        return PlanJson.write(p, false);
    }
}
