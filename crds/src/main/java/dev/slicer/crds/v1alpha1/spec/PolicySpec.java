package dev.slicer.crds.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slicer.crds.v1alpha1.Patterns;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** When and from which metrics the operator re-plans. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicySpec {

    @Pattern(Patterns.DURATION)
    @Default("1m")
    @ValidationRule(value = "duration(self) >= duration('5s')", message = "replanInterval must be at least 5s")
    @JsonPropertyDescription("Re-plan at least this often (e.g. 1m), even without drift.")
    private String replanInterval = "1m";

    @Min(value = 0, inclusive = false)
    @Max(1)
    @Default("0.1")
    @JsonPropertyDescription("Relative drift of a planning input (link goodput, stage latency, back-end queueing"
            + " delay) since the last plan that triggers an early re-plan, e.g. 0.1 for 10%.")
    private Double hysteresis = 0.1;

    @Pattern(Patterns.HTTP_URL)
    @Size(max = 2048)
    @JsonPropertyDescription("Base URL of the Prometheus HTTP API to read metrics from, e.g."
            + " http://prometheus-operated.monitoring:9090. Unset: the operator's configured Prometheus URL.")
    private String metricsUrl;

    public String getReplanInterval() {
        return replanInterval;
    }

    public void setReplanInterval(String replanInterval) {
        this.replanInterval = replanInterval;
    }

    public Double getHysteresis() {
        return hysteresis;
    }

    public void setHysteresis(Double hysteresis) {
        this.hysteresis = hysteresis;
    }

    public String getMetricsUrl() {
        return metricsUrl;
    }

    public void setMetricsUrl(String metricsUrl) {
        this.metricsUrl = metricsUrl;
    }
}
