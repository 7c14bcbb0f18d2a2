package dev.slicer.edge.backend;

import dev.slicer.edge.plan.ActivePlan;
import dev.slicer.edge.plan.PlanHolder;
import dev.slicer.protocol.v1.PlanAck;
import dev.slicer.protocol.v1.PlanAckReply;
import dev.slicer.protocol.v1.PlanUpdate;
import dev.slicer.protocol.v1.WatchPlanRequest;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Follows the back-end's WatchPlan stream: applies every plan it carries (from the next request on), acknowledges the
 * hash applied, and reconnects with backoff whenever the stream ends or fails (the back-end restarting, a network
 * cut). A plan the edge cannot use is logged and not acknowledged; the previous one stays.
 */
public final class PlanWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PlanWatcher.class);

    private final BackendChannel channel;
    private final PlanHolder holder;
    private final String edgeId;
    private final String deviceClass;
    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;
    private volatile Context.CancellableContext call;
    private volatile boolean closed;
    private int failures;

    public PlanWatcher(
            BackendChannel channel,
            PlanHolder holder,
            String edgeId,
            String deviceClass,
            Backoff backoff,
            ScheduledExecutorService scheduler) {
        this.channel = channel;
        this.holder = holder;
        this.edgeId = edgeId;
        this.deviceClass = deviceClass;
        this.backoff = backoff;
        this.scheduler = scheduler;
    }

    public void start() {
        connect();
    }

    private synchronized void connect() {
        if (closed) {
            return;
        }
        WatchPlanRequest req = WatchPlanRequest.newBuilder()
                .setEdgeId(edgeId)
                .setDeviceClass(deviceClass)
                .setKnownSha256(holder.current().hash())
                .build();
        Context.CancellableContext ctx = Context.current().withCancellation();
        call = ctx;
        ctx.run(() -> channel.async().watchPlan(req, new StreamObserver<>() {
            @Override
            public void onNext(PlanUpdate update) {
                synchronized (PlanWatcher.this) {
                    failures = 0;
                }
                apply(update);
            }

            @Override
            public void onError(Throwable t) {
                reconnect("plan stream failed: " + t.getMessage());
            }

            @Override
            public void onCompleted() {
                reconnect("plan stream ended");
            }
        }));
    }

    private void apply(PlanUpdate update) {
        ActivePlan applied;
        try {
            applied = holder.fromStream(holder.parse(update.getPlanJson()));
        } catch (IllegalArgumentException e) {
            LOG.warnf("plan %s from the back-end not applied: %s", update.getSha256(), e.getMessage());
            return;
        }
        if (applied.hash().isEmpty()) {
            return;
        }
        PlanAck ack = PlanAck.newBuilder()
                .setEdgeId(edgeId)
                .setDeviceClass(deviceClass)
                .setSha256(applied.hash())
                .build();
        channel.async().withDeadlineAfter(5, TimeUnit.SECONDS).ackPlan(ack, new StreamObserver<PlanAckReply>() {
            @Override
            public void onNext(PlanAckReply r) {}

            @Override
            public void onError(Throwable t) {
                LOG.debugf("plan ack failed: %s", t.getMessage());
            }

            @Override
            public void onCompleted() {}
        });
    }

    private void reconnect(String why) {
        Duration delay;
        synchronized (this) {
            if (closed) {
                return;
            }
            failures++;
            delay = backoff.delay(failures, Optional.empty());
        }
        LOG.debugf("%s; reconnecting in %d ms", why, delay.toMillis());
        scheduler.schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (call != null) {
            call.cancel(null);
        }
    }
}
