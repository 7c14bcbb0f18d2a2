package dev.slicer.bench.report;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The closing line scripts parse:
 *
 * <pre>
 * summary: slicer_bits_per_element=B cosine=C encode_mb_s=E decode_mb_s=D zstd1_bits_per_element=ZB
 *   zstd1_encode_mb_s=ZE zstd1_decode_mb_s=ZD best_bits_at_cos99=BB best_mode_at_cos99=MODE
 *   baseline_ecsq_bits_at_cos99=EB best_mode_encode_mb_s=BE best_mode_decode_mb_s=BD
 * </pre>
 *
 * (one line). {@code best_*} come from the SLICER rows only; when none reaches the target, {@code BB} is {@code NaN}
 * and {@code MODE} is {@code none}. {@code EB}: the fewest bits of the ECSQ baselines (one step per tensor or per
 * token, {@code RansCoder}) at the target; {@code BE}/{@code BD}: the speeds of the row named by {@code MODE}.
 */
public final class Summary {

    public static final double COSINE_TARGET = 0.99;

    private Summary() {}

    /** The SLICER row with the fewest bits/element among those with mean cosine >= {@link #COSINE_TARGET}. */
    public static Optional<ResultRow> bestAtTarget(List<ResultRow> rows) {
        return rows.stream()
                .filter(ResultRow::slicer)
                .filter(r -> r.quality().cosine() >= COSINE_TARGET)
                .min(Comparator.comparingDouble(r -> r.quality().bitsPerElement()));
    }

    /** The ECSQ baseline row with the fewest bits/element among those at the cosine target. */
    public static Optional<ResultRow> baselineEcsqAtTarget(List<ResultRow> rows) {
        return rows.stream()
                .filter(r -> r.methodId().startsWith(ECSQ_BASELINE_PREFIX))
                .filter(r -> r.quality().cosine() >= COSINE_TARGET)
                .min(Comparator.comparingDouble(r -> r.quality().bitsPerElement()));
    }

    public static final String ECSQ_BASELINE_PREFIX = "ecsq-";

    /**
     * @param datasetRows every row of the data set the summary is about (the MiniLM hidden states)
     * @param zstdId id of the zstd level-1 fp32 baseline
     */
    public static String line(List<ResultRow> datasetRows, String zstdId) {
        ResultRow ref = datasetRows.stream()
                .filter(ResultRow::reference)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no reference row"));
        ResultRow zstd = datasetRows.stream()
                .filter(r -> r.methodId().equals(zstdId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + zstdId + " row"));
        Optional<ResultRow> best = bestAtTarget(datasetRows);
        return "summary:"
                + " slicer_bits_per_element=" + Fmt.bits(ref.quality().bitsPerElement())
                + " cosine=" + Fmt.cosine(ref.quality().cosine())
                + " encode_mb_s=" + Fmt.mbs(ref.encode().mbPerSecond())
                + " decode_mb_s=" + Fmt.mbs(ref.decode().mbPerSecond())
                + " zstd1_bits_per_element=" + Fmt.bits(zstd.quality().bitsPerElement())
                + " zstd1_encode_mb_s=" + Fmt.mbs(zstd.encode().mbPerSecond())
                + " zstd1_decode_mb_s=" + Fmt.mbs(zstd.decode().mbPerSecond())
                + " best_bits_at_cos99="
                + best.map(r -> Fmt.bits(r.quality().bitsPerElement())).orElse("NaN")
                + " best_mode_at_cos99=" + best.map(ResultRow::modeToken).orElse("none")
                + " baseline_ecsq_bits_at_cos99="
                + baselineEcsqAtTarget(datasetRows)
                        .map(r -> Fmt.bits(r.quality().bitsPerElement()))
                        .orElse("NaN")
                + " best_mode_encode_mb_s="
                + best.map(r -> Fmt.mbs(r.encode().mbPerSecond())).orElse("NaN")
                + " best_mode_decode_mb_s="
                + best.map(r -> Fmt.mbs(r.decode().mbPerSecond())).orElse("NaN");
    }
}
