package dev.slicer.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The goals, checked against the measured rows of one data set (the MiniLM hidden states). */
public final class Goals {

    public static final double REFERENCE_MAX_BITS = 3.0;
    public static final double AT_COS99_MAX_BITS = 3.0;
    public static final double SPEED_RATIO = 2.0;
    public static final double DECODE_MIN_MB_S = 1000;

    private Goals() {}

    public static List<String> check(List<ResultRow> rows, String zstdId) {
        List<String> out = new ArrayList<>();
        ResultRow ref = rows.stream().filter(ResultRow::reference).findFirst().orElseThrow();
        ResultRow zstd = rows.stream()
                .filter(r -> r.methodId().equals(zstdId))
                .findFirst()
                .orElseThrow();
        double refBits = ref.quality().bitsPerElement();
        out.add(line(
                refBits <= REFERENCE_MAX_BITS,
                "reference point: %s bits/element (goal <= %.1f) at cosine %s",
                Fmt.bits(refBits),
                REFERENCE_MAX_BITS,
                Fmt.cosine(ref.quality().cosine())));
        Optional<ResultRow> best = Summary.bestAtTarget(rows);
        out.add(best.map(b -> line(
                        b.quality().bitsPerElement() <= AT_COS99_MAX_BITS,
                        "fewest bits at cosine >= 0.99: %s bits/element (goal <= %.1f) with %s",
                        Fmt.bits(b.quality().bitsPerElement()),
                        AT_COS99_MAX_BITS,
                        b.settings()))
                .orElse("- [ ] fewest bits at cosine >= 0.99: no SLICER setting of the sweep reaches it"));
        best.ifPresent(b -> {
            out.add(line(
                    b.encode().mbPerSecond() >= SPEED_RATIO * zstd.encode().mbPerSecond(),
                    "best mode at 0.99 encodes at %s MB/s vs zstd-1 %s MB/s (goal >= %.0fx: ratio %.2f)",
                    Fmt.mbs(b.encode().mbPerSecond()),
                    Fmt.mbs(zstd.encode().mbPerSecond()),
                    SPEED_RATIO,
                    b.encode().mbPerSecond() / zstd.encode().mbPerSecond()));
            out.add(line(
                    b.decode().mbPerSecond() >= SPEED_RATIO * zstd.decode().mbPerSecond(),
                    "best mode at 0.99 decodes at %s MB/s vs zstd-1 %s MB/s (goal >= %.0fx: ratio %.2f)",
                    Fmt.mbs(b.decode().mbPerSecond()),
                    Fmt.mbs(zstd.decode().mbPerSecond()),
                    SPEED_RATIO,
                    b.decode().mbPerSecond() / zstd.decode().mbPerSecond()));
        });
        // every lossy baseline: the codec reaches its cosine with fewer bits
        for (ResultRow base : rows) {
            if (base.slicer() || base.lossless()) {
                continue;
            }
            double target = base.quality().cosine();
            Optional<ResultRow> match = rows.stream()
                    .filter(ResultRow::slicer)
                    .filter(r -> r.quality().cosine() >= target)
                    .min((a, b) -> Double.compare(
                            a.quality().bitsPerElement(), b.quality().bitsPerElement()));
            out.add(match.map(m -> line(
                            m.quality().bitsPerElement() < base.quality().bitsPerElement(),
                            "%s fidelity (cosine %s at %s bits): SLICER reaches it with %s bits (%s)",
                            base.methodId(),
                            Fmt.cosine(target),
                            Fmt.bits(base.quality().bitsPerElement()),
                            Fmt.bits(m.quality().bitsPerElement()),
                            m.settings()))
                    .orElse("- [ ] " + base.methodId() + " fidelity (cosine " + Fmt.cosine(target)
                            + "): no SLICER setting of the sweep reaches it"));
        }
        out.add(line(
                ref.encode().mbPerSecond() >= zstd.encode().mbPerSecond(),
                "reference encode %s MB/s vs zstd-1 %s MB/s (goal >=, aim 2x: ratio %.2f)",
                Fmt.mbs(ref.encode().mbPerSecond()),
                Fmt.mbs(zstd.encode().mbPerSecond()),
                ref.encode().mbPerSecond() / zstd.encode().mbPerSecond()));
        out.add(line(
                ref.decode().mbPerSecond() >= DECODE_MIN_MB_S,
                "reference decode %s MB/s (goal >= %.0f MB/s of fp32 output per core)",
                Fmt.mbs(ref.decode().mbPerSecond()),
                DECODE_MIN_MB_S));
        return out;
    }

    private static String line(boolean met, String format, Object... args) {
        return (met ? "- [x] " : "- [ ] ") + String.format(Locale.ROOT, format, args);
    }
}
