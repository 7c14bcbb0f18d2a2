package dev.slicer.planner.cli;

import dev.slicer.model.split.SplittableModel;
import dev.slicer.planner.InvalidPlanInputException;
import dev.slicer.planner.Planner;
import dev.slicer.planner.cost.CodecSizeBound;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.plan.DeviceClass;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.split.ArBudget;
import dev.slicer.planner.split.RowKind;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code slicer plan check}: makes a plan like {@code slicer plan}, executes every distinct row on this machine
 * ({@link RowExecutor}) and prints predicted against measured per row; the last line is
 * {@code plancheck: rows=N latency_error_p50=E bytes_error_max=B fidelity_error_max=F below_floor=Z}, with E and
 * B relative errors (|predicted - measured| / measured; B also flags any underestimate), F absolute, Z the rows
 * whose measured fidelity is below the floor. Encode-time predictions (zeta) are compared the same way in a
 * {@code zeta:} line, since timing belongs here and not in unit tests.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Make a plan, execute each distinct row on this machine, print predicted vs measured.")
final class CheckCommand implements Callable<Integer> {
    @CommandLine.Mixin
    PlanOptions options;

    @Option(
            names = "--check-samples",
            defaultValue = "2",
            description = "held-out inputs each row's fidelity is measured on (default ${DEFAULT-VALUE})")
    int checkSamples;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A row's identity for execution: rows that differ only in their link bucket run the same code. */
    private record Key(RowKind kind, int split, int w, String knobs) {
        static Key of(PlanRow r) {
            return new Key(r.kind(), r.split(), r.w(), r.theta() == null ? "-" : TablePrinter.knobs(r.theta()));
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (checkSamples < 1) {
            throw new InvalidPlanInputException("--check-samples must be >= 1, got " + checkSamples);
        }
        if (options.model == null || options.model.startsWith("synthetic:")) {
            throw new InvalidPlanInputException("plan check executes the model: give --model with a real model");
        }
        DeviceClass dc = options.deviceClass();
        SplitProfile p = options.loadProfile(err);
        Plan plan = new Planner(CodecSizeBound.INSTANCE).plan(p, List.of(dc));
        List<PlanRow> rows = plan.tables().get(0).rows();
        Map<Key, List<PlanRow>> distinct = new LinkedHashMap<>();
        for (PlanRow r : rows) {
            distinct.computeIfAbsent(Key.of(r), k -> new ArrayList<>()).add(r);
        }
        ArBudget ar = dc.budgets().ar();
        double floor = dc.budgets().minFidelity();
        out.printf(
                Locale.ROOT,
                "plan check: %s, %d rows, %d distinct executed on this machine (warm medians, %d held-out"
                        + " input(s), compute x%s); each row's link emulated at its rate%n",
                p.model(),
                rows.size(),
                distinct.size(),
                checkSamples,
                dc.computeScale());
        out.printf(
                Locale.ROOT,
                "%-4s %-11s %-27s %-3s %-36s %-8s | %-19s %-6s | %-15s %-6s | %-15s %-6s | %-17s %-6s | %s%n",
                "#",
                "kind",
                "split",
                "w",
                "knobs",
                "R",
                "latency pred/meas",
                "err",
                "bytes pred/meas",
                "err",
                "fidelity p/m",
                "err",
                "zeta pred/meas",
                "err",
                "decode, back (back-end side)");
        List<Double> latencyErrors = new ArrayList<>();
        List<Double> zetaErrors = new ArrayList<>();
        double bytesMax = 0;
        double fidelityMax = 0;
        int below = 0;
        int under = 0;
        int executed = 0;
        SplittableModel model = SplittableModel.load(p.model());
        try (RowExecutor exec = new RowExecutor(model, p, checkSamples)) {
            for (Map.Entry<Key, List<PlanRow>> e : distinct.entrySet()) {
                PlanRow r = e.getValue().get(0);
                if (r.kind() == RowKind.UNAVAILABLE) {
                    for (PlanRow row : e.getValue()) {
                        out.printf(Locale.ROOT, "%-4d %-11s (nothing runs: %s)%n", row.bucket(), r.kind(), r.reason());
                    }
                    continue;
                }
                RowExecutor.Measured once = exec.run(r, dc.computeScale(), ar);
                for (PlanRow row : e.getValue()) {
                    RowExecutor.Measured m = once;
                    double measuredLatency = m.latencySeconds(rateOf(row));
                    executed++;
                    double le = rel(row.predictedLatencySeconds(), measuredLatency);
                    double be = rel(row.predictedBytes(), m.bytes());
                    double fe = Math.abs(row.predictedFidelity() - m.fidelity());
                    latencyErrors.add(le);
                    bytesMax = Math.max(bytesMax, be);
                    fidelityMax = Math.max(fidelityMax, fe);
                    under += row.predictedBytes() < m.bytes() ? 1 : 0;
                    below += m.fidelity() < floor ? 1 : 0;
                    String zeta = "-";
                    String zetaErr = "-";
                    if (row.kind() == RowKind.SPLIT) {
                        double predicted = predictedZeta(p, row, ar) * dc.computeScale();
                        double ze = rel(predicted, m.encodeSeconds());
                        zetaErrors.add(ze);
                        zeta = Units.formatSeconds(predicted) + "/" + Units.formatSeconds(m.encodeSeconds());
                        zetaErr = String.format(Locale.ROOT, "%.2f", ze);
                    }
                    out.printf(
                            Locale.ROOT,
                            "%-4d %-11s %-27s %-3d %-36s %-8s | %-19s %-6.3f | %-15s %-6.3f | %-15s %-6.4f | %-17s"
                                    + " %-6s | %s, %s%n",
                            row.bucket(),
                            row.kind(),
                            row.split() + " " + row.splitName(),
                            row.w(),
                            TablePrinter.knobs(row.theta()),
                            Units.formatBits(row.rateBitsPerSecond()),
                            Units.formatSeconds(row.predictedLatencySeconds()) + "/"
                                    + Units.formatSeconds(measuredLatency),
                            le,
                            row.predictedBytes() + "/" + m.bytes(),
                            be,
                            String.format(Locale.ROOT, "%.4f/%.4f", row.predictedFidelity(), m.fidelity()),
                            fe,
                            zeta,
                            zetaErr,
                            Units.formatSeconds(m.decodeSeconds()),
                            Units.formatSeconds(m.backSeconds()));
                }
            }
        }
        if (under > 0) {
            out.printf(Locale.ROOT, "WARNING: %d row(s) predicted fewer bytes than measured%n", under);
        }
        long within = zetaErrors.stream().filter(z -> z <= 0.30).count();
        out.printf(
                Locale.ROOT,
                "zeta: rows=%d within_30pct=%d max_error=%.3f%n",
                zetaErrors.size(),
                within,
                zetaErrors.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        out.printf(
                Locale.ROOT,
                "plancheck: rows=%d latency_error_p50=%.3f bytes_error_max=%.3f fidelity_error_max=%.4f"
                        + " below_floor=%d%n",
                executed,
                median(latencyErrors),
                bytesMax,
                fidelityMax,
                below);
        out.flush();
        return 0;
    }

    private static double predictedZeta(SplitProfile p, PlanRow r, ArBudget ar) {
        var c = p.candidates().get(r.split());
        // the frame whose encode the row measures first: the single-shot feature or the AR hand-off
        long elements = ar == null ? c.codedElements() : (long) (ar.promptTokens() + r.w() - 1) * c.hiddenSize();
        return p.encodeTime().encodeSeconds(r.split(), elements, r.theta());
    }

    private static double rel(double predicted, double measured) {
        if (measured == 0) {
            return predicted == 0 ? 0 : 1;
        }
        return Math.abs(predicted - measured) / measured;
    }

    private static double median(List<Double> v) {
        if (v.isEmpty()) {
            return 0;
        }
        double[] s = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static dev.slicer.planner.link.RateChoice rateOf(PlanRow r) {
        return new dev.slicer.planner.link.RateChoice(
                r.rateBitsPerSecond(), r.transmissions(), r.effectiveRateBitsPerSecond());
    }
}
