package dev.slicer.planner.split;

import dev.slicer.planner.InvalidPlanInputException;
import dev.slicer.planner.cost.CostTable;
import dev.slicer.planner.link.RateChoice;
import dev.slicer.planner.model.SplitCandidate;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.search.SlicerSearch;

/**
 * Autoregressive split selection (eqs. 4-6). Local steps run the compressed (int8-weight) network.
 *
 * <ul>
 *   <li>Local-only (scenario b-3): {@code m(compressed) + M_ar <= M} and {@code T * L_d(compressed) <= D}.
 *   <li>Otherwise the lexicographically deepest (w, l) (more locally decoded tokens first, then the deeper split)
 *       with a knob setting theta such that
 *       <pre>
 *   (w-1) L_d(compressed full) + L_d(compressed 1:l) + B_UB(x_l^w)/R * n(R) + zeta <= D - queue
 *   B_UB(x_l^w; theta) <= M_ar,   m(compressed 1:l) + M_ar <= M,   fidelity >= minFidelity
 *       </pre>
 *       where x_l^w is the hand-off (layer-l states of prompt + w - 1 positions) and w >= 2 additionally needs
 *       the whole compressed network to fit ({@code m(compressed) + M_ar <= M}, eq. 4), else w = 1.
 *   <li>Otherwise cloud-only.
 * </ul>
 *
 * Knobs at the chosen (w, l) come from {@link SlicerSearch}.
 */
public final class AutoregressiveSelector {
    private AutoregressiveSelector() {}

    public static Selection select(CostTable costs, Budgets budgets, double computeScale, RateChoice rate) {
        ArBudget ar = budgets.ar();
        InvalidPlanInputException.require(ar != null, "AR selection needs an AR budget");
        InvalidPlanInputException.require(
                ar.equals(costs.arShape()) || sameShape(ar, costs.arShape()),
                "cost table was built for a different AR shape");
        SplitProfile p = costs.profile();
        int n = costs.candidates();
        int tokens = ar.tokens();
        long memory = budgets.memoryBytes();
        long arMemory = ar.arMemoryBytes();
        double step = p.compressedFullSeconds() * computeScale;
        boolean fullFits = p.compressedFullMemoryBytes() + arMemory <= memory;
        if (fullFits && tokens * step <= budgets.latencySeconds()) {
            return new Selection(
                    RowKind.LOCAL_ONLY,
                    n,
                    0,
                    -1,
                    0,
                    tokens * step,
                    1.0,
                    "the int8 network and M_ar fit M and all tokens meet D on the edge");
        }
        Selection split = deepest(costs, budgets, computeScale, rate, budgets.minFidelity());
        if (split != null) {
            return split;
        }
        boolean floorBinds =
                budgets.minFidelity() > 0 && rate.usable() && deepest(costs, budgets, computeScale, rate, 0) != null;
        return Fallback.choose(
                p, budgets, rate, fullFits, tokens * step, Fallback.noSplit(floorBinds, budgets.minFidelity()));
    }

    private static Selection deepest(
            CostTable costs, Budgets budgets, double computeScale, RateChoice rate, double minFidelity) {
        if (!rate.usable()) {
            return null;
        }
        SplitProfile p = costs.profile();
        int n = costs.candidates();
        int tokens = budgets.ar().tokens();
        long memory = budgets.memoryBytes();
        long arMemory = budgets.ar().arMemoryBytes();
        double step = p.compressedFullSeconds() * computeScale;
        boolean fullFits = p.compressedFullMemoryBytes() + arMemory <= memory;
        int wCap = fullFits ? tokens : 1;
        int bestW = 0;
        int bestL = -1;
        for (int l = n - 1; l >= 0 && bestW < wCap; l--) {
            SplitCandidate c = p.candidates().get(l);
            if (c.compressedMemoryBytes() + arMemory > memory) {
                continue;
            }
            Feasibility f = new Feasibility(costs, budgets, minFidelity, computeScale, rate, l, step);
            for (int t = 0; t < costs.settings() && bestW < wCap; t++) {
                if (!f.test(t, bestW + 1)) {
                    continue;
                }
                int lo = bestW + 1;
                int hi = wCap;
                while (lo < hi) {
                    int mid = (lo + hi + 1) >>> 1;
                    if (f.test(t, mid)) {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                bestW = lo;
                bestL = l;
            }
        }
        if (bestL < 0) {
            return null;
        }
        final int w = bestW;
        final int l = bestL;
        Feasibility f = new Feasibility(costs, budgets, minFidelity, computeScale, rate, l, step);
        int t = SlicerSearch.choose(
                costs.grid(), s -> f.test(s, w), s -> costs.fidelity(l, s), s -> costs.handoffBytes(l, s, w));
        long bytes = costs.handoffBytes(l, t, w);
        return new Selection(
                RowKind.SPLIT,
                l,
                w,
                t,
                bytes,
                f.latency(t, w),
                costs.fidelity(l, t),
                "latest hand-off, then deepest split, meeting D - queue, M, M_ar and the fidelity floor");
    }

    private static boolean sameShape(ArBudget a, ArBudget b) {
        return b != null && a.tokens() == b.tokens() && a.promptTokens() == b.promptTokens();
    }

    /** The constraints of one candidate. */
    private static final class Feasibility {
        private final CostTable costs;
        private final double minFidelity;
        private final long arMemory;
        private final double deadline;
        private final double scale;
        private final RateChoice rate;
        private final int l;
        private final double step;
        private final double front;

        Feasibility(
                CostTable costs,
                Budgets budgets,
                double minFidelity,
                double scale,
                RateChoice rate,
                int l,
                double step) {
            this.costs = costs;
            this.minFidelity = minFidelity;
            this.arMemory = budgets.ar().arMemoryBytes();
            this.deadline = budgets.offloadLatencySeconds();
            this.scale = scale;
            this.rate = rate;
            this.l = l;
            this.step = step;
            this.front = costs.profile().candidates().get(l).compressedFrontSeconds() * scale;
        }

        double latency(int t, int w) {
            return CostFormulas.autoregressive(
                    w, step, front, rate, costs.handoffBytes(l, t, w), costs.handoffZeta(l, t, w) * scale);
        }

        boolean test(int t, int w) {
            return costs.fidelity(l, t) >= minFidelity
                    && costs.handoffBytes(l, t, w) <= arMemory
                    && latency(t, w) <= deadline;
        }
    }
}
