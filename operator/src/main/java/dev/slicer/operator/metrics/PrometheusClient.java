package dev.slicer.operator.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal client of the Prometheus HTTP API: instant queries ({@code GET /api/v1/query}) with a vector result.
 * Every call is bounded by the connect and request timeouts; nothing is retried here (the reconciler backs off).
 */
public final class PrometheusClient {

    /** One element of an instant vector. */
    public record Sample(Map<String, String> labels, double value) {}

    private final HttpClient http;
    private final Duration requestTimeout;
    private final ObjectMapper json = new ObjectMapper();

    public PrometheusClient(Duration connectTimeout, Duration requestTimeout) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
    }

    /** Runs {@code promql} against the Prometheus at {@code baseUrl} and returns the vector's samples. */
    public List<Sample> query(String baseUrl, String promql) throws MetricsUnavailableException {
        URI uri = URI.create(
                stripSlash(baseUrl) + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MetricsUnavailableException("Prometheus at " + baseUrl + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetricsUnavailableException("interrupted while querying Prometheus", e);
        }
        if (response.statusCode() != 200) {
            throw new MetricsUnavailableException(
                    "Prometheus at " + baseUrl + " answered HTTP " + response.statusCode() + " to " + promql);
        }
        return parseVector(response.body());
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
