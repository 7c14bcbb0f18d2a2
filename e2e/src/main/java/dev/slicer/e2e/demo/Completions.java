package dev.slicer.e2e.demo;

import dev.slicer.e2e.CompletionClient;
import dev.slicer.e2e.GreedyReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    public static final List<String> PROMPTS = List.of(
            "The fleet splits every model",
            "Edge devices send features",
            "A server keeps the cache",
            "Links change during the day");

    private final String model;
    private final GreedyReference reference;
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
        CompletionClient client = new CompletionClient(port);
        int next = first;
        while (running.get()) {
            String prompt = PROMPTS.get(next++ % PROMPTS.size());
            long t0 = System.nanoTime();
            try {
                CompletionClient.Completion c = client.complete(model, prompt, TOKENS);
                long t1 = System.nanoTime();
                if (c.ok()) {
                    String expected = reference.text(prompt);
                    stats.answered(new DecoderStats.Completion(
                            (t1 - t0) / 1e9,
                            c.mode(),
                            c.split(),
                            c.w(),
                            c.tokens(),
                            c.ifBytes(),
                            c.text().equals(expected),
                            GreedyReference.prefixAgreement(expected, c.text())));
                } else {
                    stats.failed(c.status(), c.body().toString());
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

    /** Stops sending and waits (bounded) for the completions in flight to end, so every one is counted. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(130)); // a request is bounded by the client's 120 s
        }
    }
}
