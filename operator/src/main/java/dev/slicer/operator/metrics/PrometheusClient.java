package dev.slicer.operator.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A minimal client of the Prometheus HTTP API: instant queries ({@code GET /api/v1/query}) with a vector result.
 * Every call is bounded as a whole, name lookup and body included, by the connect plus the request timeout (the
 * JDK client's own timeouts cover neither a slow DNS lookup nor a body that stops arriving, and a reconcile waiting
 * on them stalls the fleet), and the answer by {@link #MAX_RESPONSE_BYTES}; nothing is retried here (the reconciler
 * backs off). HTTPS verifies against the JDK's trust store, or only against the CA
 * certificates of {@code caFile} when given; a bearer token is read from {@code tokenFile} for every query, so a
 * rotated Secret is picked up without a restart.
 */
public final class PrometheusClient {

    /** Largest answer read; a larger one is refused (a fleet's queries answer a few kB). */
    static final int MAX_RESPONSE_BYTES = 4 << 20;
    /** Largest token file read. */
    static final int MAX_TOKEN_BYTES = 16 << 10;

    /** One element of an instant vector. */
    public record Sample(Map<String, String> labels, double value) {}

    private final BoundedGet get;
    private final Duration requestTimeout;
    /** The whole call: lookup, connect, headers and body. */
    private final Duration deadline;

    private final Optional<Path> tokenFile;
    private final ObjectMapper json = new ObjectMapper();

    public PrometheusClient(Duration connectTimeout, Duration requestTimeout) {
        this(connectTimeout, requestTimeout, Optional.empty(), Optional.empty());
    }

    public PrometheusClient(
            Duration connectTimeout, Duration requestTimeout, Optional<Path> caFile, Optional<Path> tokenFile) {
        this.get = new BoundedGet(
                "prometheus-client",
                connectTimeout,
                MAX_RESPONSE_BYTES,
                b -> caFile.ifPresent(ca -> b.sslContext(trusting(ca))));
        this.requestTimeout = requestTimeout;
        this.deadline = connectTimeout.plus(requestTimeout);
        this.tokenFile = tokenFile;
    }

    /** An SSL context trusting exactly the PEM certificates in {@code caFile}; a bad file fails at start. */
    static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("no certificate in " + caFile);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the Prometheus CA certificates in " + caFile + ": " + e, e);
        }
    }

    private Optional<String> token() throws MetricsUnavailableException {
        if (tokenFile.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (Files.size(tokenFile.get()) > MAX_TOKEN_BYTES) {
                throw new MetricsUnavailableException("Prometheus token file " + tokenFile.get() + " is too large");
            }
            String token =
                    Files.readString(tokenFile.get(), StandardCharsets.UTF_8).trim();
            if (token.isEmpty() || token.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
                throw new MetricsUnavailableException(
                        "Prometheus token file " + tokenFile.get() + " holds no valid bearer token");
            }
            return Optional.of(token);
        } catch (IOException e) {
            throw new MetricsUnavailableException("cannot read the Prometheus token file " + tokenFile.get(), e);
        }
    }

    /** Runs {@code promql} against the Prometheus at {@code baseUrl} and returns the vector's samples. */
    public List<Sample> query(String baseUrl, String promql) throws MetricsUnavailableException {
        URI uri = URI.create(
                stripSlash(baseUrl) + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .GET();
        token().ifPresent(t -> request.header("Authorization", "Bearer " + t));
        BoundedGet.Answer answer =
                get.start(request.build(), "Prometheus at " + baseUrl).await(deadline);
        if (answer.status() != 200) {
            throw new MetricsUnavailableException(
                    "Prometheus at " + baseUrl + " answered HTTP " + answer.status() + " to " + promql);
        }
        return parseVector(answer.body());
    }

    /** Parses the body of an instant query; only {@code resultType: vector} is accepted. */
    List<Sample> parseVector(String body) throws MetricsUnavailableException {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new MetricsUnavailableException("Prometheus answered malformed JSON", e);
        }
        if (root == null || !"success".equals(root.path("status").asText())) {
            throw new MetricsUnavailableException("Prometheus query failed: "
                    + (root == null ? "empty body" : root.path("error").asText("no error message")));
        }
        JsonNode data = root.path("data");
        if (!"vector".equals(data.path("resultType").asText())) {
            throw new MetricsUnavailableException(
                    "expected a vector result, got " + data.path("resultType").asText());
        }
        List<Sample> samples = new ArrayList<>();
        for (JsonNode item : data.path("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = item.path("metric").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                labels.put(e.getKey(), e.getValue().asText());
            }
            JsonNode value = item.path("value");
            if (!value.isArray() || value.size() != 2) {
                throw new MetricsUnavailableException("malformed sample in Prometheus answer: " + item);
            }
            double v = parseValue(value.get(1).asText());
            if (Double.isFinite(v)) {
                samples.add(new Sample(Map.copyOf(labels), v));
            }
        }
        return samples;
    }

    private static double parseValue(String text) throws MetricsUnavailableException {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new MetricsUnavailableException("malformed sample value: " + text, e);
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
