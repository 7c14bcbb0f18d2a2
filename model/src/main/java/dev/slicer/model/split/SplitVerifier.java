package dev.slicer.model.split;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Splits a model at every candidate, runs front then back with lossless transfer and compares all
 * graph outputs with the full model. A candidate is exact when, for every output, the largest
 * absolute difference is within {@link #tolerance} of it: {@link #RELATIVE_TOLERANCE} of the
 * output's largest magnitude plus {@link #ABSOLUTE_TOLERANCE} (float rounding of outputs near zero,
 * such as probabilities of 1e-4, is not a difference).
 */
public final class SplitVerifier {
    public static final double RELATIVE_TOLERANCE = 1e-4;
    public static final double ABSOLUTE_TOLERANCE = 1e-6;

    /** The largest difference an output whose largest magnitude is {@code maxAbs} may show and still be exact. */
    public static double tolerance(double maxAbs) {
        return ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * maxAbs;
    }

    /** Outcome for one candidate. */
    public record Result(
            SplitCandidate candidate, double maxAbsDiff, boolean exact, String worstOutput, double tolerance) {
        public Result(SplitCandidate candidate, double maxAbsDiff, boolean exact, String worstOutput) {
            this(candidate, maxAbsDiff, exact, worstOutput, Double.NaN);
        }
    }

    /** Outcome for a model. */
    public record Report(String model, List<Result> results) {
        public Report {
            results = List.copyOf(results);
        }

        public long exactCount() {
            return results.stream().filter(Result::exact).count();
        }

        public double maxAbsDiff() {
            return results.stream().mapToDouble(Result::maxAbsDiff).max().orElse(0);
        }

        public boolean allExact() {
            return exactCount() == results.size();
        }

        /** Smallest tolerance applied (the strictest output), NaN without results. */
        public double tolerance() {
            return results.stream().mapToDouble(Result::tolerance).min().orElse(Double.NaN);
        }

        /** {@code verify: P/N candidates exact max_abs_diff=X tolerance=T}. */
        public String summaryLine() {
            return String.format(
                    Locale.ROOT,
                    "verify: %d/%d candidates exact max_abs_diff=%.3g tolerance=%.3g (%.0e + %.0e x max|output|)",
                    exactCount(),
                    results.size(),
                    maxAbsDiff(),
                    tolerance(),
                    ABSOLUTE_TOLERANCE,
                    RELATIVE_TOLERANCE);
        }
    }

    private SplitVerifier() {}

    public static Report verify(SplittableModel m, List<SplitCandidate> candidates, Consumer<Result> progress) {
        return verify(m, candidates, SampleInputs.generate(m.model(), m.verificationDims(), 3), progress);
    }

    /** As {@link #verify(SplittableModel, List, Consumer)} on the given inputs (user samples). */
    public static Report verify(
            SplittableModel m,
            List<SplitCandidate> candidates,
            Map<String, HostTensor> inputs,
            Consumer<Result> progress) {
        Map<String, HostTensor> reference;
        try (ModelRunner full = new ModelRunner(m.model(), m.name())) {
            reference = full.run(inputs);
        }
        List<Result> results = new ArrayList<>();
        for (SplitCandidate c : candidates) {
            Map<String, HostTensor> out;
            try (SplitRunner r = new SplitRunner(m.split(c))) {
                out = r.run(inputs, t -> t);
            }
            Result res = compare(c, reference, out);
            results.add(res);
            if (progress != null) {
                progress.accept(res);
            }
        }
        return new Report(m.name(), results);
    }

    static Result compare(SplitCandidate c, Map<String, HostTensor> reference, Map<String, HostTensor> actual) {
        double worst = 0;
        boolean exact = true;
        String worstName = "";
        double tol = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, HostTensor> e : reference.entrySet()) {
            HostTensor ref = e.getValue();
            HostTensor got = actual.get(e.getKey());
            if (got == null || !java.util.Arrays.equals(got.shape(), ref.shape())) {
                return new Result(c, Double.POSITIVE_INFINITY, false, e.getKey(), 0);
            }
            double maxRef = 0;
            double diff = 0;
            int n = Math.toIntExact(ref.elementCount());
            for (int i = 0; i < n; i++) {
                double r = ref.value(i);
                maxRef = Math.max(maxRef, Math.abs(r));
                double d = Math.abs(got.value(i) - r);
                if (!(d <= diff)) {
                    diff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                }
            }
            double t = tolerance(maxRef);
            tol = Math.min(tol, t);
            if (!(diff <= t)) {
                exact = false;
            }
            if (diff >= worst) {
                worst = diff;
                worstName = e.getKey();
            }
        }
        return new Result(c, worst, exact, worstName, tol);
    }
}
