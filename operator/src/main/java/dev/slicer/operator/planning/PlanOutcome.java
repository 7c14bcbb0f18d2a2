package dev.slicer.operator.planning;

import java.util.List;

/**
 * A computed plan: the JSON the edges read, its content hash, and what it means at the current link quality.
 *
 * @param planJson the plan document published in the plan ConfigMap
 * @param hash content hash of {@code planJson}; equal plans have equal hashes
 */
public record PlanOutcome(String planJson, String hash, List<ClassPlan> classes) {

    public PlanOutcome {
        classes = List.copyOf(classes);
    }

    /** Mean back-end compute per request over the device classes. */
    public double backendSecondsPerRequest() {
        return classes.stream()
                .mapToDouble(ClassPlan::backendSecondsPerRequest)
                .average()
                .orElse(0);
    }
}
