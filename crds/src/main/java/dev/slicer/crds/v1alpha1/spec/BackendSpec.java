package dev.slicer.crds.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slicer.crds.v1alpha1.Patterns;
import dev.slicer.crds.v1alpha1.schema.ResourceRequirementsSchema;
import dev.slicer.crds.v1alpha1.schema.TolerationSchema;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;
import java.util.Map;

/** The back-end: decodes intermediate features, batches and runs the tail of the model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.minReplicas <= self.maxReplicas",
        message = "minReplicas must not exceed maxReplicas",
        fieldPath = ".minReplicas")
@ValidationRule(
        value = "!has(self.replicas) || (self.replicas >= self.minReplicas && self.replicas <= self.maxReplicas)",
        message = "replicas must lie within [minReplicas, maxReplicas]",
        fieldPath = ".replicas")
@ValidationRule(
        value = "self.executionProvider != 'CUDA' || self.gpus >= 1",
        message = "executionProvider CUDA needs gpus >= 1",
        fieldPath = ".gpus")
@ValidationRule(
        value = "self.executionProvider == 'CUDA' || self.gpus == 0",
        message = "gpus are only requested with executionProvider CUDA",
        fieldPath = ".gpus")
public class BackendSpec {

    /** The ONNX Runtime execution provider of the back-end. */
    public enum ExecutionProvider {
        CPU,
        CUDA
    }

    @Required
    @Size(min = 1, max = 512)
    @JsonPropertyDescription("Container image of the GPU back-end.")
    private String image;

    @Min(0)
    @SpecReplicas
    @JsonPropertyDescription("Fixed replica count, written by `kubectl scale` or an autoscaler through the scale"
            + " subresource. Unset: the operator scales between minReplicas and maxReplicas from the predicted and"
            + " observed load.")
    private Integer replicas;

    @Min(0)
    @Default("1")
    @JsonPropertyDescription("Fewest back-end replicas (0 lets an idle fleet scale to zero; edges then run"
            + " everything locally or wait).")
    private Integer minReplicas = 1;

    @Min(1)
    @Max(1000)
    @Default("4")
    @JsonPropertyDescription("Most back-end replicas.")
    private Integer maxReplicas = 4;

    @Min(value = 0, inclusive = false)
    @Max(1)
    @Default("0.7")
    @JsonPropertyDescription("Utilization of a replica (busy time / wall time) the load-based scaling aims for.")
    private Double targetUtilization = 0.7;

    @Default("CPU")
    @JsonPropertyDescription("ONNX Runtime execution provider: CPU, or CUDA (requests `gpus` GPUs per replica).")
    private ExecutionProvider executionProvider = ExecutionProvider.CPU;

    @Min(0)
    @Max(16)
    @Default("0")
    @JsonPropertyDescription("GPUs per replica, requested and limited as the extended resource gpuResourceName.")
    private Integer gpus = 0;

    @Size(min = 1, max = 253)
    @Default("nvidia.com/gpu")
    @JsonPropertyDescription("Extended-resource name of the GPUs, e.g. nvidia.com/gpu or amd.com/gpu.")
    private String gpuResourceName = "nvidia.com/gpu";

    @JsonPropertyDescription("CPU and memory requests and limits of one replica (GPUs come from `gpus`).")
    @SchemaFrom(type = ResourceRequirementsSchema.class)
    private ResourceRequirements resources;

    @Default("{}")
    @JsonPropertyDescription("Dynamic batching of requests from many edges.")
    private BatchingSpec batching = new BatchingSpec();

    @JsonPropertyDescription("Node labels for the back-end pods, e.g. to land on GPU nodes.")
    private Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of the back-end pods, e.g. for tainted GPU nodes.")
    @SchemaFrom(type = TolerationSchema[].class)
    private List<Toleration> tolerations;

    @Pattern(Patterns.DURATION)
    @Default("5m")
    @ValidationRule(value = "duration(self) <= duration('1h')", message = "scaleDownStabilization must be at most 1h")
    @JsonPropertyDescription("Scale-down stabilisation window, as the HorizontalPodAutoscaler's: load-based scaling"
            + " runs the highest replica count recommended within it, so a dip shorter than the window does not"
            + " remove replicas the next burst needs (scaling up is immediate). 0s scales down at once.")
    private String scaleDownStabilization = "5m";

    @JsonPropertyDescription("Pod-level settings of the back-end: service account, pull secrets, affinity,"
            + " runtime and priority class, and an unsupported pod-template override.")
    private PodOptionsSpec pod;

    @JsonPropertyDescription("When set, a PodDisruptionBudget `<name>-backend` limits voluntary disruptions of the"
            + " back-end replicas.")
    private PodDisruptionBudgetSpec podDisruptionBudget;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getMinReplicas() {
        return minReplicas;
    }

    public void setMinReplicas(Integer minReplicas) {
        this.minReplicas = minReplicas;
    }

    public Integer getMaxReplicas() {
        return maxReplicas;
    }

    public void setMaxReplicas(Integer maxReplicas) {
        this.maxReplicas = maxReplicas;
    }

    public Double getTargetUtilization() {
        return targetUtilization;
    }

    public void setTargetUtilization(Double targetUtilization) {
        this.targetUtilization = targetUtilization;
    }

    public ExecutionProvider getExecutionProvider() {
        return executionProvider;
    }

    public void setExecutionProvider(ExecutionProvider executionProvider) {
        this.executionProvider = executionProvider;
    }

    public Integer getGpus() {
        return gpus;
    }

    public void setGpus(Integer gpus) {
        this.gpus = gpus;
    }

    public String getGpuResourceName() {
        return gpuResourceName;
    }

    public void setGpuResourceName(String gpuResourceName) {
        this.gpuResourceName = gpuResourceName;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public BatchingSpec getBatching() {
        return batching;
    }

    public void setBatching(BatchingSpec batching) {
        this.batching = batching;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public String getScaleDownStabilization() {
        return scaleDownStabilization;
    }

    public void setScaleDownStabilization(String scaleDownStabilization) {
        this.scaleDownStabilization = scaleDownStabilization;
    }

    public PodOptionsSpec getPod() {
        return pod;
    }

    public void setPod(PodOptionsSpec pod) {
        this.pod = pod;
    }

    public PodDisruptionBudgetSpec getPodDisruptionBudget() {
        return podDisruptionBudget;
    }

    public void setPodDisruptionBudget(PodDisruptionBudgetSpec podDisruptionBudget) {
        this.podDisruptionBudget = podDisruptionBudget;
    }
}
