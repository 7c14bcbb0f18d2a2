package dev.slicer.planner.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of durations ({@code 50ms}, {@code 1.5s}, {@code 250us}), sizes ({@code 512Mi}, {@code 8M}) and rates. */
public final class Units {
    private static final Pattern NUMBER_UNIT =
            Pattern.compile("^\\s*([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*([a-zA-Z]*)\\s*$");

    private Units() {}

    /** Seconds from {@code <number><unit>} with unit s, ms, us (or µs), ns; a bare number is rejected. */
    public static double seconds(String text) {
        Matcher m = match(text, "duration", "50ms, 1.5s, 250us");
        double v = Double.parseDouble(m.group(1));
        double scale =
                switch (m.group(2)) {
                    case "s" -> 1;
                    case "ms" -> 1e-3;
                    case "us", "µs" -> 1e-6;
                    case "ns" -> 1e-9;
                    default ->
                        throw new IllegalArgumentException(
                                "unknown duration unit '" + m.group(2) + "' in '" + text + "' (use s, ms, us or ns)");
                };
        return finite(v * scale, text);
    }

    /** Bytes from {@code <number>[unit]} with unit B, k/K, M, G, T (powers of 1000) or Ki, Mi, Gi, Ti (1024). */
    public static long bytes(String text) {
        Matcher m = match(text, "size", "512Mi, 8M, 64Ki, 1000");
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2);
        if (unit.endsWith("B") && unit.length() > 1) {
            unit = unit.substring(0, unit.length() - 1);
        }
        double scale = multiplier(unit, text, "size");
        double bytes = v * scale;
        if (!(bytes >= 0 && bytes < 9.2e18)) {
            throw new IllegalArgumentException("size out of range: '" + text + "'");
        }
        return (long) Math.ceil(bytes);
    }

    /** Bits per second from {@code <number>[unit]} with unit k, M, G (powers of 1000), optional {@code bit/s}. */
    public static double bitsPerSecond(String text) {
        String t = text == null ? "" : text.replace("bit/s", "").replace("bps", "");
        Matcher m = match(t, "rate", "64k, 100M, 1G (bit/s)");
        return finite(Double.parseDouble(m.group(1)) * multiplier(m.group(2), text, "rate"), text);
    }

    private static double multiplier(String unit, String text, String what) {
        return switch (unit) {
            case "", "B" -> 1;
            case "k", "K" -> 1e3;
            case "M" -> 1e6;
            case "G" -> 1e9;
            case "T" -> 1e12;
            case "Ki" -> 1024.0;
            case "Mi" -> 1024.0 * 1024;
            case "Gi" -> 1024.0 * 1024 * 1024;
            case "Ti" -> 1024.0 * 1024 * 1024 * 1024;
            default ->
                throw new IllegalArgumentException("unknown " + what + " unit '" + unit + "' in '" + text
                        + "' (use k, M, G, T or Ki, Mi, Gi, Ti)");
        };
    }

    private static Matcher match(String text, String what, String examples) {
        Matcher m = NUMBER_UNIT.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("cannot parse " + what + " '" + text
                    + "': expected a non-negative number and a unit, e.g. " + examples);
        }
        if ("duration".equals(what) && m.group(2).isEmpty()) {
            throw new IllegalArgumentException("duration '" + text + "' needs a unit: s, ms, us or ns");
        }
        return m;
    }

    private static double finite(double v, String text) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("value out of range: '" + text + "'");
        }
        return v;
    }

    /** Human formatting for the table. */
    public static String formatBits(double bitsPerSecond) {
        if (bitsPerSecond >= 1e9) {
            return String.format(Locale.ROOT, "%.3gG", bitsPerSecond / 1e9);
        }
        if (bitsPerSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.3gM", bitsPerSecond / 1e6);
        }
        if (bitsPerSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.3gk", bitsPerSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.3g", bitsPerSecond);
    }

    public static String formatBytes(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1fGi", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1fMi", bytes / (double) (1L << 20));
        }
        if (bytes >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1fKi", bytes / 1024.0);
        }
        return bytes + "B";
    }

    public static String formatSeconds(Double s) {
        if (s == null || s.isInfinite()) {
            return "inf";
        }
        if (s >= 1e3) {
            return String.format(Locale.ROOT, "%.2es", s);
        }
        if (s >= 1) {
            return String.format(Locale.ROOT, "%.2fs", s);
        }
        return String.format(Locale.ROOT, "%.2fms", s * 1e3);
    }
}
