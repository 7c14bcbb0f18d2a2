package dev.slicer.crds.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slicer.crds.v1alpha1.Patterns;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The service-level objective every plan must meet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SloSpec {

    @Required
    @Pattern(Patterns.DURATION)
    @ValidationRule(value = "duration(self) > duration('0s')", message = "latency must be positive")
    @JsonPropertyDescription("End-to-end latency budget D of one request (one token in AUTOREGRESSIVE mode), e.g."
            + " 150ms: edge layers + encoding + transmission + back-end queueing and compute.")
    private String latency;

    @Default("0.01")
    @ValidationRule(
            value = "self > 0.0 && self < 1.0",
            message = "outageProbability (eps) must lie strictly between 0 and 1")
    @JsonPropertyDescription("Outage probability eps the transmission-time model plans for: a transfer may miss its"
            + " slot with at most this probability.")
    private Double outageProbability = 0.01;

    @Default("0.98")
    @ValidationRule(value = "self >= 0.0 && self <= 1.0", message = "minFidelity must lie within [0, 1]")
    @JsonPropertyDescription("Fidelity floor: the planner never picks codec settings whose measured fidelity (split"
            + " model against the unsplit one, from the profile's distortion table: the lowest output cosine, or for a"
            + " decoder the greedy next-token agreement, which guards the generated text) is below this. Where no"
            + " split meets it within the budgets, the row falls back to cloud-only or local-only and says why."
            + " Default 0.98: admits lossless and 6-8 bit TS/TAB-Q (0.99+ measured), excludes aggressive top-K on"
            + " dense transformer states (0.79-0.85). 0 disables the floor.")
    private Double minFidelity = 0.98;

    public String getLatency() {
        return latency;
    }

    public void setLatency(String latency) {
        this.latency = latency;
    }

    public Double getOutageProbability() {
        return outageProbability;
    }

    public void setOutageProbability(Double outageProbability) {
        this.outageProbability = outageProbability;
    }

    public Double getMinFidelity() {
        return minFidelity;
    }

    public void setMinFidelity(Double minFidelity) {
        this.minFidelity = minFidelity;
    }
}
