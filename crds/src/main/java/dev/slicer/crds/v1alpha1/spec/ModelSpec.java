package dev.slicer.crds.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slicer.crds.v1alpha1.Patterns;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The model to split. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "(self.mode == 'AUTOREGRESSIVE') == (self.task == 'TEXT_GENERATION')",
        message = "mode AUTOREGRESSIVE goes with task TEXT_GENERATION, and only with it",
        fieldPath = ".mode")
@ValidationRule(
        value = "self.promptTokens + self.maxNewTokens <= " + ModelSpec.MAX_SEQUENCE_TOKENS,
        message = "promptTokens + maxNewTokens must not exceed " + ModelSpec.MAX_SEQUENCE_TOKENS + " positions",
        fieldPath = ".maxNewTokens")
public class ModelSpec {

    /** Longest sequence (prompt plus generated tokens) an AUTOREGRESSIVE plan is made for. */
    public static final int MAX_SEQUENCE_TOKENS = 8192;

    /** Default of {@link #getMaxNewTokens()}. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 128;

    /** Default of {@link #getPromptTokens()}. */
    public static final int DEFAULT_PROMPT_TOKENS = 32;

    /** What the model computes. */
    public enum Task {
        IMAGE_CLASSIFICATION,
        OBJECT_DETECTION,
        SEMANTIC_SEGMENTATION,
        TEXT_EMBEDDING,
        TEXT_CLASSIFICATION,
        TEXT_GENERATION
    }

    /** How one request runs through the model. */
    public enum Mode {
        /** One forward pass per request; the edge sends one intermediate feature. */
        SINGLE_SHOT,
        /** Token-by-token decoding; the edge decodes w-1 tokens locally, then offloads at layer l. */
        AUTOREGRESSIVE
    }

    @Required
    @Pattern(Patterns.URI)
    @Size(max = 2048)
    @JsonPropertyDescription("Where the ONNX model is fetched from, as a URI with a scheme, e.g."
            + " https://models.example.com/resnet50.onnx, oci://registry/models/minilm:1, or file:///models/model.onnx"
            + " for a file baked into the images; or builtin:NAME for a model the services carry (builtin:minilm,"
            + " builtin:tiny-resnet, builtin:tiny-llama).")
    private String uri;

    @Required
    @JsonPropertyDescription(
            "What the model computes; TEXT_GENERATION models are decoded AUTOREGRESSIVE, all others" + " SINGLE_SHOT.")
    private Task task;

    @Default("SINGLE_SHOT")
    @ValidationRule(value = "self == oldSelf", message = "mode is immutable: create a new SplitInference to change it")
    @JsonPropertyDescription("SINGLE_SHOT: one forward pass per request. AUTOREGRESSIVE: token-by-token decoding where"
            + " the edge decodes w-1 tokens locally and offloads at step w at layer l. Immutable.")
    private Mode mode = Mode.SINGLE_SHOT;

    @Size(min = 1, max = 64)
    @JsonPropertyDescription("Optional: restrict the planner to these split candidates, each given by the name of the"
            + " tensor cut at the split or by the candidate's human name (e.g. encoder.layer.3). Unset: every"
            + " candidate found in the graph is considered.")
    private List<String> splitTensors;

    @Default("128")
    @Min(1)
    @Max(4096)
    @JsonPropertyDescription("AUTOREGRESSIVE: tokens generated per request (1-4096), the horizon T over which the"
            + " planner chooses the hand-off step w; every token must meet slo.latency. Ignored in SINGLE_SHOT mode.")
    private Integer maxNewTokens = DEFAULT_MAX_NEW_TOKENS;

    @Default("32")
    @Min(1)
    @Max(8192)
    @JsonPropertyDescription("AUTOREGRESSIVE: prompt length in tokens the plan is made for (1-8192). The hand-off at"
            + " step w ships the hidden states of promptTokens + w - 1 positions, so a longer prompt means a larger"
            + " hand-off frame. promptTokens + maxNewTokens must not exceed 8192. Ignored in SINGLE_SHOT mode.")
    private Integer promptTokens = DEFAULT_PROMPT_TOKENS;

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public Task getTask() {
        return task;
    }

    public void setTask(Task task) {
        this.task = task;
    }

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public List<String> getSplitTensors() {
        return splitTensors;
    }

    public void setSplitTensors(List<String> splitTensors) {
        this.splitTensors = splitTensors;
    }

    public Integer getMaxNewTokens() {
        return maxNewTokens;
    }

    public void setMaxNewTokens(Integer maxNewTokens) {
        this.maxNewTokens = maxNewTokens;
    }

    public Integer getPromptTokens() {
        return promptTokens;
    }

    public void setPromptTokens(Integer promptTokens) {
        this.promptTokens = promptTokens;
    }

    /** {@link #getMaxNewTokens()}, or its schema default when unset. */
    @JsonIgnore
    public int maxNewTokensOrDefault() {
        return maxNewTokens == null ? DEFAULT_MAX_NEW_TOKENS : maxNewTokens;
    }

    /** {@link #getPromptTokens()}, or its schema default when unset. */
    @JsonIgnore
    public int promptTokensOrDefault() {
        return promptTokens == null ? DEFAULT_PROMPT_TOKENS : promptTokens;
    }
}
