package dev.slicer.edge.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slicer.edge.infer.InferResult;
import dev.slicer.edge.testing.EdgeFixture;
import dev.slicer.edge.testing.Plans;
import dev.slicer.edge.testing.Plans.Row;
import dev.slicer.edge.testing.TestBackend;
import dev.slicer.model.split.HostTensor;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.search.Theta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WatchPlan stream: plans applied and acknowledged, reconnection after a back-end restart. */
class PlanWatcherTest {
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final Map<String, HostTensor> input = EdgeFixture.sentence("Plans arrive over the connection the edge has.");

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private PlanWatcher watcher(EdgeFixture.Edge edge) {
        return new PlanWatcher(
                edge.channel(),
                edge.plans(),
                "edge-1",
                EdgeFixture.DEVICE,
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(200)),
                scheduler);
    }

    @Test
    void planChangeUnderLoadAppliesBetweenRequestsWithoutFailures() throws Exception {
        var m = EdgeFixture.minilm().splittable();
        Plan first = Plans.plan(m, EdgeFixture.DEVICE, new Row(0, 1, Theta.lossless()));
        Plan second = Plans.plan(m, EdgeFixture.DEVICE, new Row(0, 3, Theta.lossless()));
        try (TestBackend backend = new TestBackend(m).start();
                var edge = EdgeFixture.edge(backend.address(), false, 3);
                PlanWatcher w = watcher(edge)) {
            backend.publish(first.sha256(), Plans.json(first));
            w.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.acks().stream()
                    .anyMatch(a -> a.getSha256().equals(first.sha256())));
            assertThat(edge.pipeline().infer("a", input).planHash()).isEqualTo(first.sha256());

            List<InferResult> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                if (i == 2) {
                    backend.publish(second.sha256(), Plans.json(second));
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> edge.plans().current().hash().equals(second.sha256()));
                }
                results.add(edge.pipeline().infer("r" + i, input));
            }
            assertThat(results).allSatisfy(r -> assertThat(r.fallback()).isNull());
            assertThat(results.subList(0, 2))
                    .allSatisfy(r -> assertThat(r.split()).isEqualTo(1));
            assertThat(results.get(2).planHash())
                    .as("applied by the next request")
                    .isEqualTo(second.sha256());
            assertThat(results.subList(2, 6))
                    .allSatisfy(r -> assertThat(r.split()).isEqualTo(3));
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.acks().stream()
                    .anyMatch(a -> a.getSha256().equals(second.sha256())));
        }
    }

    @Test
    void edgeRecoversWhenTheBackendIsKilledAndRestarted() throws Exception {
        var m = EdgeFixture.minilm().splittable();
        Plan plan = Plans.plan(m, EdgeFixture.DEVICE, new Row(0, 2, Theta.lossless()));
        TestBackend backend = new TestBackend(m).start();
        int port = backend.port();
        try (var edge = EdgeFixture.edge(backend.address(), true, 2);
                PlanWatcher w = watcher(edge)) {
            w.start();
            assertThat(edge.pipeline().infer("before", input).fallback()).isNull();
            backend.kill();
            InferResult during = edge.pipeline().infer("during", input);
            assertThat(during.fallback()).as("falls back, names the cause").contains("UNAVAILABLE");

            TestBackend restarted = new TestBackend(m).start(port);
            try {
                restarted.publish(plan.sha256(), Plans.json(plan));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> edge.plans().current().hash().equals(plan.sha256()));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> edge.pipeline().infer("after", input).fallback() == null);
                assertThat(restarted.watchCalls()).isPositive();
            } finally {
                restarted.close();
            }
        } finally {
            backend.close();
        }
    }

    @Test
    void cancelledRequestCancelsTheBackendCall() throws Exception {
        var m = EdgeFixture.minilm().splittable();
        try (TestBackend backend = new TestBackend(m).start();
                var edge = EdgeFixture.edge(backend.address(), false, 1)) {
            java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
            backend.hold(never);
            io.grpc.Context.CancellableContext ctx = io.grpc.Context.current().withCancellation();
            var pool = Executors.newSingleThreadExecutor();
            try {
                var f = pool.submit(() -> ctx.call(() -> edge.pipeline().infer("gone", input)));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !backend.requests().isEmpty());
                ctx.cancel(null);
                await().atMost(Duration.ofSeconds(10)).until(() -> backend.cancelled() == 1);
                assertThat(f).failsWithin(Duration.ofSeconds(10));
            } finally {
                never.countDown();
                pool.shutdownNow();
            }
        }
    }
}
