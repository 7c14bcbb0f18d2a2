package dev.slicer.planner.search;

import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntToLongFunction;

/**
 * SLICER-Search's knob choice for one split candidate, in the paper's order (least harmful to accuracy first):
 *
 * <ol>
 *   <li>tune M+/M- (and the other same-level knobs: lambda, rANS, delta, outlier fraction) at the lowest level;
 *   <li>raise the level (sparsity s for TOPK, a lower bit cap for TS/TAB-Q) only if no setting of the level fits;
 *   <li>retreat the split — done by the caller, which walks candidates from the deepest down.
 * </ol>
 *
 * Each codec family (lossless, TOPK, TS/TAB-Q) is walked this way; inside the first feasible level the setting with
 * the best fidelity wins (ties: fewer bytes, then grid order). Across families the best fidelity wins (same
 * ties), which is where the measured distortion table decides between top-K and TS/TAB-Q for a given tensor.
 */
public final class SlicerSearch {
    private SlicerSearch() {}

    /**
     * @param grid the knob settings
     * @param feasible whether setting t meets every constraint
     * @param fidelity fidelity of setting t
     * @param bytes predicted bytes of setting t (tie-break)
     * @return the chosen setting index, or -1 when none is feasible (retreat the split)
     */
    public static int choose(
            KnobGrid grid, IntPredicate feasible, IntToDoubleFunction fidelity, IntToLongFunction bytes) {
        int best = -1;
        for (int[][] family : grid.families()) {
            int pick = -1;
            for (int[] level : family) {
                for (int t : level) {
                    if (feasible.test(t) && better(t, pick, fidelity, bytes)) {
                        pick = t;
                    }
                }
                if (pick >= 0) {
                    break;
                }
            }
            if (pick >= 0 && better(pick, best, fidelity, bytes)) {
                best = pick;
            }
        }
        return best;
    }

    private static boolean better(int t, int incumbent, IntToDoubleFunction fidelity, IntToLongFunction bytes) {
        if (incumbent < 0) {
            return true;
        }
        int c = Double.compare(fidelity.applyAsDouble(t), fidelity.applyAsDouble(incumbent));
        if (c != 0) {
            return c > 0;
        }
        long bt = bytes.applyAsLong(t);
        long bi = bytes.applyAsLong(incumbent);
        if (bt != bi) {
            return bt < bi;
        }
        return t < incumbent;
    }
}
