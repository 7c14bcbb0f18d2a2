package dev.slicer.edge.infer;

import static dev.slicer.edge.testing.EdgeFixture.DEVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.slicer.edge.link.LinkThrottle;
import dev.slicer.edge.testing.EdgeFixture;
import dev.slicer.edge.testing.Plans;
import dev.slicer.edge.testing.Plans.Row;
import dev.slicer.edge.testing.TestBackend;
import dev.slicer.model.split.HostTensor;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.RowKind;
import dev.slicer.protocol.BackendErrors;
import dev.slicer.protocol.v1.InferRequest;
import io.grpc.ConnectivityState;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The edge pipeline end to end against a real gRPC back-end stand-in running the model's tails. */
class EdgePipelineTest {
    static TestBackend backend;
    static Map<String, HostTensor> input;
    static HostTensor expected;
    static String out;

    @BeforeAll
    static void start() throws IOException {
        backend = new TestBackend(EdgeFixture.minilm().splittable()).start();
        input = EdgeFixture.sentence("Split computing runs the first layers on the edge device.");
        out = EdgeFixture.minilm().outputs().get(0).name();
        expected = EdgeFixture.minilm().runWhole(input).get(out);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    private static InferRequest lastRequest() {
        return backend.requests().get(backend.requests().size() - 1);
    }

    @Test
    void withoutPlanTheDefaultIsCloudOnlyWithRawInputs() {
        try (var edge = EdgeFixture.edge(backend.address(), false, 1)) {
            InferResult r = edge.pipeline().infer("r1", input);
            assertThat(r.kind()).isEqualTo(RowKind.CLOUD_ONLY);
            assertThat(r.planHash()).isEmpty();
            InferRequest req = lastRequest();
            assertThat(req.getSplit().getIndex()).isEqualTo(-1);
            assertThat(req.getSplit().getName())
                    .as("the whole model has no candidate name")
                    .isEmpty();
            assertThat(req.getTensorsList())
                    .allSatisfy(t -> assertThat(t.hasRaw()).isTrue());
            assertThat(req.getReport().getDeviceClass()).isEqualTo(DEVICE);
            assertThat(req.getModelId()).isEqualTo("builtin:minilm");
            assertThat(EdgeFixture.maxAbsDiff(r.outputs().get(out), expected)).isLessThan(1e-4);
        }
    }

    @Test
    void anEmulatedLinkBoundsTheMeasuredGoodputByItsRate() {
        // a downlink 10x the uplink: the reply (the whole hidden state) is far larger than the request (token ids)
        LinkThrottle link = LinkThrottle.system(10);
        link.setRate(20_000);
        try (var edge = EdgeFixture.edge(backend.address(), false, 1, link)) {
            edge.pipeline().infer("slow-1", input);
            InferResult r = edge.pipeline().infer("slow-2", input);
            long replyBytes = r.outputs().values().stream()
                    .mapToLong(HostTensor::byteSize)
                    .sum();
            assertThat(r.timings().downlink())
                    .as("the reply's share of the transfer, at least its bytes at the downlink's 200 kB/s")
                    .isGreaterThanOrEqualTo(replyBytes / 200_000.0)
                    .isLessThanOrEqualTo(r.timings().transfer());
            // the meter measures the uplink the plan's rows are by: the request's bytes over at least their emulated
            // time, never the reply's bytes over the fast downlink (which would read as several times the rate)
            assertThat(edge.goodput().bytesPerSecond()).isPositive().isLessThanOrEqualTo(20_000);
        }
    }

    @Test
    void losslessSplitEqualsTheWholeModelAndShipsAFrame() {
        var m = EdgeFixture.minilm().splittable();
        int split = 2;
        Plan plan = Plans.plan(m, DEVICE, new Row(0, split, Theta.lossless()));
        try (var edge = EdgeFixture.edge(backend.address(), false, 1)) {
            edge.plans().fromStream(Optional.of(plan));
            InferResult r = edge.pipeline().infer("r2", input);
            assertThat(r.split()).isEqualTo(split);
            InferRequest req = lastRequest();
            assertThat(req.getPlanHash()).isEqualTo(plan.sha256());
            assertThat(req.getSplit().getName()).isEqualTo(m.candidate(split).name());
            String big = m.candidate(split).bigTensor();
            assertThat(req.getTensorsList())
                    .filteredOn(t -> t.getName().equals(big))
                    .singleElement()
                    .satisfies(t -> assertThat(t.hasFrame()).isTrue());
            assertThat(req.getReport().getIfRawBytes()).isPositive();
            assertThat(req.getReport().getFrontSeconds()).isPositive();
            assertThat(EdgeFixture.maxAbsDiff(r.outputs().get(out), expected)).isLessThan(1e-4);
        }
    }

    /** A lossless-half row casts the feature to fp16: half the bytes, and the output within fp16's rounding. */
    @Test
    void aLosslessHalfRowShipsAnFp16FrameOfHalfTheBytes() {
        var m = EdgeFixture.minilm().splittable();
        int split = 2;
        Plan plan = Plans.plan(m, DEVICE, new Row(0, split, Theta.losslessHalf()));
        try (var edge = EdgeFixture.edge(backend.address(), false, 1)) {
            edge.plans().fromStream(Optional.of(plan));
            InferResult r = edge.pipeline().infer("half", input);
            assertThat(r.split()).isEqualTo(split);
            String big = m.candidate(split).bigTensor();
            var frame = lastRequest().getTensorsList().stream()
                    .filter(t -> t.getName().equals(big))
                    .findFirst()
                    .orElseThrow()
                    .getFrame()
                    .toByteArray();
            var header = dev.slicer.codec.FrameDecoder.create().readHeader(frame, 0, frame.length);
            assertThat(header.dtype()).isEqualTo(dev.slicer.codec.DType.FP16);
            assertThat(header.mode()).isEqualTo(dev.slicer.codec.CodecMode.LOSSLESS);
            long elements = header.elementCount();
            assertThat((long) frame.length).isBetween(2 * elements, 2 * elements + 128);
            float[] decoded = dev.slicer.codec.FrameDecoder.create().decode(frame);
            float[] sent = EdgeFixture.minilm().runFront(split, input).get(big).floats();
            for (int i = 0; i < sent.length; i++) {
                assertThat(decoded[i])
                        .isEqualTo(dev.slicer.codec.HalfFloats.fp16ToFloat(
                                dev.slicer.codec.HalfFloats.floatToFp16(sent[i])));
            }
            double cos = EdgeFixture.cosine(r.outputs().get(out), expected);
            assertThat(cos).isGreaterThan(0.999);
        }
    }

    @Test
    void rowFollowsTheMeasuredGoodputAndAPlanChangeAppliesToTheNextRequest() {
        var m = EdgeFixture.minilm().splittable();
        // below 1 kbit/s: split 1 compressed; above: split 3 lossless. Loopback measures far above 1 kbit/s.
        Plan slowFast = Plans.plan(
                m, DEVICE, new Row(0, 1, Theta.topK(0.5, 2, 2, 0, 8, 0.01, true)), new Row(1e3, 3, Theta.lossless()));
        try (var edge = EdgeFixture.edge(backend.address(), false, 1)) {
            edge.plans().fromStream(Optional.of(slowFast));
            // unknown goodput: the lowest-rate offloading row, whose transfer measures the link
            assertThat(edge.pipeline().infer("a", input).split()).isEqualTo(1);
            assertThat(edge.goodput().bytesPerSecond()).isGreaterThan(1e3 / 8);
            assertThat(edge.pipeline().infer("b", input).split()).isEqualTo(3);

            Plan next = Plans.plan(m, DEVICE, new Row(0, 4, Theta.lossless()));
            edge.plans().fromStream(Optional.of(next));
            InferResult r = edge.pipeline().infer("c", input);
            assertThat(r.split()).isEqualTo(4);
            assertThat(lastRequest().getPlanHash()).isEqualTo(next.sha256());
        }
    }

    @Test
    void anUnavailableRowFailsWithoutUploadingOrFallsBackLocally() {
        Plan plan = Plans.plan(EdgeFixture.minilm().splittable(), DEVICE, new Row(0, -2, null));
        int before = backend.requests().size();
        try (var edge = EdgeFixture.edge(backend.address(), false, 1)) {
            edge.plans().fromFile(Optional.of(plan));
            assertThatThrownBy(() -> edge.pipeline().infer("u", input))
                    .isInstanceOfSatisfying(
                            EdgeFailure.class, e -> assertThat(e.status()).isEqualTo(503))
                    .hasMessageContaining("no usable link");
        }
        try (var edge = EdgeFixture.edge(backend.address(), true, 1)) {
            edge.plans().fromFile(Optional.of(plan));
            assertThat(edge.pipeline().infer("u", input).kind()).isEqualTo(RowKind.LOCAL_ONLY);
        }
        assertThat(backend.requests()).hasSize(before);
    }

    @Test
    void belowEveryUsableRowWithoutLocalFallbackTheCheapestOffloadingRowIsSentBestEffortAndKeepsMeasuring() {
        Plan plan = Plans.plan(
                EdgeFixture.minilm().splittable(),
                DEVICE,
                new Row(0, -2, null),
                new Row(64e3, 1, Theta.lossless()),
                new Row(1e6, 2, Theta.lossless()));
        try (var edge = EdgeFixture.edge(backend.address(), false, 1)) {
            edge.plans().fromFile(Optional.of(plan));
            edge.goodput().record(1_000, 1.0); // 8 kbit/s: below the 64 kbit/s of the cheapest usable row
            int before = backend.requests().size();
            InferResult r = edge.pipeline().infer("slow", input);
            assertThat(r.kind()).isEqualTo(RowKind.SPLIT);
            assertThat(r.split()).as("the cheapest offloading row's split").isEqualTo(1);
            assertThat(r.fallback()).contains("no usable link").contains("best-effort");
            assertThat(EdgeFixture.maxAbsDiff(r.outputs().get(out), expected)).isLessThan(1e-4);
            assertThat(backend.requests()).hasSize(before + 1);
            assertThat(edge.goodput().bytesPerSecond())
                    .as("the transfer was measured, so the edge sees the link recover")
                    .isGreaterThan(1_000);
        }
        try (var edge = EdgeFixture.edge(backend.address(), true, 1)) {
            edge.plans().fromFile(Optional.of(plan));
            edge.goodput().record(1_000, 1.0);
            assertThat(edge.pipeline().infer("slow", input).kind())
                    .as("a local fallback is preferred when the edge has one")
                    .isEqualTo(RowKind.LOCAL_ONLY);
        }
    }

    @Test
    void retryableErrorsAreRetriedThenSucceed() {
        try (var edge = EdgeFixture.edge(backend.address(), false, 4)) {
            backend.failNext(2, TestBackend::queueFull);
            backend.failNext(1, TestBackend::draining);
            InferResult r = edge.pipeline().infer("retry", input);
            assertThat(r.attempts()).isEqualTo(4);
            assertThat(r.fallback()).isNull();
        }
    }

    @Test
    void exhaustedRetriesFallBackToLocalOnlyWhenAllowed() {
        try (var edge = EdgeFixture.edge(backend.address(), true, 2)) {
            backend.failNext(2, TestBackend::queueFull);
            InferResult r = edge.pipeline().infer("fb", input);
            assertThat(r.kind()).isEqualTo(RowKind.LOCAL_ONLY);
            assertThat(r.fallback()).contains("RESOURCE_EXHAUSTED/QUEUE_FULL");
            assertThat(EdgeFixture.maxAbsDiff(r.outputs().get(out), expected)).isLessThan(1e-5);
        }
    }

    /** A replica that refuses work because it is draining is left: the retry connects anew (a Service routes it on). */
    @Test
    void aDrainingReplicasConnectionIsDroppedForTheRetry() {
        try (var edge = EdgeFixture.edge(backend.address(), false, 4)) {
            edge.pipeline().infer("first", input);
            int connections = backend.connections();
            backend.failNext(1, TestBackend::draining);
            InferResult r = edge.pipeline().infer("moved", input);
            assertThat(r.attempts()).isEqualTo(2);
            assertThat(backend.connections())
                    .as("the retry came on a new connection")
                    .isEqualTo(connections + 1);
        }
    }

    /**
     * A back-end gone for longer than the retries' backoff, then back (a replica restarting): an edge without a local
     * fallback waits for its connection to come back and answers. gRPC fails calls at once while it backs off a
     * refused connection (1 s and more), so without the wait every attempt failed within 150 ms. An edge with a
     * fallback falls back at once.
     */
    @Test
    void withoutFallbackALostConnectionIsWaitedForUntilTheBackEndIsBack() throws Exception {
        TestBackend restarting = new TestBackend(EdgeFixture.minilm().splittable()).start();
        int port = restarting.port();
        try (var edge = EdgeFixture.edge(restarting.address(), false, 4);
                var withFallback = EdgeFixture.edge(restarting.address(), true, 4)) {
            assertThat(edge.pipeline().infer("up", input).fallback()).isNull();
            restarting.kill();
            InferResult fellBack = withFallback.pipeline().infer("down", input);
            assertThat(fellBack.kind()).isEqualTo(RowKind.LOCAL_ONLY);
            assertThat(fellBack.fallback()).contains("UNAVAILABLE");
            // back once the edge's channel backs off a refused connection: where every retry used to fail at once
            Thread restart = new Thread(() -> {
                try {
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> edge.channel().state() == ConnectivityState.TRANSIENT_FAILURE);
                    restarting.start(port);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            restart.start();
            InferResult back = edge.pipeline().infer("back", input);
            restart.join();
            assertThat(back.fallback()).isNull();
            assertThat(back.attempts())
                    .as("the first attempt found the back-end gone")
                    .isGreaterThan(1);
            assertThat(EdgeFixture.maxAbsDiff(back.outputs().get(out), expected))
                    .isLessThan(1e-5);
        } finally {
            restarting.close();
        }
    }

    @Test
    void withoutFallbackOverloadIs429AndUnavailableIs503NamingTheCause() {
        try (var edge = EdgeFixture.edge(backend.address(), false, 2)) {
            backend.failNext(2, TestBackend::queueFull);
            assertThatThrownBy(() -> edge.pipeline().infer("x", input))
                    .isInstanceOfSatisfying(
                            EdgeFailure.class, e -> assertThat(e.status()).isEqualTo(429))
                    .hasMessageContaining("QUEUE_FULL")
                    .hasMessageContaining("after 2 attempt(s)");
            backend.failNext(1, () -> BackendErrors.error(BackendErrors.Reason.MODEL_MISMATCH, "other model"));
            int before = backend.requests().size();
            assertThatThrownBy(() -> edge.pipeline().infer("y", input))
                    .isInstanceOfSatisfying(
                            EdgeFailure.class, e -> assertThat(e.status()).isEqualTo(503))
                    .hasMessageContaining("MODEL_MISMATCH");
            assertThat(backend.requests().size() - before)
                    .as("not retryable: one attempt")
                    .isEqualTo(1);
        }
        try (var edge = EdgeFixture.edge("127.0.0.1:1", false, 2)) {
            assertThatThrownBy(() -> edge.pipeline().infer("z", input))
                    .isInstanceOfSatisfying(
                            EdgeFailure.class, e -> assertThat(e.status()).isEqualTo(503))
                    .hasMessageContaining("UNAVAILABLE");
        }
    }
}
