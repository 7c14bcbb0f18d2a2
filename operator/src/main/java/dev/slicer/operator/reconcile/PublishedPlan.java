package dev.slicer.operator.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Map;
import java.util.Optional;

/**
 * The content of the plan ConfigMap: the plan document, its content hash, and the metrics it was made for (the
 * baseline drift is measured against).
 */
public record PublishedPlan(String json, String hash, String inputsJson) {

    public static final String PLAN_KEY = "plan.json";
    public static final String HASH_KEY = "plan.hash";
    public static final String INPUTS_KEY = "inputs.json";

    public Map<String, String> data() {
        return Map.of(PLAN_KEY, json, HASH_KEY, hash, INPUTS_KEY, inputsJson);
    }

    /** Bytes this plan takes in its ConfigMap as the API server counts them (keys plus values, UTF-8). */
    public long configMapBytes() {
        long n = 0;
        for (Map.Entry<String, String> e : data().entrySet()) {
            n += e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        return n;
    }

    /** The plan held by an existing ConfigMap, if it holds a complete one. */
    public static Optional<PublishedPlan> from(ConfigMap cm) {
        if (cm == null || cm.getData() == null) {
            return Optional.empty();
        }
        Map<String, String> d = cm.getData();
        if (d.get(PLAN_KEY) == null || d.get(HASH_KEY) == null) {
            return Optional.empty();
        }
        return Optional.of(new PublishedPlan(d.get(PLAN_KEY), d.get(HASH_KEY), d.getOrDefault(INPUTS_KEY, "{}")));
    }
}
