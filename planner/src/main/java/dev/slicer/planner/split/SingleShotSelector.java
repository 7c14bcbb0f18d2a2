package dev.slicer.planner.split;

import dev.slicer.planner.cost.CostTable;
import dev.slicer.planner.link.RateChoice;
import dev.slicer.planner.model.SplitCandidate;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.search.SlicerSearch;

/**
 * Single-shot split selection (eqs. 2-3 with SLICER-Search's constraints): local-only when the whole float model
 * fits M and meets D; otherwise the deepest candidate l with a knob setting theta such that
 *
 * <pre>
 *   m(L_1:l) + m_buf(theta) <= M,   m_buf = raw IF bytes + B_UB(theta)
 *   L_d(l) + B_UB(theta)/R * n(R) + zeta(theta) <= D - queue
 *   fidelity(l, theta) >= minFidelity
 * </pre>
 *
 * with latencies scaled by the device class's compute scale; otherwise the {@link Fallback} (cloud-only,
 * local-only or unavailable, with the reason in the row).
 */
public final class SingleShotSelector {
    private SingleShotSelector() {}

    public static Selection select(CostTable costs, Budgets budgets, double computeScale, RateChoice rate) {
        SplitProfile p = costs.profile();
        int n = costs.candidates();
        boolean fits = p.fullMemoryBytes() <= budgets.memoryBytes();
        double local = p.fullSeconds() * computeScale;
        if (fits && local <= budgets.latencySeconds()) {
            return new Selection(
                    RowKind.LOCAL_ONLY, n, 0, -1, 0, local, 1.0, "the whole model fits M and meets D on the edge");
        }
        Selection split = deepestSplit(costs, budgets, computeScale, rate, budgets.minFidelity());
        if (split != null) {
            return split;
        }
        boolean floorBinds = budgets.minFidelity() > 0
                && rate.usable()
                && deepestSplit(costs, budgets, computeScale, rate, 0) != null;
        return Fallback.choose(p, budgets, rate, fits, local, Fallback.noSplit(floorBinds, budgets.minFidelity()));
    }

    private static Selection deepestSplit(
            CostTable costs, Budgets budgets, double computeScale, RateChoice rate, double minFidelity) {
        SplitProfile p = costs.profile();
        double deadline = budgets.offloadLatencySeconds();
        long memory = budgets.memoryBytes();
        for (int l = costs.candidates() - 1; l >= 0 && rate.usable(); l--) {
            SplitCandidate c = p.candidates().get(l);
            long memBase = c.memoryBytes() + c.codedBytes();
            double front = c.frontSeconds() * computeScale;
            if (memBase > memory || front > deadline) {
                continue;
            }
            final int cand = l;
            int t = SlicerSearch.choose(
                    costs.grid(),
                    s -> costs.fidelity(cand, s) >= minFidelity
                            && memBase + costs.frameBytes(cand, s) <= memory
                            && CostFormulas.singleShot(
                                            front, rate, costs.frameBytes(cand, s), costs.zeta(cand, s) * computeScale)
                                    <= deadline,
                    s -> costs.fidelity(cand, s),
                    s -> costs.frameBytes(cand, s),
                    budgets.objective());
            if (t >= 0) {
                long bytes = costs.frameBytes(l, t);
                double latency = CostFormulas.singleShot(front, rate, bytes, costs.zeta(l, t) * computeScale);
                return new Selection(
                        RowKind.SPLIT,
                        l,
                        1,
                        t,
                        bytes,
                        latency,
                        costs.fidelity(l, t),
                        "deepest split meeting D - queue, M and the fidelity floor");
            }
        }
        return null;
    }
}
