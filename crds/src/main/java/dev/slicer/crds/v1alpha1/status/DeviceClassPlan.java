package dev.slicer.crds.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The plan row in use for one device class. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeviceClassPlan {

    @JsonPropertyDescription("The device class (spec.edges.deviceClasses[].name).")
    private String name;

    @JsonPropertyDescription("Split in use: a split candidate's name, `local` (no offload) or `cloud` (cloud-only).")
    private String split;

    @JsonPropertyDescription("Index of the split layer l in the model's candidate order (0: cloud-only).")
    private Integer splitLayer;

    @JsonPropertyDescription("AUTOREGRESSIVE only: decoding step w at which the edge offloads.")
    private Integer offloadStep;

    @JsonPropertyDescription("Link rate in bytes per second the row was chosen for.")
    private Double linkRateBytesPerSecond;

    @JsonPropertyDescription(
            "Predicted uplink bytes per request (per token after the offload step in" + " AUTOREGRESSIVE mode).")
    private Long predictedBytes;

    @JsonPropertyDescription("Predicted end-to-end latency in seconds.")
    private Double predictedLatencySeconds;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getSplit() {
        return split;
    }

    public void setSplit(String split) {
        this.split = split;
    }

    public Integer getSplitLayer() {
        return splitLayer;
    }

    public void setSplitLayer(Integer splitLayer) {
        this.splitLayer = splitLayer;
    }

    public Integer getOffloadStep() {
        return offloadStep;
    }

    public void setOffloadStep(Integer offloadStep) {
        this.offloadStep = offloadStep;
    }

    public Double getLinkRateBytesPerSecond() {
        return linkRateBytesPerSecond;
    }

    public void setLinkRateBytesPerSecond(Double linkRateBytesPerSecond) {
        this.linkRateBytesPerSecond = linkRateBytesPerSecond;
    }

    public Long getPredictedBytes() {
        return predictedBytes;
    }

    public void setPredictedBytes(Long predictedBytes) {
        this.predictedBytes = predictedBytes;
    }

    public Double getPredictedLatencySeconds() {
        return predictedLatencySeconds;
    }

    public void setPredictedLatencySeconds(Double predictedLatencySeconds) {
        this.predictedLatencySeconds = predictedLatencySeconds;
    }
}
