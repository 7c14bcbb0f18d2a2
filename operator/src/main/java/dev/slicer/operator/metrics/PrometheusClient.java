package dev.slicer.operator.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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

    /**
     * Runs the client's lookups and body reads: daemon threads, so one still blocked in a lookup past its deadline
     * never holds the operator up, and a pool of its own, so none of them takes a common-pool thread.
     */
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "prometheus-client");
        t.setDaemon(true);
        return t;
    });

    private final HttpClient http;
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
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                // no h2c upgrade attempt on every new cleartext connection: it buys nothing for a small query
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor);
        caFile.ifPresent(ca -> b.sslContext(trusting(ca)));
        this.http = b.build();
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
        Answer answer = send(request.build(), baseUrl);
        if (answer.status() != 200) {
            throw new MetricsUnavailableException(
                    "Prometheus at " + baseUrl + " answered HTTP " + answer.status() + " to " + promql);
        }
        return parseVector(answer.body());
    }

    /** A status code and a body of at most {@link #MAX_RESPONSE_BYTES}. */
    private record Answer(int status, String body) {}

    /**
     * Sends on the client's executor and waits at most {@link #deadline} for the status and the whole body. On expiry
     * the exchange is cancelled and the body stream closed (by whichever of the waiter and the reader comes second),
     * so no thread stays blocked on a server that stopped sending.
     */
    private Answer send(HttpRequest request, String baseUrl) throws MetricsUnavailableException {
        AtomicReference<InputStream> stream = new AtomicReference<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        CompletableFuture<HttpResponse<InputStream>> sent =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture<Answer> pending = sent.thenApplyAsync(
                response -> {
                    stream.set(response.body());
                    if (abandoned.get()) {
                        closeQuietly(response.body());
                    }
                    try (InputStream in = response.body()) {
                        byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
                        if (bytes.length > MAX_RESPONSE_BYTES) {
                            throw new CompletionException(new MetricsUnavailableException("Prometheus at " + baseUrl
                                    + " answered more than " + MAX_RESPONSE_BYTES + " bytes"));
                        }
                        return new Answer(response.statusCode(), new String(bytes, StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new CompletionException(e);
                    }
                },
                executor);
        try {
            return pending.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandon(sent, stream, abandoned);
            throw new MetricsUnavailableException(
                    "Prometheus at " + baseUrl + " did not answer within " + deadline + " (name lookup, connect"
                            + " and answer)",
                    e);
        } catch (ExecutionException e) {
            Throwable cause =
                    e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            if (cause instanceof MetricsUnavailableException m) {
                throw m;
            }
            throw new MetricsUnavailableException("Prometheus at " + baseUrl + " unreachable: " + cause, cause);
        } catch (InterruptedException e) {
            abandon(sent, stream, abandoned);
            Thread.currentThread().interrupt();
            throw new MetricsUnavailableException("interrupted while querying Prometheus", e);
        }
    }

    /** Gives a call up: cancels the exchange (headers not in yet) and closes the body stream (being read). */
    private static void abandon(
            CompletableFuture<?> sent, AtomicReference<InputStream> stream, AtomicBoolean abandoned) {
        abandoned.set(true);
        sent.cancel(true);
        closeQuietly(stream.get());
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the call has already failed; closing only frees the connection
            }
        }
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
