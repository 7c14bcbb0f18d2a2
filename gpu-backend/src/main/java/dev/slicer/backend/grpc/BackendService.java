package dev.slicer.backend.grpc;

import dev.slicer.backend.BatchService;
import dev.slicer.backend.Drain;
import dev.slicer.backend.ServedModel;
import dev.slicer.backend.batch.Pending;
import dev.slicer.backend.config.BackendConfig;
import dev.slicer.backend.metrics.BackendMetrics;
import dev.slicer.backend.plan.PlanBroadcaster;
import dev.slicer.backend.tail.Port;
import dev.slicer.backend.tail.TailSpec;
import dev.slicer.backend.tail.UnknownSplitException;
import dev.slicer.model.split.HostTensor;
import dev.slicer.protocol.BackendErrors;
import dev.slicer.protocol.BackendErrors.Reason;
import dev.slicer.protocol.WireTensors;
import dev.slicer.protocol.v1.BackendGrpc;
import dev.slicer.protocol.v1.BackendTimings;
import dev.slicer.protocol.v1.InferReply;
import dev.slicer.protocol.v1.InferRequest;
import dev.slicer.protocol.v1.PlanAck;
import dev.slicer.protocol.v1.PlanAckReply;
import dev.slicer.protocol.v1.PlanUpdate;
import dev.slicer.protocol.v1.Tensor;
import dev.slicer.protocol.v1.WatchPlanRequest;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Backend gRPC service (backend.proto): admission and decoding here, batching and compute in the batcher.
 *
 * <p>Admission runs on the gRPC server's event loop, not on a worker thread (no {@code @Blocking}): it never waits
 * (the queue answers QUEUE_FULL instead) and decoding a frame is bounded by the message-size limit, while the hop to
 * a worker cost 0.35 ms of CPU per request at 16 MiniLM edges, a fifth of what a split request costs the back-end.
 */
@GrpcService
public class BackendService extends BackendGrpc.BackendImplBase {
    private final ServedModel served;
    private final BatchService batches;
    private final Drain drain;
    private final BackendMetrics metrics;
    private final PlanBroadcaster plans;
    private final RequestDecoder decoder;

    public BackendService(
            ServedModel served,
            BatchService batches,
            Drain drain,
            BackendMetrics metrics,
            PlanBroadcaster plans,
            BackendConfig config) {
        this.served = served;
        this.batches = batches;
        this.drain = drain;
        this.metrics = metrics;
        this.plans = plans;
        this.decoder = new RequestDecoder(GrpcLimits.wireLimits(config));
    }

    @Override
    public void infer(InferRequest request, StreamObserver<InferReply> responses) {
        ServerCallStreamObserver<InferReply> call = (ServerCallStreamObserver<InferReply>) responses;
        try {
            metrics.edgeReport(request.getReport());
            if (drain.draining()) {
                throw BackendErrors.error(Reason.DRAINING, "back-end is draining; retry on another replica");
            }
            String modelId = served.tails().modelId();
            if (!request.getModelId().isEmpty() && !request.getModelId().equals(modelId)) {
                throw BackendErrors.error(
                        Reason.MODEL_MISMATCH, "this back-end serves " + modelId + ", not " + request.getModelId());
            }
            TailSpec tail = tail(request);
            Set<String> wanted = wanted(request);
            Deadline deadline = Context.current().getDeadline();
            if (deadline != null && deadline.isExpired()) {
                // expired before admission, behind other calls on its event loop: counted as in the queue
                throw BackendErrors.error(Reason.DEADLINE_PASSED, "deadline passed before admission");
            }
            if (batches.full()) {
                throw BackendErrors.queueFull("admission queue full", batches.retryAfter());
            }
            long t0 = System.nanoTime();
            Map<String, HostTensor> inputs = decoder.decode(tail, request.getTensorsList());
            double decodeSeconds = (System.nanoTime() - t0) / 1e9;
            AtomicBoolean answered = new AtomicBoolean();
            Pending p = new Pending(
                    tail,
                    inputs,
                    System.nanoTime(),
                    Context.current().getDeadline(),
                    decodeSeconds,
                    new Reply(request.getRequestId(), wanted, call, answered));
            call.setOnCancelHandler(() -> withdraw(p));
            if (!batches.offer(p)) {
                throw BackendErrors.queueFull("admission queue full", batches.retryAfter());
            }
            // a call cancelled (or expired) before the handler was set never runs it: withdraw what it queued here
            if (call.isCancelled()) {
                withdraw(p);
            }
        } catch (StatusRuntimeException e) {
            BackendErrors.reason(e).ifPresent(metrics::rejected);
            responses.onError(e);
        }
    }

    /** Takes a cancelled call's request out of the queue and counts why; a request already taken for compute stays. */
    private void withdraw(Pending p) {
        if (batches.remove(p)) {
            metrics.rejected(p.expired() ? Reason.DEADLINE_PASSED : Reason.CANCELLED);
        }
    }

    /** The outputs the edge asked for, each one of the model's graph outputs; empty for all of them. */
    private Set<String> wanted(InferRequest request) {
        if (request.getOutputsCount() == 0) {
            return Set.of();
        }
        List<String> known = served.tails().spec(TailSpec.WHOLE_MODEL).outputs().stream()
                .map(Port::name)
                .toList();
        if (request.getOutputsCount() > known.size()) {
            // bounds the check below on a hostile list (it runs on the event loop)
            throw BackendErrors.error(
                    Reason.UNKNOWN_OUTPUT,
                    "the request names " + request.getOutputsCount() + " outputs; "
                            + served.tails().modelId() + " has " + known.size() + " " + known);
        }
        for (String name : request.getOutputsList()) {
            if (!known.contains(name)) {
                throw BackendErrors.error(
                        Reason.UNKNOWN_OUTPUT,
                        "'" + name.substring(0, Math.min(name.length(), 200)) + "' is not an output of "
                                + served.tails().modelId() + " " + known);
            }
        }
        return Set.copyOf(request.getOutputsList());
    }

    private TailSpec tail(InferRequest request) {
        try {
            TailSpec tail = served.tails().spec(request.getSplit().getIndex());
            String name = request.getSplit().getName();
            if (!name.isEmpty() && !name.equals(tail.name())) {
                throw BackendErrors.error(
                        Reason.UNKNOWN_SPLIT,
                        "split " + tail.index() + " is '" + tail.name() + "', the request names '" + name + "'");
            }
            return tail;
        } catch (UnknownSplitException e) {
            throw BackendErrors.error(Reason.UNKNOWN_SPLIT, e.getMessage());
        }
    }

    @Override
    public void watchPlan(WatchPlanRequest request, StreamObserver<PlanUpdate> updates) {
        plans.watch((ServerCallStreamObserver<PlanUpdate>) updates, request.getKnownSha256());
    }

    @Override
    public void ackPlan(PlanAck ack, StreamObserver<PlanAckReply> reply) {
        if (!ack.getDeviceClass().isEmpty() && !ack.getSha256().isEmpty()) {
            metrics.planApplied(ack.getDeviceClass(), ack.getSha256());
        }
        reply.onNext(PlanAckReply.newBuilder()
                .setCurrent(ack.getSha256().equals(plans.current().sha256()))
                .build());
        reply.onCompleted();
    }

    /**
     * Sends a batch's result for one request (once; a cancelled call drops it silently): the outputs in {@code wanted},
     * or all when it is empty.
     */
    private record Reply(
            String requestId, Set<String> wanted, ServerCallStreamObserver<InferReply> call, AtomicBoolean answered)
            implements Pending.Completion {
        @Override
        public void done(Map<String, HostTensor> outputs, BackendTimings timings) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            InferReply.Builder b =
                    InferReply.newBuilder().setRequestId(requestId).setTimings(timings);
            outputs.forEach((name, t) -> {
                if (wanted.isEmpty() || wanted.contains(name)) {
                    b.addOutputs(Tensor.newBuilder()
                            .setName(name)
                            .setRaw(WireTensors.encode(t.dataType(), t.shape(), t.data())));
                }
            });
            try {
                call.onNext(b.build());
                call.onCompleted();
            } catch (RuntimeException e) {
                // the caller is gone
            }
        }

        @Override
        public void failed(StatusRuntimeException error) {
            if (answered.compareAndSet(false, true)) {
                try {
                    call.onError(error);
                } catch (RuntimeException e) {
                    // the caller is gone
                }
            }
        }
    }
}
