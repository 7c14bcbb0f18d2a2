package dev.slicer.backend.batch;

import dev.slicer.backend.metrics.BackendMetrics;
import dev.slicer.backend.tail.TailRunner;
import dev.slicer.model.split.HostTensor;
import dev.slicer.protocol.BackendErrors;
import dev.slicer.protocol.BackendErrors.Reason;
import dev.slicer.protocol.v1.BackendTimings;
import io.quarkus.logging.Log;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The admission queue and the dynamic batcher: one FIFO per split, bounded together by {@code capacity}, drained by
 * one compute thread (one device: tails run one batch at a time). The batch goes to the split whose oldest request
 * has waited longest, sized by the {@link BatchPolicy}. Requests whose deadline passed are dropped before compute; a
 * cancelled request is removed from its queue.
 */
public final class Batcher implements AutoCloseable {
    private final BatchPolicy policy;
    private final int capacity;
    private final TailRunner runner;
    private final BackendMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Integer, ArrayDeque<Pending>> queues = new LinkedHashMap<>();
    private final Thread worker;
    private int queued;
    private boolean computing;
    private boolean closed;
    /** EWMA of one batch's compute time, for the retry-after hint. */
    private volatile double batchSeconds = 0.01;

    public Batcher(BatchPolicy policy, int capacity, TailRunner runner, BackendMetrics metrics) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, got " + capacity);
        }
        this.policy = policy;
        this.capacity = capacity;
        this.runner = runner;
        this.metrics = metrics;
        this.worker = new Thread(this::loop, "slicer-compute");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Admits {@code p}, or returns false when the queue is full. */
    public boolean offer(Pending p) {
        lock.lock();
        try {
            if (closed || queued >= capacity) {
                return false;
            }
            queues.computeIfAbsent(p.tail().index(), k -> new ArrayDeque<>()).add(p);
            queued++;
            metrics.queued(queued);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Removes {@code p} if it still waits (cancelled or expired by its caller); false if it is computing or done. */
    public boolean remove(Pending p) {
        lock.lock();
        try {
            ArrayDeque<Pending> q = queues.get(p.tail().index());
            if (q != null && q.remove(p)) {
                queued--;
                metrics.queued(queued);
                changed.signalAll();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    public boolean full() {
        lock.lock();
        try {
            return queued >= capacity;
        } finally {
            lock.unlock();
        }
    }

    /** Nothing queued and nothing computing. */
    public boolean idle() {
        lock.lock();
        try {
            return queued == 0 && !computing;
        } finally {
            lock.unlock();
        }
    }

    /** A hint for a rejected caller: the time to work off the queue at the recent batch speed, within [10ms, 5s]. */
    public java.time.Duration retryAfter() {
        double s = batchSeconds * Math.ceil((double) capacity / policy.maxBatchSize());
        return java.time.Duration.ofNanos((long) (Math.min(5.0, Math.max(0.01, s)) * 1e9));
    }

    private void loop() {
        while (true) {
            List<Pending> batch;
            try {
                batch = next();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == null) {
                return;
            }
            try {
                run(batch);
            } finally {
                lock.lock();
                try {
                    computing = false;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Blocks until a batch is due; null once closed. */
    private List<Pending> next() throws InterruptedException {
        lock.lock();
        try {
            while (!closed) {
                ArrayDeque<Pending> oldest = null;
                for (ArrayDeque<Pending> q : queues.values()) {
                    if (!q.isEmpty()
                            && (oldest == null
                                    || q.peek().enqueuedNanos() < oldest.peek().enqueuedNanos())) {
                        oldest = q;
                    }
                }
                if (oldest == null) {
                    changed.await();
                    continue;
                }
                BatchPolicy p = oldest.peek().tail().batchable() ? policy : policy.unbatched();
                long waited = System.nanoTime() - oldest.peek().enqueuedNanos();
                int n = p.take(oldest.size(), waited);
                if (n == 0) {
                    changed.awaitNanos(p.remainingNanos(waited));
                    continue;
                }
                List<Pending> batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    batch.add(oldest.poll());
                }
                queued -= n;
                metrics.queued(queued);
                computing = true;
                return batch;
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void run(List<Pending> taken) {
        long start = System.nanoTime();
        List<Pending> batch = new ArrayList<>(taken.size());
        for (Pending p : taken) {
            if (p.expired()) {
                metrics.rejected(Reason.DEADLINE_PASSED);
                p.completion()
                        .failed(BackendErrors.error(
                                Reason.DEADLINE_PASSED, "deadline passed while queued; dropped before compute"));
            } else {
                metrics.queueDelay((start - p.enqueuedNanos()) / 1e9);
                batch.add(p);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        var tail = batch.get(0).tail();
        List<Map<String, HostTensor>> inputs =
                batch.stream().map(Pending::inputs).toList();
        List<Map<String, HostTensor>> outputs;
        try {
            Map<String, HostTensor> merged = BatchAssembler.stack(tail, inputs);
            outputs = BatchAssembler.unstack(tail, inputs, runner.run(tail, merged));
        } catch (RuntimeException e) {
            Log.errorf(e, "tail %d failed on a batch of %d", tail.index(), batch.size());
            for (Pending p : batch) {
                p.completion().failed(BackendErrors.error(Reason.INTERNAL, "tail failed: " + e.getMessage()));
            }
            return;
        }
        double compute = (System.nanoTime() - start) / 1e9;
        batchSeconds = 0.8 * batchSeconds + 0.2 * compute;
        metrics.batch(batch.size(), compute);
        Iterator<Map<String, HostTensor>> out = outputs.iterator();
        for (Pending p : batch) {
            p.completion()
                    .done(
                            out.next(),
                            BackendTimings.newBuilder()
                                    .setQueueSeconds((start - p.enqueuedNanos()) / 1e9)
                                    .setDecodeSeconds(p.decodeSeconds())
                                    .setComputeSeconds(compute)
                                    .setBatchSize(batch.size())
                                    .build());
        }
    }

    /** Stops taking batches; what is still queued is failed as draining. */
    @Override
    public void close() {
        List<Pending> left = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            queues.values().forEach(left::addAll);
            queues.clear();
            queued = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Pending p : left) {
            p.completion().failed(BackendErrors.error(Reason.DRAINING, "back-end stopped"));
        }
        try {
            worker.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
