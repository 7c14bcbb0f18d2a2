package dev.slicer.backend.ar;

import dev.slicer.backend.ServedModel;
import dev.slicer.backend.config.BackendConfig;
import dev.slicer.model.ModelException;
import dev.slicer.model.ar.KvCache;
import dev.slicer.model.ar.KvDecoder;
import dev.slicer.model.ar.NextToken;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.protocol.BackendErrors;
import dev.slicer.protocol.BackendErrors.Reason;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs AR sessions: one compute thread takes the oldest waiting Open or Step; a Step takes along every other waiting
 * Step at the same split (up to the batch size) - continuous batching: a step joins the next batch as soon as it
 * arrives, whatever the other sessions' positions, since {@link KvDecoder} left-pads their caches. An Open (a
 * prefill of many positions) runs alone. A sweeper ends sessions idle past the TTL.
 */
@ApplicationScoped
public class ArEngine {
    private final SplittableModel model;
    private final BackendConfig.Ar config;
    private final dev.slicer.backend.config.ExecutionProvider provider;
    private final ArMetrics metrics;
    private final SessionStore store;
    private final ArrayDeque<ArWork> queue = new ArrayDeque<>();
    private final Map<Integer, KvDecoder> decoders = new HashMap<>();
    private final Thread compute;
    private final ScheduledExecutorService sweeper;
    private volatile boolean stopped;

    public ArEngine(ServedModel served, BackendConfig config, ArMetrics metrics) {
        this.model = served.tails().splittable();
        this.config = config.ar();
        this.provider = config.executionProvider();
        this.metrics = metrics;
        this.store = new SessionStore(
                this.config.kvMemoryBytes(),
                this.config.sessionTtl().toNanos(),
                System::nanoTime,
                (why, freed) -> metrics.ended(why));
        this.compute = new Thread(this::loop, "ar-compute");
        compute.setDaemon(true);
        compute.start();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ar-ttl");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(50, this.config.sessionTtl().toMillis() / 4);
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        if (store.sweep() > 0) {
            publish();
        }
    }

    /** A new session at {@code split} (-1: the whole model), busy until its Open completes. */
    ArSession open(int split) {
        if (split < -1 || split >= model.candidates().size()) {
            throw BackendErrors.error(
                    Reason.UNKNOWN_SPLIT,
                    "split " + split + " out of range [-1, "
                            + model.candidates().size() + ")");
        }
        return store.open(split);
    }

    ArSession begin(String id, long position) {
        return store.begin(id, position);
    }

    boolean close(String id) {
        boolean closed = store.close(id);
        publish();
        return closed;
    }

    /** Queues an Open or Step; QUEUE_FULL (retryable) when the queue holds its capacity. */
    void submit(ArWork w) {
        synchronized (queue) {
            if (queue.size() >= config.queueCapacity()) {
                cancelBusy(w.session, w.open);
                throw BackendErrors.queueFull("AR queue full", Duration.ofMillis(20));
            }
            queue.addLast(w);
            queue.notifyAll();
        }
    }

    /** A session's Open or Step was refused before queueing: the session is free again (an Open's is ended). */
    void cancelBusy(ArSession s, boolean open) {
        store.done(s);
        if (open) {
            store.close(s.id);
        }
    }

    /** Drops a queued Open or Step whose caller went away; false when it already runs. */
    boolean cancel(ArWork w) {
        synchronized (queue) {
            if (!queue.remove(w)) {
                return false;
            }
        }
        cancelBusy(w.session, w.open);
        return true;
    }

    /** Bytes reserved for KV caches now (tests: never above the budget). */
    public long reservedBytes() {
        return store.reservedBytes();
    }

    public int sessions() {
        return store.size();
    }

    public boolean idle() {
        synchronized (queue) {
            return queue.isEmpty();
        }
    }

    private void loop() {
        while (!stopped) {
            List<ArWork> batch = new ArrayList<>();
            synchronized (queue) {
                while (queue.isEmpty() && !stopped) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stopped) {
                    return;
                }
                ArWork first = queue.pollFirst();
                batch.add(first);
                if (!first.open) {
                    for (Iterator<ArWork> it = queue.iterator();
                            it.hasNext() && batch.size() < config.maxBatchSize(); ) {
                        ArWork w = it.next();
                        if (!w.open && w.session.split == first.session.split) {
                            batch.add(w);
                            it.remove();
                        }
                    }
                }
            }
            run(batch);
        }
    }

    private void run(List<ArWork> batch) {
        long start = System.nanoTime();
        KvDecoder decoder;
        try {
            decoder = decoder(batch.get(0).session.split);
        } catch (RuntimeException e) {
            fail(batch, BackendErrors.error(Reason.INTERNAL, "cannot load the tail: " + e.getMessage()));
            return;
        }
        long[] after = new long[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            ArWork w = batch.get(i);
            after[i] = decoder.bytesPerPosition() * (w.session.cache.length() + w.positions());
        }
        List<ArSession> refused =
                store.reserve(batch.stream().map(w -> w.session).toList(), after);
        List<ArWork> runnable = new ArrayList<>();
        for (ArWork w : batch) {
            if (refused.contains(w.session)) {
                w.session.cache.clear();
                w.completion.failed(BackendErrors.error(
                        Reason.SESSION_LIMIT,
                        "session needs " + decoder.bytesPerPosition() * (w.session.cache.length() + w.positions())
                                + " bytes of KV cache; the budget is " + store.budgetBytes()
                                + " bytes and the other sessions are running"));
            } else {
                runnable.add(w);
            }
        }
        if (!runnable.isEmpty()) {
            List<KvCache> caches = runnable.stream().map(w -> w.session.cache).toList();
            List<HostTensor> inputs = runnable.stream().map(w -> w.input).toList();
            List<Map<String, HostTensor>> out;
            try {
                out = decoder.step(caches, inputs);
            } catch (ModelException | IllegalArgumentException e) {
                runnable.forEach(w -> store.done(w.session));
                fail(runnable, BackendErrors.error(Reason.MALFORMED_FRAME, e.getMessage()));
                publish();
                return;
            }
            double computeSeconds = (System.nanoTime() - start) / 1e9;
            for (int i = 0; i < runnable.size(); i++) {
                ArWork w = runnable.get(i);
                ArSession s = w.session;
                float[] logits = NextToken.lastRow(out.get(i).get("logits"));
                double queueSeconds = (start - w.admittedNanos) / 1e9;
                double share = computeSeconds / runnable.size();
                metrics.token((double) w.wireBits / w.positions(), w.decodeSeconds + share / w.positions());
                if (!store.holds(s)) {
                    s.cache.clear(); // closed or evicted while it ran
                    w.completion.failed(BackendErrors.error(
                            Reason.SESSION_EVICTED, "session " + s.id + " ended while its step ran"));
                    continue;
                }
                store.done(s);
                w.completion.done(logits, s.cache.length(), queueSeconds, computeSeconds, runnable.size());
            }
        }
        publish();
    }

    private void publish() {
        metrics.sessions(store.size(), store.reservedBytes());
    }

    private static void fail(List<ArWork> batch, io.grpc.StatusRuntimeException e) {
        for (ArWork w : batch) {
            w.completion.failed(e);
        }
    }

    /** The decoder part of a split: the whole model for -1, else the back (one per split the edges use). */
    private KvDecoder decoder(int split) {
        KvDecoder d = decoders.get(split);
        if (d == null) {
            d = split < 0
                    ? KvDecoder.whole(model, provider::apply)
                    : KvDecoder.back(model, model.candidate(split), provider::apply);
            decoders.put(split, d);
            Log.infof("AR decoder for split %d created on %s", split, provider);
        }
        return d;
    }

    /** The input a split's decoder takes per position ({@code input_ids} or the split's activation). */
    String sequenceInput(int split) {
        return split < 0 ? "input_ids" : model.candidate(split).bigTensor();
    }

    String splitName(int split) {
        return split < 0 ? "" : model.candidate(split).name();
    }

    @PreDestroy
    void stop() {
        stopped = true;
        synchronized (queue) {
            queue.notifyAll();
        }
        sweeper.shutdownNow();
        try {
            compute.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        decoders.values().forEach(KvDecoder::close);
    }
}
