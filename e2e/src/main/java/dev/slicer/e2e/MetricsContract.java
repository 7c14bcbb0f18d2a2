package dev.slicer.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * helm/metrics-contract.txt: metric name to type and the label values it fixes. {@link #family} maps an exported
 * series to its metric (a histogram's {@code _bucket|_sum|_count}, and Micrometer's {@code _max}, to the histogram).
 */
public record MetricsContract(Map<String, String> types, Map<String, Map<String, Set<String>>> labelValues) {

    public static MetricsContract load(Path file) {
        try {
            Map<String, String> types = new LinkedHashMap<>();
            Map<String, Map<String, Set<String>>> labels = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file)) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] p = t.split("\\s+");
                types.put(p[0], p[1]);
                for (int i = 2; i < p.length; i++) {
                    String[] kv = p[i].split("=", 2);
                    labels.computeIfAbsent(p[0], k -> new LinkedHashMap<>())
                            .put(kv[0], new LinkedHashSet<>(List.of(kv[1].split("\\|"))));
                }
            }
            return new MetricsContract(Map.copyOf(types), Map.copyOf(labels));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The contract metric names starting with {@code prefix}. */
    public Set<String> names(String prefix) {
        Set<String> out = new LinkedHashSet<>();
        types.keySet().stream().filter(n -> n.startsWith(prefix)).sorted().forEach(out::add);
        return out;
    }

    /** The values the contract allows for {@code label} of {@code metric}, when it fixes them. */
    public Optional<Set<String>> values(String metric, String label) {
        return Optional.ofNullable(labelValues.getOrDefault(metric, Map.of()).get(label));
    }

    /** The metric an exported series belongs to (itself unless it is a histogram's series). */
    public String family(String series) {
        for (String suffix : List.of("_bucket", "_sum", "_count", "_max")) {
            if (series.endsWith(suffix)) {
                String base = series.substring(0, series.length() - suffix.length());
                if ("histogram".equals(types.get(base))) {
                    return base;
                }
            }
        }
        return series;
    }
}
