package dev.slicer.planner.split;

import dev.slicer.planner.InvalidPlanInputException;
import dev.slicer.planner.cost.CostTable;
import dev.slicer.planner.link.RateChoice;
import dev.slicer.planner.model.SplitCandidate;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.search.SlicerSearch;

/**
 * Autoregressive split selection (eqs. 4-6) with one meaning of D: the per-token budget. Every generated token, the
 * first included, is produced within D of the previous one (of the request, for the first): time to first token
 * and inter-token latency are both at most D. Local steps run the compressed (int8-weight) network; KV-cache bytes
 * held on the edge count against M.
 *
 * <p>With T tokens, prompt P, one int8 step {@code s}, KV bytes per position {@code kv} (whole model) and
 * {@code kv_l} (layers up to l):
 *
 * <ul>
 *   <li>Local-only (scenario b-3): {@code m(int8) + kv (P + T) + M_ar <= M} and {@code s <= D}.
 *   <li>Otherwise the (w, l, theta) with the most edge work {@code (w-1) s + (T-w+1) L_d(int8 1:l)} (ties: later
 *       w, deeper l) such that
 *       <pre>
 *   hand-off (token w):     L_d(int8 1:l) + zeta(x_l^w) + B_UB(x_l^w)/R * n <= D - queue,  B_UB(x_l^w) <= M_ar
 *   later tokens (w < T):   L_d(int8 1:l) + zeta(x_l)   + B_UB(x_l)/R * n   <= D - queue
 *   local tokens (w >= 2):  s <= D,   m(int8) + kv (P + w - 1) + M_ar <= M
 *   after the hand-off:     m(int8 1:l) + kv_l (P + T) + M_ar <= M,   fidelity(l, theta) >= floor
 *       </pre>
 *       where x_l^w is the hand-off (layer-l states of P + w - 1 positions) and x_l one token's state. The row's
 *       latency is its slowest token.
 *   <li>Otherwise the {@link Fallback}.
 * </ul>
 */
public final class AutoregressiveSelector {
    private AutoregressiveSelector() {}

    public static Selection select(CostTable costs, Budgets budgets, double computeScale, RateChoice rate) {
        ArBudget ar = budgets.ar();
        InvalidPlanInputException.require(ar != null, "AR selection needs an AR budget");
        InvalidPlanInputException.require(
                costs.arShape() != null
                        && ar.tokens() == costs.arShape().tokens()
                        && ar.promptTokens() == costs.arShape().promptTokens(),
                "cost table was built for a different AR shape");
        SplitProfile p = costs.profile();
        double step = p.compressedFullSeconds() * computeScale;
        boolean localFits = localMemory(p, ar) <= budgets.memoryBytes();
        if (localFits && step <= budgets.latencySeconds()) {
            return new Selection(
                    RowKind.LOCAL_ONLY,
                    costs.candidates(),
                    0,
                    -1,
                    0,
                    step,
                    1.0,
                    "the int8 network, its KV cache for all tokens and M_ar fit M; every token meets D on the edge");
        }
        Selection split = mostEdgeWork(costs, budgets, computeScale, rate, budgets.minFidelity());
        if (split != null) {
            return split;
        }
        boolean floorBinds = budgets.minFidelity() > 0
                && rate.usable()
                && mostEdgeWork(costs, budgets, computeScale, rate, 0) != null;
        return Fallback.choose(p, budgets, rate, localFits, step, Fallback.noSplit(floorBinds, budgets.minFidelity()));
    }

    /** Edge memory of local-only decoding: the int8 network, the KV cache of all positions, M_ar. */
    public static long localMemory(SplitProfile p, ArBudget ar) {
        return p.compressedFullMemoryBytes()
                + p.kvBytesPerPosition() * (ar.promptTokens() + ar.tokens())
                + ar.arMemoryBytes();
    }

    /** Edge seconds per request of a (w, l) plan: w - 1 whole local steps, then the front for the other tokens. */
    public static double edgeWork(SplitProfile p, ArBudget ar, int w, int l) {
        return (w - 1) * p.compressedFullSeconds()
                + (ar.tokens() - w + 1.0) * p.candidates().get(l).compressedFrontSeconds();
    }

    private static Selection mostEdgeWork(
            CostTable costs, Budgets budgets, double scale, RateChoice rate, double minFidelity) {
        if (!rate.usable()) {
            return null;
        }
        SplitProfile p = costs.profile();
        ArBudget ar = budgets.ar();
        int bestW = 0;
        int bestL = -1;
        double bestWork = Double.NEGATIVE_INFINITY;
        for (int l = costs.candidates() - 1; l >= 0; l--) {
            Feasibility f = new Feasibility(costs, budgets, minFidelity, scale, rate, l);
            int w = 0;
            for (int t = 0; t < costs.settings(); t++) {
                w = Math.max(w, f.latestHandOff(t, w));
            }
            if (w == 0) {
                continue;
            }
            // work is linear in w, so its maximum over the feasible 1..w is at an end
            for (int cand : new int[] {w, 1}) {
                double work = edgeWork(p, ar, cand, l);
                if (work > bestWork || (work == bestWork && cand > bestW)) {
                    bestWork = work;
                    bestW = cand;
                    bestL = l;
                }
            }
        }
        if (bestL < 0) {
            return null;
        }
        final int w = bestW;
        final int l = bestL;
        Feasibility f = new Feasibility(costs, budgets, minFidelity, scale, rate, l);
        int t = SlicerSearch.choose(
                costs.grid(),
                s -> f.test(s, w),
                s -> costs.fidelity(l, s),
                s -> costs.handoffBytes(l, s, w),
                budgets.objective());
        return new Selection(
                RowKind.SPLIT,
                l,
                w,
                t,
                costs.handoffBytes(l, t, w),
                f.slowestToken(t, w),
                costs.fidelity(l, t),
                "most edge work (w-1 local steps, then layers 1.." + (l + 1)
                        + " per token) with every token within D - queue, KV and weights within M, the hand-off"
                        + " within M_ar, fidelity above the floor");
    }

    /** The constraints of one candidate l. */
    private static final class Feasibility {
        private final CostTable costs;
        private final ArBudget ar;
        private final double minFidelity;
        private final double deadline;
        private final double localDeadline;
        private final double scale;
        private final RateChoice rate;
        private final int l;
        private final double step;
        private final double front;
        private final boolean afterFits;
        private final long memory;

        Feasibility(CostTable costs, Budgets budgets, double minFidelity, double scale, RateChoice rate, int l) {
            this.costs = costs;
            this.ar = budgets.ar();
            this.minFidelity = minFidelity;
            this.deadline = budgets.offloadLatencySeconds();
            this.localDeadline = budgets.latencySeconds();
            this.scale = scale;
            this.rate = rate;
            this.l = l;
            SplitProfile p = costs.profile();
            SplitCandidate c = p.candidates().get(l);
            this.step = p.compressedFullSeconds() * scale;
            this.front = c.compressedFrontSeconds() * scale;
            this.memory = budgets.memoryBytes();
            this.afterFits = c.compressedMemoryBytes()
                            + c.kvBytesPerPosition() * (ar.promptTokens() + ar.tokens())
                            + ar.arMemoryBytes()
                    <= memory;
        }

        double handOff(int t, int w) {
            return CostFormulas.singleShot(
                    front, rate, costs.handoffBytes(l, t, w), costs.handoffZeta(l, t, w) * scale);
        }

        double perToken(int t) {
            return CostFormulas.singleShot(front, rate, costs.tokenBytes(l, t), costs.tokenZeta(l, t) * scale);
        }

        double slowestToken(int t, int w) {
            double worst = handOff(t, w);
            if (w < ar.tokens()) {
                worst = Math.max(worst, perToken(t));
            }
            return w >= 2 ? Math.max(worst, step) : worst;
        }

        boolean localSteps(int w) {
            if (w < 2) {
                return true;
            }
            SplitProfile p = costs.profile();
            return step <= localDeadline
                    && p.compressedFullMemoryBytes()
                                    + p.kvBytesPerPosition() * (ar.promptTokens() + w - 1L)
                                    + ar.arMemoryBytes()
                            <= memory;
        }

        boolean test(int t, int w) {
            return afterFits
                    && costs.fidelity(l, t) >= minFidelity
                    && costs.handoffBytes(l, t, w) <= ar.arMemoryBytes()
                    && handOff(t, w) <= deadline
                    && (w == ar.tokens() || perToken(t) <= deadline)
                    && localSteps(w);
        }

        /** The latest feasible hand-off step for setting t if later than {@code atLeast}, else {@code atLeast}. */
        int latestHandOff(int t, int atLeast) {
            int tokens = ar.tokens();
            if (atLeast >= tokens) {
                return atLeast;
            }
            // w = T has no later tokens (no per-token check); below T every constraint is monotone in w
            if (test(t, tokens)) {
                return tokens;
            }
            if (!test(t, atLeast + 1)) {
                return atLeast;
            }
            int lo = atLeast + 1;
            int hi = tokens - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (test(t, mid)) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }
    }
}
