package dev.slicer.operator.reconcile;

import java.time.Duration;
import java.time.Instant;

/**
 * Exponential back-off without per-resource counters: while something has been unavailable since {@code since},
 * the next check waits as long as the outage has lasted so far (so the elapsed time doubles with every check),
 * bounded by {@code [initial, max]}.
 */
public final class Backoff {

    private Backoff() {}

    public static Duration next(Instant since, Instant now, Duration initial, Duration max) {
        Duration elapsed = since == null || since.isAfter(now) ? Duration.ZERO : Duration.between(since, now);
        Duration delay = elapsed.compareTo(initial) < 0 ? initial : elapsed;
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
