package dev.slicer.e2e.demo;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * One decoder edge's completions as its client saw them: answered (with the edge's mode, split and hand-off step,
 * the tokens, the feature bytes it sent, and whether the text is the unsplit model's greedy text) or failed with
 * the HTTP status (0: no answer). Thread-safe; the latency window keeps the last {@link #WINDOW} answers.
 */
public final class DecoderStats {
    static final int WINDOW = 50;

    /** One answered completion. */
    public record Completion(
            double seconds,
            String mode,
            int split,
            int w,
            int tokens,
            long ifBytes,
            boolean sameText,
            double prefixAgreement) {}

    private final Device device;
    private final Deque<Completion> window = new ArrayDeque<>();
    private final Map<Integer, Long> failures = new TreeMap<>();
    private final Map<Integer, String> lastErrors = new TreeMap<>();
    private Completion last;
    private long ok;
    private long offloaded;
    private long sameText;
    private double prefixAgreement;
    private long tokens;
    private long ifBytes;

    public DecoderStats(Device device) {
        this.device = device;
    }

    public Device device() {
        return device;
    }

    public synchronized void answered(Completion c) {
        ok++;
        tokens += c.tokens();
        ifBytes += c.ifBytes();
        offloaded += "offload".equals(c.mode()) ? 1 : 0;
        sameText += c.sameText() ? 1 : 0;
        prefixAgreement += c.prefixAgreement();
        last = c;
        window.addLast(c);
        while (window.size() > WINDOW) {
            window.removeFirst();
        }
    }

    public synchronized void failed(int status, String error) {
        failures.merge(status, 1L, Long::sum);
        lastErrors.put(status, error);
    }

    public synchronized long ok() {
        return ok;
    }

    public synchronized long failed() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Completions the edge generated with the back-end (the plan's offload mode). */
    public synchronized long offloaded() {
        return offloaded;
    }

    /** Completions whose text is the unsplit model's greedy text. */
    public synchronized long sameText() {
        return sameText;
    }

    /** Summed prefix agreement of the answers (divide by {@link #ok()} for the mean). */
    public synchronized double prefixAgreementSum() {
        return prefixAgreement;
    }

    public synchronized long tokens() {
        return tokens;
    }

    /** Feature bytes sent (hand-offs and per-token features). */
    public synchronized long ifBytes() {
        return ifBytes;
    }

    public synchronized Completion last() {
        return last;
    }

    public synchronized Map<Integer, Long> failures() {
        return Map.copyOf(failures);
    }

    public synchronized Map<Integer, String> lastErrors() {
        return Map.copyOf(lastErrors);
    }

    /** Uplink feature bits per generated token over the window (NaN before the first answer). */
    public synchronized double windowBitsPerToken() {
        long b = 0, t = 0;
        for (Completion c : window) {
            b += c.ifBytes();
            t += c.tokens();
        }
        return t == 0 ? Double.NaN : 8.0 * b / t;
    }

    /** p95 completion latency over the window, seconds (NaN before the first answer). */
    public synchronized double windowP95() {
        double[] s = window.stream().mapToDouble(Completion::seconds).sorted().toArray();
        return s.length == 0 ? Double.NaN : s[Math.min(s.length - 1, (int) Math.floor(0.95 * s.length))];
    }
}
