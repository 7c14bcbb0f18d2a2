package dev.slicer.planner.search;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.slicer.codec.CodecMode;
import dev.slicer.codec.CodecSettings;
import dev.slicer.planner.InvalidPlanInputException;
import java.util.List;
import java.util.Locale;

/**
 * One knob setting the planner can choose: codec mode, SLICER's theta = {s, M+, M-, lambda}, the quantization
 * cap and tolerance, the TS/TAB-Q outlier fraction and rANS on/off. The planner's own, JSON-stable view of
 * {@link CodecSettings}; {@link #toCodecSettings()} hands it to the codec.
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
        boolean entropy) {

    public Theta {
        InvalidPlanInputException.require(mode != null, "codec mode is required");
        try {
            new CodecSettings(
                    mode, sparsity, blocksPos, blocksNeg, lambda, qbit, delta, List.of(), outlierFraction, entropy, 0);
        } catch (IllegalArgumentException e) {
            throw new InvalidPlanInputException("invalid knob setting: " + e.getMessage());
        }
    }

    public static Theta lossless() {
        return new Theta(CodecMode.LOSSLESS, 0, 1, 1, 0, CodecSettings.MAX_QBIT, 0, 0, false);
    }

    public static Theta topK(
            double s, int blocksPos, int blocksNeg, double lambda, int qbit, double delta, boolean rans) {
        return new Theta(CodecMode.TOPK, s, blocksPos, blocksNeg, lambda, qbit, delta, 0, rans);
    }

    public static Theta tsTabq(double outlierFraction, int qbit, double delta, boolean rans) {
        return new Theta(CodecMode.TS_TABQ, 0, 1, 1, 0, qbit, delta, outlierFraction, rans);
    }

    /** The codec's settings for this knob choice (seed 0, adaptive bits). */
    public CodecSettings toCodecSettings() {
        return new CodecSettings(
                mode, sparsity, blocksPos, blocksNeg, lambda, qbit, delta, List.of(), outlierFraction, entropy, 0);
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
                s.entropy());
    }

    /** Same knobs with rANS switched. */
    public Theta withEntropy(boolean on) {
        return new Theta(mode, sparsity, blocksPos, blocksNeg, lambda, qbit, delta, outlierFraction, on);
    }

    /**
     * Stable identifier used as the key of distortion and time tables, e.g. {@code topk/s0.75/m4-4/l0.1/q8/d0.01/rans}.
     */
    @JsonIgnore
    public String id() {
        String e = entropy ? "/rans" : "";
        return switch (mode) {
            case LOSSLESS -> "lossless";
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
        };
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
