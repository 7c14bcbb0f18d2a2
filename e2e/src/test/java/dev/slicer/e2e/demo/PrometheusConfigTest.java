package dev.slicer.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The demo's Prometheus configuration and recording rules pass promtool, and the rules record what the operator reads. */
class PrometheusConfigTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void configAndRulesPassPromtool() throws Exception {
        Path dir =
                Files.createDirectories(Path.of("target", "prometheus-config").toAbsolutePath());
        Files.writeString(dir.resolve("prometheus.yml"), Prometheus.config("default"));
        Files.writeString(dir.resolve("rules.yml"), Prometheus.rules());
        for (String f : List.of("targets-backend.json", "targets-edge.json", "targets-operator.json")) {
            Files.writeString(dir.resolve(f), "[{\"targets\":[\"127.0.0.1:1\"]}]");
        }
        Path promtool = promtool();
        assertThat(run(dir, promtool.toString(), "check", "config", "prometheus.yml"))
                .contains("SUCCESS")
                .contains("rules.yml");
        assertThat(run(dir, promtool.toString(), "check", "rules", "rules.yml")).contains("SUCCESS: 6 rules found");
    }

    @Test
    void rulesCoverTheSeriesTheOperatorQueries() {
        String rules = Prometheus.rules();
        for (String series : List.of(
                "slicer_edge_link_goodput_bytes_per_second",
                "slicer_edge_stage_duration_seconds_sum",
                "slicer_backend_queue_delay_seconds_sum",
                "slicer_backend_compute_seconds_total")) {
            assertThat(rules).contains(series);
        }
        assertThat(Prometheus.config("ns")).contains("target_label: namespace, replacement: ns");
    }

    @Test
    void everyFleetIsATargetGroupWithItsOwnLabel() throws Exception {
        var groups = Prometheus.groups(
                List.of(
                        new Prometheus.FleetTargets("minilm", List.of("127.0.0.1:1"), List.of("127.0.0.1:2")),
                        new Prometheus.FleetTargets("tiny-llama", List.of("127.0.0.1:3"), List.of())),
                Prometheus.FleetTargets::edges);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(groups))
                .isEqualTo("[{\"targets\":[\"127.0.0.1:2\"],\"labels\":{\"slicer_dev_fleet\":\"minilm\"}},"
                        + "{\"targets\":[],\"labels\":{\"slicer_dev_fleet\":\"tiny-llama\"}}]");
    }

    static Path promtool() throws Exception {
        Process p = new ProcessBuilder(
                        "sh",
                        ROOT.resolve("gpu-backend/src/test/sh/ensure-promtool.sh")
                                .toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assumeTrue(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0 && !out.isEmpty(), "promtool unavailable");
        return Path.of(out);
    }

    static String run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
