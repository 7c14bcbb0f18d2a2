package dev.slicer.codec;

import java.util.List;

/**
 * The knobs of one frame: codec mode and SLICER's theta = {s, M+, M-, lambda} plus quantization and entropy
 * settings. Immutable; validated on construction so encoders never see nonsense.
 *
 * @param mode how values are coded
 * @param sparsity s in [0, 1): TOPK keeps exactly floor((1-s)T) values
 * @param blocksPos M+ (1..64): equal-cardinality magnitude blocks of the positive survivors
 * @param blocksNeg M- (1..64): the same for the negative survivors
 * @param lambda ATKF asymmetry in [0, 1): tau+ = (1+lambda)tau, tau- = -(1-lambda)tau
 * @param qbit largest bit width per block (TOPK) or per row (TS_TABQ), 1..16
 * @param delta ABQ integer-mismatch tolerance as a fraction of the block's range (>= 0); larger never gives more bits
 * @param fixedBits if not empty, fixed bits per block in order (M+ blocks by descending magnitude, then M-
 *     blocks), e.g. [8, 4, 2, 1]; the last entry repeats for any further block; overrides the adaptive rule
 * @param outlierFraction TS_TABQ: fraction of values (largest |x|) kept as fp16 outliers, in [0, 0.5]
 * @param entropy whether the rANS stage codes value and index symbols
 * @param seed seed of the tie-breaker, so a frame is reproducible
 */
public record CodecSettings(
        CodecMode mode,
        double sparsity,
        int blocksPos,
        int blocksNeg,
        double lambda,
        int qbit,
        double delta,
        List<Integer> fixedBits,
        double outlierFraction,
        boolean entropy,
        long seed) {

    public static final int MAX_BLOCKS = 64;
    public static final int MAX_QBIT = 16;

    public CodecSettings {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        // messages are built only on failure: frames are parsed into settings on every decode
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1), got " + sparsity);
        }
        if (!(blocksPos >= 1 && blocksPos <= MAX_BLOCKS)) {
            throw new IllegalArgumentException("M+ must be in 1.." + MAX_BLOCKS + ", got " + blocksPos);
        }
        if (!(blocksNeg >= 1 && blocksNeg <= MAX_BLOCKS)) {
            throw new IllegalArgumentException("M- must be in 1.." + MAX_BLOCKS + ", got " + blocksNeg);
        }
        if (!(lambda >= 0 && lambda < 1)) {
            throw new IllegalArgumentException("lambda must be in [0, 1), got " + lambda);
        }
        if (!(qbit >= 1 && qbit <= MAX_QBIT)) {
            throw new IllegalArgumentException("qbit must be in 1.." + MAX_QBIT + ", got " + qbit);
        }
        if (!(delta >= 0 && Double.isFinite(delta))) {
            throw new IllegalArgumentException("delta must be finite and >= 0, got " + delta);
        }
        if (!(outlierFraction >= 0 && outlierFraction <= 0.5)) {
            throw new IllegalArgumentException("outlier fraction must be in [0, 0.5], got " + outlierFraction);
        }
        fixedBits = fixedBits == null ? List.of() : List.copyOf(fixedBits);
        check(fixedBits.size() <= 2 * MAX_BLOCKS, "at most 128 fixed bit widths");
        for (int b : fixedBits) {
            if (!(b >= 1 && b <= MAX_QBIT)) {
                throw new IllegalArgumentException("fixed bits must be in 1.." + MAX_QBIT + ", got " + b);
            }
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Raw values, bit-exact. */
    public static CodecSettings lossless() {
        return new CodecSettings(CodecMode.LOSSLESS, 0, 1, 1, 0, MAX_QBIT, 0, List.of(), 0, false, 0);
    }

    /** SLICER top-K with adaptive bits. */
    public static CodecSettings topK(
            double s, int blocksPos, int blocksNeg, double lambda, int qbit, double delta, boolean entropy) {
        return new CodecSettings(
                CodecMode.TOPK, s, blocksPos, blocksNeg, lambda, qbit, delta, List.of(), 0, entropy, 0);
    }

    /** Threshold splitting plus token-wise adaptive bit quantization. */
    public static CodecSettings tsTabq(double outlierFraction, int qbit, double delta, boolean entropy) {
        return new CodecSettings(CodecMode.TS_TABQ, 0, 1, 1, 0, qbit, delta, List.of(), outlierFraction, entropy, 0);
    }

    public CodecSettings withEntropy(boolean on) {
        return new CodecSettings(
                mode, sparsity, blocksPos, blocksNeg, lambda, qbit, delta, fixedBits, outlierFraction, on, seed);
    }

    public CodecSettings withSparsity(double s) {
        return new CodecSettings(
                mode, s, blocksPos, blocksNeg, lambda, qbit, delta, fixedBits, outlierFraction, entropy, seed);
    }

    public CodecSettings withBlocks(int pos, int neg) {
        return new CodecSettings(
                mode, sparsity, pos, neg, lambda, qbit, delta, fixedBits, outlierFraction, entropy, seed);
    }

    public CodecSettings withFixedBits(List<Integer> bits) {
        return new CodecSettings(
                mode, sparsity, blocksPos, blocksNeg, lambda, qbit, delta, bits, outlierFraction, entropy, seed);
    }

    public CodecSettings withSeed(long newSeed) {
        return new CodecSettings(
                mode,
                sparsity,
                blocksPos,
                blocksNeg,
                lambda,
                qbit,
                delta,
                fixedBits,
                outlierFraction,
                entropy,
                newSeed);
    }

    /** Short human label, e.g. {@code topk s=0.75 M=3/3 q8 d0.01 rans}. */
    public String label() {
        String e = entropy ? " rans" : "";
        return switch (mode) {
            case LOSSLESS -> "lossless";
            case TOPK -> String.format("topk s=%.2f M=%d/%d q%d d%s%s", sparsity, blocksPos, blocksNeg, qbit, delta, e);
            case TS_TABQ -> String.format("ts-tabq o=%.3f q%d d%s%s", outlierFraction, qbit, delta, e);
        };
    }
}
