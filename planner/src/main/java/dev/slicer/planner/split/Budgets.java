package dev.slicer.planner.split;

import static dev.slicer.planner.InvalidPlanInputException.nonNegative;
import static dev.slicer.planner.InvalidPlanInputException.positive;
import static dev.slicer.planner.InvalidPlanInputException.require;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.slicer.planner.search.Objective;

/**
 * The budgets a device class is planned for.
 *
 * @param latencySeconds D, the end-to-end latency budget the back-end hands the edge
 * @param memoryBytes M, the edge's memory budget
 * @param queueDelaySeconds the back-end's reported queueing delay; every offloading option must meet {@code D -
 *     queue}, local-only must meet D
 * @param minFidelity the fidelity floor: settings whose (measured or prior) fidelity is below this are never chosen;
 *     0 = no floor (see {@link #DEFAULT_MIN_FIDELITY})
 * @param ar autoregressive budget, or null for single-shot inference
 * @param objective what the knob search optimises among feasible settings (default {@link Objective#FIDELITY})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Budgets(
        double latencySeconds,
        long memoryBytes,
        double queueDelaySeconds,
        double minFidelity,
        ArBudget ar,
        Objective objective) {

    /**
     * The default floor, 0.98 mean output cosine of the split model against the unsplit one. Measured on MiniLM and
     * the tiny Llama it admits lossless and TS/TAB-Q at 6-8 bits (0.99+) and the mildest top-K settings, and
     * excludes top-K at s >= 0.75 on dense transformer states (0.79-0.85, enough to reorder retrieval neighbours
     * and change greedy tokens); 0.98 keeps the error near the paper's 0-3 pp task-quality band while leaving the
     * search a choice below lossless.
     */
    public static final double DEFAULT_MIN_FIDELITY = 0.98;

    /** Budgets with the paper's objective ({@link Objective#FIDELITY}). */
    public Budgets(double latencySeconds, long memoryBytes, double queueDelaySeconds, double minFidelity, ArBudget ar) {
        this(latencySeconds, memoryBytes, queueDelaySeconds, minFidelity, ar, Objective.FIDELITY);
    }

    public Budgets {
        // plans written before the objective existed were made for FIDELITY
        objective = objective == null ? Objective.FIDELITY : objective;
        positive(latencySeconds, "latency budget D (s)");
        require(memoryBytes > 0, "memory budget M must be > 0 bytes, got " + memoryBytes);
        nonNegative(queueDelaySeconds, "back-end queueing delay (s)");
        require(minFidelity >= 0 && minFidelity <= 1, "minimum fidelity must be in [0, 1], got " + minFidelity);
        if (ar != null) {
            require(
                    ar.arMemoryBytes() < memoryBytes,
                    "AR memory M_ar (" + ar.arMemoryBytes() + " B) must be below the memory budget M (" + memoryBytes
                            + " B)");
        }
    }

    public static Budgets singleShot(double latencySeconds, long memoryBytes, double queueDelaySeconds) {
        return new Budgets(latencySeconds, memoryBytes, queueDelaySeconds, 0, null);
    }

    /** The budget left for offloading options: {@code D - queue} (may be negative: then nothing offloads). */
    public double offloadLatencySeconds() {
        return latencySeconds - queueDelaySeconds;
    }

    public Budgets withLatency(double seconds) {
        return new Budgets(seconds, memoryBytes, queueDelaySeconds, minFidelity, ar, objective);
    }

    public Budgets withMemory(long bytes) {
        return new Budgets(latencySeconds, bytes, queueDelaySeconds, minFidelity, ar, objective);
    }

    public Budgets withMinFidelity(double floor) {
        return new Budgets(latencySeconds, memoryBytes, queueDelaySeconds, floor, ar, objective);
    }

    public Budgets withQueueDelay(double seconds) {
        return new Budgets(latencySeconds, memoryBytes, seconds, minFidelity, ar, objective);
    }

    public Budgets withObjective(Objective o) {
        return new Budgets(latencySeconds, memoryBytes, queueDelaySeconds, minFidelity, ar, o);
    }
}
