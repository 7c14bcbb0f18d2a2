package dev.slicer.e2e.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slicer.e2e.OipClient;
import dev.slicer.e2e.UnsplitReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client traffic through the edges' public API (Open Inference Protocol v2 over HTTP): closed-loop clients per
 * edge, each sending the demo's sentences in turn. The number of clients per edge is the load, raised at run time.
 * Every request ends in {@link EdgeStats}: answered (with its row, bytes and fidelity) or failed with its status.
 */
public final class Traffic implements AutoCloseable {
    /** Most clients per edge the load can be raised to. */
    public static final int MAX_CLIENTS = 6;

    /** How long a client waits after a failed request before its next one. */
    static final long FAILURE_PAUSE_MILLIS = 200;

    private final String model;
    private final List<String> sentences;
    private final UnsplitReference reference;
    private final AtomicInteger clients = new AtomicInteger(1);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();

    public Traffic(String model, List<String> sentences, UnsplitReference reference) {
        this.model = model;
        this.sentences = List.copyOf(sentences);
        this.reference = reference;
    }

    /** Starts {@link #MAX_CLIENTS} client threads for an edge; the first {@link #clients()} of them send. */
    public synchronized void drive(int port, EdgeStats stats) {
        for (int i = 0; i < MAX_CLIENTS; i++) {
            int client = i;
            Thread t = new Thread(
                    () -> loop(new OipClient(port), stats, client),
                    stats.device().name() + "-client-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    public void setClients(int n) {
        clients.set(Math.max(1, Math.min(MAX_CLIENTS, n)));
    }

    public int clients() {
        return clients.get();
    }

    private void loop(OipClient client, EdgeStats stats, int index) {
        int next = index * 7;
        while (running.get()) {
            if (index >= clients.get()) {
                parkQuietly(100);
                continue;
            }
            String text = sentences.get(next++ % sentences.size());
            long t0 = System.nanoTime();
            inFlight.incrementAndGet();
            try {
                OipClient.Reply r = client.infer(model, List.of(text));
                long t1 = System.nanoTime();
                if (r.ok()) {
                    stats.answered(reply(r, text, t1, (t1 - t0) / 1e9));
                } else {
                    stats.failed(r.status(), r.body().path("error").asText(""));
                    // a client backs off after an error instead of hammering a failing edge in a tight loop
                    parkQuietly(FAILURE_PAUSE_MILLIS);
                }
            } catch (IOException e) {
                if (running.get()) {
                    stats.failed(0, e.toString());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    private EdgeStats.Reply reply(OipClient.Reply r, String text, long at, double latency) {
        JsonNode p = r.body().path("parameters");
        return new EdgeStats.Reply(
                at,
                latency,
                p.path("slicer_row").asInt(-1),
                r.split(),
                r.plan(),
                p.path("slicer_if_bytes").asLong(0),
                p.path("slicer_if_raw_bytes").asLong(0),
                p.path("slicer_batch_size").asInt(0),
                p.path("slicer_timings").path("backend_queue").asDouble(0),
                reference.cosine(text, r.floats(0)),
                r.fallback() != null);
    }

    /** Sleeps, keeping an interrupt for the caller's loop to see. */
    static void parkQuietly(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops sending and waits (bounded) for the requests in flight to end, so every one is counted. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(130));
        }
    }
}
