package dev.slicer.crds.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Intermediate-feature compression. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.mode != 'FIXED' || has(self.fixed)",
        message = "compression mode FIXED needs the fixed knobs",
        fieldPath = ".fixed")
@ValidationRule(
        value = "self.mode != 'AUTO' || !has(self.fixed)",
        message = "fixed knobs are only used in compression mode FIXED",
        fieldPath = ".fixed")
public class CompressionSpec {

    /** Who chooses the codec knobs. */
    public enum Mode {
        /** SLICER-Search chooses codec path and knobs per device class and link rate. */
        AUTO,
        /** The knobs in {@code fixed} are used for every plan row. */
        FIXED
    }

    /** Entropy coding after quantization and index coding. */
    public enum Entropy {
        NONE,
        RANS
    }

    @Default("AUTO")
    @JsonPropertyDescription("AUTO: SLICER-Search picks the codec path and knobs from measured rate-distortion."
            + " FIXED: use the knobs in `fixed` everywhere (the planner still picks the split).")
    private Mode mode = Mode.AUTO;

    @JsonPropertyDescription("The knobs for mode FIXED.")
    private FixedCompressionSpec fixed;

    @Min(1)
    @Max(16)
    @Default("8")
    @JsonPropertyDescription("Largest bit width qbit of adaptive bit quantization; blocks get q <= qbit bits.")
    private Integer qbit = 8;

    @Min(0)
    @Max(1)
    @Default("0.05")
    @JsonPropertyDescription("ABQ tolerance delta, a fraction of a block's value range: a block's bit width is lowered"
            + " while the normalized integer mismatch stays <= delta. Larger delta never gives more bits.")
    private Double delta = 0.05;

    @Default("RANS")
    @JsonPropertyDescription("Entropy stage over value and index symbols: RANS, or NONE.")
    private Entropy entropy = Entropy.RANS;

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public FixedCompressionSpec getFixed() {
        return fixed;
    }

    public void setFixed(FixedCompressionSpec fixed) {
        this.fixed = fixed;
    }

    public Integer getQbit() {
        return qbit;
    }

    public void setQbit(Integer qbit) {
        this.qbit = qbit;
    }

    public Double getDelta() {
        return delta;
    }

    public void setDelta(Double delta) {
        this.delta = delta;
    }

    public Entropy getEntropy() {
        return entropy;
    }

    public void setEntropy(Entropy entropy) {
        this.entropy = entropy;
    }
}
