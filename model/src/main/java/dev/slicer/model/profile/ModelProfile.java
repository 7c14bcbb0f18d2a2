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
 */
public record ModelProfile(
        String model,
        long totalParamBytes,
        double totalGflops,
        int referenceBatch,
        int referenceSequence,
        int referencePast,
        boolean kvCache,
        List<CandidateProfile> candidates) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ModelProfile {
        candidates = List.copyOf(candidates);
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
