package dev.slicer.planner.model;

import static dev.slicer.planner.InvalidPlanInputException.nonNegative;
import static dev.slicer.planner.InvalidPlanInputException.require;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.slicer.planner.cost.LinearCodecTimeModel;
import dev.slicer.planner.search.Theta;
import java.util.List;

/**
 * Everything the planner knows about one model, stored as JSON by {@code slicer plan calibrate} (or built on the
 * fly by {@code slicer plan}) so the operator can plan from it without loading the model.
 *
 * @param model model reference, e.g. {@code builtin:minilm}
 * @param inputBytes raw request size (what a cloud-only edge uploads)
 * @param fullMemoryBytes weights of the whole float model (local-only single-shot)
 * @param fullSeconds latency of the whole float model on the profiling device
 * @param compressedFullMemoryBytes weights of the whole compressed (int8) model (AR local steps)
 * @param compressedFullSeconds one decoding step of the whole compressed model
 * @param kvBytesPerPosition KV-cache bytes of the whole model per sequence position (0 without a KV cache)
 * @param candidates split candidates, shallowest first, {@code candidates.get(i).index() == i}
 * @param settings the knob grid the distortion table was measured for; empty = the standard grid
 * @param distortion measured fidelity per candidate and setting; null = unmeasured (conservative prior)
 * @param encodeTime calibrated encode-time model zeta(theta) of the profiling device
 * @param assumptions how figures that were not measured were obtained (e.g. the int8 network's speed); the planner
 *     copies them into the plan's {@code assumptions}. Empty when everything was measured.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SplitProfile(
        String model,
        long inputBytes,
        long fullMemoryBytes,
        double fullSeconds,
        long compressedFullMemoryBytes,
        double compressedFullSeconds,
        List<SplitCandidate> candidates,
        List<Theta> settings,
        DistortionTable distortion,
        LinearCodecTimeModel encodeTime,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> assumptions,
        long kvBytesPerPosition) {

    /** A profile without stated assumptions. */
    public SplitProfile(
            String model,
            long inputBytes,
            long fullMemoryBytes,
            double fullSeconds,
            long compressedFullMemoryBytes,
            double compressedFullSeconds,
            List<SplitCandidate> candidates,
            List<Theta> settings,
            DistortionTable distortion,
            LinearCodecTimeModel encodeTime) {
        this(
                model,
                inputBytes,
                fullMemoryBytes,
                fullSeconds,
                compressedFullMemoryBytes,
                compressedFullSeconds,
                candidates,
                settings,
                distortion,
                encodeTime,
                List.of(),
                0);
    }

    /** A profile of a model without a KV cache. */
    public SplitProfile(
            String model,
            long inputBytes,
            long fullMemoryBytes,
            double fullSeconds,
            long compressedFullMemoryBytes,
            double compressedFullSeconds,
            List<SplitCandidate> candidates,
            List<Theta> settings,
            DistortionTable distortion,
            LinearCodecTimeModel encodeTime,
            List<String> assumptions) {
        this(
                model,
                inputBytes,
                fullMemoryBytes,
                fullSeconds,
                compressedFullMemoryBytes,
                compressedFullSeconds,
                candidates,
                settings,
                distortion,
                encodeTime,
                assumptions,
                0);
    }

    public SplitProfile {
        require(model != null && !model.isBlank(), "profile has no model name");
        nonNegative(inputBytes, "input bytes");
        nonNegative(fullMemoryBytes, "full model memory");
        nonNegative(fullSeconds, "full model latency");
        nonNegative(compressedFullMemoryBytes, "compressed model memory");
        nonNegative(compressedFullSeconds, "compressed model step latency");
        nonNegative(kvBytesPerPosition, "KV-cache bytes per position");
        require(candidates != null && !candidates.isEmpty(), "profile of " + model + " has no split candidates");
        candidates = List.copyOf(candidates);
        for (int i = 0; i < candidates.size(); i++) {
            require(candidates.get(i) != null, "null candidate at " + i);
            require(
                    candidates.get(i).index() == i,
                    "candidate at position " + i + " has index "
                            + candidates.get(i).index());
        }
        settings = settings == null ? List.of() : List.copyOf(settings);
        require(encodeTime != null, "profile of " + model + " has no encode-time model");
        assumptions = assumptions == null ? List.of() : List.copyOf(assumptions);
        if (distortion != null) {
            for (var e : distortion.fidelity().entrySet()) {
                require(
                        e.getValue().size() == candidates.size(),
                        "distortion entry " + e.getKey() + " has "
                                + e.getValue().size() + " values for " + candidates.size() + " candidates");
            }
        }
    }

    /**
     * The profile restricted to one knob setting (fixed compression), keeping that setting's measured fidelity when
     * the table has it; otherwise the prior applies (and the plan says so).
     */
    public SplitProfile fixedTo(Theta theta) {
        return withDistortion(List.of(theta), distortion == null ? null : distortion.only(theta));
    }

    public SplitProfile withDistortion(List<Theta> grid, DistortionTable table) {
        return new SplitProfile(
                model,
                inputBytes,
                fullMemoryBytes,
                fullSeconds,
                compressedFullMemoryBytes,
                compressedFullSeconds,
                candidates,
                grid,
                table,
                encodeTime,
                assumptions,
                kvBytesPerPosition);
    }
}
