package dev.slicer.codec;

import java.util.List;

/**
 * The knobs of one frame: codec mode and SLICER's theta = {s, M+, M-, lambda} plus quantization and entropy
 * settings. Immutable; validated on construction so encoders never see nonsense. Build one by name:
 *
 * <pre>{@code
 * CodecSettings topk = CodecSettings.topK().sparsity(0.75).blocks(3, 3).qbit(8).delta(0.01).entropy(true).build();
 * CodecSettings ecsq = CodecSettings.ecsq().step(0.49).build();            // about cosine 0.99 on dense features
 * CodecSettings fit = CodecSettings.ecsq().bitsPerElement(3.0).build();    // exact byte budget, best fidelity
 * }</pre>
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
 * @param entropy whether the rANS stage codes value and index symbols (always on in ECSQ)
 * @param seed seed of the tie-breaker, so a frame is reproducible
 * @param step ECSQ with a fixed step: quantization step as a fraction of the tensor's RMS, in [{@value #MIN_STEP},
 *     {@value #MAX_STEP}]; relative MSE is about {@code step^2 / 12}, so 0.49 gives cosine ~0.99. 0 otherwise
 * @param bitsPerElement ECSQ with a byte budget: the frame is exactly {@link #budgetBytes} bytes (padded when the
 *     best fit is smaller), the smallest step that fits; in [{@value #MIN_BITS}, 32]. 0 otherwise. Exactly one of
 *     {@code step} and {@code bitsPerElement} is set in ECSQ
 * @param predict ECSQ: predict each value from the mean of the values decoded so far in its channel (column) and
 *     quantize the residual; pays on dense features whose channels carry an offset (transformer hidden states),
 *     not on ReLU features with exact zeros. False in every other mode
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
        long seed,
        double step,
        double bitsPerElement,
        boolean predict) {

    public static final int MAX_BLOCKS = 64;
    public static final int MAX_QBIT = 16;
    public static final double MIN_STEP = 0.0001;
    public static final double MAX_STEP = 64;
    public static final double MIN_BITS = 0.01;
    public static final double MAX_BITS = 32;
    /**
     * Bytes every budget frame gets on top of its {@code bitsPerElement} rate, for what does not scale with the element
     * count: header, CRC and the entropy coder's tables. Measured on the 355 MiniLM sentences at split 12 and a fixed
     * step, frames take 80-99 bytes plus a rate per element; charged to the rate, those bytes left a 4-token sentence
     * about 17% fewer bits for its values than a long one (output cosine 0.970 against a mean of 0.986 at 3 bits).
     * It also holds the largest header ({@value TensorShape#MAX_RANK} dimensions) with its CRC, so a budget always has
     * room for a frame.
     */
    public static final int FRAME_ALLOWANCE_BYTES = 96;
    /** The qbit an ECSQ setting carries (unused by the mode; fixed so that settings compare equal). */
    public static final int ECSQ_QBIT = 8;

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
        if (mode == CodecMode.ECSQ) {
            boolean fixed = step >= MIN_STEP && step <= MAX_STEP && bitsPerElement == 0;
            boolean budget = bitsPerElement >= MIN_BITS && bitsPerElement <= MAX_BITS && step == 0;
            if (!(fixed || budget)) {
                throw new IllegalArgumentException("ECSQ needs a step in [" + MIN_STEP + ", " + MAX_STEP
                        + "] or bits per element in [" + MIN_BITS + ", " + MAX_BITS + "], not both; got step "
                        + step + ", bits " + bitsPerElement);
            }
            check(entropy, "ECSQ always entropy-codes its symbols");
            check(
                    sparsity == 0
                            && blocksPos == 1
                            && blocksNeg == 1
                            && lambda == 0
                            && qbit == ECSQ_QBIT
                            && delta == 0
                            && (fixedBits == null || fixedBits.isEmpty())
                            && outlierFraction == 0
                            && seed == 0,
                    "ECSQ takes only step or bitsPerElement, and predict");
        } else if (step != 0 || bitsPerElement != 0 || predict) {
            throw new IllegalArgumentException("step, bitsPerElement and predict are ECSQ knobs");
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
        return new Builder(CodecMode.LOSSLESS).build();
    }

    /** SLICER top-K with adaptive bits; defaults: s 0, M+ = M- = 1, lambda 0, qbit 8, delta 0, no rANS, seed 0. */
    public static Builder topK() {
        return new Builder(CodecMode.TOPK);
    }

    /** Threshold splitting plus token-wise adaptive bit quantization; defaults: outliers 0, qbit 8, delta 0. */
    public static Builder tsTabq() {
        return new Builder(CodecMode.TS_TABQ);
    }

    /** Entropy-coded scalar quantization; defaults: step 0.49 (cosine ~0.99 on dense features), prediction on. */
    public static Builder ecsq() {
        return new Builder(CodecMode.ECSQ).entropy(true).predict(true).step(0.49);
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder(mode);
        b.sparsity = sparsity;
        b.blocksPos = blocksPos;
        b.blocksNeg = blocksNeg;
        b.lambda = lambda;
        b.qbit = qbit;
        b.delta = delta;
        b.fixedBits = fixedBits;
        b.outlierFraction = outlierFraction;
        b.entropy = entropy;
        b.seed = seed;
        b.step = step;
        b.bitsPerElement = bitsPerElement;
        b.predict = predict;
        return b;
    }

    public CodecSettings withEntropy(boolean on) {
        return toBuilder().entropy(on).build();
    }

    public CodecSettings withSparsity(double s) {
        return toBuilder().sparsity(s).build();
    }

    public CodecSettings withBlocks(int pos, int neg) {
        return toBuilder().blocks(pos, neg).build();
    }

    public CodecSettings withFixedBits(List<Integer> bits) {
        return toBuilder().fixedBits(bits).build();
    }

    public CodecSettings withSeed(long newSeed) {
        return toBuilder().seed(newSeed).build();
    }

    /** Whether this is ECSQ with a byte budget (the encoder searches the step). */
    public boolean hasBudget() {
        return bitsPerElement > 0;
    }

    /**
     * The byte budget of a frame of {@code elements} values: {@code floor(bitsPerElement x elements / 8)} plus {@link
     * #FRAME_ALLOWANCE_BYTES}.
     */
    public long budgetBytes(long elements) {
        return (long) Math.floor(bitsPerElement * elements / 8) + FRAME_ALLOWANCE_BYTES;
    }

    /** Short human label, e.g. {@code topk s=0.75 M=3/3 q8 d0.01 rans}. */
    public String label() {
        String e = entropy ? " rans" : "";
        return switch (mode) {
            case LOSSLESS -> "lossless";
            case TOPK -> String.format("topk s=%.2f M=%d/%d q%d d%s%s", sparsity, blocksPos, blocksNeg, qbit, delta, e);
            case TS_TABQ -> String.format("ts-tabq o=%.3f q%d d%s%s", outlierFraction, qbit, delta, e);
            case ECSQ ->
                (hasBudget() ? "ecsq budget=" + bitsPerElement + "b" : "ecsq step=" + step) + (predict ? " pred" : "");
        };
    }

    /** Named setters for {@link CodecSettings}; {@link #build()} validates. */
    public static final class Builder {
        private final CodecMode mode;
        private double sparsity;
        private int blocksPos = 1;
        private int blocksNeg = 1;
        private double lambda;
        private int qbit = 8;
        private double delta;
        private List<Integer> fixedBits = List.of();
        private double outlierFraction;
        private boolean entropy;
        private long seed;
        private double step;
        private double bitsPerElement;
        private boolean predict;

        private Builder(CodecMode mode) {
            this.mode = mode;
            if (mode == CodecMode.LOSSLESS) {
                qbit = MAX_QBIT;
            }
        }

        public Builder sparsity(double s) {
            sparsity = s;
            return this;
        }

        /** M+ and M-. */
        public Builder blocks(int pos, int neg) {
            blocksPos = pos;
            blocksNeg = neg;
            return this;
        }

        public Builder lambda(double l) {
            lambda = l;
            return this;
        }

        public Builder qbit(int q) {
            qbit = q;
            return this;
        }

        public Builder delta(double d) {
            delta = d;
            return this;
        }

        public Builder fixedBits(List<Integer> bits) {
            fixedBits = bits;
            return this;
        }

        public Builder outlierFraction(double f) {
            outlierFraction = f;
            return this;
        }

        public Builder entropy(boolean on) {
            entropy = on;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** ECSQ: a fixed step (fraction of the RMS); clears a byte budget. */
        public Builder step(double s) {
            step = s;
            bitsPerElement = 0;
            return this;
        }

        /** ECSQ: a byte budget of {@code floor(bits x elements / 8)} per frame; clears a fixed step. */
        public Builder bitsPerElement(double bits) {
            bitsPerElement = bits;
            step = 0;
            return this;
        }

        public Builder predict(boolean on) {
            predict = on;
            return this;
        }

        public CodecSettings build() {
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
                    seed,
                    step,
                    bitsPerElement,
                    predict);
        }
    }
}
