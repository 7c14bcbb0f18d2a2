package dev.slicer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A decoder edge's OpenAI-compatible completions API as the demo and the fleet benchmark drive it: greedy
 * (temperature 0), not streamed, with the edge's {@code slicer} extension read back (mode, split, feature bytes).
 */
public final class CompletionClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OipClient http;

    /** One answer: HTTP status and body. */
    public record Completion(int status, JsonNode body) {
        public boolean ok() {
            return status == 200;
        }

        public String text() {
            return body.at("/choices/0/text").asText();
        }

        public int tokens() {
            return body.at("/usage/completion_tokens").asInt(0);
        }

        /** The hash of the plan the edge served this completion from. */
        public String plan() {
            return body.at("/slicer/plan").asText("");
        }

        /** offload, cloud or local (the plan row's mode), {@code ?} when absent. */
        public String mode() {
            return body.at("/slicer/mode").asText("?");
        }

        public int split() {
            return body.at("/slicer/split").asInt(-1);
        }

        /** The hand-off step. */
        public int w() {
            return body.at("/slicer/w").asInt(0);
        }

        /** Feature (or token id) bytes the edge sent for this completion, hand-off included. */
        public long ifBytes() {
            return body.at("/slicer/if_bytes").asLong(0);
        }
    }

    public CompletionClient(int port) {
        this.http = new OipClient(port);
    }

    public Completion complete(String model, String prompt, int maxTokens) throws IOException, InterruptedException {
        byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode()
                .put("model", model)
                .put("prompt", prompt)
                .put("max_tokens", maxTokens)
                .put("temperature", 0));
        OipClient.Reply r = http.post("/v1/completions", body);
        return new Completion(r.status(), r.body());
    }
}
