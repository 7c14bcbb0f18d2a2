package dev.slicer.e2e;

import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.planner.plan.DeviceClass;
import dev.slicer.planner.plan.DeviceClassTable;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.Budgets;
import dev.slicer.planner.split.RowKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Plans with one fixed row per device class, for tests that pin each edge to a split (no link-rate switching). */
public final class Plans {
    private Plans() {}

    /** One device class per entry, each with a single row at the given split and knobs. */
    public static Plan fixed(SplittableModel m, Map<String, Integer> splitByClass, Theta theta) {
        int n = m.candidates().size();
        List<DeviceClassTable> tables = new ArrayList<>();
        for (Map.Entry<String, Integer> e : splitByClass.entrySet()) {
            int split = e.getValue();
            RowKind kind = split < 0 ? RowKind.CLOUD_ONLY : split >= n ? RowKind.LOCAL_ONLY : RowKind.SPLIT;
            String name = kind == RowKind.CLOUD_ONLY
                    ? "cloud"
                    : kind == RowKind.LOCAL_ONLY ? "local" : m.candidate(split).name();
            PlanRow row = new PlanRow(
                    0,
                    0,
                    Double.MAX_VALUE,
                    1e9,
                    1,
                    1e9,
                    kind,
                    split,
                    name,
                    kind == RowKind.LOCAL_ONLY ? 0 : 1,
                    kind == RowKind.SPLIT ? theta : null,
                    0,
                    null,
                    1.0,
                    "fixed by the test");
            DeviceClass dc = DeviceClass.of(e.getKey(), Budgets.singleShot(1.0, 1L << 30, 0));
            tables.add(new DeviceClassTable(dc, List.of(row)));
        }
        return new Plan(
                        Plan.FORMAT,
                        m.name(),
                        n,
                        m.candidates().stream().map(SplitCandidate::name).toList(),
                        "prior",
                        List.of("fixed rows for end-to-end tests"),
                        tables,
                        null)
                .sealed();
    }
}
