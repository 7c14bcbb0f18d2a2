package dev.slicer.operator.metrics;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scrapes of one fleet's back-end replicas over the rate window, and the planning inputs they give, computed as the
 * Prometheus queries of {@link FleetMetricsReader} compute them: rates of counters and histogram sums and counts per
 * replica, summed over replicas, a histogram's mean as the ratio of its summed rates. Each replica keeps the scrapes of
 * the window plus the newest one before it, so a fleet read less often than the window still gets rates (over the time
 * since its previous read); a replica silent for a whole window is dropped. A counter that went down (the replica
 * restarted) counts from zero, as {@code rate()} does.
 */
final class RateWindow {

    /** Most scrapes kept per replica, whatever the read rate. */
    static final int MAX_SNAPSHOTS = 64;

    private record Snapshot(long nanos, ReplicaTotals totals) {}

    private final long windowNanos;
    private final Map<String, ArrayDeque<Snapshot>> byReplica = new HashMap<>();
    private long lastRecorded;

    RateWindow(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /**
     * Records the scrapes of one read taken at {@code nanos}: replicas no longer in {@code live} are forgotten; a live
     * one that failed to answer keeps its earlier scrapes. Returns the fleet's inputs.
     */
    synchronized FleetMetrics record(long nanos, Collection<String> live, Map<String, ReplicaTotals> scraped) {
        lastRecorded = nanos;
        byReplica.keySet().retainAll(live);
        scraped.forEach((replica, totals) -> {
            ArrayDeque<Snapshot> history = byReplica.computeIfAbsent(replica, k -> new ArrayDeque<>());
            history.addLast(new Snapshot(nanos, totals));
        });
        long start = nanos - windowNanos;
        // a replica that has not answered for a whole window is stale, as Prometheus marks its series
        byReplica.values().removeIf(history -> history.peekLast().nanos() < start);
        for (ArrayDeque<Snapshot> history : byReplica.values()) {
            // keep one scrape at or before the window's start, as the base of the rates
            while (history.size() > MAX_SNAPSHOTS
                    || (history.size() > 1 && secondOldest(history).nanos() <= start)) {
                history.removeFirst();
            }
        }
        return inputs();
    }

    /** When the last read was recorded ({@link System#nanoTime()}). */
    synchronized long lastRecorded() {
        return lastRecorded;
    }

    /** How many scrapes of {@code replica} are kept (for tests). */
    synchronized int snapshots(String replica) {
        ArrayDeque<Snapshot> history = byReplica.get(replica);
        return history == null ? 0 : history.size();
    }

    private static Snapshot secondOldest(ArrayDeque<Snapshot> history) {
        var it = history.iterator();
        it.next();
        return it.next();
    }

    private FleetMetrics inputs() {
        Map<String, Double> goodputSum = new TreeMap<>();
        Map<String, Integer> goodputReplicas = new TreeMap<>();
        Map<String, Map<String, double[]>> stageRates = new TreeMap<>();
        double[] queueRate = new double[2];
        double compute = 0;
        double requests = 0;
        boolean anyRate = false;
        for (ArrayDeque<Snapshot> history : byReplica.values()) {
            Snapshot last = history.peekLast();
            last.totals().goodput().forEach((cls, v) -> {
                goodputSum.merge(cls, v, Double::sum);
                goodputReplicas.merge(cls, 1, Integer::sum);
            });
            Snapshot base = history.peekFirst();
            if (base == last) {
                continue;
            }
            anyRate = true;
            double seconds = (last.nanos() - base.nanos()) / 1e9;
            ReplicaTotals now = last.totals();
            ReplicaTotals then = base.totals();
            compute += increase(then.computeSeconds(), now.computeSeconds()) / seconds;
            requests += increase(then.requests(), now.requests()) / seconds;
            addRates(queueRate, then.queue(), now.queue(), seconds);
            now.stages()
                    .forEach((cls, byStage) -> byStage.forEach((stage, h) -> addRates(
                            stageRates
                                    .computeIfAbsent(cls, k -> new TreeMap<>())
                                    .computeIfAbsent(stage, k -> new double[2]),
                            then.stages()
                                    .getOrDefault(cls, Map.of())
                                    .getOrDefault(stage, ReplicaTotals.Histogram.EMPTY),
                            h,
                            seconds)));
        }
        Map<String, Double> goodput = new TreeMap<>();
        goodputSum.forEach((cls, sum) -> goodput.put(cls, sum / goodputReplicas.get(cls)));
        Map<String, Map<String, Double>> stages = new TreeMap<>();
        stageRates.forEach((cls, byStage) -> byStage.forEach((stage, r) -> {
            Double mean = mean(r);
            if (mean != null) {
                stages.computeIfAbsent(cls, k -> new TreeMap<>()).put(stage, mean);
            }
        }));
        return new FleetMetrics(goodput, stages, mean(queueRate), anyRate ? compute : null, anyRate ? requests : null);
    }

    /** How much a counter grew; one that went down was reset and counts from zero. */
    private static double increase(double then, double now) {
        return now >= then ? now - then : now;
    }

    /** Adds a histogram's sum and count rates to {@code into}; a count that went down resets both. */
    private static void addRates(
            double[] into, ReplicaTotals.Histogram then, ReplicaTotals.Histogram now, double seconds) {
        boolean reset = now.count() < then.count();
        into[0] += (reset ? now.sum() : now.sum() - then.sum()) / seconds;
        into[1] += (reset ? now.count() : now.count() - then.count()) / seconds;
    }

    /** A histogram's mean from its summed rates; none while nothing was observed in the window. */
    private static Double mean(double[] rates) {
        return rates[1] > 0 ? rates[0] / rates[1] : null;
    }
}
