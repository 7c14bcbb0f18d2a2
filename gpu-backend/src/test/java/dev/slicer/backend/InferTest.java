package dev.slicer.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.slicer.model.builtin.BuiltinModels;
import dev.slicer.protocol.BackendErrors;
import dev.slicer.protocol.BackendErrors.Reason;
import dev.slicer.protocol.v1.InferReply;
import dev.slicer.protocol.v1.InferRequest;
import dev.slicer.protocol.v1.PlanAck;
import dev.slicer.protocol.v1.PlanUpdate;
import dev.slicer.protocol.v1.RawTensor;
import dev.slicer.protocol.v1.Split;
import dev.slicer.protocol.v1.Tensor;
import dev.slicer.protocol.v1.WatchPlanRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PlanDirResource.class)
class InferTest {
    @Inject
    MeterRegistry registry;

    Backend backend;
    MiniLm minilm = MiniLm.get();

    @BeforeEach
    void connect() {
        backend = Backend.ofTestApp();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        backend.close();
    }

    @Test
    void splitAndCloudOnlyRequestsEqualTheUnsplitModel() {
        for (int split : new int[] {MiniLm.SPLIT, -1, 0}) {
            MiniLm.Case c = minilm.request("r" + split, split, 16, 1);
            InferReply reply = backend.blocking().infer(c.request());
            assertThat(reply.getRequestId()).isEqualTo("r" + split);
            MiniLm.assertMatches(reply, c.expected());
            assertThat(reply.getTimings().getBatchSize()).isEqualTo(1);
        }
    }

    @Test
    void batchedRequestsOfDifferentLengthsEqualTheirUnbatchedResults() throws Exception {
        GatedTailRunner gate = GatedTailRunner.install();
        MiniLm.Case first = minilm.request("a", MiniLm.SPLIT, 8, 2);
        CompletableFuture<InferReply> a = Calls.infer(backend.async(), first.request());
        await().atMost(Duration.ofSeconds(30)).until(() -> gate.waiting.get() == 1);
        List<MiniLm.Case> cases = new ArrayList<>();
        List<CompletableFuture<InferReply>> replies = new ArrayList<>();
        int[] lengths = {12, 5, 16};
        for (int i = 0; i < lengths.length; i++) {
            MiniLm.Case c = minilm.request("b" + i, MiniLm.SPLIT, lengths[i], 10 + i);
            cases.add(c);
            replies.add(Calls.infer(backend.async(), c.request()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Backend.queued(registry) == 3);
        gate.open();
        MiniLm.assertMatches(a.get(60, TimeUnit.SECONDS), first.expected());
        for (int i = 0; i < cases.size(); i++) {
            InferReply r = replies.get(i).get(60, TimeUnit.SECONDS);
            MiniLm.assertMatches(r, cases.get(i).expected());
            assertThat(r.getTimings().getBatchSize())
                    .as("one padded batch of three")
                    .isEqualTo(3);
        }
        assertThat(gate.batches.get()).isEqualTo(2);
    }

    @Test
    void hostileTensorsFailOnlyTheirOwnRequest() throws Exception {
        MiniLm.Case good = minilm.request("good", MiniLm.SPLIT, 16, 3);
        InferRequest req = good.request();
        int big = 0; // the big activation is shipped first, as a frame
        assertThat(req.getTensors(big).hasFrame()).isTrue();
        byte[] frame = req.getTensors(big).getFrame().toByteArray();
        byte[] flipped = frame.clone();
        flipped[frame.length / 2] ^= 0x40;
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        RawTensor sideRaw = req.getTensors(1).getRaw();

        List<UnaryOperator<InferRequest.Builder>> hostile = List.of(
                b -> b.setTensors(big, b.getTensors(big).toBuilder().setFrame(ByteString.copyFrom(garbage))),
                b -> b.setTensors(big, b.getTensors(big).toBuilder().setFrame(ByteString.copyFrom(flipped))),
                b -> b.setTensors(big, b.getTensors(big).toBuilder().setFrame(frame(1_100_000))),
                b -> b.setTensors(
                        1,
                        b.getTensors(1).toBuilder()
                                .setRaw(sideRaw.toBuilder()
                                        .clearShape()
                                        .addShape(1)
                                        .addShape(1L << 40))),
                b -> b.setTensors(
                        1,
                        b.getTensors(1).toBuilder().setRaw(sideRaw.toBuilder().setOnnxType(42))),
                b -> b.removeTensors(1),
                b -> b.addTensors(Tensor.newBuilder().setName("extra")));
        double before = Backend.rejected(registry, "malformed_frame") + Backend.rejected(registry, "limit_exceeded");
        for (UnaryOperator<InferRequest.Builder> h : hostile) {
            CompletableFuture<InferReply> other = Calls.infer(backend.async(), good.request());
            assertThatThrownBy(() ->
                            backend.blocking().infer(h.apply(req.toBuilder()).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(BackendErrors.reason(e)).get().isIn(Reason.MALFORMED_FRAME, Reason.LIMIT_EXCEEDED);
                    });
            MiniLm.assertMatches(other.get(60, TimeUnit.SECONDS), good.expected());
        }
        assertThat(Backend.rejected(registry, "malformed_frame") + Backend.rejected(registry, "limit_exceeded"))
                .isEqualTo(before + hostile.size());

        // over the gRPC message limit derived from the frame limit: refused by the transport, server unharmed
        InferRequest huge = req.toBuilder()
                .addTensors(Tensor.newBuilder().setName("pad").setFrame(frame(2_000_000)))
                .build();
        assertThatThrownBy(() -> backend.blocking().infer(huge))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        MiniLm.assertMatches(backend.blocking().infer(req), good.expected());
    }

    private static ByteString frame(int bytes) {
        byte[] b = new byte[bytes];
        new Random(bytes).nextBytes(b);
        return ByteString.copyFrom(b);
    }

    @Test
    void theReplyCarriesOnlyTheOutputsTheEdgeAskedFor() {
        assertThat(minilm.request("all", MiniLm.SPLIT, 16, 5).expected())
                .as("the test needs a model with more than one output")
                .hasSizeGreaterThan(1);
        for (int split : new int[] {MiniLm.SPLIT, -1}) {
            MiniLm.Case c = minilm.request("one" + split, split, 16, 5);
            String name = c.expected().keySet().iterator().next();
            InferReply reply = backend.blocking()
                    .infer(c.request().toBuilder().addOutputs(name).build());
            MiniLm.assertMatches(reply, java.util.Map.of(name, c.expected().get(name)));
        }
    }

    @Test
    void anOutputTheModelDoesNotHaveIsUnknownOutputAndCounted() {
        double before = Backend.rejected(registry, "unknown_output");
        InferRequest bad = minilm.request("x", MiniLm.SPLIT, 16, 4).request().toBuilder()
                .addOutputs("logits")
                .build();
        assertThatThrownBy(() -> backend.blocking().infer(bad))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(BackendErrors.reason(e)).contains(Reason.UNKNOWN_OUTPUT);
                    assertThat(e.getStatus().getDescription()).contains("'logits'");
                });
        InferRequest tooMany = minilm.request("y", MiniLm.SPLIT, 16, 4).request().toBuilder()
                .addAllOutputs(java.util.Collections.nCopies(1000, "pooler_output"))
                .build();
        assertThatThrownBy(() -> backend.blocking().infer(tooMany))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription()).contains("names 1000 outputs"));
        assertThat(Backend.rejected(registry, "unknown_output")).isEqualTo(before + 2);
    }

    @Test
    void anotherModelOrAnUnknownSplitIsAFailedPrecondition() {
        InferRequest req = minilm.request("x", MiniLm.SPLIT, 16, 4).request();
        for (InferRequest bad : List.of(
                req.toBuilder().setModelId(BuiltinModels.TINY_RESNET).build(),
                req.toBuilder().setSplit(Split.newBuilder().setIndex(99)).build(),
                req.toBuilder()
                        .setSplit(Split.newBuilder().setIndex(MiniLm.SPLIT).setName("encoder.layer.0"))
                        .build())) {
            assertThatThrownBy(() -> backend.blocking().infer(bad))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        }
    }

    @Test
    void aPlanChangeIsStreamedToEveryWatcherAndAcknowledgementsAreExported() throws Exception {
        BlockingQueue<PlanUpdate> first = watch();
        BlockingQueue<PlanUpdate> second = watch();
        PlanUpdate initial = first.poll(30, TimeUnit.SECONDS);
        assertThat(initial).isNotNull();
        assertThat(initial.getSha256()).isNotEmpty();
        assertThat(second.poll(30, TimeUnit.SECONDS)).isEqualTo(initial);

        String hash = "hash-" + UUID.randomUUID();
        String json = "{\"schema\":\"slicer-plan/v1\",\"rev\":\"" + hash + "\"}";
        PlanDirResource.publish(json, hash);
        for (BlockingQueue<PlanUpdate> q : List.of(first, second)) {
            PlanUpdate u = q.poll(30, TimeUnit.SECONDS);
            assertThat(u).isNotNull();
            assertThat(u.getSha256()).isEqualTo(hash);
            assertThat(u.getPlanJson()).isEqualTo(json);
        }

        var ack = backend.blocking()
                .ackPlan(PlanAck.newBuilder()
                        .setEdgeId("e1")
                        .setDeviceClass("jetson")
                        .setSha256(hash)
                        .build());
        assertThat(ack.getCurrent()).isTrue();
        assertThat(registry.find("slicer.backend.edge.plan.applied")
                        .tags("device_class", "jetson", "sha256", hash)
                        .gauge())
                .isNotNull();
        assertThat(registry.find("slicer.backend.plan.info").tag("sha256", hash).gauge())
                .isNotNull();
    }

    private BlockingQueue<PlanUpdate> watch() {
        BlockingQueue<PlanUpdate> q = new LinkedBlockingQueue<>();
        backend.async()
                .watchPlan(
                        WatchPlanRequest.newBuilder()
                                .setEdgeId("e")
                                .setDeviceClass("jetson")
                                .build(),
                        new StreamObserver<>() {
                            @Override
                            public void onNext(PlanUpdate value) {
                                q.add(value);
                            }

                            @Override
                            public void onError(Throwable t) {}

                            @Override
                            public void onCompleted() {}
                        });
        return q;
    }
}
