package dev.slicer.edge.backend;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (a uniform delay up to {@code initial * 2^(attempt-1)}, capped at {@code max}),
 * so edges that failed together do not retry together. A server's retry-after hint raises the delay to at least the
 * hint, still capped at {@code max}: the edge never waits unboundedly.
 */
public record Backoff(Duration initial, Duration max) {
    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + ", " + max);
        }
    }

    /** The delay before retry number {@code attempt} (1 = the first retry). */
    public Duration delay(int attempt, Optional<Duration> retryAfter) {
        long cap = max.toNanos();
        long ceiling = Math.min(cap, initial.toNanos() << Math.min(Math.max(attempt - 1, 0), 30));
        long jittered = ThreadLocalRandom.current().nextLong(ceiling + 1);
        long hinted = retryAfter.map(Duration::toNanos).orElse(0L);
        return Duration.ofNanos(Math.min(cap, Math.max(jittered, hinted)));
    }
}
