package dev.slicer.crds.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slicer.crds.v1alpha1.Patterns;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Dynamic batching on the back-end. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BatchingSpec {

    @Min(1)
    @Max(1024)
    @Default("8")
    @JsonPropertyDescription("Largest batch the back-end runs in one forward pass of the tail.")
    private Integer maxBatchSize = 8;

    @Pattern(Patterns.DURATION)
    @Default("5ms")
    @JsonPropertyDescription("Longest a request waits for a batch to fill (e.g. 5ms); counted in the queueing delay"
            + " handed to the edges' latency budget.")
    private String maxDelay = "5ms";

    public Integer getMaxBatchSize() {
        return maxBatchSize;
    }

    public void setMaxBatchSize(Integer maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public String getMaxDelay() {
        return maxDelay;
    }

    public void setMaxDelay(String maxDelay) {
        this.maxDelay = maxDelay;
    }
}
