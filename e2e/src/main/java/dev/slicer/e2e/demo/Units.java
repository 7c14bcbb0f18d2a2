package dev.slicer.e2e.demo;

import java.util.Locale;

/** Short human units for the table and the report (the planner's, with "-" for a value not measured yet). */
final class Units {
    private Units() {}

    /** 1234567 -> 1.23M (the planner table's rate format). */
    static String rate(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Double.isInfinite(v) || v >= 1e15 ? "inf" : dev.slicer.planner.cli.Units.formatBits(v);
    }

    /** Bytes as B, Ki, Mi. */
    static String bytes(double b) {
        return Double.isNaN(b) ? "-" : dev.slicer.planner.cli.Units.formatBytes(Math.round(b));
    }

    /** Seconds as ms. */
    static String millis(double s) {
        return Double.isNaN(s) ? "-" : String.format(Locale.ROOT, "%.0fms", s * 1000);
    }
}
