package dev.slicer.bench.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

/**
 * Rate-distortion plot: x = bits/element, y = 1 - mean cosine on a log axis, one series per method family, one panel
 * per data set. Lossless methods (1 - cosine = 0) have no place on a log axis and are left out.
 */
public final class RdPlot {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 600;

    private RdPlot() {}

    public static XYChart chart(String title, List<ResultRow> rows) {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle("bits / element")
                .yAxisTitle("1 - mean cosine (log)")
                .build();
        XYStyler styler = chart.getStyler();
        styler.setYAxisLogarithmic(true);
        styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        styler.setMarkerSize(9);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setXAxisMin(0.0);
        Map<String, List<double[]>> families = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            double distortion = 1 - r.quality().cosine();
            if (r.lossless() || !(distortion > 0)) {
                continue;
            }
            families.computeIfAbsent(r.family(), k -> new ArrayList<>())
                    .add(new double[] {r.quality().bitsPerElement(), distortion});
        }
        for (Map.Entry<String, List<double[]>> e : families.entrySet()) {
            List<double[]> pts = e.getValue();
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = pts.get(i)[0];
                y[i] = pts.get(i)[1];
            }
            chart.addSeries(e.getKey(), x, y);
        }
        return chart;
    }

    /** Writes one PNG with the charts side by side. */
    public static void write(Path png, List<XYChart> charts) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(charts, charts.size(), 1, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
