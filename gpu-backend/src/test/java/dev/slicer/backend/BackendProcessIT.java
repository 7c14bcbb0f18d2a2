package dev.slicer.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slicer.backend.metrics.BackendMetrics;
import dev.slicer.protocol.v1.EdgeReport;
import dev.slicer.protocol.v1.InferRequest;
import dev.slicer.protocol.v1.PlanAck;
import dev.slicer.protocol.v1.PlanUpdate;
import dev.slicer.protocol.v1.WatchPlanRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service as ./slicer and the Deployment run it: a separate JVM on quarkus-run.jar, configured only
 * through properties. Scrapes its /q/metrics against helm/metrics-contract.txt (both directions), runs promtool
 * on the slicer_* families, and stops it with SIGTERM.
 */
class BackendProcessIT {
    @TempDir
    static Path tmp;

    static Process process;
    static Path log;
    static int http;
    static int grpc;

    @BeforeAll
    static void start() throws Exception {
        Path plan = tmp.resolve("plan");
        Files.createDirectories(plan);
        Files.writeString(plan.resolve("plan.json"), "{\"schema\":\"slicer-plan/v1\"}");
        Files.writeString(plan.resolve("plan.hash"), "it-hash\n");
        http = freePort();
        grpc = freePort();
        log = tmp.resolve("backend.log");
        process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--add-modules",
                        "jdk.incubator.vector",
                        "-Dslicer.backend.model-uri=builtin:minilm",
                        "-Dslicer.backend.plan-file=" + plan.resolve("plan.json"),
                        "-Dquarkus.http.port=" + http,
                        "-Dquarkus.grpc.server.port=" + grpc,
                        "-Dquarkus.http.host=127.0.0.1",
                        "-Dquarkus.grpc.server.host=127.0.0.1",
                        "-jar",
                        System.getProperty("backend.jar"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> get("/q/health/ready").statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A port free right now (the child binds it a moment later; loopback only). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        // HTTP/1.1: the JDK client's h2c upgrade sometimes never completes against Vert.x (e2e ServiceHttpClient)
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesExportsExactlyTheContractedMetricsAndDrainsOnSigterm() throws Exception {
        try (Backend backend = new Backend(grpc)) {
            MiniLm.Case c = MiniLm.get().request("it", MiniLm.SPLIT, 16, 40);
            InferRequest req = c.request().toBuilder()
                    .setReport(EdgeReport.newBuilder()
                            .setEdgeId("edge-1")
                            .setDeviceClass("it-board")
                            .setLinkGoodputBytesPerSecond(1.25e6)
                            .setLinkLatencySeconds(0.0125)
                            .setFrontSeconds(0.004)
                            .setEncodeSeconds(0.001)
                            .setTransferSeconds(0.010)
                            .setBackendSeconds(0.008)
                            .setIfRawBytes(24576)
                            .setIfSentBytes(2400))
                    .build();
            MiniLm.assertMatches(backend.blocking().infer(req), c.expected());
            Iterator<PlanUpdate> plans = backend.blocking()
                    .watchPlan(WatchPlanRequest.newBuilder().setEdgeId("edge-1").build());
            assertThat(plans.next().getSha256()).isEqualTo("it-hash");
            backend.blocking()
                    .ackPlan(PlanAck.newBuilder()
                            .setEdgeId("edge-1")
                            .setDeviceClass("it-board")
                            .setSha256("it-hash")
                            .build());
        }

        String scrape = get("/q/metrics").body();
        Map<String, String> contract = contract(Path.of(System.getProperty("metrics.contract")));
        Set<String> exported = families(scrape, contract);
        Set<String> mine = new LinkedHashSet<>();
        contract.keySet().stream().filter(n -> n.startsWith("slicer_backend_")).forEach(mine::add);
        mine.addAll(BackendMetrics.REEXPORTED);
        assertThat(contract.keySet())
                .as("every exported slicer_* metric is in the contract")
                .containsAll(exported);
        assertThat(exported)
                .as("every back-end metric of the contract is exported")
                .containsAll(mine);
        assertThat(scrape)
                .contains("slicer_edge_stage_duration_seconds_count{device_class=\"it-board\",stage=\"front\"} 1");
        assertThat(scrape).contains("slicer_edge_link_latency_seconds{device_class=\"it-board\"} 0.0125");
        assertThat(scrape).contains("execution_provider=\"CPU\"");

        Path promtool = promtool();
        if (promtool == null) {
            System.err.println("BackendProcessIT: promtool unavailable (Debian package prometheus not installable);"
                    + " promtool check skipped");
        } else {
            Path slicerOnly = tmp.resolve("slicer-metrics.txt");
            Files.writeString(slicerOnly, slicerFamilies(scrape));
            Process p = new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectInput(slicerOnly.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            // exit 1 is a parse error; exit 3 lists lint problems, of which one is the Prometheus Java client's
            // (1.x) text format writing a counter's HELP under its family name and its sample with _total
            assertThat(p.exitValue()).as("promtool check metrics: %s", out).isIn(0, 3);
            for (String problem : out.strip().split("\n")) {
                if (!problem.isBlank()) {
                    String series = problem.split(" ")[0];
                    assertThat(problem).as("promtool lint").endsWith(" no help text");
                    assertThat(series).endsWith("_total");
                    assertThat(scrape)
                            .contains("# HELP " + series.substring(0, series.length() - "_total".length()) + " ");
                }
            }
        }

        process.destroy(); // SIGTERM
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("stops within 60 s of SIGTERM")
                .isTrue();
        assertThat(Files.readString(log)).contains("draining: readiness off").contains("drain complete");
    }

    /** Metric name to type, from the contract file. */
    static Map<String, String> contract(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                String[] parts = t.split("\\s+");
                out.put(parts[0], parts[1]);
            }
        }
        return out;
    }

    /** The slicer_* metric families of a scrape, a histogram's series (and Micrometer's _max) under its name. */
    static Set<String> families(String scrape, Map<String, String> contract) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("slicer_")) {
                String series = line.split("[{ ]", 2)[0];
                out.add(family(series, contract));
            }
        }
        return out;
    }

    private static String family(String series, Map<String, String> contract) {
        for (String suffix : List.of("_bucket", "_sum", "_count", "_max")) {
            if (series.endsWith(suffix)) {
                String base = series.substring(0, series.length() - suffix.length());
                if ("histogram".equals(contract.get(base))) {
                    return base;
                }
            }
        }
        return series;
    }

    /** The HELP, TYPE and sample lines of the slicer_* families (the JVM and Netty binders are not ours). */
    static String slicerFamilies(String scrape) {
        List<String> keep = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            String name = line.startsWith("# ") ? line.split(" ").length > 2 ? line.split(" ")[2] : "" : line;
            if (name.startsWith("slicer_")) {
                keep.add(line);
            }
        }
        return String.join("\n", keep) + "\n";
    }

    private static Path promtool() throws Exception {
        Path script = Path.of("src", "test", "sh", "ensure-promtool.sh").toAbsolutePath();
        Process p = new ProcessBuilder("sh", script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
            return null;
        }
        return Path.of(out);
    }
}
