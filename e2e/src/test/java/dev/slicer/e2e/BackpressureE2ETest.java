package dev.slicer.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slicer.model.builtin.BuiltinModels;
import dev.slicer.protocol.BackendErrors;
import dev.slicer.protocol.WireTensors;
import dev.slicer.protocol.v1.BackendGrpc;
import dev.slicer.protocol.v1.InferRequest;
import dev.slicer.protocol.v1.Split;
import dev.slicer.protocol.v1.Tensor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Overload and client disconnect against the real services. The back-end admits {@value #CAPACITY} requests and
 * batches up to {@value #MAX_BATCH}, so a batch goes only when its oldest request has waited {@link #QUEUE_DELAY}: a
 * queue filled on purpose stays full for that long, and a request waits there long enough to be cancelled. The edges
 * make one attempt and have no local fallback, so every back-end answer reaches the client as it is.
 */
class BackpressureE2ETest {
    static final String MODEL = BuiltinModels.MINILM;
    static final int EDGES = 2;
    static final int CAPACITY = 2;
    static final int MAX_BATCH = 4;
    static final Duration QUEUE_DELAY = Duration.ofSeconds(8);
    static final Path WORK = Path.of("target", "e2e-backpressure").toAbsolutePath();
    static final String TEXT = "The queue is full of sentences waiting for the tail of the model.";

    static Fleet fleet;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(WORK);
        Path plan = WORK.resolve("plan.json");
        Files.deleteIfExists(plan); // no plan: the edges run their default, cloud-only
        fleet = Fleet.start(
                Path.of("..").toAbsolutePath().normalize(),
                MODEL,
                EDGES,
                "unset",
                plan,
                WORK.resolve("logs"),
                Map.of(
                        "slicer.backend.queue.capacity", Integer.toString(CAPACITY),
                        "slicer.backend.batching.max-batch-size", Integer.toString(MAX_BATCH),
                        "slicer.backend.batching.max-queue-delay", QUEUE_DELAY.toMillis() + "ms"),
                Map.of(
                        "slicer.edge.fallback", "fail",
                        "slicer.edge.max-attempts", "1",
                        "slicer.edge.request-timeout", "60s"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    static Scrape backendMetrics() throws Exception {
        return Scrape.of(fleet.backend());
    }

    static double queued() throws Exception {
        return backendMetrics().value("slicer_backend_queue_requests");
    }

    static double rejected(String reason) throws Exception {
        return backendMetrics().value("slicer_backend_rejected_total", "reason", reason);
    }

    /** Requests computed so far: the sum of the batch sizes. */
    static double computed() throws Exception {
        return backendMetrics().value("slicer_backend_batch_size_sum");
    }

    static OipClient edge(int i) {
        return new OipClient(fleet.edges().get(i).httpPort());
    }

    @Test
    void aFullQueueAnswersEveryClientWith429OrAResultAndLosesNone() throws Exception {
        double fullBefore = rejected("queue_full");
        double computedBefore = computed();
        ExecutorService pool = Executors.newFixedThreadPool(CAPACITY + 8 * EDGES);
        try {
            // fill the queue: these wait QUEUE_DELAY for a batch that never fills
            List<Future<OipClient.Reply>> queuedCalls = new ArrayList<>();
            for (int i = 0; i < CAPACITY; i++) {
                OipClient c = edge(i % EDGES);
                queuedCalls.add(pool.submit(() -> c.infer("minilm", List.of(TEXT))));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> queued() == CAPACITY);

            // the protocol level: RESOURCE_EXHAUSTED with the QUEUE_FULL reason and a retry hint
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", fleet.grpcPort())
                    .usePlaintext()
                    .build();
            try {
                StatusRuntimeException e = grpcError(() -> BackendGrpc.newBlockingStub(ch)
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .infer(cloudOnlyRequest()));
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(BackendErrors.reason(e)).contains(BackendErrors.Reason.QUEUE_FULL);
                assertThat(BackendErrors.retryAfter(e))
                        .hasValueSatisfying(d -> assertThat(d).isPositive());
            } finally {
                ch.shutdownNow();
            }

            // the OIP level: a burst on every edge while the queue is full
            List<Future<OipClient.Reply>> burst = new ArrayList<>();
            for (int i = 0; i < 8 * EDGES; i++) {
                OipClient c = edge(i % EDGES);
                burst.add(pool.submit(() -> c.infer("minilm", List.of(TEXT))));
            }
            int ok = 0;
            int overloaded = 0;
            List<OipClient.Reply> all = new ArrayList<>();
            for (Future<OipClient.Reply> f : queuedCalls) {
                all.add(f.get(120, TimeUnit.SECONDS));
            }
            for (Future<OipClient.Reply> f : burst) {
                all.add(f.get(120, TimeUnit.SECONDS));
            }
            for (OipClient.Reply r : all) {
                if (r.ok()) {
                    assertThat(r.floats(0)).isNotEmpty();
                    ok++;
                } else {
                    assertThat(r.status()).as("a typed error: %s", r.body()).isEqualTo(429);
                    assertThat(r.body().path("error").asText()).contains("RESOURCE_EXHAUSTED/QUEUE_FULL");
                    overloaded++;
                }
            }
            System.out.printf(
                    "overload: %d requests answered: %d ok, %d x 429; back-end queue_full +%.0f, computed +%.0f%n",
                    all.size(), ok, overloaded, rejected("queue_full") - fullBefore, computed() - computedBefore);
            assertThat(ok + overloaded).as("no request lost").isEqualTo(CAPACITY + 8 * EDGES);
            assertThat(overloaded).as("the burst met a full queue").isPositive();
            assertThat(ok).as("the queued requests are answered").isGreaterThanOrEqualTo(CAPACITY);
            // every rejection the back-end counted reached a client, and every admitted request was computed
            assertThat(rejected("queue_full") - fullBefore).isEqualTo(overloaded + 1.0);
            assertThat(computed() - computedBefore).isEqualTo(ok);
        } finally {
            pool.shutdownNow();
        }
        assertThat(queued()).isZero();
    }

    @Test
    void aClientThatDisconnectsCancelsItsQueuedWork() throws Exception {
        double cancelledBefore = rejected("cancelled");
        double computedBefore = computed();
        byte[] body = ("{\"inputs\":[{\"name\":\"text\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"" + TEXT
                        + "\"]}]}")
                .getBytes(StandardCharsets.UTF_8);
        int port = fleet.edges().get(0).httpPort();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v2/models/minilm/infer HTTP/1.1\r\nHost: 127.0.0.1:" + port
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> queued() == 1);
        } // the client goes away while its request waits for a batch
        await().atMost(Duration.ofSeconds(30)).until(() -> rejected("cancelled") == cancelledBefore + 1);
        assertThat(queued()).isZero();
        assertThat(computed()).as("the cancelled request was never computed").isEqualTo(computedBefore);
        System.out.printf(
                "disconnect: back-end rejected_total{reason=\"cancelled\"} %.0f -> %.0f, nothing computed%n",
                cancelledBefore, rejected("cancelled"));
        assertThat(fleet.edges().get(0).alive()).isTrue();
    }

    /** A cloud-only request on the raw inputs (a full queue turns it away before its tensors are decoded). */
    static InferRequest cloudOnlyRequest() {
        long[] shape = {1, 4};
        long[] ids = {101, 7592, 2088, 102};
        long[] ones = {1, 1, 1, 1};
        return InferRequest.newBuilder()
                .setRequestId("overload-grpc")
                .setModelId(MODEL)
                .setSplit(Split.newBuilder().setIndex(-1))
                .addTensors(raw("input_ids", shape, ids))
                .addTensors(raw("attention_mask", shape, ones))
                .addTensors(raw("token_type_ids", shape, new long[4]))
                .build();
    }

    static Tensor raw(String name, long[] shape, long[] values) {
        return Tensor.newBuilder()
                .setName(name)
                .setRaw(WireTensors.encode(WireTensors.INT64, shape, values))
                .build();
    }

    static StatusRuntimeException grpcError(Executable call) {
        return org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, call);
    }
}
