package dev.slicer.crds.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slicer.crds.v1alpha1.Patterns;
import dev.slicer.crds.v1alpha1.schema.LabelSelectorSchema;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** A group of edge devices with the same hardware and budgets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeviceClassSpec {

    @Required
    @Pattern(Patterns.DNS_LABEL)
    @Size(min = 1, max = 63)
    @JsonPropertyDescription(
            "Name of the class (a DNS label); the plan ConfigMap has one table per class under this" + " name.")
    private String name;

    @JsonPropertyDescription("Labels that put an edge into this class: matched against edge pods, and against nodes"
            + " when the operator runs the edge DaemonSet. Unset: every selected edge belongs to the class.")
    @SchemaFrom(type = LabelSelectorSchema.class)
    private LabelSelector selector;

    @Required
    @Pattern(Patterns.BYTES)
    @JsonPropertyDescription("Memory budget M of one device for the front layers, their weights and the encoder, as a"
            + " quantity (e.g. 512Mi, 2Gi). The planner only picks splits whose cumulative memory fits.")
    private String memoryBudget;

    @Pattern(Patterns.BYTES)
    @JsonPropertyDescription("Per-step offload buffer budget M_ar for AUTOREGRESSIVE models, as a quantity (e.g. 4Mi):"
            + " the compressed hidden states sent at the offload step must fit. Required in AUTOREGRESSIVE mode.")
    private String arBuffer;

    @Default("1.0")
    @ValidationRule(
            value = "self > 0.0 && self <= 1000.0",
            message = "computeScale must be > 0 and at most 1000 (times slower than the profiling machine)")
    @JsonPropertyDescription("Compute speed of this class relative to the machine that profiled the model: its front"
            + " layers and encoder take computeScale times as long (2 = twice as slow, 0.5 = twice as fast). Used"
            + " until edges of the class report measured front latencies.")
    private Double computeScale = 1.0;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public LabelSelector getSelector() {
        return selector;
    }

    public void setSelector(LabelSelector selector) {
        this.selector = selector;
    }

    public String getMemoryBudget() {
        return memoryBudget;
    }

    public void setMemoryBudget(String memoryBudget) {
        this.memoryBudget = memoryBudget;
    }

    public String getArBuffer() {
        return arBuffer;
    }

    public void setArBuffer(String arBuffer) {
        this.arBuffer = arBuffer;
    }

    public Double getComputeScale() {
        return computeScale;
    }

    public void setComputeScale(Double computeScale) {
        this.computeScale = computeScale;
    }
}
