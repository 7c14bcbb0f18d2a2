package dev.slicer.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The metric contract (helm/metrics-contract.txt): metric name to type. */
final class MetricsContract {

    enum Type {
        COUNTER,
        GAUGE,
        HISTOGRAM
    }

    private final Map<String, Type> metrics;
    private final Map<String, Map<String, Set<String>>> labelValues;

    private MetricsContract(Map<String, Type> metrics, Map<String, Map<String, Set<String>>> labelValues) {
        this.metrics = metrics;
        this.labelValues = labelValues;
    }

    static MetricsContract load() {
        String file = System.getProperty("slicer.metrics.contract");
        if (file == null) {
            throw new IllegalStateException("system property slicer.metrics.contract not set (run with Maven)");
        }
        try {
            Map<String, Type> metrics = new LinkedHashMap<>();
            Map<String, Map<String, Set<String>>> labelValues = new LinkedHashMap<>();
            for (String line : Files.readAllLines(Path.of(file))) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] parts = trimmed.split("\\s+");
                metrics.put(parts[0], Type.valueOf(parts[1].toUpperCase(java.util.Locale.ROOT)));
                for (int i = 2; i < parts.length; i++) {
                    String[] label = parts[i].split("=", 2);
                    labelValues
                            .computeIfAbsent(parts[0], k -> new LinkedHashMap<>())
                            .put(label[0], Set.of(label[1].split("\\|")));
                }
            }
            return new MetricsContract(metrics, labelValues);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, Type> metrics() {
        return metrics;
    }

    /** The values a label of a contract metric takes, when the contract fixes them. */
    Optional<Set<String>> labelValues(String metric, String label) {
        return Optional.ofNullable(labelValues.getOrDefault(metric, Map.of()).get(label));
    }

    /**
     * The contract metric a series name in a query belongs to: the metric itself for counters and gauges,
     * {@code <histogram>_bucket|_sum|_count} for histograms (a histogram's bare name is never exported).
     */
    Optional<String> resolve(String series) {
        Type type = metrics.get(series);
        if (type != null) {
            return type == Type.HISTOGRAM ? Optional.empty() : Optional.of(series);
        }
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (series.endsWith(suffix)) {
                String base = series.substring(0, series.length() - suffix.length());
                if (metrics.get(base) == Type.HISTOGRAM) {
                    return Optional.of(base);
                }
            }
        }
        return Optional.empty();
    }
}
