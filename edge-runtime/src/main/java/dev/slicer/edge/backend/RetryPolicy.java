package dev.slicer.edge.backend;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * How a request retries its back-end calls; one rule for single-shot requests and AR sessions. Up to
 * {@code maxAttempts} attempts, with jittered backoff between them. A retry after a lost connection (UNAVAILABLE from
 * the transport, not a typed refusal) first waits for the channel to connect again, {@code reconnectWait} in all per
 * request: gRPC fails calls at once while its channel backs off a failed connection attempt (1 s and more), so without
 * the wait one refused or reset connection (a replica restarting, a Service briefly without ready endpoints) failed
 * every retry within 150 ms. An edge with a local fallback passes zero: it falls back at once instead. A replica that
 * refuses work because it is draining drops the connection to it: the next attempt connects through the Service again,
 * which routes to a ready replica (retries on the old connection would all reach the draining one).
 *
 * @param maxAttempts attempts per request, the first included
 * @param backoff the delay between attempts
 * @param reconnectWait the longest a request waits in all for a lost connection to come back (zero: never)
 */
public record RetryPolicy(int maxAttempts, Backoff backoff, Duration reconnectWait) {
    public RetryPolicy {
        if (maxAttempts < 1 || reconnectWait.isNegative()) {
            throw new IllegalArgumentException(
                    "retries need maxAttempts >= 1 and reconnectWait >= 0, got " + maxAttempts + ", " + reconnectWait);
        }
    }

    /** The pauses of one request's attempts on {@code channel}. */
    public Pauses pauses(BackendChannel channel) {
        return new Pauses(channel, reconnectWait.toNanos());
    }

    /** One request's pauses between attempts; it spends the reconnect wait once across all of them. */
    public final class Pauses {
        private final BackendChannel channel;
        private long reconnectLeftNanos;

        private Pauses(BackendChannel channel, long reconnectNanos) {
            this.channel = channel;
            this.reconnectLeftNanos = reconnectNanos;
        }

        /** Waits before the attempt after number {@code attempt}, which failed with {@code last}. */
        public void after(int attempt, Failure last) {
            if (last.draining()) {
                channel.reconnect();
            }
            if ((last.connectionLost() || last.draining()) && reconnectLeftNanos > 0) {
                long t0 = System.nanoTime();
                boolean ready = channel.awaitReady(Duration.ofNanos(reconnectLeftNanos));
                reconnectLeftNanos -= System.nanoTime() - t0;
                if (ready) {
                    return; // connected again: the next attempt goes at once
                }
            }
            LockSupport.parkNanos(backoff.delay(attempt, last.retryAfter()).toNanos());
        }
    }
}
