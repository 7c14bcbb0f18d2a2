package dev.slicer.model.cli;

import java.util.Locale;

final class Format {
    private Format() {}

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        return String.format(Locale.ROOT, "%.2f MiB", b / (1024.0 * 1024.0));
    }

    static String mb(long b) {
        return String.format(Locale.ROOT, "%.2f", b / 1e6);
    }
}
