package dev.slicer.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PrometheusClientTest {

    // bounds far above what a loopback answer takes on a loaded machine: no test here is about the timeouts
    private final PrometheusClient client = new PrometheusClient(Duration.ofSeconds(30), Duration.ofSeconds(60));

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

    /**
     * The JDK client's request timeout ends at the headers: a Prometheus (or a proxy in front of it) that sends them
     * and then stops would hold the reconcile for ever. The whole call has one deadline, connect plus request
     * timeout. (A slow DNS lookup, the other case the JDK timeouts miss, is bounded by the same deadline.)
     */
    @Test
    // a guard, not an assertion: without the deadline the call never returns, and only a separate thread can be
    // abandoned while it is blocked in a socket read
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anAnswerThatStopsMidBodyIsGivenUpAtTheDeadline() throws Exception {
        var stalled = new java.util.concurrent.CountDownLatch(1);
        try (var server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> {
                try (var socket = server.accept()) {
                    socket.getInputStream().read(new byte[4096]);
                    socket.getOutputStream()
                            .write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                                            + "{\"status\":")
                                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    stalled.await();
                } catch (Exception ignored) {
                    // the peer only holds the connection open until the test releases it
                }
            });
            peer.start();
            var impatient = new PrometheusClient(Duration.ofSeconds(1), Duration.ofSeconds(2));
            assertThatThrownBy(() -> impatient.query("http://127.0.0.1:" + server.getLocalPort(), "up"))
                    .isInstanceOf(MetricsUnavailableException.class)
                    .hasMessageContaining("did not answer within PT3S");
            stalled.countDown();
            peer.join();
        }
    }

    private static final String EMPTY_VECTOR =
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";

    /** A loopback server answering every query with {@code body}, recording the Authorization header it got. */
    private static com.sun.net.httpserver.HttpServer server(
            java.util.concurrent.atomic.AtomicReference<String> auth, byte[] body) throws Exception {
        var server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/query", ex -> {
            auth.set(ex.getRequestHeaders().getFirst("Authorization"));
            ex.sendResponseHeaders(200, body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    @Test
    void sendsTheBearerTokenReadFreshFromItsFile() throws Exception {
        var dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "prometheus-client-test"));
        var tokenFile = dir.resolve("token");
        java.nio.file.Files.writeString(tokenFile, "first-token\n");
        var auth = new java.util.concurrent.atomic.AtomicReference<String>();
        var server = server(auth, EMPTY_VECTOR.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            var withToken = new PrometheusClient(
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(60),
                    java.util.Optional.empty(),
                    java.util.Optional.of(tokenFile));
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(withToken.query(url, "up")).isEmpty();
            assertThat(auth.get()).isEqualTo("Bearer first-token");
            java.nio.file.Files.writeString(tokenFile, "rotated");
            withToken.query(url, "up");
            assertThat(auth.get()).isEqualTo("Bearer rotated");
            client.query(url, "up");
            assertThat(auth.get()).isNull();
            java.nio.file.Files.writeString(tokenFile, "two words");
            assertThatThrownBy(() -> withToken.query(url, "up"))
                    .isInstanceOf(MetricsUnavailableException.class)
                    .hasMessageContaining("no valid bearer token")
                    .hasMessageNotContaining("two words");
            java.nio.file.Files.delete(tokenFile);
            assertThatThrownBy(() -> withToken.query(url, "up"))
                    .isInstanceOf(MetricsUnavailableException.class)
                    .hasMessageContaining("token file");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anOversizedAnswerIsRefusedWithoutReadingItAll() throws Exception {
        var server = server(
                new java.util.concurrent.atomic.AtomicReference<>(), new byte[PrometheusClient.MAX_RESPONSE_BYTES + 1]);
        try {
            assertThatThrownBy(() -> client.query(
                            "http://127.0.0.1:" + server.getAddress().getPort(), "up"))
                    .isInstanceOf(MetricsUnavailableException.class)
                    .hasMessageContaining("more than");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aCaFileWithoutCertificatesFailsAtStart() throws Exception {
        var dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "prometheus-client-test"));
        var bad = java.nio.file.Files.writeString(dir.resolve("bad-ca.pem"), "not a certificate");
        assertThatThrownBy(() -> new PrometheusClient(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        java.util.Optional.of(bad),
                        java.util.Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad-ca.pem");
    }

    /** An https Prometheus with a self-signed certificate (made by the JDK's keytool): trusted only with its CA file. */
    @Test
    void httpsIsVerifiedAgainstTheConfiguredCa() throws Exception {
        var dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "prometheus-client-test"));
        var keystore = dir.resolve("server.p12");
        var pem = dir.resolve("ca.pem");
        java.nio.file.Files.deleteIfExists(keystore);
        String keytool = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString();
        run(
                keytool,
                "-genkeypair",
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "secret",
                "-alias",
                "p",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2");
        run(
                keytool,
                "-exportcert",
                "-rfc",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "secret",
                "-alias",
                "p",
                "-file",
                pem.toString());
        var ks = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(keystore)) {
            ks.load(in, "secret".toCharArray());
        }
        var kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "secret".toCharArray());
        var ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        var server = com.sun.net.httpserver.HttpsServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(ssl));
        byte[] body = EMPTY_VECTOR.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        server.createContext("/api/v1/query", ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String url = "https://127.0.0.1:" + server.getAddress().getPort();
            // the first TLS handshake of a cold JVM on a loaded CI machine once took over 2 s
            var trusting = new PrometheusClient(
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(60),
                    java.util.Optional.of(pem),
                    java.util.Optional.empty());
            assertThat(trusting.query(url, "up")).isEmpty();
            assertThatThrownBy(() -> client.query(url, "up")).isInstanceOf(MetricsUnavailableException.class);
        } finally {
            server.stop(0);
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
