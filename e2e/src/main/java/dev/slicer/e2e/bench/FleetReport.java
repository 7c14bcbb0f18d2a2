package dev.slicer.e2e.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The fleet benchmark's outputs from its measured points: markdown table, CSV, Fig. 2-style PNG, last line. */
final class FleetReport {
    static final String CSV_HEADER = "strategy,edges,requests,failed,backend_cpu_ms,backend_cpu_ms_per_request,"
            + "wall_s,throughput_rps,capacity_rps_per_core,p50_ms,p95_ms,uplink_bytes_per_request,fidelity_mean,"
            + "fidelity_min";

    private final List<FleetPoint> points;

    FleetReport(List<FleetPoint> points) {
        this.points = List.copyOf(points);
    }

    FleetPoint point(Strategy s, int edges) {
        return points.stream()
                .filter(p -> p.strategy() == s && p.edges() == edges)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no point for " + s.label + " at " + edges));
    }

    int maxEdges() {
        return points.stream().mapToInt(FleetPoint::edges).max().orElseThrow();
    }

    /** Back-end CPU per request of {@code s} over SLICER's, at {@code edges}. */
    double serverTimeRatio(Strategy s, int edges) {
        double slicer = point(Strategy.SLICER, edges).cpuMsPerRequest();
        return slicer <= 0 ? Double.NaN : point(s, edges).cpuMsPerRequest() / slicer;
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("| strategy | edges | requests | failed | back-end CPU ms/req | back-end CPU s (cumulative) |"
                + " throughput req/s | capacity req/s/core | p50 ms | p95 ms | uplink B/req | fidelity mean |"
                + " fidelity min |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (FleetPoint p : points) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %d | %.2f | %.2f | %.1f | %.1f | %.1f | %.1f | %.0f | %.4f | %.4f |%n",
                    p.strategy().label,
                    p.edges(),
                    p.requests(),
                    p.failed(),
                    p.cpuMsPerRequest(),
                    p.backendCpuMs() / 1000,
                    p.throughput(),
                    p.capacityPerCore(),
                    1e3 * p.p50Seconds(),
                    1e3 * p.p95Seconds(),
                    p.uplinkBytesPerRequest(),
                    p.fidelityMean(),
                    p.fidelityMin()));
        }
        return b.toString();
    }

    String csv() {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (FleetPoint p : points) {
            b.append(String.format(
                    Locale.ROOT,
                    "%s,%d,%d,%d,%.3f,%.4f,%.3f,%.3f,%.3f,%.3f,%.3f,%.1f,%.6f,%.6f%n",
                    p.strategy().label,
                    p.edges(),
                    p.requests(),
                    p.failed(),
                    p.backendCpuMs(),
                    p.cpuMsPerRequest(),
                    p.wallSeconds(),
                    p.throughput(),
                    p.capacityPerCore(),
                    1e3 * p.p50Seconds(),
                    1e3 * p.p95Seconds(),
                    p.uplinkBytesPerRequest(),
                    p.fidelityMean(),
                    p.fidelityMin()));
        }
        return b.toString();
    }

    /** The summary line at the largest edge count; fidelity is SLICER's mean output cosine. */
    String lastLine() {
        int n = maxEdges();
        FleetPoint slicer = point(Strategy.SLICER, n);
        return String.format(
                Locale.ROOT,
                "fleet: edges=%d server_time_ratio_cloud_over_slicer=%.2f server_time_ratio_shallow_over_slicer=%.2f"
                        + " server_time_ratio_uncompressed_over_slicer=%.2f slicer_uplink_bytes_per_request=%.0f"
                        + " fidelity=%.4f",
                n,
                serverTimeRatio(Strategy.CLOUD, n),
                serverTimeRatio(Strategy.SHALLOW, n),
                serverTimeRatio(Strategy.UNCOMPRESSED, n),
                slicer.uplinkBytesPerRequest(),
                slicer.fidelityMean());
    }

    /** Two panels like the paper's Fig. 2: back-end throughput and cumulative server time against edges. */
    void writePng(Path png, String model) throws IOException {
        XYChart tput = chart("Back-end throughput (" + model + ")", "requests / s");
        XYChart time = chart("Cumulative server time (" + model + ")", "back-end CPU s");
        for (Strategy s : Strategy.values()) {
            List<FleetPoint> ps = points.stream().filter(p -> p.strategy() == s).toList();
            if (ps.isEmpty()) {
                continue;
            }
            double[] x = ps.stream().mapToDouble(FleetPoint::edges).toArray();
            tput.addSeries(
                    s.label, x, ps.stream().mapToDouble(FleetPoint::throughput).toArray());
            time.addSeries(
                    s.label,
                    x,
                    ps.stream().mapToDouble(p -> p.backendCpuMs() / 1000).toArray());
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(new ArrayList<>(List.of(tput, time)), 1, 2, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static XYChart chart(String title, String y) {
        XYChart c = new XYChartBuilder()
                .width(560)
                .height(400)
                .title(title)
                .xAxisTitle("edges")
                .yAxisTitle(y)
                .build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setXAxisLogarithmic(true);
        return c;
    }
}
