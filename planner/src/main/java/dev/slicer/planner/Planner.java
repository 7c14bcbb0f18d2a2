package dev.slicer.planner;

import dev.slicer.planner.cost.CostTable;
import dev.slicer.planner.cost.FidelityPrior;
import dev.slicer.planner.cost.FrameSizeModel;
import dev.slicer.planner.link.LinkAxis;
import dev.slicer.planner.link.LinkBucket;
import dev.slicer.planner.link.RateChoice;
import dev.slicer.planner.model.SplitCandidate;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.plan.DeviceClass;
import dev.slicer.planner.plan.DeviceClassTable;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.search.SlicerSearch;
import dev.slicer.planner.split.ArBudget;
import dev.slicer.planner.split.AutoregressiveSelector;
import dev.slicer.planner.split.RowKind;
import dev.slicer.planner.split.Selection;
import dev.slicer.planner.split.SingleShotSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The planner's entry point: turns a split profile and device classes into a {@link Plan}. Stateless apart from the
 * frame-size model; the link-independent cost tables are built once per plan (one per distinct AR shape) and shared
 * by all device classes.
 */
public final class Planner {
    private final FrameSizeModel sizeModel;

    public Planner(FrameSizeModel sizeModel) {
        InvalidPlanInputException.require(sizeModel != null, "a frame-size model is required");
        this.sizeModel = sizeModel;
    }

    /** Plans every device class against one profile. */
    public Plan plan(SplitProfile profile, List<DeviceClass> classes) {
        InvalidPlanInputException.require(profile != null, "no profile");
        InvalidPlanInputException.require(classes != null && !classes.isEmpty(), "no device classes to plan");
        Map<List<Integer>, CostTable> costs = new HashMap<>();
        List<DeviceClassTable> tables = new ArrayList<>(classes.size());
        for (DeviceClass dc : classes) {
            InvalidPlanInputException.require(dc != null, "null device class");
            ArBudget ar = dc.budgets().ar();
            List<Integer> key = ar == null ? List.of() : List.of(ar.tokens(), ar.promptTokens());
            CostTable table = costs.computeIfAbsent(key, k -> CostTable.build(profile, sizeModel, ar));
            tables.add(planDeviceClass(table, dc));
        }
        CostTable any = costs.values().iterator().next();
        Plan plan = assemble(profile, any.measuredFidelity(), tables);
        List<String> departures = departures(any);
        if (departures.isEmpty()) {
            return plan;
        }
        List<String> assumptions = new ArrayList<>(plan.assumptions());
        assumptions.add("the search walks codec levels in measured order where it departs from the paper's (s"
                + " ascending, qbit descending): at " + departures.size() + " candidate(s), e.g. "
                + departures.get(0));
        return new Plan(
                        plan.format(),
                        plan.model(),
                        plan.candidates(),
                        plan.candidateNames(),
                        plan.fidelitySource(),
                        assumptions,
                        plan.tables(),
                        null)
                .sealed();
    }

    /** Per candidate, where the measured level order departs from the paper's ({@link SlicerSearch#departures}). */
    public static List<String> departures(CostTable costs) {
        List<String> out = new ArrayList<>();
        for (int l = 0; l < costs.candidates(); l++) {
            final int cand = l;
            for (String d : SlicerSearch.departures(costs.grid(), t -> costs.fidelity(cand, t))) {
                out.add(costs.profile().candidates().get(l).name() + " " + d);
            }
        }
        return out;
    }

    /** Wraps finished tables into a sealed plan. */
    public static Plan assemble(SplitProfile profile, boolean measuredFidelity, List<DeviceClassTable> tables) {
        List<String> names =
                profile.candidates().stream().map(SplitCandidate::name).toList();
        List<String> assumptions = new ArrayList<>();
        assumptions.add("frame sizes are the codec's B_UB: exact for ECSQ byte budgets (the frame is the budget), an"
                + " upper bound for the other modes (all kept values at qbit bits plus exact index and header bits);"
                + " rows are planned at each bucket's lower bound");
        assumptions.add("offloading rows meet D minus the back-end queueing delay; local-only rows meet D");
        // measured by the edge (slicer_timings.downlink), not yet planned for: say so in every plan
        assumptions.add("an offloading row's latency leaves out the reply's time on the downlink (the model's outputs:"
                + " the edge reports it as slicer_timings.downlink)");
        assumptions.add(
                measuredFidelity
                        ? "fidelity is measured against the unsplit model (distortion table in the profile, "
                                + profile.distortion().metric() + ")"
                        : FidelityPrior.description());
        assumptions.addAll(profile.assumptions());
        return new Plan(
                        Plan.FORMAT,
                        profile.model(),
                        profile.candidates().size(),
                        names,
                        measuredFidelity ? "measured" : "prior",
                        assumptions,
                        tables,
                        null)
                .sealed();
    }

    /** One device class over all its link buckets. The cost table must match the class's AR shape. */
    public static DeviceClassTable planDeviceClass(CostTable costs, DeviceClass dc) {
        List<LinkBucket> buckets = dc.link().bucketList();
        List<PlanRow> rows = new ArrayList<>(buckets.size());
        boolean ar = dc.budgets().ar() != null;
        for (LinkBucket b : buckets) {
            Selection s = ar
                    ? AutoregressiveSelector.select(costs, dc.budgets(), dc.computeScale(), b.rate())
                    : SingleShotSelector.select(costs, dc.budgets(), dc.computeScale(), b.rate());
            rows.add(row(costs, b, s, dc.link().axis()));
        }
        return new DeviceClassTable(dc, rows);
    }

    private static PlanRow row(CostTable costs, LinkBucket b, Selection s, LinkAxis axis) {
        RateChoice r = b.rate();
        String name =
                switch (s.kind()) {
                    case UNAVAILABLE -> "unavailable";
                    case CLOUD_ONLY -> "cloud";
                    case LOCAL_ONLY -> "local";
                    case SPLIT -> costs.profile().candidates().get(s.split()).name();
                };
        return new PlanRow(
                b.index(),
                b.lower(),
                b.upper(),
                r.rateBitsPerSecond(),
                r.usable() ? r.transmissions() : 0,
                r.effectiveRateBitsPerSecond(),
                s.kind(),
                s.split(),
                name,
                s.w(),
                s.kind() == RowKind.SPLIT ? costs.grid().get(s.setting()) : null,
                s.bytes(),
                s.latencySeconds(),
                s.fidelity(),
                s.reason());
    }
}
