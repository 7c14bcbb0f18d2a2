package dev.slicer.crds.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** A PodDisruptionBudget for the back-end replicas, so a node drain never takes them all at once. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodDisruptionBudgetSpec {

    @Min(1)
    @Default("1")
    @JsonPropertyDescription("Back-end pods a voluntary disruption (a drain, an eviction) may take down at once.")
    private Integer maxUnavailable = 1;

    public Integer getMaxUnavailable() {
        return maxUnavailable;
    }

    public void setMaxUnavailable(Integer maxUnavailable) {
        this.maxUnavailable = maxUnavailable;
    }
}
