package dev.slicer.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrometheusClientTest {

    private final PrometheusClient client = new PrometheusClient(Duration.ofSeconds(1), Duration.ofSeconds(2));

    @Test
    void parsesAVector() throws Exception {
        var samples = client.parseVector("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"device_class\":\"phone\"},\"value\":[1700000000.1,\"1250000\"]},"
                + "{\"metric\":{\"device_class\":\"jetson\"},\"value\":[1700000000.1,\"NaN\"]}]}}");
        assertThat(samples).hasSize(1);
        assertThat(samples.get(0).labels()).containsEntry("device_class", "phone");
        assertThat(samples.get(0).value()).isEqualTo(1_250_000.0);
    }

    @Test
    void rejectsErrorsAndOtherResultTypes() {
        assertThatThrownBy(() -> client.parseVector("{\"status\":\"error\",\"error\":\"bad query\"}"))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageContaining("bad query");
        assertThatThrownBy(() -> client.parseVector(
                        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"))
                .isInstanceOf(MetricsUnavailableException.class);
        assertThatThrownBy(() -> client.parseVector("not json")).isInstanceOf(MetricsUnavailableException.class);
    }

    @Test
    void unreachableServerIsReportedNotThrownAsRuntimeError() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        int closed = port;
        assertThatThrownBy(() -> client.query("http://127.0.0.1:" + closed, "up"))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageContaining("unreachable");
    }
}
