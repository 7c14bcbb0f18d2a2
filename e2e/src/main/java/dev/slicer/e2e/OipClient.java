package dev.slicer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A minimal Open Inference Protocol v2 JSON client for driving edges (the conformance test uses tritonclient). */
public final class OipClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = ServiceHttpClient.create(Duration.ofSeconds(5));
    private final String base;

    /** One answer: HTTP status and body. */
    public record Reply(int status, JsonNode body) {
        public boolean ok() {
            return status == 200;
        }

        /** Output {@code i}'s values. */
        public float[] floats(int i) {
            JsonNode data = body.path("outputs").path(i).path("data");
            float[] out = new float[data.size()];
            for (int k = 0; k < out.length; k++) {
                out[k] = (float) data.get(k).asDouble();
            }
            return out;
        }

        public int split() {
            return body.path("parameters").path("slicer_split").asInt(Integer.MIN_VALUE);
        }

        public String plan() {
            return body.path("parameters").path("slicer_plan").asText("");
        }

        public String fallback() {
            return body.path("parameters").path("slicer_fallback").asText(null);
        }
    }

    public OipClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public Reply infer(String model, List<String> texts) throws IOException, InterruptedException {
        return infer(model, texts, List.of());
    }

    /** Asks for the named outputs only (OIP's {@code outputs}); all of them when {@code outputs} is empty. */
    public Reply infer(String model, List<String> texts, List<String> outputs)
            throws IOException, InterruptedException {
        ObjectNode req = JSON.createObjectNode();
        ObjectNode in = req.putArray("inputs").addObject();
        in.put("name", "text").put("datatype", "BYTES").putArray("shape").add(texts.size());
        ArrayNode data = in.putArray("data");
        texts.forEach(data::add);
        if (!outputs.isEmpty()) {
            ArrayNode wanted = req.putArray("outputs");
            outputs.forEach(o -> wanted.addObject().put("name", o));
        }
        return post("/v2/models/" + model + "/infer", JSON.writeValueAsBytes(req));
    }

    /**
     * The model's output with the fewest elements by its metadata (a dynamic dimension counts as 64), e.g. a pooled
     * embedding beside the per-token hidden states.
     */
    public String smallestOutput(String model) throws IOException, InterruptedException {
        JsonNode meta = JSON.readTree(get("/v2/models/" + model));
        String best = null;
        double fewest = Double.POSITIVE_INFINITY;
        for (JsonNode o : meta.path("outputs")) {
            double n = 1;
            for (JsonNode d : o.path("shape")) {
                n *= d.asLong() < 0 ? 64 : d.asLong();
            }
            if (n < fewest) {
                fewest = n;
                best = o.path("name").asText();
            }
        }
        if (best == null) {
            throw new IOException("model " + model + " lists no outputs: " + meta);
        }
        return best;
    }

    public Reply post(String path, byte[] body) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(120))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        JsonNode node;
        try {
            node = JSON.readTree(r.body());
        } catch (IOException e) {
            node = JSON.createObjectNode().put("error", "not JSON: " + new String(r.body()));
        }
        return new Reply(r.statusCode(), node);
    }

    public String get(String path) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
