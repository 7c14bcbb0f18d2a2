package dev.slicer.model.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;

/**
 * Per-candidate profile of a model, the planner's input.
 *
 * @param model the model reference it was made from ({@code builtin:minilm}, a path or URL)
 * @param totalParamBytes parameter bytes of the whole model
 * @param totalGflops GFLOPs of the whole model at the reference sizes
 * @param referenceBatch batch size of the reference sizes (1)
 * @param referenceSequence sequence length of the reference sizes
 * @param referencePast cached tokens of the reference sizes (0 without KV cache)
 * @param kvCache true for decoders with {@code past_key_values} inputs
 * @param candidates one entry per split candidate, in order
 * @param inputs how each input of the measurements was made (given, text, invented and how)
 * @param warnings measurement caveats (front latency decreasing across candidates beyond the noise)
 */
public record ModelProfile(
        String model,
        long totalParamBytes,
        double totalGflops,
        int referenceBatch,
        int referenceSequence,
        int referencePast,
        boolean kvCache,
        List<CandidateProfile> candidates,
        List<String> inputs,
        List<String> warnings) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ModelProfile {
        candidates = List.copyOf(candidates);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public ModelProfile(
            String model,
            long totalParamBytes,
            double totalGflops,
            int referenceBatch,
            int referenceSequence,
            int referencePast,
            boolean kvCache,
            List<CandidateProfile> candidates) {
        this(
                model,
                totalParamBytes,
                totalGflops,
                referenceBatch,
                referenceSequence,
                referencePast,
                kvCache,
                candidates,
                List.of(),
                List.of());
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise profile", e);
        }
    }

    public static ModelProfile fromJson(String json) {
        try {
            return JSON.readValue(json, ModelProfile.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a model profile: " + e.getOriginalMessage(), e);
        }
    }
}
