package dev.slicer.planner.search;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slicer.codec.CodecMode;
import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.DType;
import dev.slicer.planner.InvalidPlanInputException;
import java.util.List;
import java.util.Locale;

/**
 * One knob setting the planner can choose: codec mode, SLICER's theta = {s, M+, M-, lambda}, the quantization
 * cap and tolerance, the TS/TAB-Q outlier fraction, rANS on/off, and for ECSQ the byte budget in bits per element
 * (the codec fills exactly {@code floor(bits x elements / 8)} bytes, so the planned size is the sent size) and the
 * channel prediction; for lossless frames, whether the feature is cast to fp16 on the wire ({@link #losslessHalf()},
 * the fleet benchmark's shallow baseline; the planner's search does not offer it). The planner's own, JSON-stable view
 * of {@link CodecSettings} (the ECSQ fields and the cast are written only when set); {@link #toCodecSettings()} hands
 * it to the codec, and {@link #wireDtype()} names the cast.
 */
public record Theta(
        CodecMode mode,
        double sparsity,
        int blocksPos,
        int blocksNeg,
        double lambda,
        int qbit,
        double delta,
        double outlierFraction,
        boolean entropy,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double bitsPerElement,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean predict,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean half) {

    public Theta {
        InvalidPlanInputException.require(mode != null, "codec mode is required");
        InvalidPlanInputException.require(
                !half || mode == CodecMode.LOSSLESS,
                "half (an fp16 cast on the wire) goes with lossless frames only, not " + mode);
        try {
            settings(
                    mode,
                    sparsity,
                    blocksPos,
                    blocksNeg,
                    lambda,
                    qbit,
                    delta,
                    outlierFraction,
                    entropy,
                    bitsPerElement,
                    predict);
        } catch (IllegalArgumentException e) {
            throw new InvalidPlanInputException("invalid knob setting: " + e.getMessage());
        }
    }

    private static CodecSettings settings(
            CodecMode mode,
            double sparsity,
            int blocksPos,
            int blocksNeg,
            double lambda,
            int qbit,
            double delta,
            double outlierFraction,
            boolean entropy,
            double bitsPerElement,
            boolean predict) {
        return new CodecSettings(
                mode,
                sparsity,
                blocksPos,
                blocksNeg,
                lambda,
                qbit,
                delta,
                List.of(),
                outlierFraction,
                entropy,
                0,
                0,
                bitsPerElement,
                predict);
    }

    /** JSON: the ECSQ fields are written only when set, so they may be absent. */
    @JsonCreator
    static Theta fromJson(
            @JsonProperty("mode") CodecMode mode,
            @JsonProperty("sparsity") double sparsity,
            @JsonProperty("blocksPos") int blocksPos,
            @JsonProperty("blocksNeg") int blocksNeg,
            @JsonProperty("lambda") double lambda,
            @JsonProperty("qbit") int qbit,
            @JsonProperty("delta") double delta,
            @JsonProperty("outlierFraction") double outlierFraction,
            @JsonProperty("entropy") boolean entropy,
            @JsonProperty("bitsPerElement") Double bitsPerElement,
            @JsonProperty("predict") Boolean predict,
            @JsonProperty("half") Boolean half) {
        return new Theta(
                mode,
                sparsity,
                blocksPos,
                blocksNeg,
                lambda,
                qbit,
                delta,
                outlierFraction,
                entropy,
                bitsPerElement == null ? 0 : bitsPerElement,
                predict != null && predict,
                half != null && half);
    }

    public static Theta lossless() {
        return new Theta(CodecMode.LOSSLESS, 0, 1, 1, 0, CodecSettings.MAX_QBIT, 0, 0, false, 0, false, false);
    }

    /**
     * The feature cast to fp16 and sent losslessly: half the bytes of fp32 at a relative error of at most 2^-11 per
     * value (values beyond fp16's range become infinite). The static baseline a skilled engineer ships first.
     */
    public static Theta losslessHalf() {
        return new Theta(CodecMode.LOSSLESS, 0, 1, 1, 0, CodecSettings.MAX_QBIT, 0, 0, false, 0, false, true);
    }

    /** The element type on the wire: fp16 for {@link #losslessHalf()}, else fp32. */
    @JsonIgnore
    public DType wireDtype() {
        return half ? DType.FP16 : DType.FP32;
    }

    public static Theta topK(
            double s, int blocksPos, int blocksNeg, double lambda, int qbit, double delta, boolean rans) {
        return new Theta(CodecMode.TOPK, s, blocksPos, blocksNeg, lambda, qbit, delta, 0, rans, 0, false, false);
    }

    public static Theta tsTabq(double outlierFraction, int qbit, double delta, boolean rans) {
        return new Theta(CodecMode.TS_TABQ, 0, 1, 1, 0, qbit, delta, outlierFraction, rans, 0, false, false);
    }

    /** ECSQ to an exact byte budget of {@code bitsPerElement} bits per element. */
    public static Theta ecsq(double bitsPerElement, boolean predict) {
        return new Theta(
                CodecMode.ECSQ, 0, 1, 1, 0, CodecSettings.ECSQ_QBIT, 0, 0, true, bitsPerElement, predict, false);
    }

    /** The codec's settings for this knob choice (seed 0, adaptive bits). */
    public CodecSettings toCodecSettings() {
        return settings(
                mode,
                sparsity,
                blocksPos,
                blocksNeg,
                lambda,
                qbit,
                delta,
                outlierFraction,
                entropy,
                bitsPerElement,
                predict);
    }

    public static Theta of(CodecSettings s) {
        return new Theta(
                s.mode(),
                s.sparsity(),
                s.blocksPos(),
                s.blocksNeg(),
                s.lambda(),
                s.qbit(),
                s.delta(),
                s.outlierFraction(),
                s.entropy(),
                s.bitsPerElement(),
                s.predict(),
                false);
    }

    /** Same knobs with rANS switched (ECSQ: unchanged, it always codes with rANS). */
    public Theta withEntropy(boolean on) {
        if (mode == CodecMode.ECSQ) {
            return this; // ECSQ always entropy-codes: one setting, one fidelity
        }
        return new Theta(
                mode,
                sparsity,
                blocksPos,
                blocksNeg,
                lambda,
                qbit,
                delta,
                outlierFraction,
                on,
                bitsPerElement,
                predict,
                half);
    }

    /**
     * Stable identifier used as the key of distortion and time tables, e.g. {@code topk/s0.75/m4-4/l0.1/q8/d0.01/rans}.
     */
    @JsonIgnore
    public String id() {
        String e = entropy ? "/rans" : "";
        return switch (mode) {
            case LOSSLESS -> half ? "lossless/fp16" : "lossless";
            case TOPK ->
                String.format(
                        Locale.ROOT,
                        "topk/s%s/m%d-%d/l%s/q%d/d%s%s",
                        num(sparsity),
                        blocksPos,
                        blocksNeg,
                        num(lambda),
                        qbit,
                        num(delta),
                        e);
            case TS_TABQ ->
                String.format(Locale.ROOT, "tstabq/o%s/q%d/d%s%s", num(outlierFraction), qbit, num(delta), e);
            case ECSQ -> String.format(Locale.ROOT, "ecsq/b%s%s", num(bitsPerElement), predict ? "/pred" : "");
        };
    }

    /**
     * Whether a distinct setting differs from this one only in rANS (then both may share one measured fidelity when
     * they decode bit-equal). False for ECSQ, which always codes with rANS and so is its own twin.
     */
    public boolean hasRansTwin() {
        return !withEntropy(!entropy).equals(this);
    }

    /** The id of the same knobs without rANS: rANS is lossless, so both share one measured fidelity. */
    @JsonIgnore
    public String fidelityKey() {
        return withEntropy(false).id();
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
