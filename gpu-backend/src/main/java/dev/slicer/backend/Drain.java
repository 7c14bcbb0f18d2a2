package dev.slicer.backend;

import dev.slicer.backend.config.BackendConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.BooleanSupplier;

/**
 * Graceful drain on SIGTERM: readiness goes off and new requests get a retryable UNAVAILABLE (DRAINING) while the
 * queued and running ones finish, bounded by {@code drain-timeout}. Quarkus fires the shutdown-delay event before it
 * stops any server ({@code quarkus.shutdown.delay-enabled}), so the gRPC server still answers during the drain.
 */
@ApplicationScoped
public class Drain {
    private final BackendConfig config;
    private volatile boolean draining;

    public Drain(BackendConfig config) {
        this.config = config;
    }

    public boolean draining() {
        return draining;
    }

    /** Turns drain on and waits until {@code idle} holds or the drain timeout passes. */
    public void drain(BooleanSupplier idle) {
        if (!draining) {
            draining = true;
            Log.info("draining: readiness off, new requests refused, finishing queued and running ones");
        }
        long end = System.nanoTime() + config.drainTimeout().toNanos();
        synchronized (this) {
            while (!idle.getAsBoolean() && System.nanoTime() < end) {
                try {
                    wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        Log.infof("drain %s", idle.getAsBoolean() ? "complete" : "timed out with work left");
    }

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent e, BatchService batches) {
        drain(batches::idle);
    }

    void onShutdown(@Observes @Priority(1) ShutdownEvent e, BatchService batches) {
        drain(batches::idle);
    }
}
