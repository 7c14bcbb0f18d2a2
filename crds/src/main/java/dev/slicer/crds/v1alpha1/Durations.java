package dev.slicer.crds.v1alpha1;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;

/** Parses the Go-style duration strings of the API ({@link Patterns#DURATION}) into {@link Duration}s. */
public final class Durations {

    private static final java.util.regex.Pattern WHOLE = java.util.regex.Pattern.compile(Patterns.DURATION);
    private static final java.util.regex.Pattern PART =
            java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|ms|s|m|h)");

    private Durations() {}

    /**
     * Parses {@code text}, e.g. {@code 250ms}, {@code 1.5s} or {@code 1h2m3s}.
     *
     * @throws IllegalArgumentException if {@code text} is not a duration of the API
     */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("not a duration (e.g. 250ms, 1.5s, 1m30s): " + text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = PART.matcher(text);
        while (m.find()) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPerUnit(m.group(2)))));
        }
        return Duration.ofNanos(nanos.longValueExact());
    }

    /** Formats {@code duration} in the API's syntax, using the largest unit that keeps it exact. */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative duration: " + duration);
        }
        long nanos = duration.toNanos();
        String[] units = {"h", "m", "s", "ms", "us"};
        for (String unit : units) {
            long per = nanosPerUnit(unit);
            if (nanos % per == 0) {
                return (nanos / per) + unit;
            }
        }
        return nanos + "ns";
    }

    private static long nanosPerUnit(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalArgumentException("unknown duration unit: " + unit);
        };
    }
}
