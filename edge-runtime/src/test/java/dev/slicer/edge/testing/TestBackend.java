package dev.slicer.edge.testing;

import dev.slicer.codec.FrameDecoder;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.ModelRunner;
import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.protocol.BackendErrors;
import dev.slicer.protocol.WireLimits;
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
import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Server;
import io.grpc.ServerTransportFilter;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A back-end for the edge's tests: a real gRPC server on a loopback port that runs the model's tail (or the whole
 * model for split -1) with ONNX Runtime, following backend.proto. It can be told to fail the next calls with a typed
 * error, to hold calls until they are cancelled, and to publish plans on the WatchPlan stream. The real gpu-backend
 * lives in its own module; this stand-in lets the edge be tested on its own.
 */
public final class TestBackend implements AutoCloseable {
    private final SplittableModel model;
    private final WireLimits limits = WireLimits.forElements(1 << 22);
    private final Map<Integer, ModelRunner> tails = new ConcurrentHashMap<>();
    private final ArrayDeque<Supplier<StatusRuntimeException>> failures = new ArrayDeque<>();
    private final List<ServerCallStreamObserver<PlanUpdate>> watchers = new CopyOnWriteArrayList<>();
    private final List<InferRequest> requests = new CopyOnWriteArrayList<>();
    private final List<PlanAck> acks = new CopyOnWriteArrayList<>();
    private final AtomicInteger cancelled = new AtomicInteger();
    private final AtomicInteger watchCalls = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile CountDownLatch hold;
    private volatile PlanUpdate current = PlanUpdate.getDefaultInstance();
    private Server server;
    private int port;

    public TestBackend(SplittableModel model) {
        this.model = model;
    }

    public TestBackend start() throws IOException {
        return start(0);
    }

    /** Starts on {@code port} (0: a free one); a restart reuses the previous port. */
    public synchronized TestBackend start(int onPort) throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", onPort))
                .maxInboundMessageSize(limits.maxMessageBytes())
                .addService(new Service())
                .addTransportFilter(new ServerTransportFilter() {
                    @Override
                    public Attributes transportReady(Attributes attributes) {
                        connections.incrementAndGet();
                        return attributes;
                    }
                })
                .build()
                .start();
        port = server.getPort();
        return this;
    }

    /** Connections accepted so far (HTTP/2 handshakes done). */
    public int connections() {
        return connections.get();
    }

    public int port() {
        return port;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    /** Fails the next {@code n} Infer calls with the given error. */
    public synchronized void failNext(int n, Supplier<StatusRuntimeException> error) {
        for (int i = 0; i < n; i++) {
            failures.add(error);
        }
    }

    public static StatusRuntimeException queueFull() {
        return BackendErrors.queueFull("admission queue is full", Duration.ofMillis(5));
    }

    public static StatusRuntimeException draining() {
        return BackendErrors.error(BackendErrors.Reason.DRAINING, "draining");
    }

    /** Holds every Infer call until the latch opens or the call is cancelled. */
    public void hold(CountDownLatch latch) {
        this.hold = latch;
    }

    /** Publishes a plan to every watching edge (and to those that connect later). */
    public void publish(String sha256, String json) {
        current = PlanUpdate.newBuilder().setSha256(sha256).setPlanJson(json).build();
        for (ServerCallStreamObserver<PlanUpdate> w : watchers) {
            if (!w.isCancelled()) {
                synchronized (w) {
                    w.onNext(current);
                }
            }
        }
    }

    public List<InferRequest> requests() {
        return requests;
    }

    public List<PlanAck> acks() {
        return acks;
    }

    public int cancelled() {
        return cancelled.get();
    }

    public int watchCalls() {
        return watchCalls.get();
    }

    private synchronized Supplier<StatusRuntimeException> nextFailure() {
        return failures.poll();
    }

    private final class Service extends BackendGrpc.BackendImplBase {
        @Override
        public void infer(InferRequest req, StreamObserver<InferReply> out) {
            requests.add(req);
            Supplier<StatusRuntimeException> f = nextFailure();
            if (f != null) {
                out.onError(f.get());
                return;
            }
            CountDownLatch h = hold;
            if (h != null) {
                Context ctx = Context.current();
                try {
                    while (!h.await(10, TimeUnit.MILLISECONDS)) {
                        if (ctx.isCancelled()) {
                            cancelled.incrementAndGet();
                            return;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            try {
                long t0 = System.nanoTime();
                Map<String, HostTensor> in = new java.util.LinkedHashMap<>();
                FrameDecoder decoder = FrameDecoder.create(limits.decodeLimits());
                for (Tensor t : req.getTensorsList()) {
                    if (t.hasFrame()) {
                        byte[] frame = t.getFrame().toByteArray();
                        var header = decoder.readHeader(frame, 0, frame.length);
                        float[] v = new float[header.shape().elementCount()];
                        decoder.decode(frame, 0, frame.length, v, 0);
                        in.put(
                                t.getName(),
                                HostTensor.ofFloats(
                                        Arrays.stream(header.shape().dims())
                                                .asLongStream()
                                                .toArray(),
                                        v));
                    } else {
                        WireTensors.Values v = WireTensors.decode(t.getRaw(), limits.maxElements());
                        in.put(t.getName(), new HostTensor(v.onnxType(), v.shape(), v.data()));
                    }
                }
                long t1 = System.nanoTime();
                int split = req.getSplit().getIndex();
                ModelRunner tail = tails.computeIfAbsent(split, s -> {
                    if (s < 0) {
                        return new ModelRunner(model.model(), "whole model");
                    }
                    SplitCandidate c = model.candidate(s);
                    return new ModelRunner(model.split(c).back(), "back of " + c.name());
                });
                Map<String, HostTensor> result = tail.run(in);
                long t2 = System.nanoTime();
                InferReply.Builder reply = InferReply.newBuilder().setRequestId(req.getRequestId());
                for (Map.Entry<String, HostTensor> e : result.entrySet()) {
                    if (req.getOutputsCount() > 0 && !req.getOutputsList().contains(e.getKey())) {
                        continue; // as the back-end: only the outputs asked for
                    }
                    HostTensor t = e.getValue();
                    reply.addOutputs(Tensor.newBuilder()
                            .setName(e.getKey())
                            .setRaw(WireTensors.encode(t.dataType(), t.shape(), t.data())));
                }
                reply.setTimings(BackendTimings.newBuilder()
                        .setDecodeSeconds((t1 - t0) / 1e9)
                        .setComputeSeconds((t2 - t1) / 1e9)
                        .setBatchSize(1));
                out.onNext(reply.build());
                out.onCompleted();
            } catch (RuntimeException e) {
                out.onError(BackendErrors.error(BackendErrors.Reason.MALFORMED_FRAME, e.toString()));
            }
        }

        @Override
        public void watchPlan(WatchPlanRequest req, StreamObserver<PlanUpdate> out) {
            watchCalls.incrementAndGet();
            ServerCallStreamObserver<PlanUpdate> o = (ServerCallStreamObserver<PlanUpdate>) out;
            watchers.add(o);
            o.setOnCancelHandler(() -> watchers.remove(o));
            synchronized (o) {
                o.onNext(current);
            }
        }

        @Override
        public void ackPlan(PlanAck ack, StreamObserver<PlanAckReply> out) {
            acks.add(ack);
            out.onNext(PlanAckReply.newBuilder()
                    .setCurrent(ack.getSha256().equals(current.getSha256()))
                    .build());
            out.onCompleted();
        }
    }

    /** Stops the server at once (in-flight calls fail): the back-end "killed". */
    public synchronized void kill() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            watchers.clear();
        }
    }

    @Override
    public void close() {
        kill();
        tails.values().forEach(ModelRunner::close);
    }
}
