package dev.slicer.operator.metrics;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one scrape of a back-end replica says about the planning inputs: the edges' link goodput per device class (a
 * gauge), and the running totals (counters and histogram sums and counts) whose rates give the stage durations, the
 * queueing delay, the compute load and the request rate.
 *
 * @param goodput link goodput per device class, bytes/s
 * @param stages stage histogram totals per device class and stage
 * @param queue queueing-delay histogram totals
 * @param computeSeconds busy seconds since the replica started
 * @param requests requests computed since the replica started (the batch-size histogram's sum)
 */
record ReplicaTotals(
        Map<String, Double> goodput,
        Map<String, Map<String, Histogram>> stages,
        Histogram queue,
        double computeSeconds,
        double requests) {

    /** A histogram's running sum and count. */
    record Histogram(double sum, double count) {
        static final Histogram EMPTY = new Histogram(0, 0);

        Histogram plus(double s, double c) {
            return new Histogram(sum + s, count + c);
        }
    }

    /** The series a scrape keeps: the rest of a service's metrics are skipped while parsing. */
    static final Set<String> SERIES = Set.of(
            FleetMetricsReader.GOODPUT,
            FleetMetricsReader.STAGE + "_sum",
            FleetMetricsReader.STAGE + "_count",
            FleetMetricsReader.QUEUE + "_sum",
            FleetMetricsReader.QUEUE + "_count",
            FleetMetricsReader.COMPUTE,
            FleetMetricsReader.BATCHED);

    /** Sums the samples of one scrape, label sets other than device class and stage added together. */
    static ReplicaTotals of(List<ExpositionFormat.Sample> samples) {
        Map<String, Double> goodputSum = new TreeMap<>();
        Map<String, Integer> goodputSeries = new TreeMap<>();
        Map<String, Map<String, Histogram>> stages = new TreeMap<>();
        Histogram queue = Histogram.EMPTY;
        double compute = 0;
        double requests = 0;
        for (ExpositionFormat.Sample s : samples) {
            if (!Double.isFinite(s.value())) {
                continue;
            }
            String cls = s.labels().getOrDefault("device_class", "default");
            switch (s.name()) {
                case FleetMetricsReader.GOODPUT -> {
                    goodputSum.merge(cls, s.value(), Double::sum);
                    goodputSeries.merge(cls, 1, Integer::sum);
                }
                case FleetMetricsReader.STAGE + "_sum" -> addStage(stages, cls, s, true);
                case FleetMetricsReader.STAGE + "_count" -> addStage(stages, cls, s, false);
                case FleetMetricsReader.QUEUE + "_sum" -> queue = queue.plus(s.value(), 0);
                case FleetMetricsReader.QUEUE + "_count" -> queue = queue.plus(0, s.value());
                case FleetMetricsReader.COMPUTE -> compute += s.value();
                case FleetMetricsReader.BATCHED -> requests += s.value();
                default -> {
                    // not a planning input
                }
            }
        }
        Map<String, Double> goodput = new TreeMap<>();
        goodputSum.forEach((cls, sum) -> goodput.put(cls, sum / goodputSeries.get(cls)));
        return new ReplicaTotals(goodput, stages, queue, compute, requests);
    }

    private static void addStage(
            Map<String, Map<String, Histogram>> stages, String cls, ExpositionFormat.Sample s, boolean isSum) {
        Map<String, Histogram> byStage = stages.computeIfAbsent(cls, k -> new TreeMap<>());
        byStage.merge(
                s.labels().getOrDefault("stage", "unknown"),
                isSum ? new Histogram(s.value(), 0) : new Histogram(0, s.value()),
                (a, b) -> a.plus(b.sum(), b.count()));
    }
}
