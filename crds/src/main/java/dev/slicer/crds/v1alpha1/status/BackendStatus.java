package dev.slicer.crds.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

/** The back-end Deployment as observed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackendStatus {

    @StatusReplicas
    @JsonPropertyDescription("Back-end replicas that currently exist (the scale subresource's status.replicas).")
    private Integer replicas;

    @JsonPropertyDescription("Back-end replicas that are ready to serve.")
    private Integer readyReplicas;

    @JsonPropertyDescription("Replicas the operator last asked for, from the load prediction or spec.backend.replicas.")
    private Integer desiredReplicas;

    @LabelSelector
    @JsonPropertyDescription("Label selector of the back-end pods in string form (the scale subresource's"
            + " status.selector, used by autoscalers).")
    private String selector;

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public Integer getDesiredReplicas() {
        return desiredReplicas;
    }

    public void setDesiredReplicas(Integer desiredReplicas) {
        this.desiredReplicas = desiredReplicas;
    }

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }
}
