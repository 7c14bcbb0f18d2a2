package dev.slicer.e2e.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slicer.e2e.Ports;
import dev.slicer.e2e.ServiceHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus}) on a free loopback port, scraping the fleet from file-based
 * target lists with the labels the operator's monitors would attach ({@code namespace}, and {@code slicer_dev_fleet}
 * on every back-end and edge target, so the fleets of one namespace stay apart), and recording rules for what the operator queries. Its data directory lives under the run directory and is removed
 * on close.
 */
public final class Prometheus implements AutoCloseable {
    /** The scrape interval; the demo's adaptation goal is two of them. */
    public static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(2);

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path binary;
    private final Path dir;
    private final Path logDir;
    private final int port = Ports.free();
    private final HttpClient http = ServiceHttpClient.create(Duration.ofSeconds(2));
    private Process process;

    private Prometheus(Path binary, Path dir, Path logDir) {
        this.binary = binary;
        this.dir = dir;
        this.logDir = logDir;
    }

    /**
     * The prometheus binary: on the PATH, or installed by {@code e2e/src/main/sh/ensure-prometheus.sh} (apt, as root).
     */
    public static Optional<Path> find(Path root) {
        return Local.ensure(root, "ensure-prometheus.sh");
    }

    /** Writes the configuration and starts the server; targets are set later with {@link #targets}. */
    public static Prometheus start(Path binary, Path runDir, Path logDir, String namespace)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(runDir.resolve("prometheus"));
        Prometheus p = new Prometheus(binary, dir, logDir);
        Files.writeString(dir.resolve("prometheus.yml"), config(namespace));
        Files.writeString(dir.resolve("rules.yml"), rules());
        p.targets(List.of(), List.of());
        p.startProcess();
        return p;
    }

    /**
     * Scrape jobs labelled as the operator's monitors label them: the namespace here, the fleet ({@code
     * slicer_dev_fleet}) on each target group of the target files, so one Prometheus scrapes several fleets apart.
     */
    static String config(String namespace) {
        String every = SCRAPE_INTERVAL.toSeconds() + "s";
        return """
                global:
                  scrape_interval: %1$s
                  evaluation_interval: %1$s
                rule_files: [rules.yml]
                scrape_configs:
                  - job_name: slicer-backend
                    metrics_path: /q/metrics
                    file_sd_configs: [{files: [targets-backend.json], refresh_interval: %1$s}]
                    relabel_configs:
                      - {target_label: namespace, replacement: %2$s}
                  - job_name: slicer-edge
                    metrics_path: /q/metrics
                    file_sd_configs: [{files: [targets-edge.json], refresh_interval: %1$s}]
                    relabel_configs:
                      - {target_label: namespace, replacement: %2$s}
                  - job_name: slicer-operator
                    metrics_path: /q/metrics
                    file_sd_configs: [{files: [targets-operator.json], refresh_interval: %1$s}]
                """
                .formatted(every, namespace);
    }

    /**
     * Recording rules for the series the operator reads (FleetMetricsReader): link goodput per device class, mean
     * stage durations, mean back-end queue delay, back-end busy seconds per second and request rate, per fleet.
     */
    static String rules() {
        String by = "namespace, slicer_dev_fleet";
        String w = "[30s]";
        return """
                groups:
                  - name: slicer-fleet
                    rules:
                      - record: slicer:edge_link_goodput_bytes_per_second:avg
                        expr: avg by (%1$s, device_class) (slicer_edge_link_goodput_bytes_per_second)
                      - record: slicer:edge_stage_duration_seconds:mean
                        expr: sum by (%1$s, device_class, stage) (rate(slicer_edge_stage_duration_seconds_sum%2$s)) / sum by (%1$s, device_class, stage) (rate(slicer_edge_stage_duration_seconds_count%2$s))
                      - record: slicer:backend_queue_delay_seconds:mean
                        expr: sum by (%1$s) (rate(slicer_backend_queue_delay_seconds_sum%2$s)) / sum by (%1$s) (rate(slicer_backend_queue_delay_seconds_count%2$s))
                      - record: slicer:backend_batch_size:mean
                        expr: sum by (%1$s) (rate(slicer_backend_batch_size_sum%2$s)) / sum by (%1$s) (rate(slicer_backend_batch_size_count%2$s))
                      - record: slicer:backend_compute_seconds:rate
                        expr: sum by (%1$s) (rate(slicer_backend_compute_seconds_total%2$s))
                      - record: slicer:backend_requests:rate
                        expr: sum by (%1$s) (rate(slicer_backend_batch_size_sum%2$s))
                """
                .formatted(by, w);
    }

    /** One fleet's scrape targets ({@code host:port} each), labelled with its name. */
    public record FleetTargets(String fleet, List<String> backends, List<String> edges) {}

    /** A file-based discovery target group: the targets and the labels they all carry. */
    record TargetGroup(List<String> targets, Map<String, String> labels) {}

    /** Replaces the scrape targets; Prometheus re-reads the files within one interval. */
    public void targets(List<FleetTargets> fleets, List<String> operators) throws IOException {
        write("targets-backend.json", groups(fleets, FleetTargets::backends));
        write("targets-edge.json", groups(fleets, FleetTargets::edges));
        write("targets-operator.json", List.of(new TargetGroup(operators, Map.of())));
    }

    /** One target group per fleet, each carrying the fleet label. */
    static List<TargetGroup> groups(
            List<FleetTargets> fleets, java.util.function.Function<FleetTargets, List<String>> targets) {
        return fleets.stream()
                .map(f -> new TargetGroup(targets.apply(f), Map.of("slicer_dev_fleet", f.fleet())))
                .toList();
    }

    private void write(String file, List<TargetGroup> groups) throws IOException {
        Path tmp = dir.resolve(file + ".tmp");
        Files.writeString(tmp, JSON.writeValueAsString(groups));
        Files.move(
                tmp,
                dir.resolve(file),
                java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private void startProcess() throws IOException, InterruptedException {
        Files.createDirectories(logDir);
        process = new ProcessBuilder(
                        binary.toString(),
                        "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--storage.tsdb.retention.time=1h",
                        "--web.listen-address=127.0.0.1:" + port)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        logDir.resolve("prometheus.log").toFile()))
                .start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ready()) {
            if (!process.isAlive() || System.nanoTime() > end) {
                throw new IllegalStateException(
                        "prometheus did not become ready; see " + logDir.resolve("prometheus.log"));
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    public boolean ready() {
        return Local.answers200(http, url() + "/-/ready");
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops the server (a Prometheus outage); {@link #restart} brings it back on the same port and data. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    public void restart() throws IOException, InterruptedException {
        stop();
        startProcess();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /**
     * The result of an instant query (its {@code data.result}); a query Prometheus refuses (a PromQL error) is an
     * {@link IllegalArgumentException} with Prometheus' message.
     */
    public JsonNode query(String query) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(
                                url() + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                        .timeout(Duration.ofSeconds(2))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalArgumentException("Prometheus refused " + query + ": "
                    + body.path("errorType").asText() + ": "
                    + body.path("error").asText());
        }
        return body.path("data").path("result");
    }

    /** The first value of an instant query, if any (the demo's table reads its recording rules). */
    public OptionalDouble scalar(String query) {
        try {
            JsonNode result = query(query);
            if (result.isEmpty()) {
                return OptionalDouble.empty();
            }
            double v = Double.parseDouble(result.get(0).path("value").path(1).asText("NaN"));
            return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }

    public Path configFile() {
        return dir.resolve("prometheus.yml");
    }

    public Path rulesFile() {
        return dir.resolve("rules.yml");
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        try {
            ConfigMapVolume.deleteTree(dir);
        } catch (IOException e) {
            // best effort
        }
    }
}
