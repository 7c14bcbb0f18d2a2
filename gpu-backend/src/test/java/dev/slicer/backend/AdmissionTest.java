package dev.slicer.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.slicer.protocol.BackendErrors;
import dev.slicer.protocol.BackendErrors.Reason;
import dev.slicer.protocol.v1.InferReply;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Admission with a held compute thread: a full queue, a deadline passing in the queue, a cancelling edge. */
@QuarkusTest
@TestProfile(SmallQueueProfile.class)
@QuarkusTestResource(PlanDirResource.class)
class AdmissionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    MeterRegistry registry;

    Backend backend;
    MiniLm minilm = MiniLm.get();
    GatedTailRunner gate;
    MiniLm.Case held;
    CompletableFuture<InferReply> heldReply;

    @BeforeEach
    void holdTheComputeThread() {
        backend = Backend.ofTestApp();
        gate = GatedTailRunner.install();
        held = minilm.request("held", MiniLm.SPLIT, 16, 20);
        heldReply = Calls.infer(backend.async(), held.request());
        await().atMost(WAIT).until(() -> gate.waiting.get() == 1);
    }

    @AfterEach
    void release() throws Exception {
        gate.open();
        MiniLm.assertMatches(heldReply.get(60, TimeUnit.SECONDS), held.expected());
        backend.close();
    }

    @Test
    void aFullQueueIsResourceExhaustedWithARetryHintAndCounted() throws Exception {
        double before = Backend.rejected(registry, "queue_full");
        List<MiniLm.Case> queued =
                List.of(minilm.request("q1", MiniLm.SPLIT, 16, 21), minilm.request("q2", MiniLm.SPLIT, 9, 22));
        List<CompletableFuture<InferReply>> replies = queued.stream()
                .map(c -> Calls.infer(backend.async(), c.request()))
                .toList();
        await().atMost(WAIT).until(() -> Backend.queued(registry) == 2);

        assertThatThrownBy(() -> backend.blocking()
                        .infer(minilm.request("over", MiniLm.SPLIT, 16, 23).request()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(BackendErrors.reason(e)).contains(Reason.QUEUE_FULL);
                    assertThat(BackendErrors.retryAfter(e)).get().satisfies(d -> assertThat(d)
                            .isPositive());
                });
        assertThat(Backend.rejected(registry, "queue_full")).isEqualTo(before + 1);

        gate.open();
        for (int i = 0; i < queued.size(); i++) {
            MiniLm.assertMatches(
                    replies.get(i).get(60, TimeUnit.SECONDS), queued.get(i).expected());
        }
    }

    @Test
    void aRequestWhoseDeadlinePassesInTheQueueIsDroppedBeforeCompute() throws Exception {
        double before = Backend.rejected(registry, "deadline_passed");
        // long enough that the request is admitted before it expires on a loaded machine (at 300 ms, and once at
        // 3 s under a parallel build, it expired before admission and was never counted), short enough to wait out
        CompletableFuture<InferReply> late = Calls.infer(
                backend.async().withDeadlineAfter(10, TimeUnit.SECONDS),
                minilm.request("late", MiniLm.SPLIT, 16, 24).request());
        // queued behind the held request: from here on only the queue can drop it
        await().atMost(WAIT).until(() -> Backend.queued(registry) == 1 || late.isDone());
        assertThat(late).as("admitted before its deadline passed").isNotDone();
        assertThatThrownBy(() -> late.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        await().atMost(WAIT).until(() -> Backend.rejected(registry, "deadline_passed") == before + 1);
        assertThat(Backend.queued(registry)).isZero();
        gate.open();
        MiniLm.assertMatches(heldReply.get(60, TimeUnit.SECONDS), held.expected());
        assertThat(gate.batches.get()).as("only the held request ran").isEqualTo(1);
    }

    @Test
    void anEdgeThatCancelsFreesItsQueuedWork() throws Exception {
        double before = Backend.rejected(registry, "cancelled");
        Context.CancellableContext ctx = Context.current().withCancellation();
        CompletableFuture<InferReply> cancelled = ctx.call(() -> Calls.infer(
                backend.async(), minilm.request("gone", MiniLm.SPLIT, 16, 25).request()));
        await().atMost(WAIT).until(() -> Backend.queued(registry) == 1);
        ctx.cancel(null);
        await().atMost(WAIT).until(() -> Backend.rejected(registry, "cancelled") == before + 1);
        assertThat(Backend.queued(registry)).isZero();
        assertThat(cancelled).isCompletedExceptionally();
        gate.open();
        MiniLm.assertMatches(heldReply.get(60, TimeUnit.SECONDS), held.expected());
        assertThat(gate.batches.get()).as("only the held request ran").isEqualTo(1);
    }
}
