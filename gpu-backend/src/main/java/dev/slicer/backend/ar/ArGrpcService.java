package dev.slicer.backend.ar;

import dev.slicer.backend.Drain;
import dev.slicer.backend.ServedModel;
import dev.slicer.backend.config.BackendConfig;
import dev.slicer.backend.grpc.GrpcLimits;
import dev.slicer.backend.grpc.RequestDecoder;
import dev.slicer.backend.metrics.BackendMetrics;
import dev.slicer.model.split.HostTensor;
import dev.slicer.protocol.BackendErrors;
import dev.slicer.protocol.BackendErrors.Reason;
import dev.slicer.protocol.TokenFrames;
import dev.slicer.protocol.WireLimits;
import dev.slicer.protocol.WireTensors;
import dev.slicer.protocol.v1.ArCloseReply;
import dev.slicer.protocol.v1.ArCloseRequest;
import dev.slicer.protocol.v1.ArDecoderGrpc;
import dev.slicer.protocol.v1.ArOpenRequest;
import dev.slicer.protocol.v1.ArStepRequest;
import dev.slicer.protocol.v1.ArTokenReply;
import dev.slicer.protocol.v1.BackendTimings;
import dev.slicer.protocol.v1.Tensor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import java.util.Arrays;
import java.util.List;

/**
 * The ArDecoder gRPC service (backend.proto): checks and decodes the hand-off or the step's tensor here (limits
 * before allocation, as for Infer), queues it on the {@link ArEngine}, replies with the next-token logits. Like
 * Infer it runs on the event loop: nothing here waits, and a step is a per-token call whose worker hop would cost
 * more than its decoding.
 */
@GrpcService
public class ArGrpcService extends ArDecoderGrpc.ArDecoderImplBase {
    private final ServedModel served;
    private final ArEngine engine;
    private final Drain drain;
    private final BackendMetrics metrics;
    private final RequestDecoder decoder;
    private final WireLimits limits;

    public ArGrpcService(
            ServedModel served, ArEngine engine, Drain drain, BackendMetrics metrics, BackendConfig config) {
        this.served = served;
        this.engine = engine;
        this.drain = drain;
        this.metrics = metrics;
        this.limits = GrpcLimits.wireLimits(config);
        this.decoder = new RequestDecoder(limits);
    }

    @Override
    public void open(ArOpenRequest request, StreamObserver<ArTokenReply> responses) {
        try {
            metrics.edgeReport(request.getReport());
            if (drain.draining()) {
                throw BackendErrors.error(Reason.DRAINING, "back-end is draining; open the session on another replica");
            }
            String modelId = served.tails().modelId();
            if (!request.getModelId().isEmpty() && !request.getModelId().equals(modelId)) {
                throw BackendErrors.error(
                        Reason.MODEL_MISMATCH, "this back-end serves " + modelId + ", not " + request.getModelId());
            }
            int split = request.getSplit().getIndex();
            String name = request.getSplit().getName();
            if (split >= -1 && split < served.tails().splitCount() && !name.equals(engine.splitName(split))) {
                throw BackendErrors.error(
                        Reason.UNKNOWN_SPLIT,
                        "split " + split + " is '" + engine.splitName(split) + "', the request names '" + name + "'");
            }
            ArSession session = engine.open(split);
            submit(session, request.getTensorsList(), true, responses);
        } catch (StatusRuntimeException e) {
            BackendErrors.reason(e).ifPresent(metrics::rejected);
            responses.onError(e);
        }
    }

    @Override
    public void step(ArStepRequest request, StreamObserver<ArTokenReply> responses) {
        try {
            ArSession session = engine.begin(request.getSessionId(), request.getPosition());
            submit(session, request.getTensorsList(), false, responses);
        } catch (StatusRuntimeException e) {
            BackendErrors.reason(e).ifPresent(metrics::rejected);
            responses.onError(e);
        }
    }

    @Override
    public void close(ArCloseRequest request, StreamObserver<ArCloseReply> responses) {
        boolean closed = engine.close(request.getSessionId());
        responses.onNext(ArCloseReply.newBuilder().setClosed(closed).build());
        responses.onCompleted();
    }

    private void submit(ArSession session, List<Tensor> tensors, boolean open, StreamObserver<ArTokenReply> responses) {
        HostTensor input;
        long bits;
        long t0 = System.nanoTime();
        try {
            input = input(session, tensors, open);
            bits = 8L * tensors.get(0).getSerializedSize();
        } catch (StatusRuntimeException e) {
            engine.cancelBusy(session, open);
            throw e;
        }
        double decodeSeconds = (System.nanoTime() - t0) / 1e9;
        ServerCallStreamObserver<ArTokenReply> call = (ServerCallStreamObserver<ArTokenReply>) responses;
        ArWork w = new ArWork(session, input, open, bits, decodeSeconds, new Reply(session.id, call, decodeSeconds));
        call.setOnCancelHandler(() -> withdraw(w));
        engine.submit(w);
        if (call.isCancelled()) { // cancelled before the handler was set, which then never runs
            withdraw(w);
        }
    }

    /** Takes a cancelled call's step out of the engine (a step already computing finishes) and counts it. */
    private void withdraw(ArWork w) {
        if (engine.cancel(w)) {
            metrics.rejected(Reason.CANCELLED);
        }
    }

    /** The one tensor of an Open or Step: the split's activation {@code [1, n, hidden]} or input_ids {@code [1, n]}. */
    private HostTensor input(ArSession session, List<Tensor> tensors, boolean open) {
        String expected = engine.sequenceInput(session.split);
        if (tensors.size() != 1 || !tensors.get(0).getName().equals(expected)) {
            throw BackendErrors.error(
                    Reason.MALFORMED_FRAME,
                    "split " + session.split + " takes exactly one tensor '" + expected + "', got "
                            + tensors.stream().map(Tensor::getName).toList());
        }
        Tensor wire = tensors.get(0);
        // a step may send the body of its frame: the header is the hand-off's (TokenFrames)
        HostTensor t = decoder.decode(wire, open ? null : session.template);
        if (open && session.split >= 0) {
            session.template = TokenFrames.template(wire, limits).orElse(null);
        }
        long[] s = t.shape();
        boolean ids = session.split < 0;
        boolean shapeOk = s.length == (ids ? 2 : 3) && s[0] == 1 && s[1] >= 1 && (open || s[1] == 1);
        if (!shapeOk || (ids != (t.dataType() == WireTensors.INT64)) || (!ids && !t.isFloat())) {
            throw BackendErrors.error(
                    Reason.MALFORMED_FRAME,
                    "'" + expected + "' must be " + (ids ? "int64 [1, n]" : "float [1, n, hidden]")
                            + (open ? "" : " with n = 1 per step") + ", got type " + t.dataType() + " "
                            + Arrays.toString(s));
        }
        return t;
    }

    /** Sends one Open's or Step's result (once; a cancelled call drops it). */
    private record Reply(String sessionId, ServerCallStreamObserver<ArTokenReply> call, double decodeSeconds)
            implements ArWork.Completion {
        @Override
        public void done(float[] logits, int length, double queueSeconds, double computeSeconds, int batchSize) {
            try {
                call.onNext(ArTokenReply.newBuilder()
                        .setSessionId(sessionId)
                        .setLength(length)
                        .setLogits(WireTensors.encode(WireTensors.FLOAT, new long[] {logits.length}, logits))
                        .setTimings(BackendTimings.newBuilder()
                                .setQueueSeconds(queueSeconds)
                                .setDecodeSeconds(decodeSeconds)
                                .setComputeSeconds(computeSeconds)
                                .setBatchSize(batchSize))
                        .build());
                call.onCompleted();
            } catch (RuntimeException e) {
                // the caller is gone
            }
        }

        @Override
        public void failed(StatusRuntimeException error) {
            try {
                call.onError(error);
            } catch (RuntimeException e) {
                // the caller is gone
            }
        }
    }
}
