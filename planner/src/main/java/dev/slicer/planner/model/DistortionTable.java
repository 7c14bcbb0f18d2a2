package dev.slicer.planner.model;

import static dev.slicer.planner.InvalidPlanInputException.require;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.slicer.codec.CodecRevision;
import dev.slicer.planner.search.Theta;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measured output fidelity per candidate and knob setting: for each {@code Theta.id()} (or, in tables without
 * rANS entries, {@code Theta.fidelityKey()}), one value per candidate (list index = candidate index). Computed once
 * per model by {@code slicer plan calibrate}, which runs the split model with the real codec on sample inputs and
 * compares the final output with the unsplit model's.
 *
 * <p>A cell the codec cannot encode (an ECSQ byte budget below the smallest frame of the candidate's feature) is not
 * measured: its value is {@code null} and {@code excluded} says why. Every other value is a number; a {@code null}
 * without a reason is refused, so an unmeasured cell is never mistaken for a measurement.
 *
 * @param metric what the numbers are, e.g. {@code output-cosine-mean}
 * @param samples how many sample inputs were averaged
 * @param fidelity setting key -> per-candidate fidelity in [-1, 1], {@code null} where excluded
 * @param excluded setting key -> candidate index -> why that cell was not measured (never planned)
 * @param codecRevision the {@link CodecRevision} the table was measured with; a table of another one (or of none,
 *     from before revisions were recorded) is refused, since it describes frames this codec no longer writes
 */
public record DistortionTable(
        String metric,
        int samples,
        Map<String, List<Double>> fidelity,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Map<Integer, String>> excluded,
        Integer codecRevision) {

    public DistortionTable {
        require(
                Integer.valueOf(CodecRevision.CURRENT).equals(codecRevision),
                (codecRevision == null
                                ? "the distortion table was measured before codec revisions were recorded"
                                : "the distortion table was measured with codec revision " + codecRevision)
                        + "; this codec is revision " + CodecRevision.CURRENT
                        + ", whose frames the measured fidelity does not describe: calibrate the profile again"
                        + " (slicer plan calibrate)");
        require(metric != null && !metric.isBlank(), "distortion table needs a metric name");
        require(samples >= 1, "distortion table needs at least one sample, got " + samples);
        require(fidelity != null, "distortion table has no entries");
        TreeMap<String, Map<Integer, String>> reasons = new TreeMap<>();
        if (excluded != null) {
            for (Map.Entry<String, Map<Integer, String>> e : excluded.entrySet()) {
                require(e.getKey() != null && e.getValue() != null, "null exclusion in the distortion table");
                for (Map.Entry<Integer, String> c : e.getValue().entrySet()) {
                    require(
                            c.getKey() != null
                                    && c.getKey() >= 0
                                    && c.getValue() != null
                                    && !c.getValue().isBlank(),
                            "exclusion of " + e.getKey() + " needs a candidate index and a reason");
                }
                reasons.put(e.getKey(), Collections.unmodifiableMap(new TreeMap<>(e.getValue())));
            }
        }
        TreeMap<String, List<Double>> copy = new TreeMap<>();
        for (Map.Entry<String, List<Double>> e : fidelity.entrySet()) {
            require(e.getKey() != null && e.getValue() != null, "null entry in the distortion table");
            Map<Integer, String> why = reasons.getOrDefault(e.getKey(), Map.of());
            for (int c = 0; c < e.getValue().size(); c++) {
                Double v = e.getValue().get(c);
                if (v == null) {
                    require(
                            why.containsKey(c),
                            "fidelity of " + e.getKey() + " at candidate " + c
                                    + " is neither measured nor excluded with a reason");
                } else {
                    require(
                            v >= -1 && v <= 1 && !why.containsKey(c),
                            "fidelity of " + e.getKey() + " at candidate " + c + " must be in [-1, 1] and not"
                                    + " excluded, got " + v);
                }
            }
            copy.put(e.getKey(), Collections.unmodifiableList(new ArrayList<>(e.getValue())));
        }
        for (Map.Entry<String, Map<Integer, String>> e : reasons.entrySet()) {
            List<Double> values = copy.get(e.getKey());
            require(values != null, "exclusion of " + e.getKey() + ", a setting the table does not list");
            for (int c : e.getValue().keySet()) {
                require(c < values.size(), "exclusion of " + e.getKey() + " at candidate " + c + " out of range");
            }
        }
        fidelity = Collections.unmodifiableMap(copy);
        excluded = Collections.unmodifiableMap(reasons);
    }

    /** A table measured now, with this codec. */
    public DistortionTable(
            String metric,
            int samples,
            Map<String, List<Double>> fidelity,
            Map<String, Map<Integer, String>> excluded) {
        this(metric, samples, fidelity, excluded, CodecRevision.CURRENT);
    }

    /** A table without exclusions. */
    public DistortionTable(String metric, int samples, Map<String, List<Double>> fidelity) {
        this(metric, samples, fidelity, Map.of());
    }

    /** The key a setting is stored under: its own id, else its non-rANS twin's (older tables); or null. */
    private String keyOf(Theta theta) {
        return fidelity.containsKey(theta.id())
                ? theta.id()
                : fidelity.containsKey(theta.fidelityKey()) ? theta.fidelityKey() : null;
    }

    /** The per-candidate values of a setting (null where excluded); or null when the table has none. */
    public List<Double> valuesFor(Theta theta) {
        String k = keyOf(theta);
        return k == null ? null : fidelity.get(k);
    }

    /** Why a cell was not measured, or null when it was (or the table has no such setting). */
    public String exclusion(Theta theta, int candidate) {
        String k = keyOf(theta);
        return k == null ? null : excluded.getOrDefault(k, Map.of()).get(candidate);
    }

    /** The measured value of a setting at a candidate, or NaN when the table has none or excludes the cell. */
    public double lookup(Theta theta, int candidate) {
        return valueAt(valuesFor(theta), candidate);
    }

    /** The measured value, or NaN when the table has none for this setting and candidate or excludes it. */
    public double lookup(String key, int candidate) {
        return valueAt(fidelity.get(key), candidate);
    }

    private static double valueAt(List<Double> values, int candidate) {
        return values == null || candidate >= values.size() || values.get(candidate) == null
                ? Double.NaN
                : values.get(candidate);
    }

    /** The table restricted to one setting, stored under its id (null when the table has no values for it). */
    public DistortionTable only(Theta theta) {
        String k = keyOf(theta);
        if (k == null) {
            return null;
        }
        Map<Integer, String> why = excluded.get(k);
        return new DistortionTable(
                metric, samples, Map.of(theta.id(), fidelity.get(k)), why == null ? Map.of() : Map.of(theta.id(), why));
    }
}
