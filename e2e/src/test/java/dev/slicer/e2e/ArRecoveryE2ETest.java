package dev.slicer.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.search.Theta;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Autoregressive generation survives a real back-end process killed and restarted mid-generation: the edge
 * (real edge-runtime process, OpenAI-compatible streaming API) reopens the session on the new process, replays the
 * prefix features it kept, and the completion ends with the same greedy text as an uninterrupted one. The local
 * fallback is off ({@code slicer.edge.fallback=fail}), so the text can only come from the restarted back-end.
 */
class ArRecoveryE2ETest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path WORK = Path.of("target", "ar-recovery-e2e").toAbsolutePath();
    static final String MODEL = "builtin:tiny-llama";
    static final int TOKENS = 800;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = ServiceHttpClient.create(Duration.ofSeconds(5));
    static Fleet fleet;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(WORK);
        SplittableModel m = SplittableModel.load(MODEL);
        // every token offloaded after layer 1, lossless frames: the greedy text is the unsplit model's
        Plan plan = Plans.fixed(m, Map.of("unset", 1), Theta.lossless());
        Path planFile = WORK.resolve("plan.json");
        Files.writeString(planFile, PlanJson.write(plan, true), StandardCharsets.UTF_8);
        fleet = Fleet.start(
                ROOT,
                MODEL,
                1,
                "unset",
                planFile,
                WORK.resolve("logs"),
                Map.of(),
                Map.of(
                        "slicer.edge.fallback", "fail",
                        // retries span a back-end restart (a JVM start and the model load: seconds)
                        "slicer.edge.max-attempts", "240",
                        "slicer.edge.backoff-max", "500ms"));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> completion(4).path("slicer").path("mode").asText().equals("offload"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    static String url() {
        return "http://127.0.0.1:" + fleet.edges().get(0).httpPort() + "/v1/completions";
    }

    static String body(int tokens, boolean stream) {
        return "{\"model\":\"tiny-llama\",\"prompt\":\"The fleet splits every model\",\"max_tokens\":" + tokens
                + ",\"temperature\":0,\"stream\":" + stream + "}";
    }

    static JsonNode completion(int tokens) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url()))
                        .timeout(Duration.ofSeconds(120))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body(tokens, false)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void aLosslessSplitGenerationIsTheUnsplitModelsGreedyText() throws Exception {
        // the demo's fidelity reference (GreedyReference) agrees with what a lossless split generates
        try (GreedyReference reference = new GreedyReference(MODEL, 24)) {
            assertThat(completion(24).at("/choices/0/text").asText())
                    .isEqualTo(reference.text("The fleet splits every model"));
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // bounds the blocking stream read if the edge ever hangs
    void aBackendKilledAndRestartedMidGenerationLeavesTheGreedyTextUnchanged() throws Exception {
        JsonNode reference = completion(TOKENS);
        assertThat(reference.at("/slicer/recoveries").asInt()).isZero();
        String expected = reference.at("/choices/0/text").asText();

        HttpResponse<java.io.InputStream> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url()))
                        .timeout(Duration.ofSeconds(180))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body(TOKENS, true)))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        StringBuilder text = new StringBuilder();
        String finish = null;
        int chunks = 0;
        CompletableFuture<Void> restart = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue;
                }
                JsonNode chunk = JSON.readTree(line.substring("data: ".length()));
                assertThat(chunk.has("error")).as(line).isFalse();
                text.append(chunk.at("/choices/0/text").asText());
                if (!chunk.at("/choices/0/finish_reason").isNull()) {
                    finish = chunk.at("/choices/0/finish_reason").asText();
                }
                if (++chunks == 20) {
                    // mid-generation: the back-end process dies; a new one comes up on the same ports
                    fleet.killBackend();
                    restart = CompletableFuture.runAsync(() -> {
                        try {
                            fleet.restartBackend();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
            }
        }
        assertThat(restart).as("the back-end was killed mid-generation").isNotNull();
        restart.get(Fleet.START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(finish).isEqualTo("length");
        assertThat(text.toString())
                .as("the same greedy text as without the restart")
                .isEqualTo(expected);
        assertThat(Files.readString(fleet.edges().get(0).log()))
                .as("the edge reopened the session on the new back-end by replay")
                .containsPattern(
                        "session \\S+ lost \\(.*\\); reopened as \\S+ on 127\\.0\\.0\\.1:\\d+, \\d+ step\\(s\\) replayed");
        System.out.printf("ar-recovery: tokens=%d chunks=%d same_text=true%n", TOKENS, chunks);
    }
}
