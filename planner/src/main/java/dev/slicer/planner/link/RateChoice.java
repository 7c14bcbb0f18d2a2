package dev.slicer.planner.link;

/**
 * The rate an edge transmits at and what it costs under the link model.
 *
 * @param rateBitsPerSecond transmission rate R (the measured goodput for a wired link)
 * @param transmissions {@code ceil(ln eps / ln Po(R))}, at least 1; 1 for a goodput link; {@link
 *     #UNBOUNDED} when no finite number of attempts reaches the outage target
 * @param effectiveRateBitsPerSecond {@code R / transmissions}: the goodput the eq. 1 latency amounts to (0 when
 *     unbounded)
 */
public record RateChoice(double rateBitsPerSecond, long transmissions, double effectiveRateBitsPerSecond) {

    /** Transmissions needed when the outage probability rounds to 1 (or R is 0): the link cannot deliver. */
    public static final long UNBOUNDED = Long.MAX_VALUE;

    /** A link that cannot carry anything (rate 0). */
    public static final RateChoice NONE = new RateChoice(0, UNBOUNDED, 0);

    /** A measured-goodput link: one transmission at the measured rate. */
    public static RateChoice goodput(double rateBitsPerSecond) {
        if (!(rateBitsPerSecond > 0) || Double.isInfinite(rateBitsPerSecond)) {
            return NONE;
        }
        return new RateChoice(rateBitsPerSecond, 1, rateBitsPerSecond);
    }

    /** Whether the link can deliver a frame at all. */
    public boolean usable() {
        return transmissions != UNBOUNDED && rateBitsPerSecond > 0;
    }

    /**
     * Eq. 1 without the encode term: {@code bits / R * transmissions}, or +infinity when the link cannot deliver.
     * Written exactly as the paper does so independent re-checks agree to the last bit.
     */
    public double transferSeconds(double bits) {
        if (!usable()) {
            return Double.POSITIVE_INFINITY;
        }
        return bits / rateBitsPerSecond * transmissions;
    }
}
