package dev.slicer.backend;

import dev.slicer.backend.batch.BatchPolicy;
import dev.slicer.backend.batch.Batcher;
import dev.slicer.backend.batch.Pending;
import dev.slicer.backend.config.BackendConfig;
import dev.slicer.backend.metrics.BackendMetrics;
import dev.slicer.backend.tail.TailRunner;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/** The configured {@link Batcher} as a bean: admission queue, dynamic batching and the compute thread. */
@Startup
@ApplicationScoped
public class BatchService {
    private final Batcher batcher;

    public BatchService(BackendConfig config, TailRunner runner, BackendMetrics metrics) {
        BackendConfig.Batching b = config.batching();
        BatchPolicy policy = new BatchPolicy(
                b.maxBatchSize(), b.maxQueueDelay(), b.preferredBatchSizes().orElse(List.of()));
        this.batcher = new Batcher(policy, config.queue().capacity(), runner, metrics);
        Log.infof(
                "batching: max batch %d, max queue delay %s, preferred %s; queue capacity %d",
                policy.maxBatchSize(),
                policy.maxQueueDelay(),
                policy.preferredBatchSizes(),
                config.queue().capacity());
    }

    public boolean offer(Pending p) {
        return batcher.offer(p);
    }

    public boolean remove(Pending p) {
        return batcher.remove(p);
    }

    public boolean full() {
        return batcher.full();
    }

    public boolean idle() {
        return batcher.idle();
    }

    public Duration retryAfter() {
        return batcher.retryAfter();
    }

    @PreDestroy
    void close() {
        batcher.close();
    }
}
