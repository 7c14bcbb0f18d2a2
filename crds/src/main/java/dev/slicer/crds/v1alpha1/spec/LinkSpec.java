package dev.slicer.crds.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** How transmission time over the uplink is predicted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.model != 'OUTAGE' || (has(self.bandwidthHz) && has(self.snrDb))",
        message = "link model OUTAGE needs bandwidthHz (W) and snrDb",
        fieldPath = ".model")
public class LinkSpec {

    /** The link model. */
    public enum Model {
        /** Rate from the goodput the edges measure (slicer_edge_link_goodput_bytes_per_second). */
        MEASURED_GOODPUT,
        /** Rayleigh-fading epsilon-outage model from bandwidth W and mean SNR. */
        OUTAGE
    }

    @Default("MEASURED_GOODPUT")
    @JsonPropertyDescription("MEASURED_GOODPUT: plan rows are indexed by the goodput the edges measure. OUTAGE: the"
            + " epsilon-outage model Lc = B/R * ceil(ln eps / ln Po(R)) + zeta with Po(R) = 1 - exp(-(2^(R/W)-1)/gamma)"
            + " from bandwidthHz and snrDb.")
    private Model model = Model.MEASURED_GOODPUT;

    @Min(value = 0, inclusive = false)
    @JsonPropertyDescription("Channel bandwidth W in hertz (OUTAGE model), e.g. 20000000 for 20 MHz.")
    private Double bandwidthHz;

    @Min(-30)
    @Max(60)
    @JsonPropertyDescription("Mean signal-to-noise ratio gamma in dB (OUTAGE model).")
    private Double snrDb;

    public Model getModel() {
        return model;
    }

    public void setModel(Model model) {
        this.model = model;
    }

    public Double getBandwidthHz() {
        return bandwidthHz;
    }

    public void setBandwidthHz(Double bandwidthHz) {
        this.bandwidthHz = bandwidthHz;
    }

    public Double getSnrDb() {
        return snrDb;
    }

    public void setSnrDb(Double snrDb) {
        this.snrDb = snrDb;
    }
}
