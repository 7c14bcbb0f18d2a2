package dev.slicer.planner.cli;

import dev.slicer.planner.link.LinkAxis;
import dev.slicer.planner.plan.DeviceClassTable;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.Budgets;
import java.io.PrintStream;
import java.util.Locale;

/** Human-readable rendering of a plan. */
final class TablePrinter {
    private TablePrinter() {}

    static void print(Plan plan, PrintStream out) {
        out.printf(
                Locale.ROOT, "plan %s for %s (%d split candidates)%n", plan.sha256(), plan.model(), plan.candidates());
        if (!"measured".equals(plan.fidelitySource())) {
            out.println("WARNING: fidelity is the PRIOR, not measured: the floor and the knob ranking rest on it");
        }
        for (String a : plan.assumptions()) {
            out.println("assumption: " + a);
        }
        for (DeviceClassTable t : plan.tables()) {
            out.println();
            Budgets b = t.deviceClass().budgets();
            StringBuilder h = new StringBuilder();
            h.append(String.format(
                    Locale.ROOT,
                    "device class %s: D=%s M=%s queue=%s compute-scale=%s",
                    t.deviceClass().name(),
                    Units.formatSeconds(b.latencySeconds()),
                    Units.formatBytes(b.memoryBytes()),
                    Units.formatSeconds(b.queueDelaySeconds()),
                    t.deviceClass().computeScale()));
            if (b.ar() != null) {
                h.append(String.format(
                        Locale.ROOT,
                        " AR: tokens=%d prompt=%d M_ar=%s",
                        b.ar().tokens(),
                        b.ar().promptTokens(),
                        Units.formatBytes(b.ar().arMemoryBytes())));
            }
            h.append(" min-fidelity=").append(b.minFidelity());
            h.append(" objective=").append(b.objective());
            out.println(h);
            boolean snr = t.deviceClass().link().axis() == LinkAxis.SNR_DB;
            if (snr) {
                out.printf(
                        Locale.ROOT,
                        "link: eps-outage, W=%s Hz, eps=%s; rows by SNR (dB), rate R chosen to minimise eq. 1%n",
                        Units.formatBits(t.deviceClass().link().bandwidthHz()),
                        t.deviceClass().link().epsilon());
            } else {
                out.println("link: measured goodput; rows by rate (bit/s), planned at each bucket's lower bound");
            }
            out.printf(
                    Locale.ROOT,
                    "%-3s %-19s %-8s %-4s %-11s %-22s %-3s %-40s %-9s %-10s %-8s %s%n",
                    "#",
                    snr ? "SNR dB [lo, hi)" : "rate [lo, hi)",
                    "R",
                    "n",
                    "kind",
                    "split",
                    "w",
                    "knobs",
                    "bytes",
                    "latency",
                    "fidelity",
                    "reason");
            for (PlanRow r : t.rows()) {
                String range = snr
                        ? String.format(Locale.ROOT, "[%.1f, %.1f)", r.lower(), r.upper())
                        : "[" + Units.formatBits(r.lower()) + ", " + Units.formatBits(r.upper()) + ")";
                out.printf(
                        Locale.ROOT,
                        "%-3d %-19s %-8s %-4d %-11s %-22s %-3d %-40s %-9s %-10s %-8.4f %s%n",
                        r.bucket(),
                        range,
                        Units.formatBits(r.rateBitsPerSecond()),
                        r.transmissions(),
                        r.kind(),
                        r.split() + " " + r.splitName(),
                        r.w(),
                        knobs(r.theta()),
                        Units.formatBytes(r.predictedBytes()),
                        Units.formatSeconds(r.predictedLatencySeconds()),
                        r.predictedFidelity(),
                        r.reason() == null ? "" : r.reason());
            }
        }
    }

    static String knobs(Theta t) {
        if (t == null) {
            return "-";
        }
        String e = t.entropy() ? " rans" : "";
        return switch (t.mode()) {
            case LOSSLESS -> "lossless";
            case TOPK ->
                String.format(
                        Locale.ROOT,
                        "topk s=%s M=%d/%d lambda=%s q%d%s",
                        t.sparsity(),
                        t.blocksPos(),
                        t.blocksNeg(),
                        t.lambda(),
                        t.qbit(),
                        e);
            case TS_TABQ -> String.format(Locale.ROOT, "ts-tabq o=%s q%d%s", t.outlierFraction(), t.qbit(), e);
            case ECSQ -> String.format(Locale.ROOT, "ecsq %sb%s", t.bitsPerElement(), t.predict() ? " pred" : "");
        };
    }
}
