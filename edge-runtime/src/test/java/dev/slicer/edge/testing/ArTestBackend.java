package dev.slicer.edge.testing;

import dev.slicer.codec.FrameDecoder;
import dev.slicer.model.ar.KvCache;
import dev.slicer.model.ar.KvDecoder;
import dev.slicer.model.ar.NextToken;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.SplittableModel;
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
import dev.slicer.protocol.v1.Tensor;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ArDecoder stand-in for the edge's tests: sessions with the model module's {@link KvDecoder} (the same part the
 * gpu-backend runs), one at a time. It can forget all sessions (a replica that restarted) or be stopped and started
 * again on its port (a replica that is gone for a while). The real service is tested in gpu-backend.
 */
public final class ArTestBackend implements AutoCloseable {
    /** A session; {@code template} restores its steps' frame bodies (null for cloud-only). */
    private record Session(int split, KvCache cache, TokenFrames.Template template) {}

    private final SplittableModel model;
    private final WireLimits limits = WireLimits.forElements(1 << 22);
    private final Map<Integer, KvDecoder> decoders = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    public final AtomicInteger opens = new AtomicInteger();
    public final AtomicInteger steps = new AtomicInteger();
    public final AtomicInteger closes = new AtomicInteger();
    private volatile java.util.concurrent.CountDownLatch gate;
    private volatile int gateAt = Integer.MAX_VALUE;
    private Server server;
    private int port;

    public ArTestBackend(SplittableModel model) {
        this.model = model;
    }

    public synchronized ArTestBackend start(int onPort) throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", onPort))
                .maxInboundMessageSize(limits.maxMessageBytes())
                .addService(new Service())
                .build()
                .start();
        port = server.getPort();
        return this;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    /** The replica restarted: every session is unknown now. */
    public void forgetAll() {
        sessions.clear();
    }

    /** Stops serving (connections fail with UNAVAILABLE) and forgets every session. */
    public synchronized void stop() throws InterruptedException {
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        sessions.clear();
    }

    /** Steps after the {@code steps}-th wait until {@link #release()} (bounded: 60 s). */
    public void holdAfter(int stepCount) {
        gate = new java.util.concurrent.CountDownLatch(1);
        gateAt = stepCount;
    }

    public void release() {
        gateAt = Integer.MAX_VALUE;
        if (gate != null) {
            gate.countDown();
        }
    }

    public int held() {
        return sessions.size();
    }

    @Override
    public synchronized void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        decoders.values().forEach(KvDecoder::close);
    }

    private KvDecoder decoder(int split) {
        return decoders.computeIfAbsent(
                split,
                s -> s < 0 ? KvDecoder.whole(model, o -> {}) : KvDecoder.back(model, model.candidate(s), o -> {}));
    }

    private HostTensor decode(Session s, Tensor wire) {
        Tensor t = s.template() == null ? wire : s.template().restore(wire, limits);
        if (t.hasFrame()) {
            byte[] f = t.getFrame().toByteArray();
            FrameDecoder d = FrameDecoder.create(limits.decodeLimits());
            var h = d.readHeader(f, 0, f.length);
            float[] v = new float[h.elementCount()];
            d.decode(f, 0, f.length, v, 0);
            return HostTensor.ofFloats(
                    Arrays.stream(h.shape().dims()).asLongStream().toArray(), v);
        }
        WireTensors.Values v = WireTensors.decode(t.getRaw(), limits.maxElements());
        return new HostTensor(v.onnxType(), v.shape(), v.data());
    }

    private synchronized ArTokenReply run(String id, Session s, Tensor t) {
        var out = decoder(s.split())
                .step(List.of(s.cache()), List.of(decode(s, t)))
                .get(0);
        float[] logits = NextToken.lastRow(out.get("logits"));
        return ArTokenReply.newBuilder()
                .setSessionId(id)
                .setLength(s.cache().length())
                .setLogits(WireTensors.encode(WireTensors.FLOAT, new long[] {logits.length}, logits))
                .build();
    }

    private final class Service extends ArDecoderGrpc.ArDecoderImplBase {
        @Override
        public void open(ArOpenRequest req, StreamObserver<ArTokenReply> out) {
            opens.incrementAndGet();
            String id = UUID.randomUUID().toString();
            Session s = new Session(
                    req.getSplit().getIndex(),
                    new KvCache(),
                    TokenFrames.template(req.getTensors(0), limits).orElse(null));
            sessions.put(id, s);
            out.onNext(run(id, s, req.getTensors(0)));
            out.onCompleted();
        }

        @Override
        public void step(ArStepRequest req, StreamObserver<ArTokenReply> out) {
            if (steps.incrementAndGet() > gateAt) {
                try {
                    gate.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Session s = sessions.get(req.getSessionId());
            if (s == null) {
                out.onError(BackendErrors.error(Reason.SESSION_UNKNOWN, "no session " + req.getSessionId()));
                return;
            }
            if (s.cache().length() != req.getPosition()) {
                out.onError(BackendErrors.error(Reason.POSITION_MISMATCH, "position " + req.getPosition()));
                return;
            }
            out.onNext(run(req.getSessionId(), s, req.getTensors(0)));
            out.onCompleted();
        }

        @Override
        public void close(ArCloseRequest req, StreamObserver<ArCloseReply> out) {
            closes.incrementAndGet();
            out.onNext(ArCloseReply.newBuilder()
                    .setClosed(sessions.remove(req.getSessionId()) != null)
                    .build());
            out.onCompleted();
        }
    }
}
