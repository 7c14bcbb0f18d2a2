package dev.slicer.edge.ar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slicer.edge.backend.BackendChannel;
import dev.slicer.edge.backend.Backoff;
import dev.slicer.edge.backend.RetryPolicy;
import dev.slicer.edge.infer.LinkCrossing;
import dev.slicer.edge.plan.RowChoice;
import dev.slicer.edge.plan.RowSelector;
import dev.slicer.edge.testing.ArTestBackend;
import dev.slicer.model.ar.Fidelity;
import dev.slicer.model.ar.KvDecoder;
import dev.slicer.model.ar.NextToken;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.RowKind;
import dev.slicer.protocol.WireLimits;
import io.grpc.ConnectivityState;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** AR generation on builtin:tiny-llama against a stand-in back-end: exactness, fidelity, recovery, cancellation. */
class ArGeneratorTest {
    static final long[] PROMPT = new ByteTokenizer().encode("The split point is ");
    /** How long a session waits for a lost connection (well above gRPC's reconnect backoff). */
    static final Duration RECONNECT_WAIT = Duration.ofSeconds(10);

    static SplittableModel model;
    static ArTestBackend backend;
    static BackendChannel channel;
    static ArGenerator generator;

    @BeforeAll
    static void setUp() throws Exception {
        model = SplittableModel.load(ArTokenizers.TINY_LLAMA);
        backend = new ArTestBackend(model).start(0);
        channel = new BackendChannel(backend.address(), WireLimits.forElements(1 << 22));
        generator = new ArGenerator(
                ArTokenizers.TINY_LLAMA,
                model,
                Optional.of(channel),
                LinkCrossing.unemulated(),
                new ArSessionClient.Settings(
                        Duration.ofSeconds(20),
                        new RetryPolicy(6, new Backoff(Duration.ofMillis(5), Duration.ofMillis(200)), RECONNECT_WAIT),
                        1 << 20,
                        1 << 20),
                false,
                "edge-1",
                "test",
                1 << 22);
    }

    @AfterAll
    static void tearDown() {
        generator.close();
        channel.close();
        backend.close();
    }

    static RowChoice row(int split, int w, Theta theta) {
        int n = model.candidates().size();
        RowKind kind = split < 0 ? RowKind.CLOUD_ONLY : split >= n ? RowKind.LOCAL_ONLY : RowKind.SPLIT;
        String name = kind == RowKind.SPLIT
                ? model.candidate(split).name()
                : kind.name().toLowerCase(Locale.ROOT);
        return RowChoice.of(new PlanRow(
                0, 0, 1, 1, 1, 1, kind, split, name, w, kind == RowKind.SPLIT ? theta : null, 0, 0.0, 1.0, "test"));
    }

    static Generation run(RowChoice row, int tokens, ArGenerator.TokenSink sink) {
        return generator.generate(
                new ArGenerator.Request(PROMPT, tokens, Sampler.greedy(), true),
                RowSelector.Decision.of(row),
                "",
                sink,
                () -> false);
    }

    /** The unsplit model's next-token logits along a token path (teacher forcing): one row per generated token. */
    static float[][] reference(long[] tokens) {
        try (KvDecoder whole = KvDecoder.whole(model, o -> {})) {
            return Fidelity.reference(whole, PROMPT, tokens);
        }
    }

    static long[] greedyReference(int tokens) {
        Generation g = run(row(model.candidates().size(), 0, null), tokens, t -> true);
        assertThat(g.mode()).isEqualTo("local");
        return g.tokens();
    }

    @Test
    void losslessOffloadAtEveryWAndLGivesTheUnsplitModelsGreedyTokens() {
        int tokens = 12;
        long[] expected = greedyReference(tokens);
        float[][] ref = reference(expected);
        for (int t = 0; t < tokens; t++) {
            assertThat(NextToken.argmax(ref[t])).isEqualTo((int) expected[t]);
        }
        for (int l = 0; l < model.candidates().size(); l++) {
            for (int w : new int[] {1, 2, 5, tokens, tokens + 1}) {
                Generation g = run(row(l, w, Theta.lossless()), tokens, t -> true);
                assertThat(g.tokens()).as("l=%d w=%d", l, w).containsExactly(expected);
                assertThat(g.finish()).isEqualTo("length");
            }
        }
        Generation cloud = run(row(-1, 1, null), tokens, t -> true);
        assertThat(cloud.tokens()).containsExactly(expected);
        assertThat(cloud.mode()).isEqualTo("cloud");
        assertThat(backend.held()).as("every session was closed").isZero();
    }

    @Test
    void plannerKnobsAgreementAndKlOver64TokensAreMeasured() {
        int tokens = 64;
        int split = 2;
        Theta[] knobs = {
            Theta.lossless(),
            Theta.tsTabq(0.01, 8, 0.02, false),
            Theta.tsTabq(0.01, 6, 0.02, true),
            Theta.tsTabq(0.01, 4, 0.02, true),
            Theta.topK(0.5, 2, 2, 0.0, 8, 0.02, false),
            Theta.ecsq(6.0, true)
        };
        for (Theta theta : knobs) {
            Generation g = run(row(split, 1, theta), tokens, t -> true);
            Fidelity f = Fidelity.of(reference(g.tokens()), g.logits());
            double agreement = f.agreement();
            double kl = f.kl();
            System.out.printf(
                    Locale.ROOT,
                    "ar fidelity: split=%s w=1 knobs=%s tokens=%d agreement=%.4f kl=%.6f bits_per_token=%.1f%n",
                    model.candidate(split).name(),
                    theta.id(),
                    tokens,
                    agreement,
                    kl,
                    8.0 * g.ifBytes() / (PROMPT.length + tokens - 1));
            assertThat(kl).isGreaterThanOrEqualTo(0).isFinite();
            if (theta.equals(Theta.lossless())) {
                assertThat(agreement).isEqualTo(1.0);
                assertThat(kl).isLessThan(1e-9);
            }
        }
    }

    @Test
    void aSessionLostMidGenerationIsReopenedByReplayWithTheSameGreedyOutput() throws Exception {
        int tokens = 24;
        long[] expected = greedyReference(tokens);
        AtomicInteger seen = new AtomicInteger();
        int opens = backend.opens.get();
        Generation forgot = run(row(3, 4, Theta.lossless()), tokens, t -> {
            if (seen.incrementAndGet() == 10) {
                backend.forgetAll(); // the replica restarted: the session is unknown
            }
            return true;
        });
        assertThat(forgot.tokens()).containsExactly(expected);
        assertThat(forgot.recoveries()).isEqualTo(1);
        assertThat(backend.opens.get() - opens).isEqualTo(2);

        seen.set(0);
        int port =
                Integer.parseInt(backend.address().substring(backend.address().lastIndexOf(':') + 1));
        Generation restarted = run(row(1, 2, Theta.lossless()), tokens, t -> {
            if (seen.incrementAndGet() == 8) {
                try {
                    backend.stop(); // gone: UNAVAILABLE until it is back
                    backend.start(port);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return true;
        });
        assertThat(restarted.tokens()).containsExactly(expected);
        assertThat(restarted.recoveries()).isEqualTo(1);

        // gone for longer than the retries' backoff: the session waits for its connection and replays
        seen.set(0);
        AtomicReference<Thread> restart = new AtomicReference<>();
        Generation waited = run(row(1, 2, Theta.lossless()), tokens, t -> {
            if (seen.incrementAndGet() == 8) {
                try {
                    backend.stop();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                // back once the channel backs off a refused connection: where every retry used to fail at once
                restart.set(new Thread(() -> {
                    try {
                        await().atMost(Duration.ofSeconds(30))
                                .until(() -> channel.state() == ConnectivityState.TRANSIENT_FAILURE);
                        backend.start(port);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
                restart.get().start();
            }
            return true;
        });
        restart.get().join();
        assertThat(waited.tokens()).containsExactly(expected);
        assertThat(waited.recoveries()).isEqualTo(1);
    }

    @Test
    void aCancelledGenerationClosesItsSession() {
        AtomicInteger seen = new AtomicInteger();
        int closes = backend.closes.get();
        Generation g = generator.generate(
                new ArGenerator.Request(PROMPT, 50, Sampler.greedy(), false),
                RowSelector.Decision.of(row(2, 1, Theta.lossless())),
                "",
                t -> seen.incrementAndGet() > 0,
                () -> seen.get() >= 5);
        assertThat(g.finish()).isEqualTo("cancelled");
        assertThat(g.tokens()).hasSize(5);
        assertThat(backend.closes.get()).isEqualTo(closes + 1);
        assertThat(backend.held()).isZero();
    }

    @Test
    void aSinkThatStopsEndsTheGenerationAsStop() {
        Generation g = run(row(-1, 1, null), 30, t -> false);
        assertThat(g.finish()).isEqualTo("stop");
        assertThat(g.tokens()).hasSize(1);
    }
}
