package dev.slicer.edge.infer;

import dev.slicer.codec.CodecException;
import dev.slicer.codec.FrameDecoder;
import dev.slicer.edge.backend.BackendChannel;
import dev.slicer.edge.backend.Failure;
import dev.slicer.edge.backend.RetryPolicy;
import dev.slicer.edge.infer.EdgeMetrics.Stage;
import dev.slicer.edge.link.GoodputMeter;
import dev.slicer.edge.model.EdgeModel;
import dev.slicer.edge.plan.ActivePlan;
import dev.slicer.edge.plan.PlanHolder;
import dev.slicer.edge.plan.RowChoice;
import dev.slicer.edge.plan.RowSelector;
import dev.slicer.model.ModelException;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.SplitCandidate;
import dev.slicer.planner.split.RowKind;
import dev.slicer.protocol.WireFormatException;
import dev.slicer.protocol.WireLimits;
import dev.slicer.protocol.WireTensors;
import dev.slicer.protocol.v1.InferReply;
import dev.slicer.protocol.v1.InferRequest;
import dev.slicer.protocol.v1.Split;
import dev.slicer.protocol.v1.Tensor;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One inference request end to end: pick the plan row for the measured goodput (one plan snapshot per request), run
 * the front, encode the shipped tensors, call the back-end with a deadline, retry what is retryable with bounded
 * backoff, and fall back to local-only (when the memory budget holds the model) or fail with the cause.
 */
public final class EdgePipeline {
    /** The settings the pipeline runs with. */
    public record Settings(
            String edgeId,
            String deviceClass,
            Duration timeout,
            RetryPolicy retries,
            boolean localFallback,
            WireLimits limits) {}

    private final EdgeModel model;
    private final PlanHolder plans;
    private final Optional<BackendChannel> backend;
    private final LinkCrossing link;
    private final GoodputMeter goodput;
    private final EdgeMetrics metrics;
    private final Settings settings;
    private final ThreadLocal<FrameDecoder> decoders;
    private volatile double lastTransferSeconds;
    private volatile double lastBackendSeconds;

    public EdgePipeline(
            EdgeModel model,
            PlanHolder plans,
            Optional<BackendChannel> backend,
            LinkCrossing link,
            EdgeMetrics metrics,
            Settings settings) {
        this.model = model;
        this.plans = plans;
        this.backend = backend;
        this.link = link;
        this.goodput = link.goodput();
        this.metrics = metrics;
        this.settings = settings;
        this.decoders = ThreadLocal.withInitial(
                () -> FrameDecoder.create(settings.limits().decodeLimits()));
    }

    public EdgeModel model() {
        return model;
    }

    /** Runs one request with every output of the model. */
    public InferResult infer(String requestId, Map<String, HostTensor> inputs) {
        return infer(requestId, inputs, Set.of());
    }

    /**
     * Runs one request. {@code outputs} names the graph outputs the client wants (empty: all): the back-end returns
     * only those, so the others do not cross the downlink; a local run computes them all.
     */
    public InferResult infer(String requestId, Map<String, HostTensor> inputs, Set<String> outputs) {
        ActivePlan plan = plans.current();
        RowSelector.Decision decision =
                RowSelector.decide(plan, settings.deviceClass(), goodput.bytesPerSecond(), settings.localFallback());
        RowChoice row = decision.row();
        if (row.kind() == RowKind.LOCAL_ONLY) {
            return local(inputs, row, plan, null);
        }
        if (row.kind() == RowKind.UNAVAILABLE) {
            return fallback(inputs, row, plan, decision.cause(), false, 0);
        }
        String bestEffort = decision.cause();
        if (backend.isEmpty()) {
            return fallback(inputs, row, plan, "no back-end address is configured", false, 0);
        }
        Map<String, HostTensor> frontOutputs = Map.of();
        Shipment ship = new Shipment();
        long frontNanos = 0;
        long encodeNanos;
        if (row.kind() == RowKind.SPLIT) {
            SplitCandidate c = model.candidate(row.split());
            long t0 = System.nanoTime();
            Map<String, HostTensor> front = runModel(() -> model.runFront(row.split(), inputs));
            frontNanos = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            for (String a : c.activations()) {
                HostTensor t = front.get(a);
                checkSize(a, t);
                if (a.equals(c.bigTensor()) && t.isFloat()) {
                    ship.frame(a, t, row.codec(), row.wire());
                } else {
                    ship.raw(a, t);
                }
            }
            for (String in : c.sideInputs()) {
                ship.raw(in, inputs.get(in));
            }
            for (String in : c.backState()) {
                ship.raw(in, inputs.get(in));
            }
            encodeNanos = System.nanoTime() - t1;
            Map<String, HostTensor> owned = new LinkedHashMap<>();
            for (String o : c.frontOutputs()) {
                owned.put(o, front.get(o));
            }
            frontOutputs = owned;
            metrics.stage(Stage.FRONT, frontNanos);
            metrics.stage(Stage.ENCODE, encodeNanos);
        } else {
            long t1 = System.nanoTime();
            for (Map.Entry<String, HostTensor> e : inputs.entrySet()) {
                ship.raw(e.getKey(), e.getValue());
            }
            encodeNanos = System.nanoTime() - t1;
        }
        InferRequest req = InferRequest.newBuilder()
                .setRequestId(requestId)
                .setModelId(model.uri())
                .setPlanHash(plan.hash())
                .setSplit(Split.newBuilder()
                        .setIndex(row.split())
                        // no split has no candidate name: the whole model runs on the back-end
                        .setName(row.kind() == RowKind.SPLIT ? row.splitName() : ""))
                .addAllTensors(ship.tensors)
                .addAllOutputs(outputs)
                .setReport(link.report(settings.edgeId(), settings.deviceClass())
                        .setFrontSeconds(frontNanos / 1e9)
                        .setEncodeSeconds(encodeNanos / 1e9)
                        .setTransferSeconds(lastTransferSeconds)
                        .setBackendSeconds(lastBackendSeconds)
                        .setIfRawBytes(ship.rawBytes)
                        .setIfSentBytes(ship.sentBytes))
                .build();
        int size = req.getSerializedSize();
        if (size > settings.limits().maxMessageBytes()) {
            throw EdgeFailure.badInput("the request needs a " + size + "-byte message, above the limit of "
                    + settings.limits().maxMessageBytes() + " bytes");
        }
        metrics.splitLayer(row.split());
        metrics.ifBytes(ship.rawBytes, ship.sentBytes);
        return call(req, size, inputs, frontOutputs, row, plan, frontNanos / 1e9, encodeNanos / 1e9, ship, bestEffort);
    }

    private InferResult call(
            InferRequest req,
            int size,
            Map<String, HostTensor> inputs,
            Map<String, HostTensor> frontOutputs,
            RowChoice row,
            ActivePlan plan,
            double frontSeconds,
            double encodeSeconds,
            Shipment ship,
            String bestEffort) {
        Failure last = null;
        int attempts = 0;
        RetryPolicy.Pauses pauses = settings.retries().pauses(backend.get());
        for (int attempt = 1; attempt <= settings.retries().maxAttempts(); attempt++) {
            if (Context.current().isCancelled()) {
                throw new EdgeFailure(499, "the client cancelled the request");
            }
            attempts = attempt;
            long t0 = System.nanoTime();
            InferReply reply;
            long downlinkNanos;
            try {
                link.up(size);
                reply = backend.get()
                        .blocking()
                        .withDeadlineAfter(settings.timeout().toNanos(), TimeUnit.NANOSECONDS)
                        .infer(req);
                downlinkNanos = link.down(reply.getSerializedSize());
            } catch (StatusRuntimeException e) {
                last = Failure.of(e);
                if (Context.current().isCancelled()) {
                    throw new EdgeFailure(499, "the client cancelled the request");
                }
                if (!last.retryable() || attempt == settings.retries().maxAttempts()) {
                    break;
                }
                pauses.after(attempt, last);
                continue;
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            var tm = reply.getTimings();
            double backendSeconds = tm.getQueueSeconds() + tm.getDecodeSeconds() + tm.getComputeSeconds();
            double transfer = link.record(size, reply.getSerializedSize(), wall, tm, downlinkNanos);
            lastTransferSeconds = transfer;
            lastBackendSeconds = backendSeconds;
            metrics.stage(Stage.TRANSFER, (long) (transfer * 1e9));
            metrics.stage(Stage.BACKEND, (long) (backendSeconds * 1e9));
            Map<String, HostTensor> outputs = new LinkedHashMap<>(frontOutputs);
            for (Tensor t : reply.getOutputsList()) {
                outputs.put(t.getName(), decode(t));
            }
            InferResult.Timings timings = new InferResult.Timings(
                    frontSeconds,
                    encodeSeconds,
                    transfer,
                    downlinkNanos / 1e9,
                    tm.getQueueSeconds(),
                    tm.getDecodeSeconds(),
                    tm.getComputeSeconds(),
                    tm.getBatchSize(),
                    ship.rawBytes,
                    ship.sentBytes);
            return new InferResult(
                    outputs, row.kind(), row.split(), bucket(row), plan.hash(), bestEffort, attempt, timings);
        }
        return fallback(
                inputs,
                row,
                plan,
                "back-end " + backend.get().address() + " failed: " + last.describe(),
                last.overloaded(),
                settings.retries().maxAttempts());
    }

    private HostTensor decode(Tensor t) {
        try {
            if (t.hasFrame()) {
                FrameDecoder decoder = decoders.get();
                byte[] frame = t.getFrame().toByteArray();
                var header = decoder.readHeader(frame, 0, frame.length);
                float[] out = new float[header.shape().elementCount()];
                decoder.decode(frame, 0, frame.length, out, 0);
                long[] shape = java.util.Arrays.stream(header.shape().dims())
                        .asLongStream()
                        .toArray();
                return HostTensor.ofFloats(shape, out);
            }
            WireTensors.Values v =
                    WireTensors.decode(t.getRaw(), settings.limits().maxElements());
            return new HostTensor(v.onnxType(), v.shape(), v.data());
        } catch (WireFormatException | CodecException e) {
            throw new EdgeFailure(502, "the back-end sent a bad output '" + t.getName() + "': " + e.getMessage(), e);
        }
    }

    private InferResult fallback(
            Map<String, HostTensor> inputs,
            RowChoice row,
            ActivePlan plan,
            String cause,
            boolean overloaded,
            int attempts) {
        if (settings.localFallback()) {
            return local(inputs, row, plan, cause);
        }
        String msg = cause + (attempts > 0 ? " after " + attempts + " attempt(s)" : "")
                + "; no local fallback (slicer.edge.fallback=fail or the memory budget is below the model's "
                + model.wholeModelBytes() + " bytes)";
        throw new EdgeFailure(overloaded ? 429 : 503, msg);
    }

    private InferResult local(Map<String, HostTensor> inputs, RowChoice row, ActivePlan plan, String cause) {
        long t0 = System.nanoTime();
        Map<String, HostTensor> out = runModel(() -> model.runWhole(inputs));
        long nanos = System.nanoTime() - t0;
        metrics.stage(Stage.FRONT, nanos);
        metrics.splitLayer(model.candidateCount());
        return new InferResult(
                out,
                RowKind.LOCAL_ONLY,
                model.candidateCount(),
                bucket(row),
                plan.hash(),
                cause,
                0,
                InferResult.Timings.local(nanos / 1e9));
    }

    private static int bucket(RowChoice row) {
        return row.row().map(r -> r.bucket()).orElse(-1);
    }

    private void checkSize(String name, HostTensor t) {
        if (t.elementCount() > settings.limits().maxElements()) {
            throw EdgeFailure.badInput("the input makes '" + name + "' of " + t.elementCount()
                    + " elements, above the limit of " + settings.limits().maxElements());
        }
    }

    private static Map<String, HostTensor> runModel(java.util.function.Supplier<Map<String, HostTensor>> run) {
        try {
            return run.get();
        } catch (ModelException e) {
            // ONNX Runtime rejects inputs the model cannot take (shapes, ranges): the client's input
            throw EdgeFailure.badInput(e.getMessage());
        }
    }
}
