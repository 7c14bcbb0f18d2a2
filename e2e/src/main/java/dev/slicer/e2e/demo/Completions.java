package dev.slicer.e2e.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slicer.e2e.GreedyReference;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Client traffic through the decoder edges' OpenAI-compatible API: one closed-loop client per edge sends {@code POST
 * /v1/completions} (greedy, {@link #TOKENS} tokens) with the demo's prompts in turn, pausing {@link #THINK_MILLIS}
 * between completions as a chat user would. Every completion ends in {@link DecoderStats}: answered (compared with
 * the unsplit model's greedy text) or failed with its status.
 */
public final class Completions implements AutoCloseable {
    /** Tokens per completion (the example's {@code maxNewTokens}). */
    public static final int TOKENS = 24;

    /** The pause between a client's completions. */
    static final long THINK_MILLIS = 250;

    /** How long one completion may take before the client counts it failed (status 0). */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    static final List<String> PROMPTS = List.of(
            "The fleet splits every model",
            "Edge devices send features",
            "A server keeps the cache",
            "Links change during the day");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String model;
    private final GreedyReference reference;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    public Completions(String model, GreedyReference reference) {
        this.model = model;
        this.reference = reference;
    }

    /** Starts the client of one edge. */
    public synchronized void drive(int port, DecoderStats stats) {
        int first = threads.size(); // clients start at different prompts
        Thread t = new Thread(() -> loop(port, stats, first), stats.device().name() + "-completions");
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void loop(int port, DecoderStats stats, int first) {
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/completions");
        int next = first;
        while (running.get()) {
            String prompt = PROMPTS.get(next++ % PROMPTS.size());
            ObjectNode body = JSON.createObjectNode()
                    .put("model", model)
                    .put("prompt", prompt)
                    .put("max_tokens", TOKENS)
                    .put("temperature", 0);
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(TIMEOUT)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                long t1 = System.nanoTime();
                if (r.statusCode() == 200) {
                    stats.answered(completion(JSON.readTree(r.body()), prompt, t1, (t1 - t0) / 1e9));
                } else {
                    stats.failed(r.statusCode(), r.body());
                }
            } catch (IOException e) {
                if (running.get()) {
                    stats.failed(0, e.toString());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Traffic.parkQuietly(THINK_MILLIS);
        }
    }

    private DecoderStats.Completion completion(JsonNode reply, String prompt, long at, double seconds) {
        JsonNode s = reply.path("slicer");
        String text = reply.at("/choices/0/text").asText();
        String expected = reference.text(prompt);
        return new DecoderStats.Completion(
                at,
                seconds,
                s.path("mode").asText("?"),
                s.path("split").asInt(-1),
                s.path("w").asInt(0),
                reply.at("/usage/completion_tokens").asInt(0),
                s.path("if_bytes").asLong(0),
                text.equals(expected),
                prefixAgreement(expected, text));
    }

    /**
     * The share of the reference text a completion reproduces before its first difference: greedy decoding feeds
     * every token back, so after one differing token the texts are no longer comparable position by position.
     */
    static double prefixAgreement(String expected, String text) {
        if (expected.isEmpty()) {
            return 1;
        }
        int n = Math.min(expected.length(), text.length());
        int i = 0;
        while (i < n && expected.charAt(i) == text.charAt(i)) {
            i++;
        }
        return (double) i / expected.length();
    }

    /** Stops sending and waits (bounded) for the completions in flight to end, so every one is counted. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(TIMEOUT.toMillis() + 5_000);
        }
    }
}
