package dev.slicer.crds.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slicer.crds.v1alpha1.schema.ConditionSchema;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Observed state of a split-inference fleet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SplitInferenceStatus {

    /** Condition type: the fleet serves requests with a current plan and an available back-end. */
    public static final String READY = "Ready";
    /** Condition type: a plan that meets the SLO has been computed and written to the plan ConfigMap. */
    public static final String PLANNED = "Planned";
    /** Condition type: the API server accepted every child object the operator applied (False names the refusals). */
    public static final String APPLIED = "Applied";
    /** Condition type: at least minReplicas back-end replicas are available. */
    public static final String BACKEND_AVAILABLE = "BackendAvailable";
    /** Condition type: the last Prometheus query succeeded. */
    public static final String METRICS_AVAILABLE = "MetricsAvailable";
    /** Condition type: the fleet runs, but below its objective (e.g. cloud-only fallback, stale plan). */
    public static final String DEGRADED = "Degraded";

    /** Every condition type the operator maintains. */
    public static final List<String> CONDITION_TYPES =
            List.of(READY, PLANNED, APPLIED, BACKEND_AVAILABLE, METRICS_AVAILABLE, DEGRADED);

    @JsonPropertyDescription("metadata.generation of the spec this status was computed from.")
    private Long observedGeneration;

    @JsonPropertyDescription(
            "Standard conditions: Ready, Planned, Applied, BackendAvailable, MetricsAvailable, Degraded.")
    @SchemaFrom(type = ConditionSchema[].class)
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The back-end Deployment as observed; also serves the scale subresource.")
    private BackendStatus backend;

    @JsonPropertyDescription("Summary of the plan currently published in the plan ConfigMap.")
    private PlanSummary plan;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    /** The condition of the given type, if present. */
    public Optional<Condition> condition(String type) {
        if (conditions == null) {
            return Optional.empty();
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public BackendStatus getBackend() {
        return backend;
    }

    public void setBackend(BackendStatus backend) {
        this.backend = backend;
    }

    public PlanSummary getPlan() {
        return plan;
    }

    public void setPlan(PlanSummary plan) {
        this.plan = plan;
    }
}
