package dev.slicer.e2e.demo;

import dev.slicer.planner.plan.DeviceClassTable;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.plan.PlanRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Every plan the operator published during the run, in order, as the back-end's volume received them. */
public final class PlanHistory {
    /** One published plan: when (seconds into the run), its hash and content. */
    public record Entry(double atSeconds, String hash, Plan plan) {}

    private final java.util.function.LongSupplier origin;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Plan> byHash = new ConcurrentHashMap<>();
    private final Map<String, Long> publishedAt = new ConcurrentHashMap<>();

    /** @param origin the run's time zero, System.nanoTime() based */
    public PlanHistory(java.util.function.LongSupplier origin) {
        this.origin = origin;
    }

    /** Re-expresses the entries so far against the current origin (the demo's clock starts with the traffic). */
    public synchronized void rebase() {
        entries.replaceAll(e -> new Entry((publishedAt.get(e.hash()) - origin.getAsLong()) / 1e9, e.hash(), e.plan()));
    }

    public synchronized void published(String hash, String json) {
        if (json.isBlank()
                || (!entries.isEmpty() && entries.get(entries.size() - 1).hash().equals(hash))) {
            return;
        }
        Plan plan = PlanJson.readPlan(json);
        long now = System.nanoTime();
        byHash.put(hash, plan);
        publishedAt.put(hash, now);
        entries.add(new Entry((now - origin.getAsLong()) / 1e9, hash, plan));
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Plans published after the first. */
    /** The first 12 characters of a plan hash, as tables and the report show it. */
    public static String shortHash(String hash) {
        return hash.substring(0, Math.min(12, hash.length()));
    }

    /** The current plan's short hash, {@code none} before the first. */
    public String currentShortHash() {
        return current().map(e -> shortHash(e.hash())).orElse("none");
    }

    public synchronized int replans() {
        return Math.max(0, entries.size() - 1);
    }

    public synchronized Optional<Entry> current() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(entries.size() - 1));
    }

    /** The row an edge reply names (plan hash, device class, bucket), if that plan was seen. */
    public Optional<PlanRow> row(String hash, String deviceClass, int bucket) {
        Plan p = byHash.get(hash);
        if (p == null || bucket < 0) {
            return Optional.empty();
        }
        return p.table(deviceClass)
                .flatMap(
                        t -> t.rows().stream().filter(r -> r.bucket() == bucket).findFirst());
    }

    /** A row's knobs in the table's words: {@code lossless}, {@code tstabq/o0.01/q4/d0.05/rans}, or the kind. */
    public static String knobs(PlanRow r) {
        return r.theta() == null
                ? r.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                : r.theta().id();
    }

    /** A class's table with consecutive rows of the same split and knobs merged, for the report. */
    public static List<String> summary(DeviceClassTable t) {
        List<String> out = new ArrayList<>();
        PlanRow first = null;
        PlanRow prev = null;
        for (PlanRow r : t.rows()) {
            if (prev != null && (r.split() != prev.split() || !knobs(r).equals(knobs(prev)))) {
                out.add(range(first, prev));
                first = null;
            }
            if (first == null) {
                first = r;
            }
            prev = r;
        }
        if (prev != null) {
            out.add(range(first, prev));
        }
        return out;
    }

    private static String range(PlanRow a, PlanRow b) {
        return String.format(
                java.util.Locale.ROOT,
                "%s..%s bit/s: %s %s, %d B",
                Units.rate(a.lower()),
                Units.rate(b.upper()),
                a.splitName(),
                knobs(a),
                a.predictedBytes());
    }
}
