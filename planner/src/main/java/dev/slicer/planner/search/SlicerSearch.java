package dev.slicer.planner.search;

import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntToLongFunction;

/**
 * SLICER-Search's knob choice for one split candidate, in the paper's order (least harmful to accuracy first):
 *
 * <ol>
 *   <li>tune M+/M- (and the other same-level knobs: lambda, rANS, delta, outlier fraction) at the least harmful
 *       level;
 *   <li>move to a more harmful level (sparsity s for TOPK, bit cap qbit for TS/TAB-Q) only if no setting of the
 *       level fits;
 *   <li>retreat the split — done by the caller, which walks candidates from the deepest down.
 * </ol>
 *
 * "Least harmful" is measured, not assumed: the levels of a family are walked by the best fidelity any of their
 * settings reaches at this candidate, highest first (ties, to {@link #RESOLUTION}, keep the paper's order: s
 * ascending, qbit descending).
 * With the prior, which falls with s and rises with qbit, that is exactly the paper's order; with a measured
 * distortion table it follows the measurements where they disagree (on MiniLM, top-K at s = 0.25 measures below
 * s = 0.5 at some candidates). Inside the chosen level the setting with the best fidelity wins (ties: fewer bytes,
 * then grid order). Across families the best fidelity wins (same ties), which is where the measured distortion
 * table decides between top-K and TS/TAB-Q for a given tensor.
 */
public final class SlicerSearch {
    private SlicerSearch() {}

    /**
     * @param grid the knob settings
     * @param feasible whether setting t meets every constraint
     * @param fidelity fidelity of setting t
     * @param bytes predicted bytes of setting t (tie-break)
     * @param objective {@link Objective#FIDELITY}: the paper's order as above; {@link Objective#BYTES}: the feasible
     *     setting with the fewest bytes (ties: better fidelity, then grid order)
     * @return the chosen setting index, or -1 when none is feasible (retreat the split)
     */
    public static int choose(
            KnobGrid grid,
            IntPredicate feasible,
            IntToDoubleFunction fidelity,
            IntToLongFunction bytes,
            Objective objective) {
        if (objective == Objective.BYTES) {
            int fewest = -1;
            for (int t = 0; t < grid.size(); t++) {
                if (feasible.test(t) && fewer(t, fewest, fidelity, bytes)) {
                    fewest = t;
                }
            }
            return fewest;
        }
        int best = -1;
        for (int[][] family : grid.families()) {
            int pick = -1;
            for (int[] level : byMeasuredHarm(family, fidelity)) {
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

    /**
     * The family's levels ordered by the best fidelity of their settings, highest first; stable, so equal levels
     * keep the paper's order.
     */
    public static int[][] byMeasuredHarm(int[][] family, IntToDoubleFunction fidelity) {
        double[] best = new double[family.length];
        Integer[] order = new Integer[family.length];
        for (int i = 0; i < family.length; i++) {
            order[i] = i;
            best[i] = resolved(bestOf(family[i], fidelity));
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(best[b], best[a]));
        int[][] out = new int[family.length][];
        for (int i = 0; i < family.length; i++) {
            out[i] = family[order[i]];
        }
        return out;
    }

    /**
     * Where the measured level order departs from the paper's: one line per family whose first level is not its
     * least harmful one by measurement, e.g. {@code TOPK: s=0.5 best 0.834 > s=0.25 best 0.812}. Empty with the
     * prior.
     */
    public static java.util.List<String> departures(KnobGrid grid, IntToDoubleFunction fidelity) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int[][] family : grid.families()) {
            int[][] measured = byMeasuredHarm(family, fidelity);
            for (int i = 0; i < family.length; i++) {
                if (measured[i] != family[i]) {
                    out.add(String.format(
                            java.util.Locale.ROOT,
                            "%s: %s best %.4f > %s best %.4f",
                            grid.get(family[0][0]).mode(),
                            levelName(grid.get(measured[i][0])),
                            bestOf(measured[i], fidelity),
                            levelName(grid.get(family[i][0])),
                            bestOf(family[i], fidelity)));
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Levels whose best fidelities differ by less than this keep the paper's order: with a few calibration samples,
     * smaller differences are measurement noise, not a ranking.
     */
    public static final double RESOLUTION = 1e-3;

    /** A fidelity rounded to {@link #RESOLUTION}, the granularity at which levels are ranked. */
    public static double resolved(double fidelity) {
        return Math.rint(fidelity / RESOLUTION) * RESOLUTION;
    }

    private static double bestOf(int[] level, IntToDoubleFunction fidelity) {
        double b = Double.NEGATIVE_INFINITY;
        for (int t : level) {
            b = Math.max(b, fidelity.applyAsDouble(t));
        }
        return b;
    }

    private static String levelName(Theta t) {
        return switch (t.mode()) {
            case LOSSLESS -> "lossless";
            case TOPK -> "s=" + t.sparsity();
            case TS_TABQ -> "q" + t.qbit();
            case ECSQ -> t.bitsPerElement() + "b";
        };
    }

    private static boolean fewer(int t, int incumbent, IntToDoubleFunction fidelity, IntToLongFunction bytes) {
        if (incumbent < 0) {
            return true;
        }
        long bt = bytes.applyAsLong(t);
        long bi = bytes.applyAsLong(incumbent);
        if (bt != bi) {
            return bt < bi;
        }
        return fidelity.applyAsDouble(t) > fidelity.applyAsDouble(incumbent);
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
