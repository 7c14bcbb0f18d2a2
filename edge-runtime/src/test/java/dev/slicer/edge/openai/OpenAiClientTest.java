package dev.slicer.edge.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import dev.slicer.edge.ar.ByteTokenizer;
import dev.slicer.edge.testing.ArBackendResource;
import dev.slicer.model.ar.KvCache;
import dev.slicer.model.ar.KvDecoder;
import dev.slicer.model.ar.NextToken;
import dev.slicer.model.split.HostTensor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java client talks to the edge unchanged: completions and chat, JSON and streamed, a stop
 * sequence, usage, and a client that disconnects mid-stream (its back-end session is closed). The edge serves
 * builtin:tiny-llama offloading at (w = 3, model.layers.1) losslessly, so greedy text equals the unsplit model's.
 */
@QuarkusTest
@QuarkusTestResource(value = ArBackendResource.class, restrictToAnnotatedClass = true)
class OpenAiClientTest {
    static final String PROMPT = "Once upon a time";

    @TestHTTPResource("/v1")
    URL base;

    OpenAIClient client;

    @BeforeEach
    void client() {
        client = OpenAIOkHttpClient.builder()
                .baseUrl(base.toString())
                .apiKey("unused")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(60))
                .build();
    }

    @AfterEach
    void close() {
        ArBackendResource.backend.release();
        client.close();
    }

    /** The unsplit model's greedy continuation, decoded as the edge decodes it. */
    static String reference(String prompt, int tokens) {
        ByteTokenizer tok = new ByteTokenizer();
        long[] ids = tok.encode(prompt);
        long[] out = new long[tokens];
        try (KvDecoder whole = KvDecoder.whole(ArBackendResource.model, o -> {})) {
            KvCache c = new KvCache();
            long[] in = ids;
            for (int t = 0; t < tokens; t++) {
                var o = whole.step(List.of(c), List.of(HostTensor.ofLongs(new long[] {1, in.length}, in)));
                out[t] = NextToken.argmax(NextToken.lastRow(o.get(0).get("logits")));
                in = new long[] {out[t]};
            }
        }
        return tok.decode(out);
    }

    CompletionCreateParams.Builder completion(int maxTokens) {
        return CompletionCreateParams.builder()
                .model("tiny-llama")
                .prompt(PROMPT)
                .maxTokens(maxTokens)
                .temperature(0.0);
    }

    @Test
    void completionsAndChatEqualTheUnsplitModelGreedily() {
        Completion c = client.completions().create(completion(24).build());
        assertThat(c.choices()).hasSize(1);
        assertThat(c.choices().get(0).text()).isEqualTo(reference(PROMPT, 24));
        assertThat(c.choices().get(0).finishReason())
                .isEqualTo(com.openai.models.completions.CompletionChoice.FinishReason.LENGTH);
        assertThat(c.usage()).hasValueSatisfying(u -> {
            assertThat(u.promptTokens()).isEqualTo(PROMPT.length());
            assertThat(u.completionTokens()).isEqualTo(24);
            assertThat(u.totalTokens()).isEqualTo(PROMPT.length() + 24);
        });

        ChatCompletion chat = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("tiny-llama")
                        .addUserMessage("Hi")
                        .maxCompletionTokens(12)
                        .temperature(0.0)
                        .build());
        assertThat(chat.choices().get(0).message().content()).hasValue(reference("user: Hi\nassistant:", 12));
        assertThat(chat.usage().get().completionTokens()).isEqualTo(12);
    }

    @Test
    void streamedTextEqualsTheWholeReplyAndStopsAtAStopSequence() {
        String whole = client.completions()
                .create(completion(40).build())
                .choices()
                .get(0)
                .text();
        String streamed;
        try (StreamResponse<Completion> s =
                client.completions().createStreaming(completion(40).build())) {
            streamed = s.stream()
                    .map(c -> c.choices().isEmpty() ? "" : c.choices().get(0).text())
                    .collect(Collectors.joining());
        }
        assertThat(streamed).isEqualTo(whole);

        // an ASCII letter decodes the same at every length (a multi-byte character can change as bytes arrive)
        int k = 3;
        while (!Character.isLetter(whole.charAt(k)) || whole.charAt(k) > 127) {
            k++;
        }
        String stop = whole.substring(k, k + 1);
        k = whole.indexOf(stop);
        Completion stopped =
                client.completions().create(completion(40).stop(stop).build());
        assertThat(stopped.choices().get(0).text()).isEqualTo(whole.substring(0, k));
        assertThat(stopped.choices().get(0).finishReason())
                .isEqualTo(com.openai.models.completions.CompletionChoice.FinishReason.STOP);
        try (StreamResponse<Completion> s =
                client.completions().createStreaming(completion(40).stop(stop).build())) {
            String text = s.stream()
                    .map(c -> c.choices().isEmpty() ? "" : c.choices().get(0).text())
                    .collect(Collectors.joining());
            assertThat(text).isEqualTo(whole.substring(0, k)).doesNotContain(stop);
        }

        try (StreamResponse<ChatCompletionChunk> s = client.chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("tiny-llama")
                        .addUserMessage("Hi")
                        .maxCompletionTokens(12)
                        .temperature(0.0)
                        .build())) {
            String text = s.stream()
                    .flatMap(c -> c.choices().stream())
                    .map(ch -> ch.delta().content().orElse(""))
                    .collect(Collectors.joining());
            assertThat(text).isEqualTo(reference("user: Hi\nassistant:", 12));
        }
    }

    @Test
    void aClientThatDisconnectsMidStreamEndsItsBackendSession() {
        var backend = ArBackendResource.backend;
        int closes = backend.closes.get();
        int steps = backend.steps.get();
        backend.holdAfter(steps + 4);
        try (StreamResponse<Completion> s =
                client.completions().createStreaming(completion(1000).build())) {
            Iterator<Completion> it = s.stream().iterator();
            assertThat(it.hasNext()).isTrue();
            it.next();
        } // closes the HTTP connection while the edge waits for the held step
        backend.release();
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.closes.get() == closes + 1);
        assertThat(backend.held()).isZero();
        assertThat(backend.steps.get() - steps)
                .as("generation stopped at the disconnect")
                .isLessThan(20);
    }

    @Test
    void anUnknownModelIsNotFound() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.completions()
                        .create(CompletionCreateParams.builder()
                                .model("gpt-4")
                                .prompt("x")
                                .build()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("tiny-llama");
    }
}
