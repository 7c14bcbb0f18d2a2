package dev.slicer.e2e.demo;

import dev.slicer.planner.plan.DeviceClassTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * The self-contained HTML report: the timeline charts as inline PNG data, the final table, the scenario's events
 * and the plan history. It opens from disk in any browser without a server; a small script marks in the DOM how
 * many charts decoded ({@code data-charts-rendered} on the body), which the browser test reads.
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static void write(
            Path html, String summary, List<String> table, List<XYChart> charts, Timeline timeline, PlanHistory plans)
            throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>SLICER demo report</title>\n")
                .append(
                        "<style>body{font-family:sans-serif;margin:2em;max-width:1100px}pre{background:#f4f4f4;padding:1em;")
                .append("overflow-x:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;")
                .append(
                        "text-align:left;vertical-align:top;font-size:90%}img{max-width:100%;border:1px solid #ddd}</style>\n")
                .append("</head><body data-charts=\"")
                .append(charts.size())
                .append("\">\n<h1>SLICER demo</h1>\n<pre id=\"summary\">")
                .append(esc(summary))
                .append("</pre>\n<h2>Timeline</h2>\n");
        for (XYChart c : charts) {
            byte[] png = BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
            b.append("<p><img class=\"chart\" alt=\"")
                    .append(esc(c.getTitle()))
                    .append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png))
                    .append("\"></p>\n");
        }
        b.append("<h2>Final table</h2>\n<pre>")
                .append(esc(String.join("\n", table)))
                .append("</pre>\n");
        b.append("<h2>Events</h2>\n<table><tr><th>t (s)</th><th>event</th></tr>\n");
        for (Timeline.Event e : timeline.events()) {
            b.append(String.format(Locale.ROOT, "<tr><td>%.1f</td><td>%s</td></tr>%n", e.t(), esc(e.label())));
        }
        b.append(
                "</table>\n<h2>Plan history</h2>\n<table><tr><th>t (s)</th><th>plan</th><th>device class: rows</th></tr>\n");
        for (PlanHistory.Entry e : plans.entries()) {
            StringBuilder rows = new StringBuilder();
            for (DeviceClassTable t : e.plan().tables()) {
                rows.append("<b>").append(esc(t.deviceClass().name())).append("</b><br>");
                for (String r : PlanHistory.summary(t)) {
                    rows.append(esc(r)).append("<br>");
                }
            }
            b.append(String.format(
                    Locale.ROOT,
                    "<tr><td>%.1f</td><td><code>%s</code></td><td>%s</td></tr>%n",
                    e.atSeconds(),
                    esc(PlanHistory.shortHash(e.hash())),
                    rows));
        }
        b.append("</table>\n<script>\nwindow.addEventListener('load', function () {\n")
                .append("  var ok = Array.prototype.filter.call(document.querySelectorAll('img.chart'),\n")
                .append("    function (i) { return i.complete && i.naturalWidth > 0; }).length;\n")
                .append("  document.body.setAttribute('data-charts-rendered', String(ok));\n});\n</script>\n")
                .append("</body></html>\n");
        Files.createDirectories(html.toAbsolutePath().getParent());
        Files.writeString(html, b.toString(), StandardCharsets.UTF_8);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
