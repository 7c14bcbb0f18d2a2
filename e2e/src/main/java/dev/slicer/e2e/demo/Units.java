package dev.slicer.e2e.demo;

import java.util.Locale;

/** Short human units for the table and the report. */
final class Units {
    private Units() {}

    /** 1234567 -> 1.23M (k, M, G; plain below 1000). */
    static String rate(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Double.isInfinite(v) || v >= 1e15) {
            return "inf";
        }
        if (v >= 1e9) {
            return String.format(Locale.ROOT, "%.3gG", v / 1e9);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.3gM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.3gk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** Bytes as B, KiB, MiB. */
    static String bytes(double b) {
        if (Double.isNaN(b)) {
            return "-";
        }
        if (b >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1fMi", b / (1 << 20));
        }
        if (b >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1fKi", b / (1 << 10));
        }
        return String.format(Locale.ROOT, "%.0fB", b);
    }

    /** Seconds as ms. */
    static String millis(double s) {
        return Double.isNaN(s) ? "-" : String.format(Locale.ROOT, "%.0fms", s * 1000);
    }
}
