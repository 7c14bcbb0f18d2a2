package dev.slicer.backend.plan;

import dev.slicer.backend.config.BackendConfig;
import dev.slicer.backend.metrics.BackendMetrics;
import dev.slicer.protocol.BackendErrors;
import dev.slicer.protocol.BackendErrors.Reason;
import dev.slicer.protocol.v1.PlanUpdate;
import io.grpc.stub.ServerCallStreamObserver;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds the plan read from the mounted plan file, polls the file for changes (every {@code plan-poll-interval}) and
 * streams each new plan to every connected edge (WatchPlan).
 */
@ApplicationScoped
public class PlanBroadcaster {
    /** Connected WatchPlan streams at most; more are refused as a full queue. */
    static final int MAX_WATCHERS = 4096;

    private final PlanFile file;
    private final long pollMillis;
    private final BackendMetrics metrics;
    private final Set<ServerCallStreamObserver<PlanUpdate>> watchers = ConcurrentHashMap.newKeySet();
    private volatile PlanFile.Plan current = new PlanFile.Plan("", "");
    private ScheduledExecutorService poller;

    public PlanBroadcaster(BackendConfig config, BackendMetrics metrics) {
        this.file = new PlanFile(Path.of(config.planFile()));
        this.pollMillis = Math.max(50, config.planPollInterval().toMillis());
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent e) {
        poll();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slicer-plan-poll");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        Log.infof(
                "plan file %s: %s; checked every %d ms",
                file.path(), current.sha256().isEmpty() ? "none yet" : "sha256 " + current.sha256(), pollMillis);
    }

    void stop(@Observes ShutdownEvent e) {
        if (poller != null) {
            poller.shutdownNow();
        }
        watchers.forEach(w -> {
            try {
                w.onCompleted();
            } catch (RuntimeException ignored) {
                // the stream is already gone
            }
        });
    }

    public PlanFile.Plan current() {
        return current;
    }

    /** Connected WatchPlan streams. */
    int watchers() {
        return watchers.size();
    }

    /** Reads the file and streams a changed plan. Runs on the poll thread (and once at start). */
    void poll() {
        try {
            file.read().ifPresent(p -> {
                if (!p.sha256().equals(current.sha256())) {
                    current = p;
                    metrics.plan(p.sha256());
                    Log.infof(
                            "plan %s loaded from %s; streaming to %d edges", p.sha256(), file.path(), watchers.size());
                    watchers.forEach(w -> send(w, p));
                }
            });
        } catch (Exception e) {
            Log.warnf("cannot read plan file %s: %s (keeping plan %s)", file.path(), e.getMessage(), current.sha256());
        }
    }

    /** Adds a WatchPlan stream: sends the current plan unless the edge holds it already. */
    public void watch(ServerCallStreamObserver<PlanUpdate> w, String knownSha256) {
        if (watchers.size() >= MAX_WATCHERS) {
            w.onError(BackendErrors.queueFull(
                    "too many plan watchers (" + MAX_WATCHERS + ")", java.time.Duration.ofSeconds(5)));
            metrics.rejected(Reason.QUEUE_FULL);
            return;
        }
        w.setOnCancelHandler(() -> watchers.remove(w));
        watchers.add(w);
        if (w.isCancelled()) { // cancelled before the handler was set, which then never runs
            watchers.remove(w);
            return;
        }
        PlanFile.Plan p = current;
        if (!p.sha256().equals(knownSha256)) {
            send(w, p);
        }
    }

    private static void send(ServerCallStreamObserver<PlanUpdate> w, PlanFile.Plan p) {
        synchronized (w) {
            try {
                w.onNext(PlanUpdate.newBuilder()
                        .setSha256(p.sha256())
                        .setPlanJson(p.json())
                        .build());
            } catch (RuntimeException e) {
                Log.debugf("plan watcher gone: %s", e.getMessage());
            }
        }
    }
}
