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

    /** What SLICER-Search optimises among the knob settings that meet the latency, memory and fidelity budgets. */
    public enum Objective {
        /** The paper's order: compress only as much as the link needs (fast links get near-lossless frames). */
        FIDELITY,
        /** The fewest bytes that still meet slo.minFidelity: for metered or shared uplinks. */
        BYTES
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

    @Default("FIDELITY")
    @JsonPropertyDescription("Mode AUTO: what the search optimises among the settings that meet the latency and memory"
            + " budgets and slo.minFidelity. FIDELITY (the paper): compress only as much as the link needs, so fast"
            + " links get near-lossless frames. BYTES: the fewest bytes that still meet slo.minFidelity, for metered"
            + " or shared uplinks.")
    private Objective objective = Objective.FIDELITY;

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

    public Objective getObjective() {
        return objective;
    }

    public void setObjective(Objective objective) {
        this.objective = objective;
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
