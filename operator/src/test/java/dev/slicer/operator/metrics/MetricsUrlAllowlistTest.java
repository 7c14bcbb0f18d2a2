package dev.slicer.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricsUrlAllowlistTest {

    private final MetricsUrlAllowlist allowlist = new MetricsUrlAllowlist(
            List.of("http://prometheus-operated.monitoring.svc:9090", "https://thanos.example.com/tenant-a/"));

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://prometheus-operated.monitoring.svc:9090",
                "http://prometheus-operated.monitoring.svc:9090/",
                "HTTP://Prometheus-Operated.monitoring.svc:9090",
                "https://thanos.example.com/tenant-a",
                "https://thanos.example.com:443/tenant-a/api"
            })
    void allowsUrlsUnderAnEntry(String url) {
        assertThat(allowlist.problem(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://169.254.169.254/latest/meta-data",
                "http://prometheus-operated.monitoring.svc:9091",
                "https://prometheus-operated.monitoring.svc:9090",
                "http://prometheus-operated.monitoring.svc.evil.example:9090",
                "https://thanos.example.com/tenant-ab",
                "https://thanos.example.com/tenant-a/../tenant-b",
                "https://user:pw@thanos.example.com/tenant-a",
                "https://thanos.example.com/tenant-a?x=1",
                "file:///etc/passwd",
                "not a url"
            })
    void refusesEverythingElseWithAReason(String url) {
        assertThat(allowlist.problem(url)).hasValueSatisfying(m -> assertThat(m).contains("metricsUrl"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://x", "prometheus:9090", ""})
    void aMalformedEntryFailsAtStart(String entry) {
        assertThatThrownBy(() -> new MetricsUrlAllowlist(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metrics-url-allowlist");
    }
}
