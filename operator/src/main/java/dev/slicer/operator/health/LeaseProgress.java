package dev.slicer.operator.health;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Whether the leader-election Lease moves. A live leader renews it every retry period, and when the leader dies a
 * live standby takes it over once it expires: either way its resourceVersion changes well within {@code window}.
 * A Lease that stays the same (or absent) for longer means no replica's elector runs - this one's included, since it
 * would have taken the expired Lease. That happens: Fabric8's elector ends its acquire loop for good on any exception
 * other than a {@code KubernetesClientException}, leaving a replica that looks healthy and never leads.
 *
 * <p>Only what this process saw counts, on its own monotonic clock (no comparison with another replica's
 * timestamps). A Lease it could not read resets the count: an unreachable API server is not a dead elector, and a
 * restart would not bring it back.
 */
public final class LeaseProgress {
    private final long windowNanos;
    private final LongSupplier clock;
    private boolean known;
    private String version;
    private long since;

    public LeaseProgress(Duration window, LongSupplier clock) {
        this.windowNanos = window.toNanos();
        this.clock = clock;
    }

    /** The window a live elector always moves the Lease within: two lease durations plus the renew deadline. */
    public static Duration window(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        return leaseDuration.multipliedBy(2).plus(renewDeadline).plus(retryPeriod.multipliedBy(2));
    }

    /** One read of the Lease: its resourceVersion, or empty when there is none. */
    public synchronized void observed(Optional<String> resourceVersion) {
        String v = resourceVersion.orElse(null);
        if (!known || !Objects.equals(v, version)) {
            known = true;
            version = v;
            since = clock.getAsLong();
        }
    }

    /** A read that failed: nothing is known until the next one succeeds. */
    public synchronized void unreadable() {
        known = false;
    }

    /** Why the election looks dead, or empty while the Lease moves (or nothing is known). */
    public synchronized Optional<String> stalled() {
        if (!known) {
            return Optional.empty();
        }
        long still = clock.getAsLong() - since;
        if (still <= windowNanos) {
            return Optional.empty();
        }
        return Optional.of(String.format(
                java.util.Locale.ROOT,
                "the leader-election Lease has %s for %d s (a live elector moves it within %d s): nothing renews or"
                        + " takes it over, so this replica's elector is not running",
                version == null ? "been absent" : "not changed from resourceVersion " + version,
                still / 1_000_000_000L,
                windowNanos / 1_000_000_000L));
    }
}
