package dev.slicer.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a service's /q/metrics (Prometheus text format): its samples by series name and labels. */
public final class Scrape {
    private static final HttpClient HTTP = ServiceHttpClient.create(Duration.ofSeconds(2));
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)");
    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** A sample: series name, labels, value. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final String text;
    private final List<Sample> samples;

    private Scrape(String text, List<Sample> samples) {
        this.text = text;
        this.samples = samples;
    }

    /** Scrapes {@code process}'s /q/metrics (bounded wait). */
    public static Scrape of(ServiceProcess process) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.httpPort() + "/q/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(process.name() + " /q/metrics answered " + r.statusCode());
        }
        return parse(r.body());
    }

    public static Scrape parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
        return new Scrape(text, List.copyOf(out));
    }

    /**
     * The {@code # TYPE} of every family, a counter under its sample name ({@code _total}: the Prometheus client
     * declares a counter's family without it).
     */
    public Map<String, String> declaredTypes() {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = TYPE.matcher(text);
        while (m.find()) {
            boolean counter = m.group(2).equals("counter") && !m.group(1).endsWith("_total");
            out.put(counter ? m.group(1) + "_total" : m.group(1), m.group(2));
        }
        return out;
    }

    public List<Sample> samples() {
        return samples;
    }

    public String text() {
        return text;
    }

    /**
     * The sum of the samples of {@code series} whose labels include {@code labels} (pairs: name, value); 0 when there
     * is none (a counter never incremented may not be exported yet).
     */
    public double value(String series, String... labels) {
        double sum = 0;
        for (Sample s : samples) {
            if (s.name().equals(series) && matches(s.labels(), labels)) {
                sum += s.value();
            }
        }
        return sum;
    }

    private static boolean matches(Map<String, String> have, String[] want) {
        for (int i = 0; i + 1 < want.length; i += 2) {
            if (!want[i + 1].equals(have.get(want[i]))) {
                return false;
            }
        }
        return true;
    }
}
