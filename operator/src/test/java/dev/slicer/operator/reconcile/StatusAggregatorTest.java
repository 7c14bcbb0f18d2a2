package dev.slicer.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.status.SplitInferenceStatus;
import dev.slicer.operator.Fixtures;
import dev.slicer.operator.metrics.FleetMetrics;
import dev.slicer.operator.planning.ClassPlan;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);

    private final SplitInference si = Fixtures.splitInference("fleet", "http://127.0.0.1:9");

    private static ReconcileState state(Instant now, String metricsProblem, PublishedPlan plan) {
        List<ClassPlan> classes =
                plan == null ? null : List.of(new ClassPlan("phone", "encoder.layer.2", 3, null, 1e6, 2048, 0.2, 0.1));
        return new ReconcileState(
                now, FleetMetrics.NONE, metricsProblem, plan, classes, false, null, null, 2, Duration.ofSeconds(5));
    }

    private static Deployment ready(int replicas) {
        return new DeploymentBuilder()
                .withNewSpec()
                .withReplicas(replicas)
                .endSpec()
                .withNewStatus()
                .withReplicas(replicas)
                .withReadyReplicas(replicas)
                .endStatus()
                .build();
    }

    private static String status(SplitInferenceStatus s, String type) {
        return s.condition(type).map(Condition::getStatus).orElseThrow();
    }

    @Test
    void readyWhenPlannedAndBackendAvailable() {
        var s = StatusAggregator.aggregate(si, state(T0, null, new PublishedPlan("{}", "h1", "{}")), ready(2));
        assertThat(s.getObservedGeneration()).isEqualTo(1L);
        assertThat(status(s, SplitInferenceStatus.READY)).isEqualTo("True");
        assertThat(status(s, SplitInferenceStatus.PLANNED)).isEqualTo("True");
        assertThat(status(s, SplitInferenceStatus.BACKEND_AVAILABLE)).isEqualTo("True");
        assertThat(status(s, SplitInferenceStatus.METRICS_AVAILABLE)).isEqualTo("True");
        assertThat(status(s, SplitInferenceStatus.DEGRADED)).isEqualTo("False");
        assertThat(s.getConditions())
                .extracting(Condition::getType)
                .containsExactlyElementsOf(SplitInferenceStatus.CONDITION_TYPES);
        assertThat(s.getBackend().getDesiredReplicas()).isEqualTo(2);
        assertThat(s.getPlan().getHash()).isEqualTo("h1");
        assertThat(s.getPlan().getSummary()).isEqualTo("phone:encoder.layer.2");
    }

    @Test
    void keepsLastTransitionTimeWhileAConditionHolds() {
        var first = StatusAggregator.aggregate(si, state(T0, null, new PublishedPlan("{}", "h1", "{}")), ready(2));
        si.setStatus(first);
        var second = StatusAggregator.aggregate(si, state(T1, null, new PublishedPlan("{}", "h1", "{}")), ready(2));
        assertThat(StatusAggregator.changed(first, second)).isFalse();
        assertThat(second.condition(SplitInferenceStatus.READY).orElseThrow().getLastTransitionTime())
                .isEqualTo(T0.toString());
        assertThat(second.getPlan().getLastPlanTime()).isEqualTo(T0.toString());
    }

    @Test
    void metricsOutageFlipsOnlyTheAffectedConditions() {
        var first = StatusAggregator.aggregate(si, state(T0, null, new PublishedPlan("{}", "h1", "{}")), ready(2));
        si.setStatus(first);
        var second = StatusAggregator.aggregate(
                si, state(T1, "Prometheus unreachable", new PublishedPlan("{}", "h1", "{}")), ready(2));
        assertThat(StatusAggregator.changed(first, second)).isTrue();
        var metrics = second.condition(SplitInferenceStatus.METRICS_AVAILABLE).orElseThrow();
        assertThat(metrics.getStatus()).isEqualTo("False");
        assertThat(metrics.getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(status(second, SplitInferenceStatus.DEGRADED)).isEqualTo("True");
        assertThat(status(second, SplitInferenceStatus.READY)).isEqualTo("True");
        assertThat(second.condition(SplitInferenceStatus.READY).orElseThrow().getLastTransitionTime())
                .isEqualTo(T0.toString());
    }

    @Test
    void notReadyWithoutPlanOrBackend() {
        var s = StatusAggregator.aggregate(si, state(T0, null, null), null);
        assertThat(status(s, SplitInferenceStatus.READY)).isEqualTo("False");
        assertThat(status(s, SplitInferenceStatus.PLANNED)).isEqualTo("False");
        assertThat(status(s, SplitInferenceStatus.BACKEND_AVAILABLE)).isEqualTo("False");
        assertThat(s.getPlan()).isNull();
    }

    @Test
    void invalidSpecKeepsOtherConditions() {
        si.setStatus(StatusAggregator.aggregate(si, state(T0, null, new PublishedPlan("{}", "h1", "{}")), ready(2)));
        var s = StatusAggregator.invalid(si, "minReplicas exceeds maxReplicas", T1);
        assertThat(status(s, SplitInferenceStatus.READY)).isEqualTo("False");
        assertThat(s.condition(SplitInferenceStatus.READY).orElseThrow().getReason())
                .isEqualTo("InvalidSpec");
        assertThat(status(s, SplitInferenceStatus.PLANNED)).isEqualTo("True");
        assertThat(s.getPlan().getHash()).isEqualTo("h1");
    }

    @Test
    void aRefusedChildMakesTheFleetNotReadyWithTheServersMessage() {
        var ok = StatusAggregator.aggregate(si, state(T0, null, new PublishedPlan("{}", "h1", "{}")), ready(2));
        assertThat(status(ok, SplitInferenceStatus.APPLIED)).isEqualTo("True");
        si.setStatus(ok);
        var failure = DependentFailure.of("edge", DependentFailureTest.immutableSelector());
        var s = StatusAggregator.aggregate(
                si, state(T1, null, new PublishedPlan("{}", "h1", "{}")), ready(2), List.of(failure));
        var applied = s.condition(SplitInferenceStatus.APPLIED).orElseThrow();
        assertThat(applied.getStatus()).isEqualTo("False");
        assertThat(applied.getReason()).isEqualTo("ApplyFailed");
        assertThat(applied.getMessage()).contains("edge: 422").contains("immutable");
        assertThat(applied.getLastTransitionTime()).isEqualTo(T1.toString());
        var readyCondition = s.condition(SplitInferenceStatus.READY).orElseThrow();
        assertThat(readyCondition.getStatus()).isEqualTo("False");
        assertThat(readyCondition.getReason()).isEqualTo("ApplyFailed");
        assertThat(status(s, SplitInferenceStatus.DEGRADED)).isEqualTo("True");
        assertThat(StatusAggregator.changed(ok, s)).isTrue();
    }

    @Test
    void aPlanOverTheConfigMapLimitIsRefusedAndTheOldOneKept() {
        var published = new PublishedPlan("{}", "h1", "{}");
        var small = new PublishedPlan("{\"rows\":[]}", "h2", "{}");
        var big = new PublishedPlan("x".repeat(2000), "h3", "{}");
        assertThat(FleetObserver.tooLarge(small, published, 1024)).isEmpty();
        assertThat(FleetObserver.tooLarge(big, published, 1024))
                .hasValueSatisfying(
                        m -> assertThat(m).contains("h3").contains("1024").contains("keeping plan h1"));
        assertThat(FleetObserver.tooLarge(big, null, 1024))
                .hasValueSatisfying(m -> assertThat(m).contains("no plan published"));
        // exactly at the limit is accepted: keys count as the API server counts them
        long exact = small.configMapBytes();
        assertThat(FleetObserver.tooLarge(small, published, exact)).isEmpty();
        assertThat(FleetObserver.tooLarge(small, published, exact - 1)).isPresent();
    }
}
