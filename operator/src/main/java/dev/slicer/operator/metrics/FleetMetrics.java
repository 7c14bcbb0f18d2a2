package dev.slicer.operator.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Prometheus says about one fleet, the inputs of re-planning and scaling. Absent values (no samples yet) are
 * {@code null} or missing map entries.
 *
 * @param goodputBytesPerSecond mean link goodput per device class
 * @param stageSeconds mean stage duration per device class and stage (front, encode, transfer, backend)
 * @param queueDelaySeconds mean back-end queueing delay
 * @param computeLoad back-end busy seconds per second, summed over replicas (utilization times replicas)
 * @param requestRate requests per second reaching the back-end
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetMetrics(
        Map<String, Double> goodputBytesPerSecond,
        Map<String, Map<String, Double>> stageSeconds,
        Double queueDelaySeconds,
        Double computeLoad,
        Double requestRate) {

    public static final FleetMetrics NONE = new FleetMetrics(Map.of(), Map.of(), null, null, null);

    public FleetMetrics {
        goodputBytesPerSecond = goodputBytesPerSecond == null ? Map.of() : new TreeMap<>(goodputBytesPerSecond);
        TreeMap<String, Map<String, Double>> stages = new TreeMap<>();
        if (stageSeconds != null) {
            stageSeconds.forEach((k, v) -> stages.put(k, new TreeMap<>(v)));
        }
        stageSeconds = stages;
    }

    /**
     * The largest relative change of any planning input between {@code baseline} and this snapshot; inputs known on
     * one side only count as full drift (1.0).
     */
    public double driftFrom(FleetMetrics baseline) {
        double drift = 0;
        drift = Math.max(drift, mapDrift(baseline.goodputBytesPerSecond, goodputBytesPerSecond));
        for (String cls : union(baseline.stageSeconds, stageSeconds)) {
            drift = Math.max(
                    drift,
                    mapDrift(
                            baseline.stageSeconds.getOrDefault(cls, Map.of()),
                            stageSeconds.getOrDefault(cls, Map.of())));
        }
        drift = Math.max(drift, relative(baseline.queueDelaySeconds, queueDelaySeconds));
        return drift;
    }

    /**
     * This snapshot with every planning input (goodput, stage durations, queue delay) that moved by at most
     * {@code hysteresis} from {@code baseline} replaced by the baseline's value. Planning on held inputs makes a
     * re-plan reproduce the published plan byte for byte unless some input really moved, so noise (a loaded machine,
     * an operator restart) never rewrites the plan. Load figures (compute load, request rate) are not planning inputs
     * and stay current, for scaling.
     */
    public FleetMetrics heldWithin(FleetMetrics baseline, double hysteresis) {
        if (baseline == null) {
            return this;
        }
        Map<String, Map<String, Double>> stages = new TreeMap<>();
        stageSeconds.forEach((cls, now) ->
                stages.put(cls, held(baseline.stageSeconds.getOrDefault(cls, Map.of()), now, hysteresis)));
        return new FleetMetrics(
                held(baseline.goodputBytesPerSecond, goodputBytesPerSecond, hysteresis),
                stages,
                held(baseline.queueDelaySeconds, queueDelaySeconds, hysteresis),
                computeLoad,
                requestRate);
    }

    private static Map<String, Double> held(Map<String, Double> baseline, Map<String, Double> now, double hysteresis) {
        Map<String, Double> out = new TreeMap<>();
        now.forEach((k, v) -> out.put(k, held(baseline.get(k), v, hysteresis)));
        return out;
    }

    private static Double held(Double baseline, Double now, double hysteresis) {
        return baseline != null && now != null && relative(baseline, now) <= hysteresis ? baseline : now;
    }

    private static double mapDrift(Map<String, Double> a, Map<String, Double> b) {
        double drift = 0;
        for (String key : union(a, b)) {
            drift = Math.max(drift, relative(a.get(key), b.get(key)));
        }
        return drift;
    }

    private static <V> java.util.Set<String> union(Map<String, V> a, Map<String, V> b) {
        java.util.Set<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    static double relative(Double before, Double after) {
        if (before == null && after == null) {
            return 0;
        }
        if (before == null || after == null) {
            return 1;
        }
        double scale = Math.max(Math.abs(before), Math.abs(after));
        return scale == 0 ? 0 : Math.abs(after - before) / scale;
    }
}
