package dev.slicer.bench.report;

import java.util.Locale;

/** Number formats shared by the table, the CSV and the summary line. */
public final class Fmt {

    private Fmt() {}

    public static String bits(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    public static String cosine(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    public static String mbs(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    public static String relMse(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.3e", v);
    }
}
