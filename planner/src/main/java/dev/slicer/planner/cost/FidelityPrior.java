package dev.slicer.planner.cost;

import dev.slicer.planner.search.Theta;

/**
 * The documented conservative default used when a profile carries no measured distortion table.
 *
 * <ul>
 *   <li>LOSSLESS: 1.
 *   <li>TOPK: {@code sqrt(1 - s) * (1 - 2^(2 - qbit))}. Keeping the k = (1-s)T largest magnitudes keeps at least a
 *       (1-s) share of the energy, so the cosine to the input is at least {@code sqrt(1 - s)} before
 *       quantization; the second factor charges a pessimistic 4 quantization steps of error per 2^qbit levels.
 *   <li>TS_TABQ: {@code 1 - 2^(2 - qbit)} (the same quantization charge; outliers are kept exactly).
 *   <li>ECSQ at {@code b} bits per element: {@code 1 - 0.7 x 4^-b}, the distortion-rate slope of entropy-coded
 *       scalar quantization (6 dB per bit) with a constant below what MiniLM hidden states measure (0.85, 0.961,
 *       0.990, 0.997 at 1, 2, 3, 4 bits).
 * </ul>
 *
 * These are cosines of the shipped feature, not of the model output; real models usually do better. They only rank
 * settings (prefer fewer dropped values and more bits) and feed a {@code --min-fidelity} floor.
 */
public final class FidelityPrior {
    private FidelityPrior() {}

    public static double of(Theta t) {
        double quant = Math.max(0, 1 - Math.pow(2, 2 - t.qbit()));
        return switch (t.mode()) {
            case LOSSLESS -> 1.0;
            case TOPK -> Math.sqrt(1 - t.sparsity()) * quant;
            case TS_TABQ -> quant;
            case ECSQ -> 1 - 0.7 * Math.pow(4, -t.bitsPerElement());
        };
    }

    /** One line stating the assumption, for output. */
    public static String description() {
        return "no measured distortion table: fidelity is a conservative prior (TOPK sqrt(1-s)*(1-2^(2-qbit)),"
                + " TS/TAB-Q 1-2^(2-qbit), ECSQ 1-0.7*4^-b, lossless 1) on the shipped feature, not a measured output cosine";
    }
}
