package dev.slicer.crds.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slicer.crds.v1alpha1.schema.ResourceRequirementsSchema;
import dev.slicer.crds.v1alpha1.schema.TolerationSchema;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** The in-cluster edge runtime, run by the operator as a DaemonSet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EdgeDaemonSetSpec {

    @Required
    @Size(min = 1, max = 512)
    @JsonPropertyDescription("Container image of the edge runtime.")
    private String image;

    @JsonPropertyDescription("Node labels the DaemonSet is restricted to (in addition to the device-class selectors).")
    private Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of the edge pods, e.g. for tainted edge nodes.")
    @SchemaFrom(type = TolerationSchema[].class)
    private List<Toleration> tolerations;

    @JsonPropertyDescription("CPU and memory of one edge-runtime pod.")
    @SchemaFrom(type = ResourceRequirementsSchema.class)
    private ResourceRequirements resources;

    @JsonPropertyDescription("Pod-level settings of the edge pods: service account, pull secrets, affinity,"
            + " runtime and priority class, and an unsupported pod-template override.")
    private PodOptionsSpec pod;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
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

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public PodOptionsSpec getPod() {
        return pod;
    }

    public void setPod(PodOptionsSpec pod) {
        this.pod = pod;
    }
}
