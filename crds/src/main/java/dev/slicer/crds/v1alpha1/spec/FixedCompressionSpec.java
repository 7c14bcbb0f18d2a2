package dev.slicer.crds.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Fixed codec knobs theta = {s, M+, M-, lambda} (TOPK) or the outlier fraction (TS_TABQ). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value =
                "self.codec != 'TOPK'"
                        + " || (has(self.sparsity) && has(self.positiveBlocks) && has(self.negativeBlocks) && has(self.lambda))",
        message = "codec TOPK needs sparsity, positiveBlocks, negativeBlocks and lambda",
        fieldPath = ".codec")
@ValidationRule(
        value = "self.codec != 'TS_TABQ' || has(self.outlierFraction)",
        message = "codec TS_TABQ needs outlierFraction",
        fieldPath = ".codec")
public class FixedCompressionSpec {

    /** The codec path. */
    public enum Codec {
        /** ATKF top-K filtering + magnitude splitting + ABQ + sparse index coding. */
        TOPK,
        /** Threshold splitting + token-wise adaptive bit quantization, for dense per-token AR features. */
        TS_TABQ
    }

    @Default("TOPK")
    @JsonPropertyDescription("TOPK: asymmetric top-K filtering, magnitude splitting, ABQ and sparse index coding."
            + " TS_TABQ: threshold splitting with token-wise adaptive bit quantization, for dense per-token features.")
    private Codec codec = Codec.TOPK;

    @Min(0)
    @Max(value = 1, inclusive = false)
    @JsonPropertyDescription("Sparsity s of top-K filtering: k = floor((1-s)*T) of T values are kept (TOPK).")
    private Double sparsity;

    @Min(1)
    @Max(64)
    @JsonPropertyDescription("Number M+ of equal-cardinality blocks the positive survivors are split into (TOPK).")
    private Integer positiveBlocks;

    @Min(1)
    @Max(64)
    @JsonPropertyDescription("Number M- of equal-cardinality blocks the negative survivors are split into (TOPK).")
    private Integer negativeBlocks;

    @Min(0)
    @Max(value = 1, inclusive = false)
    @JsonPropertyDescription(
            "Asymmetry lambda of the top-K cut-offs tau+ = (1+lambda)*tau, tau- = -(1-lambda)*tau" + " (TOPK).")
    private Double lambda;

    @Min(0)
    @Max(0.5)
    @JsonPropertyDescription(
            "Fraction of values kept at high precision as outliers by threshold splitting, e.g. 0.01" + " (TS_TABQ).")
    private Double outlierFraction;

    public Codec getCodec() {
        return codec;
    }

    public void setCodec(Codec codec) {
        this.codec = codec;
    }

    public Double getSparsity() {
        return sparsity;
    }

    public void setSparsity(Double sparsity) {
        this.sparsity = sparsity;
    }

    public Integer getPositiveBlocks() {
        return positiveBlocks;
    }

    public void setPositiveBlocks(Integer positiveBlocks) {
        this.positiveBlocks = positiveBlocks;
    }

    public Integer getNegativeBlocks() {
        return negativeBlocks;
    }

    public void setNegativeBlocks(Integer negativeBlocks) {
        this.negativeBlocks = negativeBlocks;
    }

    public Double getLambda() {
        return lambda;
    }

    public void setLambda(Double lambda) {
        this.lambda = lambda;
    }

    public Double getOutlierFraction() {
        return outlierFraction;
    }

    public void setOutlierFraction(Double outlierFraction) {
        this.outlierFraction = outlierFraction;
    }
}
