package dev.slicer.planner.link;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.slicer.planner.InvalidPlanInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * The link-quality axis of one device class and how it is cut into buckets.
 *
 * <p>{@link LinkAxis#GOODPUT_BITS_PER_SECOND}: {@code buckets} geometric buckets from {@code min} to {@code max}
 * bit/s (default 32 from 64 kbit/s to 1 Gbit/s). {@link LinkAxis#SNR_DB}: {@code buckets} buckets evenly spaced
 * in dB (geometric in linear SNR) from {@code min} to {@code max} dB, for a channel of {@code bandwidthHz} and
 * outage target {@code epsilon}. Either way bucket 0 is a catch-all below {@code min} (goodput {@code [0, min)};
 * SNR {@code [min - 300 dB, min)}). Bucket 0 promises no rate at all, so it is planned as a link that cannot
 * deliver ({@link RateChoice#NONE}): local-only when the model fits, else unavailable.
 *
 * @param axis what the edge measures
 * @param min lower end of the nominal range
 * @param max upper end of the nominal range
 * @param buckets number of nominal buckets (1..4096)
 * @param bandwidthHz W (SNR axis only, else 0)
 * @param epsilon outage target (SNR axis only, else 0)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LinkSpec(LinkAxis axis, double min, double max, int buckets, double bandwidthHz, double epsilon) {

    public static final double DEFAULT_MIN_BITS_PER_SECOND = 64_000;
    public static final double DEFAULT_MAX_BITS_PER_SECOND = 1_000_000_000;
    public static final int DEFAULT_BUCKETS = 32;
    public static final double DEFAULT_MIN_SNR_DB = -5;
    public static final double DEFAULT_MAX_SNR_DB = 30;
    public static final double DEFAULT_EPSILON = 1e-3;
    private static final double BELOW_RANGE_DB = 300;

    public LinkSpec {
        InvalidPlanInputException.require(axis != null, "link axis is required");
        InvalidPlanInputException.require(buckets >= 1 && buckets <= 4096, "buckets must be 1..4096, got " + buckets);
        InvalidPlanInputException.require(
                Double.isFinite(min) && Double.isFinite(max) && min < max,
                "link range must be finite with min < max, got [" + min + ", " + max + "]");
        if (axis == LinkAxis.GOODPUT_BITS_PER_SECOND) {
            InvalidPlanInputException.positive(min, "lowest goodput (bit/s)");
        } else {
            InvalidPlanInputException.positive(bandwidthHz, "channel bandwidth W (Hz)");
            OutageLink.requireEpsilon(epsilon);
            InvalidPlanInputException.require(min > -200 && max < 200, "SNR range must lie within (-200, 200) dB");
        }
    }

    /** 32 geometric goodput buckets from 64 kbit/s to 1 Gbit/s. */
    public static LinkSpec defaultGoodput() {
        return goodput(DEFAULT_MIN_BITS_PER_SECOND, DEFAULT_MAX_BITS_PER_SECOND, DEFAULT_BUCKETS);
    }

    public static LinkSpec goodput(double minBitsPerSecond, double maxBitsPerSecond, int buckets) {
        return new LinkSpec(LinkAxis.GOODPUT_BITS_PER_SECOND, minBitsPerSecond, maxBitsPerSecond, buckets, 0, 0);
    }

    public static LinkSpec outage(double bandwidthHz, double minSnrDb, double maxSnrDb, int buckets, double epsilon) {
        return new LinkSpec(LinkAxis.SNR_DB, minSnrDb, maxSnrDb, buckets, bandwidthHz, epsilon);
    }

    /** Lower end of nominal bucket {@code i} (0-based), {@code 0 <= i <= buckets}. */
    double edge(int i) {
        if (i == buckets) {
            return max;
        }
        if (axis == LinkAxis.GOODPUT_BITS_PER_SECOND) {
            return min * Math.pow(max / min, (double) i / buckets);
        }
        return min + (max - min) * i / buckets;
    }

    /** The rate an edge uses when the axis reads {@code value}. */
    public RateChoice rateAt(double value) {
        if (axis == LinkAxis.GOODPUT_BITS_PER_SECOND) {
            return RateChoice.goodput(value);
        }
        return OutageLink.ofDb(bandwidthHz, value, epsilon).optimalRate();
    }

    /** All buckets: the below-range catch-all (index 0) then the nominal ones, ascending. */
    public List<LinkBucket> bucketList() {
        List<LinkBucket> out = new ArrayList<>(buckets + 1);
        double belowRange = axis == LinkAxis.GOODPUT_BITS_PER_SECOND ? 0 : min - BELOW_RANGE_DB;
        out.add(new LinkBucket(0, belowRange, edge(0), RateChoice.NONE));
        for (int i = 0; i < buckets; i++) {
            double lo = edge(i);
            out.add(new LinkBucket(i + 1, lo, edge(i + 1), rateAt(lo)));
        }
        return out;
    }
}
