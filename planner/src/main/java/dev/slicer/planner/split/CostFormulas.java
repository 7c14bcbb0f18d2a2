package dev.slicer.planner.split;

import dev.slicer.planner.link.RateChoice;

/** The latency formulas, in one place so a row's predicted latency is exactly what was checked against D. */
final class CostFormulas {
    private CostFormulas() {}

    /** Eq. 2 with the SLICER-Search transfer term: {@code L_d(l) + B_UB/R * n + zeta}. */
    static double singleShot(double frontSeconds, RateChoice rate, long frameBytes, double zetaSeconds) {
        return frontSeconds + (rate.transferSeconds(frameBytes * 8.0) + zetaSeconds);
    }

    /** Eq. 5: {@code (w-1) L_d(compressed full) + L_d(compressed 1:l) + Lc}. */
    static double autoregressive(
            int w, double stepSeconds, double frontSeconds, RateChoice rate, long frameBytes, double zetaSeconds) {
        return (w - 1) * stepSeconds + frontSeconds + (rate.transferSeconds(frameBytes * 8.0) + zetaSeconds);
    }
}
