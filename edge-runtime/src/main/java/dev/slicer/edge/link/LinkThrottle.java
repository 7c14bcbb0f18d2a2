package dev.slicer.edge.link;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * An emulated full-duplex access link of a settable uplink rate, for demos and tests on one machine (loopback has no
 * link to speak of). Each direction is its own queue, as on a real link: requests cross the uplink one after another
 * like packets (each send waits until the link has carried the bytes queued before it plus its own,
 * {@code bytes / rate}), replies cross the downlink the same way at {@code downlinkFactor} times the uplink rate
 * (access links are asymmetric: cellular and DSL downlinks are several times their uplinks). Unlimited (the default)
 * adds nothing. One wait is bounded by {@link #MAX_WAIT_NANOS}, so a tiny rate cannot park a request forever.
 */
public final class LinkThrottle {
    /** Slowest settable rate, bytes per second. */
    public static final long MIN_RATE = 1_000;

    /** Longest one send waits (the request's own deadline starts after it). */
    static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final double downlinkFactor;
    private long rate; // uplink bytes per second; 0 = unlimited
    private long upFreeAt; // clock time when the bytes sent so far have left
    private long downFreeAt; // clock time when the bytes received so far have arrived

    /** Parks the calling thread for a number of nanoseconds (tests pass a recording one). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    public LinkThrottle(LongSupplier clock, Sleeper sleeper, double downlinkFactor) {
        if (!(downlinkFactor >= 1 && downlinkFactor <= 1000)) {
            throw new IllegalArgumentException("downlink factor must be in [1, 1000], got " + downlinkFactor);
        }
        this.clock = clock;
        this.sleeper = sleeper;
        this.downlinkFactor = downlinkFactor;
    }

    /** A throttle on the system clock. */
    public static LinkThrottle system(double downlinkFactor) {
        return new LinkThrottle(System::nanoTime, TimeUnit.NANOSECONDS::sleep, downlinkFactor);
    }

    /** Sets the uplink rate in bytes per second (the downlink follows by the factor); 0 removes the limit. */
    public synchronized void setRate(long bytesPerSecond) {
        if (bytesPerSecond != 0 && bytesPerSecond < MIN_RATE) {
            throw new IllegalArgumentException(
                    "link rate must be 0 (unlimited) or at least " + MIN_RATE + " bytes/s, got " + bytesPerSecond);
        }
        rate = bytesPerSecond;
        upFreeAt = downFreeAt = clock.getAsLong(); // queued bytes of the old rate are forgotten
    }

    /** Uplink bytes per second, 0 when unlimited. */
    public synchronized long rate() {
        return rate;
    }

    /** Downlink bytes per second, 0 when unlimited. */
    public synchronized long downlinkRate() {
        return (long) (rate * downlinkFactor);
    }

    /** Blocks until {@code bytes} have crossed the uplink after everything queued before them. */
    public void send(long bytes) throws InterruptedException {
        long wait = reserve(bytes, true);
        if (wait > 0) {
            sleeper.sleep(wait);
        }
    }

    /**
     * Blocks until {@code bytes} have crossed the downlink after everything queued before them; returns the nanoseconds
     * waited, so a goodput measurement can leave the downlink's share out.
     */
    public long receive(long bytes) throws InterruptedException {
        long wait = reserve(bytes, false);
        if (wait > 0) {
            sleeper.sleep(wait);
        }
        return wait;
    }

    private synchronized long reserve(long bytes, boolean up) {
        if (rate == 0 || bytes <= 0) {
            return 0;
        }
        long now = clock.getAsLong();
        double bytesPerSecond = up ? rate : rate * downlinkFactor;
        long start = Math.max(now, up ? upFreeAt : downFreeAt);
        long freeAt = start + (long) (bytes * 1e9 / bytesPerSecond);
        if (up) {
            upFreeAt = freeAt;
        } else {
            downFreeAt = freeAt;
        }
        return Math.min(freeAt - now, MAX_WAIT_NANOS);
    }
}
