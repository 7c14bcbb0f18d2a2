package dev.slicer.backend.ar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UnsafeByteOperations;
import dev.slicer.backend.PlanDirResource;
import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.FrameEncoder;
import dev.slicer.codec.SizeBound;
import dev.slicer.codec.TensorShape;
import dev.slicer.model.ar.KvCache;
import dev.slicer.model.ar.KvDecoder;
import dev.slicer.model.ar.NextToken;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.protocol.BackendErrors;
import dev.slicer.protocol.BackendErrors.Reason;
import dev.slicer.protocol.TokenFrames;
import dev.slicer.protocol.WireTensors;
import dev.slicer.protocol.v1.ArCloseRequest;
import dev.slicer.protocol.v1.ArDecoderGrpc;
import dev.slicer.protocol.v1.ArOpenRequest;
import dev.slicer.protocol.v1.ArStepRequest;
import dev.slicer.protocol.v1.ArTokenReply;
import dev.slicer.protocol.v1.Split;
import dev.slicer.protocol.v1.Tensor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** AR sessions on builtin:tiny-llama through a plain gRPC client: exact greedy decoding, errors, memory bound. */
@QuarkusTest
@TestProfile(TinyLlamaProfile.class)
@QuarkusTestResource(PlanDirResource.class)
class ArSessionTest {
    static final String MODEL = "builtin:tiny-llama";
    static final long[] PROMPT = {72, 101, 108, 108, 111, 44, 32, 119};
    static SplittableModel model;
    static KvDecoder whole;
    static ManagedChannel channel;

    @Inject
    ArEngine engine;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void setUp() {
        model = SplittableModel.load(MODEL);
        whole = KvDecoder.whole(model, o -> {});
        channel = ManagedChannelBuilder.forAddress(
                        "127.0.0.1",
                        ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class))
                .usePlaintext()
                .build();
    }

    @AfterAll
    static void tearDown() throws InterruptedException {
        whole.close();
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    static ArDecoderGrpc.ArDecoderBlockingStub stub() {
        return ArDecoderGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    static HostTensor ids(long... v) {
        return HostTensor.ofLongs(new long[] {1, v.length}, v);
    }

    static Tensor lossless(String name, HostTensor t) {
        int[] dims = Arrays.stream(t.shape()).mapToInt(Math::toIntExact).toArray();
        TensorShape ts = TensorShape.of(dims);
        CodecSettings s = CodecSettings.lossless();
        byte[] buf = new byte[Math.toIntExact(SizeBound.maxFrameBytes(ts, s))];
        int n = FrameEncoder.create().encode(t.floats(), 0, ts, s, buf, 0);
        return Tensor.newBuilder()
                .setName(name)
                .setFrame(UnsafeByteOperations.unsafeWrap(buf, 0, n))
                .build();
    }

    static Tensor raw(String name, HostTensor t) {
        return Tensor.newBuilder()
                .setName(name)
                .setRaw(WireTensors.encode(t.dataType(), t.shape(), t.data()))
                .build();
    }

    static int next(ArTokenReply r) {
        return NextToken.argmax(
                (float[]) WireTensors.decode(r.getLogits(), 1 << 20).data());
    }

    static List<Integer> reference(int tokens) {
        KvCache c = new KvCache();
        List<Integer> out = new ArrayList<>();
        HostTensor in = ids(PROMPT);
        for (int t = 0; t < tokens; t++) {
            int n = NextToken.argmax(
                    NextToken.lastRow(whole.step(List.of(c), List.of(in)).get(0).get("logits")));
            out.add(n);
            in = ids(n);
        }
        return out;
    }

    /** A step's frame body, as the edge sends it: the lossless frame without its header. */
    static Tensor body(String name, HostTensor t) {
        return TokenFrames.cut(name, lossless(name, t).getFrame());
    }

    /** The edge's side of a split session: its front with its own KV cache, lossless frames (steps: bodies). */
    static List<Integer> decodeAt(int split, int tokens) {
        return decodeAt(split, tokens, true);
    }

    static List<Integer> decodeAt(int split, int tokens, boolean bodies) {
        List<Integer> out = new ArrayList<>();
        ArTokenReply r;
        if (split < 0) {
            r = stub().open(ArOpenRequest.newBuilder()
                    .setModelId(MODEL)
                    .setSplit(Split.newBuilder().setIndex(-1))
                    .addTensors(raw("input_ids", ids(PROMPT)))
                    .build());
        } else {
            SplitCandidate c = model.candidate(split);
            try (KvDecoder front = KvDecoder.front(model, c, o -> {})) {
                KvCache fc = new KvCache();
                HostTensor h =
                        front.step(List.of(fc), List.of(ids(PROMPT))).get(0).get(c.bigTensor());
                r = stub().open(ArOpenRequest.newBuilder()
                        .setModelId(MODEL)
                        .setSplit(Split.newBuilder().setIndex(split).setName(c.name()))
                        .addTensors(lossless(c.bigTensor(), h))
                        .build());
                out.add(next(r));
                while (out.size() < tokens) {
                    HostTensor t = front.step(List.of(fc), List.of(ids(out.get(out.size() - 1))))
                            .get(0)
                            .get(c.bigTensor());
                    r = stub().step(ArStepRequest.newBuilder()
                            .setSessionId(r.getSessionId())
                            .setPosition(r.getLength())
                            .addTensors(bodies ? body(c.bigTensor(), t) : lossless(c.bigTensor(), t))
                            .build());
                    out.add(next(r));
                }
                stub().close(ArCloseRequest.newBuilder()
                        .setSessionId(r.getSessionId())
                        .build());
                return out;
            }
        }
        out.add(next(r));
        while (out.size() < tokens) {
            r = stub().step(ArStepRequest.newBuilder()
                    .setSessionId(r.getSessionId())
                    .setPosition(r.getLength())
                    .addTensors(raw("input_ids", ids(out.get(out.size() - 1))))
                    .build());
            out.add(next(r));
        }
        stub().close(ArCloseRequest.newBuilder().setSessionId(r.getSessionId()).build());
        return out;
    }

    @Test
    void losslessSessionsAtEverySplitAndCloudOnlyDecodeTheUnsplitModelsGreedyTokens() {
        List<Integer> expected = reference(16);
        for (int split = -1; split < model.candidates().size(); split++) {
            assertThat(decodeAt(split, 16)).as("split %d", split).isEqualTo(expected);
        }
    }

    @Test
    void stepsMaySendWholeFramesInsteadOfBodies() {
        assertThat(decodeAt(model.candidates().size() - 1, 8, false)).isEqualTo(reference(8));
    }

    @Test
    void aFrameBodyOutsideASplitSessionsStepsOrUnderAnotherHeaderIsMalformed() {
        SplitCandidate c = model.candidate(1);
        try (KvDecoder front = KvDecoder.front(model, c, o -> {})) {
            HostTensor h = front.step(List.of(new KvCache()), List.of(ids(PROMPT)))
                    .get(0)
                    .get(c.bigTensor());
            // an Open must carry the whole frame: its header is what the steps' bodies imply
            assertThatThrownBy(() -> stub().open(ArOpenRequest.newBuilder()
                            .setModelId(MODEL)
                            .setSplit(Split.newBuilder().setIndex(1).setName(c.name()))
                            .addTensors(body(c.bigTensor(), h))
                            .build()))
                    .satisfies(e -> assertThat(BackendErrors.reason(e)).contains(Reason.MALFORMED_FRAME))
                    .hasMessageContaining("frame body");
            ArTokenReply r = stub().open(ArOpenRequest.newBuilder()
                    .setModelId(MODEL)
                    .setSplit(Split.newBuilder().setIndex(1).setName(c.name()))
                    .addTensors(lossless(c.bigTensor(), h))
                    .build());
            // a body cut from a TS/TAB-Q frame, in a session whose hand-off was lossless: the CRC catches it
            HostTensor one =
                    HostTensor.ofFloats(new long[] {1, 1, h.shape()[2]}, Arrays.copyOf(h.floats(), (int) h.shape()[2]));
            CodecSettings tabq = CodecSettings.tsTabq()
                    .outlierFraction(0.01)
                    .qbit(8)
                    .delta(0.005)
                    .entropy(true)
                    .build();
            TensorShape ts = TensorShape.of(1, 1, (int) h.shape()[2]);
            Tensor foreign = TokenFrames.cut(
                    c.bigTensor(),
                    UnsafeByteOperations.unsafeWrap(FrameEncoder.create().encode(one.floats(), ts, tabq)));
            assertThatThrownBy(() -> stub().step(ArStepRequest.newBuilder()
                            .setSessionId(r.getSessionId())
                            .setPosition(r.getLength())
                            .addTensors(foreign)
                            .build()))
                    .satisfies(e -> assertThat(BackendErrors.reason(e)).contains(Reason.MALFORMED_FRAME))
                    .hasMessageContaining("CRC");
            // the session is still there and takes its step
            ArTokenReply after = stub().step(ArStepRequest.newBuilder()
                    .setSessionId(r.getSessionId())
                    .setPosition(r.getLength())
                    .addTensors(body(c.bigTensor(), one))
                    .build());
            assertThat(after.getLength()).isEqualTo(r.getLength() + 1);
            stub().close(ArCloseRequest.newBuilder()
                    .setSessionId(r.getSessionId())
                    .build());
        }
        // cloud-only sessions send ids, never bodies
        ArTokenReply cloud = stub().open(ArOpenRequest.newBuilder()
                .setModelId(MODEL)
                .setSplit(Split.newBuilder().setIndex(-1))
                .addTensors(raw("input_ids", ids(PROMPT)))
                .build());
        assertThatThrownBy(() -> stub().step(ArStepRequest.newBuilder()
                        .setSessionId(cloud.getSessionId())
                        .setPosition(cloud.getLength())
                        .addTensors(Tensor.newBuilder()
                                .setName("input_ids")
                                .setFrameBody(com.google.protobuf.ByteString.copyFrom(new byte[8])))
                        .build()))
                .satisfies(e -> assertThat(BackendErrors.reason(e)).contains(Reason.MALFORMED_FRAME));
        stub().close(ArCloseRequest.newBuilder()
                .setSessionId(cloud.getSessionId())
                .build());
    }

    @Test
    void anUnknownSessionIsNotFoundAndAClosedOneFreesItsCache() {
        assertThatThrownBy(() -> stub().step(ArStepRequest.newBuilder()
                        .setSessionId(UUID.randomUUID().toString())
                        .setPosition(3)
                        .addTensors(raw("input_ids", ids(1)))
                        .build()))
                .satisfies(e -> assertThat(BackendErrors.reason(e)).contains(Reason.SESSION_UNKNOWN));
        double closed = ended("closed");
        long before = engine.reservedBytes();
        ArTokenReply r = stub().open(ArOpenRequest.newBuilder()
                .setModelId(MODEL)
                .setSplit(Split.newBuilder().setIndex(-1))
                .addTensors(raw("input_ids", ids(PROMPT)))
                .build());
        assertThat(engine.reservedBytes()).isEqualTo(before + 2048L * PROMPT.length);
        assertThat(stub().close(ArCloseRequest.newBuilder()
                                .setSessionId(r.getSessionId())
                                .build())
                        .getClosed())
                .isTrue();
        assertThat(engine.reservedBytes()).isEqualTo(before);
        assertThat(ended("closed")).isEqualTo(closed + 1);
        assertThatThrownBy(() -> stub().step(ArStepRequest.newBuilder()
                        .setSessionId(r.getSessionId())
                        .setPosition(r.getLength())
                        .addTensors(raw("input_ids", ids(1)))
                        .build()))
                .satisfies(e -> assertThat(BackendErrors.reason(e)).contains(Reason.SESSION_UNKNOWN));
    }

    @Test
    void aStepForTheWrongPositionIsRefused() {
        ArTokenReply r = stub().open(ArOpenRequest.newBuilder()
                .setModelId(MODEL)
                .setSplit(Split.newBuilder().setIndex(-1))
                .addTensors(raw("input_ids", ids(PROMPT)))
                .build());
        assertThatThrownBy(() -> stub().step(ArStepRequest.newBuilder()
                        .setSessionId(r.getSessionId())
                        .setPosition(r.getLength() + 1)
                        .addTensors(raw("input_ids", ids(1)))
                        .build()))
                .satisfies(e -> assertThat(BackendErrors.reason(e)).contains(Reason.POSITION_MISMATCH));
        stub().close(ArCloseRequest.newBuilder().setSessionId(r.getSessionId()).build());
    }

    @Test
    void hundredConcurrentSessionsStayWithinTheMemoryBudgetAndEvictedOnesHearSo() throws Exception {
        AtomicLong maxReserved = new AtomicLong();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger evicted = new AtomicInteger();
        AtomicInteger maxBatch = new AtomicInteger();
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int s = 0; s < 100; s++) {
                long first = s % 200;
                all.add(pool.submit(() -> {
                    try {
                        ArTokenReply r = stub().open(ArOpenRequest.newBuilder()
                                .setModelId(MODEL)
                                .setSplit(Split.newBuilder().setIndex(-1))
                                .addTensors(raw("input_ids", ids(first, 1, 2, 3, 4, 5, 6, 7)))
                                .build());
                        maxReserved.accumulateAndGet(engine.reservedBytes(), Math::max);
                        for (int t = 0; t < 8; t++) {
                            r = stub().step(ArStepRequest.newBuilder()
                                    .setSessionId(r.getSessionId())
                                    .setPosition(r.getLength())
                                    .addTensors(raw("input_ids", ids(next(r))))
                                    .build());
                            maxReserved.accumulateAndGet(engine.reservedBytes(), Math::max);
                            maxBatch.accumulateAndGet(r.getTimings().getBatchSize(), Math::max);
                        }
                        completed.incrementAndGet();
                        stub().close(ArCloseRequest.newBuilder()
                                .setSessionId(r.getSessionId())
                                .build());
                    } catch (StatusRuntimeException e) {
                        var reason = BackendErrors.reason(e);
                        if (reason.isPresent()
                                && (reason.get() == Reason.SESSION_EVICTED || reason.get() == Reason.SESSION_LIMIT)) {
                            evicted.incrementAndGet();
                        } else {
                            unexpected.add(e.getStatus() + " " + reason);
                        }
                    }
                }));
            }
            for (Future<?> f : all) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(unexpected).isEmpty();
        // 100 sessions of 16 positions need 3.2 MB; the budget is 512 KiB
        assertThat(evicted.get()).isPositive();
        assertThat(completed.get()).isPositive();
        assertThat(completed.get() + evicted.get()).isEqualTo(100);
        assertThat(maxReserved.get()).isLessThanOrEqualTo(TinyLlamaProfile.BUDGET);
        assertThat(maxBatch.get())
                .as("steps of different sessions shared a batch")
                .isGreaterThan(1);
        assertThat(registry.get("slicer.backend.ar.kv").gauge().value()).isLessThanOrEqualTo(TinyLlamaProfile.BUDGET);
        assertThat(ended("memory")).isPositive();
    }

    double ended(String reason) {
        return registry.get("slicer.backend.ar.sessions.ended")
                .tag("reason", reason)
                .counter()
                .count();
    }
}
