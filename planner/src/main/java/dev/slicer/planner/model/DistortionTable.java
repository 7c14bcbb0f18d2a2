package dev.slicer.planner.model;

import static dev.slicer.planner.InvalidPlanInputException.require;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measured output fidelity per candidate and knob setting: for each {@code Theta.id()} (or, in tables without
 * rANS entries, {@code Theta.fidelityKey()}), one value per candidate (list index = candidate index). Computed once per model by {@code slicer plan calibrate}, which runs
 * the split model with the real codec on sample inputs and compares the final output with the unsplit model's.
 *
 * @param metric what the numbers are, e.g. {@code output-cosine-mean}
 * @param samples how many sample inputs were averaged
 * @param fidelity setting key -> per-candidate fidelity in [-1, 1]
 */
public record DistortionTable(String metric, int samples, Map<String, List<Double>> fidelity) {

    public DistortionTable {
        require(metric != null && !metric.isBlank(), "distortion table needs a metric name");
        require(samples >= 1, "distortion table needs at least one sample, got " + samples);
        require(fidelity != null, "distortion table has no entries");
        TreeMap<String, List<Double>> copy = new TreeMap<>();
        for (Map.Entry<String, List<Double>> e : fidelity.entrySet()) {
            require(e.getKey() != null && e.getValue() != null, "null entry in the distortion table");
            for (Double v : e.getValue()) {
                require(v != null && v >= -1 && v <= 1, "fidelity of " + e.getKey() + " must be in [-1, 1], got " + v);
            }
            copy.put(e.getKey(), List.copyOf(e.getValue()));
        }
        fidelity = java.util.Collections.unmodifiableMap(copy);
    }

    /** The per-candidate values of a setting: its own entry, else its non-rANS twin's (older tables); or null. */
    public List<Double> valuesFor(dev.slicer.planner.search.Theta theta) {
        List<Double> v = fidelity.get(theta.id());
        return v != null ? v : fidelity.get(theta.fidelityKey());
    }

    /** The measured value of a setting at a candidate, or NaN when the table has none. */
    public double lookup(dev.slicer.planner.search.Theta theta, int candidate) {
        List<Double> values = valuesFor(theta);
        return values == null || candidate >= values.size() ? Double.NaN : values.get(candidate);
    }

    /** The measured value, or NaN when the table has none for this setting and candidate. */
    public double lookup(String key, int candidate) {
        List<Double> values = fidelity.get(key);
        return values == null || candidate >= values.size() ? Double.NaN : values.get(candidate);
    }
}
