package dev.slicer.edge.link;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * An emulated uplink of a settable rate, for demos and tests on one machine (loopback has no link to speak of).
 * Requests cross it one after another like packets on a real link: each send waits until the link has carried the
 * bytes queued before it plus its own ({@code bytes / rate}). Unlimited (the default) adds nothing. The wait is
 * bounded by {@link #MAX_WAIT_NANOS}, so a tiny rate cannot park a request forever.
 */
public final class LinkThrottle {
    /** Slowest settable rate, bytes per second. */
    public static final long MIN_RATE = 1_000;

    /** Longest one send waits (the request's own deadline starts after it). */
    static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final LongSupplier clock;
    private final Sleeper sleeper;
    private long rate; // bytes per second; 0 = unlimited
    private long linkFreeAt; // clock time when the bytes sent so far have left

    /** Parks the calling thread for a number of nanoseconds (tests pass a recording one). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    public LinkThrottle(LongSupplier clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** A throttle on the system clock. */
    public static LinkThrottle system() {
        return new LinkThrottle(System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    /** Sets the rate in bytes per second; 0 removes the limit. */
    public synchronized void setRate(long bytesPerSecond) {
        if (bytesPerSecond != 0 && bytesPerSecond < MIN_RATE) {
            throw new IllegalArgumentException(
                    "link rate must be 0 (unlimited) or at least " + MIN_RATE + " bytes/s, got " + bytesPerSecond);
        }
        rate = bytesPerSecond;
        linkFreeAt = clock.getAsLong(); // queued bytes of the old rate are forgotten
    }

    /** Bytes per second, 0 when unlimited. */
    public synchronized long rate() {
        return rate;
    }

    /** Blocks until {@code bytes} have crossed the link after everything queued before them. */
    public void send(long bytes) throws InterruptedException {
        long wait;
        synchronized (this) {
            if (rate == 0 || bytes <= 0) {
                return;
            }
            long now = clock.getAsLong();
            long start = Math.max(now, linkFreeAt);
            linkFreeAt = start + (long) (bytes * 1e9 / rate);
            wait = Math.min(linkFreeAt - now, MAX_WAIT_NANOS);
        }
        sleeper.sleep(wait);
    }
}
