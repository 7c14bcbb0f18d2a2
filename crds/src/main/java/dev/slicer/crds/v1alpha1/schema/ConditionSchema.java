package dev.slicer.crds.v1alpha1.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Schema of a standard metav1.Condition. */
public final class ConditionSchema {

    /** Condition status values. */
    public enum Status {
        True,
        False,
        Unknown
    }

    @Required
    @Size(max = 316)
    @Pattern(
            "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")
    @JsonPropertyDescription(
            "Type of the condition in CamelCase: Ready, Planned, BackendAvailable, MetricsAvailable or" + " Degraded.")
    public String type;

    @Required
    @JsonPropertyDescription("Status of the condition: True, False or Unknown.")
    public Status status;

    @Min(0)
    @JsonPropertyDescription("metadata.generation the condition was set for.")
    public Long observedGeneration;

    @Required
    @JsonPropertyDescription("Last time the condition changed status (RFC 3339).")
    public String lastTransitionTime;

    @Required
    @Size(min = 1, max = 1024)
    @Pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")
    @JsonPropertyDescription("Programmatic identifier of the reason for the last transition, in CamelCase.")
    public String reason;

    @Size(max = 32768)
    @JsonPropertyDescription("Human-readable details of the last transition.")
    public String message;

    private ConditionSchema() {}
}
