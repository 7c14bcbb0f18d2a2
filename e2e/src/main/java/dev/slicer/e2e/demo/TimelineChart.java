package dev.slicer.e2e.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * The run's PNG timeline (XChart, as bench's plots): split per edge over time (-1 = cloud-only), and IF bytes per
 * request per edge, with the scenario's events (link changes, load, outages) as vertical lines.
 */
public final class TimelineChart {
    private TimelineChart() {}

    public static List<XYChart> charts(Timeline timeline) {
        XYChart split = chart("Split per edge (candidate index; -1 = cloud-only)", "split");
        XYChart bytes = chart("Bytes sent per request (IF frame + raw side tensors)", "bytes / request");
        for (Map.Entry<String, List<Timeline.Sample>> e : timeline.samples().entrySet()) {
            List<Timeline.Sample> s = e.getValue().stream()
                    .filter(x -> x.split() != Integer.MIN_VALUE)
                    .toList();
            if (s.isEmpty()) {
                continue;
            }
            double[] t = s.stream().mapToDouble(Timeline.Sample::t).toArray();
            split.addSeries(
                            e.getKey(),
                            t,
                            s.stream().mapToDouble(Timeline.Sample::split).toArray())
                    .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            List<Timeline.Sample> b =
                    s.stream().filter(x -> !Double.isNaN(x.bytesPerRequest())).toList();
            if (!b.isEmpty()) {
                bytes.addSeries(
                        e.getKey(),
                        b.stream().mapToDouble(Timeline.Sample::t).toArray(),
                        b.stream().mapToDouble(Timeline.Sample::bytesPerRequest).toArray());
            }
        }
        for (XYChart c : List.of(split, bytes)) {
            if (c.getSeriesMap().isEmpty()) {
                c.addSeries("no replies", new double[] {0}, new double[] {0});
            }
            double top = c.getSeriesMap().values().stream()
                    .flatMapToDouble(x -> java.util.Arrays.stream(x.getYData()))
                    .max()
                    .orElse(1);
            List<Timeline.Event> events = timeline.events();
            for (int i = 0; i < events.size(); i++) {
                Timeline.Event ev = events.get(i);
                c.addAnnotation(new AnnotationLine(ev.t(), true, false));
                // staggered below the top so neighbouring labels do not overlap
                c.addAnnotation(new AnnotationText(ev.label(), ev.t(), top * (1 - 0.08 * (i % 4)), false));
            }
        }
        return List.of(split, bytes);
    }

    private static XYChart chart(String title, String y) {
        XYChart c = new XYChartBuilder()
                .width(1000)
                .height(380)
                .title(title)
                .xAxisTitle("seconds")
                .yAxisTitle(y)
                .build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setMarkerSize(3);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return c;
    }

    public static void write(Path png, List<XYChart> charts) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(charts, charts.size(), 1, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
