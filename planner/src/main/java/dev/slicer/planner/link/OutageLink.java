package dev.slicer.planner.link;

import dev.slicer.planner.InvalidPlanInputException;

/**
 * The epsilon-outage wireless link of eq. 1 (SLICER paper):
 *
 * <pre>
 *   Lc = B/R * ceil(ln eps / ln Po(R)) + zeta,   Po(R) = 1 - exp(-(2^(R/W) - 1) / gamma)
 * </pre>
 *
 * with R in bit/s, W the channel bandwidth in Hz and gamma the average SNR (linear). {@code ceil(ln eps / ln Po)}
 * is the number of transmissions needed so that the probability that all of them fail is at most eps.
 *
 * <p>Numerics: {@code x = (2^(R/W) - 1)/gamma} is formed with {@code expm1}; {@code ln Po} is computed as
 * {@code ln(-expm1(-x))} for small x (Po near 0, no cancellation) and {@code log1p(-exp(-x))} for large x (Po
 * near 1). When Po rounds to 1 or more than {@link #MAX_TRANSMISSIONS} attempts would be needed, the rate is
 * unusable ({@link RateChoice#UNBOUNDED}); when Po rounds to 0 one transmission suffices.
 *
 * <p>Rate choice ({@link #optimalRate()}): minimising {@code Lc} over R for a fixed frame is minimising
 * {@code n(R)/R}, independent of B and zeta. {@code n(R)} is a non-decreasing step function, so on each plateau
 * {@code n(R) = n} the cost falls with R and the optimum is at a plateau's right end, which has the closed form
 * {@code R_n = W log2(1 + gamma * -ln(1 - eps^(1/n)))}. The 1-D search therefore visits n = 1, 2, ... and keeps
 * the best {@code R_n / n}. It stops once the upper bound {@code W log2(1 + gamma ln(1 + n/c)) / n}
 * (c = -ln eps; from {@code 1 - e^-a >= a/(1+a)}) drops below the best found: that bound is a concave function
 * through the origin divided by n, hence non-increasing, so no later plateau can win. The result is the exact
 * optimum, and it is non-decreasing in gamma (each {@code R_n} is), which is what makes "worse SNR never gives a
 * deeper split" hold.
 */
public record OutageLink(double bandwidthHz, double snrLinear, double epsilon) {

    /** More attempts than this count as "cannot deliver". */
    public static final long MAX_TRANSMISSIONS = 1_000_000L;

    private static final double LN2 = Math.log(2);

    public OutageLink {
        InvalidPlanInputException.positive(bandwidthHz, "channel bandwidth W (Hz)");
        InvalidPlanInputException.nonNegative(snrLinear, "SNR gamma");
        requireEpsilon(epsilon);
    }

    /** Validates an outage target: a probability strictly between 0 and 1. */
    public static double requireEpsilon(double epsilon) {
        InvalidPlanInputException.require(
                epsilon >= Double.MIN_NORMAL && epsilon < 1, "outage target eps must be in (0, 1), got " + epsilon);
        return epsilon;
    }

    /** An outage link from an SNR in dB. */
    public static OutageLink ofDb(double bandwidthHz, double snrDb, double epsilon) {
        InvalidPlanInputException.require(!Double.isNaN(snrDb) && snrDb < 3000, "SNR (dB) must be a number < 3000");
        return new OutageLink(bandwidthHz, Math.pow(10, snrDb / 10), epsilon);
    }

    /** {@code x = (2^(R/W) - 1) / gamma}; +infinity on overflow or gamma 0. */
    private double snrExcess(double rate) {
        double num = Math.expm1(rate / bandwidthHz * LN2);
        return snrLinear == 0 ? (num == 0 ? 0 : Double.POSITIVE_INFINITY) : num / snrLinear;
    }

    /** {@code Po(R)}, the outage probability at rate R. */
    public double outageProbability(double rateBitsPerSecond) {
        double x = snrExcess(rateBitsPerSecond);
        return -Math.expm1(-x);
    }

    /** {@code ln Po(R)}, accurate at both ends (0 when Po rounds to 1, -infinity at R = 0). */
    public double logOutageProbability(double rateBitsPerSecond) {
        double x = snrExcess(rateBitsPerSecond);
        if (!(x > 0)) {
            return Double.NEGATIVE_INFINITY;
        }
        return x < LN2 ? Math.log(-Math.expm1(-x)) : Math.log1p(-Math.exp(-x));
    }

    /** {@code ceil(ln eps / ln Po(R))}, at least 1, or {@link RateChoice#UNBOUNDED}. */
    public long transmissions(double rateBitsPerSecond) {
        if (!(rateBitsPerSecond > 0) || Double.isInfinite(rateBitsPerSecond)) {
            return RateChoice.UNBOUNDED;
        }
        double lnPo = logOutageProbability(rateBitsPerSecond);
        if (!(lnPo < 0)) {
            return RateChoice.UNBOUNDED;
        }
        double ratio = Math.log(epsilon) / lnPo;
        if (!(ratio <= MAX_TRANSMISSIONS)) {
            return RateChoice.UNBOUNDED;
        }
        return Math.max(1L, (long) Math.ceil(ratio));
    }

    /** The cost of transmitting at a given rate. */
    public RateChoice at(double rateBitsPerSecond) {
        long n = transmissions(rateBitsPerSecond);
        if (n == RateChoice.UNBOUNDED) {
            return new RateChoice(Math.max(0, rateBitsPerSecond), n, 0);
        }
        return new RateChoice(rateBitsPerSecond, n, rateBitsPerSecond / n);
    }

    /** Eq. 1: latency of a frame of {@code bits} sent at rate R plus its encode time. */
    public double latencySeconds(double bits, double rateBitsPerSecond, double zetaSeconds) {
        return at(rateBitsPerSecond).transferSeconds(bits) + zetaSeconds;
    }

    /** The transmission rate minimising eq. 1 (see the class comment); {@link RateChoice#NONE} if none works. */
    public RateChoice optimalRate() {
        if (snrLinear == 0) {
            return RateChoice.NONE;
        }
        double c = -Math.log(epsilon);
        RateChoice best = RateChoice.NONE;
        for (long n = 1; n <= MAX_TRANSMISSIONS; n++) {
            double bound = bandwidthHz * Math.log1p(snrLinear * Math.log1p(n / c)) / LN2 / n;
            if (bound <= best.effectiveRateBitsPerSecond()) {
                break;
            }
            double perAttempt = Math.exp(-c / n); // eps^(1/n)
            double threshold = -Math.log1p(-perAttempt); // -ln(1 - eps^(1/n))
            double plateauEnd = bandwidthHz * Math.log1p(snrLinear * threshold) / LN2;
            // step a hair inside the plateau so rounding cannot push the count to n + 1
            RateChoice choice = at(plateauEnd * (1 - 1e-9));
            if (choice.usable() && choice.effectiveRateBitsPerSecond() > best.effectiveRateBitsPerSecond()) {
                best = choice;
            }
        }
        return best;
    }
}
