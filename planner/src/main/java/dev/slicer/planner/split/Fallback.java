package dev.slicer.planner.split;

import dev.slicer.planner.link.RateChoice;
import dev.slicer.planner.model.SplitProfile;
import java.util.Locale;

/**
 * What a row becomes when no split meets D, M and the fidelity floor: one rule for single-shot and AR rows.
 *
 * <ol>
 *   <li>cloud-only when the raw input meets {@code D - queue} over the row's link;
 *   <li>no usable link: local-only when the model fits M (even if it misses D), else {@link RowKind#UNAVAILABLE};
 *   <li>otherwise the faster of local-only (when it fits M) and cloud-only, saying that it misses D.
 * </ol>
 *
 * Local-only that fits M and meets D never reaches here (the selectors take it first).
 */
final class Fallback {
    private Fallback() {}

    /**
     * @param p the profile
     * @param budgets the class's budgets
     * @param rate the row's link
     * @param localFits whether the whole (float single-shot, int8 AR) model and its buffers fit M
     * @param localSeconds local latency on this device class (per token for AR)
     * @param whyNoSplit why no split was chosen, e.g. "no split meets the fidelity floor 0.98 within D and M"
     */
    static Selection choose(
            SplitProfile p,
            Budgets budgets,
            RateChoice rate,
            boolean localFits,
            double localSeconds,
            String whyNoSplit) {
        int local = p.candidates().size();
        double d = budgets.latencySeconds();
        if (!rate.usable()) {
            if (localFits) {
                return new Selection(
                        RowKind.LOCAL_ONLY,
                        local,
                        0,
                        -1,
                        0,
                        localSeconds,
                        1.0,
                        "no usable link; the whole model fits M, local-only misses D=" + ms(d) + " (" + ms(localSeconds)
                                + ")");
            }
            return new Selection(
                    RowKind.UNAVAILABLE,
                    -1,
                    1,
                    -1,
                    0,
                    d,
                    1.0,
                    "no usable link and the model does not fit M: the edge fails the request by D");
        }
        double cloud = rate.transferSeconds(p.inputBytes() * 8.0);
        if (cloud <= budgets.offloadLatencySeconds()) {
            return cloud(p, cloud, whyNoSplit + "; the raw input meets D - queue");
        }
        if (localFits && localSeconds < cloud) {
            return new Selection(
                    RowKind.LOCAL_ONLY,
                    local,
                    0,
                    -1,
                    0,
                    localSeconds,
                    1.0,
                    whyNoSplit + "; nothing meets D=" + ms(d) + ", local-only (" + ms(localSeconds)
                            + ") is faster than cloud-only (" + ms(cloud) + ")");
        }
        return cloud(p, cloud, whyNoSplit + "; nothing meets D=" + ms(d) + ", cloud-only is the fastest fallback");
    }

    private static Selection cloud(SplitProfile p, double seconds, String reason) {
        return new Selection(RowKind.CLOUD_ONLY, -1, 1, -1, p.inputBytes(), seconds, 1.0, reason);
    }

    /** "no split meets ..." for a row where a floor-free search would have found one, or not. */
    static String noSplit(boolean floorBinds, double minFidelity) {
        return floorBinds
                ? String.format(Locale.ROOT, "no split meets the fidelity floor %.4g within D and M", minFidelity)
                : "no split meets D and M";
    }

    static String ms(double seconds) {
        return String.format(Locale.ROOT, "%.2fms", seconds * 1e3);
    }
}
