package dev.slicer.e2e.demo;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the demo's clients saw from one edge: every request answered or failed with its HTTP status (0 for a
 * transport error), the row and split of the latest reply, IF bytes before and after the codec, fidelity, and a
 * sliding window of recent replies for the table's p95 and bytes per request.
 */
public final class EdgeStats {
    static final long WINDOW_NANOS = 10_000_000_000L;

    /** One answered request. */
    record Reply(
            long atNanos,
            double latencySeconds,
            int row,
            int split,
            String plan,
            long ifBytes,
            long rawBytes,
            int batchSize,
            double queueSeconds,
            double cosine,
            boolean fallback) {}

    private final Device device;
    private final Deque<Reply> window = new ArrayDeque<>();
    private final Map<Integer, Long> failures = new TreeMap<>();
    private final Map<Integer, String> lastErrors = new TreeMap<>();
    private long ok;
    private long fallbacks;
    private long splitIfBytes;
    private long splitRawBytes;
    private long offloadBytes;
    private long offloaded;
    private double cosineSum;
    private double cosineMin = 1;
    private long cosineCount;
    private Reply last;

    public EdgeStats(Device device) {
        this.device = device;
    }

    public Device device() {
        return device;
    }

    public synchronized void answered(Reply r) {
        ok++;
        if (r.fallback()) {
            fallbacks++;
        }
        last = r;
        window.addLast(r);
        while (!window.isEmpty() && r.atNanos() - window.peekFirst().atNanos() > WINDOW_NANOS) {
            window.removeFirst();
        }
        if (r.split() >= 0 && r.rawBytes() > 0) {
            splitIfBytes += r.ifBytes();
            splitRawBytes += r.rawBytes();
        }
        if (r.row() >= 0) {
            offloadBytes += r.ifBytes();
            offloaded++;
        }
        if (!Double.isNaN(r.cosine())) {
            cosineSum += r.cosine();
            cosineMin = Math.min(cosineMin, r.cosine());
            cosineCount++;
        }
    }

    /** A failed request: its HTTP status (0: no answer) and the error it carried, kept per status (the last). */
    public synchronized void failed(int status, String error) {
        failures.merge(status, 1L, Long::sum);
        if (error != null && !error.isBlank()) {
            lastErrors.put(status, error.length() > 300 ? error.substring(0, 300) + " ..." : error);
        }
    }

    /** The last error message seen per failing status, for the report (bounded: one per status). */
    public synchronized Map<Integer, String> lastErrors() {
        return Map.copyOf(lastErrors);
    }

    public synchronized long ok() {
        return ok;
    }

    /** Answered, but by the edge's local fallback after the back-end failed. */
    public synchronized long fallbacks() {
        return fallbacks;
    }

    public synchronized long failed() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized Map<Integer, Long> failures() {
        return Map.copyOf(failures);
    }

    public synchronized Reply last() {
        return last;
    }

    /** Raw and sent IF bytes over split requests (the codec's work; cloud-only ships raw inputs). */
    public synchronized long[] splitBytes() {
        return new long[] {splitRawBytes, splitIfBytes};
    }

    public synchronized double meanCosine() {
        return cosineCount == 0 ? Double.NaN : cosineSum / cosineCount;
    }

    public synchronized double minCosine() {
        return cosineCount == 0 ? Double.NaN : cosineMin;
    }

    /** Mean bytes sent per request over the window, NaN without replies. */
    public synchronized double windowBytesPerRequest() {
        return window.stream().mapToLong(Reply::ifBytes).average().orElse(Double.NaN);
    }

    /** Mean bytes sent per request over the replies since {@code nanos} (System.nanoTime()), NaN without any. */
    public synchronized double bytesPerRequestSince(long nanos) {
        return window.stream()
                .filter(r -> r.atNanos() >= nanos)
                .mapToLong(Reply::ifBytes)
                .average()
                .orElse(Double.NaN);
    }

    /** Mean bytes sent per request over the whole run. */
    public synchronized double bytesPerRequest() {
        return offloaded == 0 ? Double.NaN : (double) offloadBytes / offloaded;
    }

    /** 95th percentile of the window's latencies, NaN without replies. */
    public synchronized double windowP95() {
        double[] l = window.stream().mapToDouble(Reply::latencySeconds).toArray();
        if (l.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(l);
        return l[Math.min(l.length - 1, (int) Math.ceil(0.95 * l.length) - 1)];
    }

    /** Mean back-end queue delay and batch size over the window (offloaded replies). */
    public synchronized double[] windowBackend() {
        return new double[] {
            window.stream().mapToDouble(Reply::queueSeconds).average().orElse(Double.NaN),
            window.stream()
                    .filter(r -> r.batchSize() > 0)
                    .mapToInt(Reply::batchSize)
                    .average()
                    .orElse(Double.NaN)
        };
    }
}
