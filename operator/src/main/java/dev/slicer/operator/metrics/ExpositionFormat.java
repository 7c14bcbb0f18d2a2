package dev.slicer.operator.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads the Prometheus text exposition format (version 0.0.4, what a service's {@code /q/metrics} answers): one sample
 * per line, {@code name{label="value",...} value [timestamp]}, comments and blank lines skipped. As Prometheus does,
 * a scrape with one malformed line is refused whole ({@link MetricsUnavailableException} naming the line), so a
 * half-read answer never passes for a complete one.
 */
public final class ExpositionFormat {

    /** Most samples kept from one answer; a service exporting more is refused (ours export a few hundred). */
    static final int MAX_SAMPLES = 50_000;
    /** Most labels on one sample. */
    static final int MAX_LABELS = 32;

    /** A decimal value; {@link Double#parseDouble} alone would also take "Infinity", hex and a trailing 'd'. */
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    /** One sample: series name, labels, value. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private ExpositionFormat() {}

    /** The samples of {@code text} whose series name {@code keep} accepts. */
    public static List<Sample> parse(String text, Predicate<String> keep) throws MetricsUnavailableException {
        List<Sample> out = new ArrayList<>();
        int lineNo = 0;
        int from = 0;
        while (from <= text.length()) {
            int end = text.indexOf('\n', from);
            if (end < 0) {
                end = text.length();
            }
            lineNo++;
            String line = text.substring(from, end).strip();
            from = end + 1;
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            Sample s = sample(line, lineNo, keep);
            if (s != null) {
                if (out.size() == MAX_SAMPLES) {
                    throw new MetricsUnavailableException("more than " + MAX_SAMPLES + " samples in one scrape");
                }
                out.add(s);
            }
        }
        return out;
    }

    private static Sample sample(String line, int lineNo, Predicate<String> keep) throws MetricsUnavailableException {
        int i = 0;
        while (i < line.length() && nameChar(line.charAt(i), i == 0)) {
            i++;
        }
        if (i == 0) {
            throw malformed(lineNo, "no metric name");
        }
        String name = line.substring(0, i);
        boolean wanted = keep.test(name);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, lineNo, wanted ? labels : null);
        }
        if (i >= line.length() || (line.charAt(i) != ' ' && line.charAt(i) != '\t')) {
            throw malformed(lineNo, "no value after the series");
        }
        String[] rest = line.substring(i).strip().split("[ \t]+");
        if (rest.length > 2) {
            throw malformed(lineNo, "more than a value and a timestamp");
        }
        double value = value(rest[0], lineNo);
        return wanted ? new Sample(name, Map.copyOf(labels), value) : null;
    }

    /** Reads labels from just after '{' up to and past '}'; returns the index after '}'. */
    private static int labels(String line, int i, int lineNo, Map<String, String> into)
            throws MetricsUnavailableException {
        int count = 0;
        while (true) {
            i = skipBlanks(line, i);
            if (i < line.length() && line.charAt(i) == '}') {
                return i + 1;
            }
            int start = i;
            while (i < line.length() && nameChar(line.charAt(i), i == start) && line.charAt(i) != ':') {
                i++;
            }
            if (i == start || i + 1 >= line.length() || line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
                throw malformed(lineNo, "bad label at column " + (start + 1));
            }
            String key = line.substring(start, i);
            StringBuilder value = new StringBuilder();
            i += 2;
            while (true) {
                if (i >= line.length()) {
                    throw malformed(lineNo, "unterminated label value");
                }
                char c = line.charAt(i++);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    if (i >= line.length()) {
                        throw malformed(lineNo, "unterminated label value");
                    }
                    char e = line.charAt(i++);
                    value.append(e == 'n' ? '\n' : e);
                } else {
                    value.append(c);
                }
            }
            if (++count > MAX_LABELS) {
                throw malformed(lineNo, "more than " + MAX_LABELS + " labels");
            }
            if (into != null) {
                into.put(key, value.toString());
            }
            i = skipBlanks(line, i);
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
            } else if (i >= line.length() || line.charAt(i) != '}') {
                throw malformed(lineNo, "expected ',' or '}' at column " + (i + 1));
            }
        }
    }

    private static double value(String text, int lineNo) throws MetricsUnavailableException {
        switch (text) {
            case "+Inf", "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                if (!DECIMAL.matcher(text).matches()) {
                    throw malformed(lineNo, "bad value '" + abbreviate(text) + "'");
                }
                return Double.parseDouble(text);
        }
    }

    private static int skipBlanks(String line, int i) {
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean nameChar(char c, boolean first) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || c == '_'
                || c == ':'
                || (!first && c >= '0' && c <= '9');
    }

    private static MetricsUnavailableException malformed(int lineNo, String why) {
        return new MetricsUnavailableException("malformed metrics line " + lineNo + ": " + why);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
