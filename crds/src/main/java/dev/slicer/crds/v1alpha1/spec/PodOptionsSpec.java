package dev.slicer.crds.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slicer.crds.v1alpha1.Patterns;
import dev.slicer.crds.v1alpha1.schema.AffinitySchema;
import dev.slicer.crds.v1alpha1.schema.LocalObjectReferenceSchema;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.List;

/**
 * Pod-level settings of a workload the operator runs (back-end or edge): identity, pull secrets and placement, plus
 * an unsupported pod-template override for whatever else a cluster needs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodOptionsSpec {

    @Size(max = 253)
    @Pattern(Patterns.DNS_SUBDOMAIN)
    @JsonPropertyDescription("ServiceAccount the pods run as (default: the namespace's default). Its API token is"
            + " still not mounted: set automountServiceAccountToken in `template` if the pods need it.")
    private String serviceAccountName;

    @Size(max = 16)
    @SchemaFrom(type = LocalObjectReferenceSchema[].class)
    @JsonPropertyDescription("Secrets with registry credentials for pulling the image.")
    private List<LocalObjectReference> imagePullSecrets;

    @SchemaFrom(type = AffinitySchema.class)
    @JsonPropertyDescription("Node affinity, pod affinity and anti-affinity of the pods.")
    private Affinity affinity;

    @Size(max = 253)
    @Pattern(Patterns.DNS_SUBDOMAIN)
    @JsonPropertyDescription("RuntimeClass of the pods, e.g. `nvidia` for the NVIDIA container runtime.")
    private String runtimeClassName;

    @Size(max = 253)
    @Pattern(Patterns.DNS_SUBDOMAIN)
    @JsonPropertyDescription("PriorityClass of the pods: how they rank when the scheduler must pre-empt.")
    private String priorityClassName;

    @PreserveUnknownFields
    @JsonPropertyDescription("Unsupported: a pod template (metadata and spec) merged over the one the operator"
            + " generates, for fields this API does not offer. Objects merge field by field; lists of named items"
            + " (containers, volumes, env, ports, volumeMounts) merge by name; other lists and values replace;"
            + " null removes. The operator's selector labels always win. The operator checks the result is a pod"
            + " template; it cannot check that the pods still work.")
    private JsonNode template;

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public List<LocalObjectReference> getImagePullSecrets() {
        return imagePullSecrets;
    }

    public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
        this.imagePullSecrets = imagePullSecrets;
    }

    public Affinity getAffinity() {
        return affinity;
    }

    public void setAffinity(Affinity affinity) {
        this.affinity = affinity;
    }

    public String getRuntimeClassName() {
        return runtimeClassName;
    }

    public void setRuntimeClassName(String runtimeClassName) {
        this.runtimeClassName = runtimeClassName;
    }

    public String getPriorityClassName() {
        return priorityClassName;
    }

    public void setPriorityClassName(String priorityClassName) {
        this.priorityClassName = priorityClassName;
    }

    public JsonNode getTemplate() {
        return template;
    }

    public void setTemplate(JsonNode template) {
        this.template = template;
    }
}
