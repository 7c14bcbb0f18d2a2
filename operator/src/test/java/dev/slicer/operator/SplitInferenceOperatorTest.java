package dev.slicer.operator;

import static dev.slicer.operator.Fixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slicer.codec.CodecRevision;
import dev.slicer.crds.ModelDigest;
import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.status.SplitInferenceStatus;
import dev.slicer.operator.dependent.Names;
import dev.slicer.operator.reconcile.PublishedPlan;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator against the Fabric8 mock API server in CRUD mode (with the generated CRD applied) and a stub
 * Prometheus. Each test uses its own SplitInference, so the tests do not depend on each other's order. The mock
 * server has no controllers: the test plays the Deployment controller (ready replicas) and checks owner references
 * instead of garbage collection.
 */
@QuarkusTest
@WithKubernetesTestServer
@io.quarkus.test.common.QuarkusTestResource(StubPrometheusResource.class)
class SplitInferenceOperatorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final List<LogRecord> ERRORS = new CopyOnWriteArrayList<>();
    private static final Handler ERROR_CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                ERRORS.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private static StubPrometheus prometheus;

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void startPrometheus() throws Exception {
        prometheus = StubPrometheusResource.instance;
        Logger.getLogger("").addHandler(ERROR_CAPTURE);
    }

    @AfterAll
    static void stopPrometheus() {
        Logger.getLogger("").removeHandler(ERROR_CAPTURE);
    }

    @Test
    void createsOwnedChildrenAndBecomesReadyThenStaysQuiet() throws Exception {
        SplitInference si = create("alpha", true);
        Deployment deployment = awaitChild(Deployment.class, "alpha-backend");
        var service = awaitChild(io.fabric8.kubernetes.api.model.Service.class, "alpha-backend");
        ConfigMap plan = awaitChild(ConfigMap.class, "alpha-plan");
        DaemonSet edge = awaitChild(DaemonSet.class, "alpha-edge");
        SplitInference live = get("alpha");
        for (HasMetadata child : List.<HasMetadata>of(deployment, service, plan, edge)) {
            assertThat(child.getMetadata().getLabels()).containsEntry(Names.MANAGED_BY, Names.OPERATOR);
            assertThat(child.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertOwnedBy(o, live));
        }
        assertThat(plan.getData()).containsKeys(PublishedPlan.PLAN_KEY, PublishedPlan.HASH_KEY);
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("registry.example/slicer-backend:1.0");

        playDeploymentController("alpha-backend");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            SplitInferenceStatus status = get("alpha").getStatus();
            assertThat(status).isNotNull();
            assertThat(status.getObservedGeneration()).isEqualTo(1L);
            assertThat(condition(status, SplitInferenceStatus.READY)).isEqualTo("True");
            assertThat(status.getPlan().getHash()).isEqualTo(plan.getData().get(PublishedPlan.HASH_KEY));
        });

        // once settled, a reconcile without any change writes nothing
        reconcileTwice("alpha");
        SplitInference before = get("alpha");
        List<String> versions = versions("alpha");
        drainRequests();
        reconcileTwice("alpha");
        List<String> writes = new ArrayList<>();
        for (RecordedRequest r : drainRequests()) {
            String line = r.getMethod() + " " + r.getPath() + " " + r.getBody().readUtf8();
            // writes for alpha only (its objects and Events): other tests' resources reconcile meanwhile
            boolean alpha = r.getPath().contains("/alpha") || line.contains("\"name\":\"alpha\"");
            if (WRITES.contains(r.getMethod()) && alpha && !isTestTouch(r, "alpha")) {
                writes.add(line);
            }
        }
        assertThat(writes).isEmpty();
        assertThat(versions("alpha")).isEqualTo(versions);
        assertThat(get("alpha").getStatus().getConditions())
                .isEqualTo(before.getStatus().getConditions());

        // deletion is left to the garbage collector, which follows the owner references checked above
        client.resource(get("alpha")).delete();
        await().atMost(TIMEOUT).until(() -> get("alpha") == null);
    }

    @Test
    void specChangesUpdateTheChildren() {
        create("beta", true);
        awaitChild(DaemonSet.class, "beta-edge");
        awaitChild(Deployment.class, "beta-backend");
        // a merge patch without resourceVersion, like kubectl patch --type merge
        client.resources(SplitInference.class)
                .inNamespace(NAMESPACE)
                .withName("beta")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"backend\":{\"image\":\"registry.example/slicer-backend:2.0\",\"replicas\":3},"
                                + "\"edges\":{\"daemonSet\":null}}}");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Deployment d = child(Deployment.class, "beta-backend");
            assertThat(d.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo("registry.example/slicer-backend:2.0");
            assertThat(d.getSpec().getReplicas()).isEqualTo(3);
            assertThat(child(DaemonSet.class, "beta-edge")).isNull();
            assertThat(get("beta").getStatus().getObservedGeneration()).isEqualTo(2L);
        });
        assertThat(events("beta", "Scaled")).isNotEmpty();
    }

    @Test
    void theDisruptionBudgetExistsWhileTheSpecAsksForIt() {
        create("theta", false);
        awaitChild(Deployment.class, "theta-backend");
        // first status written before the spec is patched: the mock cannot apply the operator's JSON patch of a
        // status the resource does not have yet, and a request it fails hangs until the client's timeout
        await().atMost(TIMEOUT)
                .until(() -> get("theta").getStatus() != null
                        && get("theta").getStatus().getObservedGeneration() != null);
        assertThat(child(PodDisruptionBudget.class, "theta-backend")).isNull();
        patchSpec("theta", "{\"spec\":{\"backend\":{\"podDisruptionBudget\":{\"maxUnavailable\":2}}}}");
        PodDisruptionBudget pdb = awaitChild(PodDisruptionBudget.class, "theta-backend");
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(2);
        assertThat(pdb.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getController())
                .isTrue());
        patchSpec("theta", "{\"spec\":{\"backend\":{\"podDisruptionBudget\":null}}}");
        await().atMost(TIMEOUT).until(() -> child(PodDisruptionBudget.class, "theta-backend") == null);
    }

    private void patchSpec(String name, String mergePatch) {
        client.resources(SplitInference.class)
                .inNamespace(NAMESPACE)
                .withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
    }

    @Test
    void metricDriftRewritesThePlanOnceWithAnEvent() throws Exception {
        prometheus.queueDelay("gamma", 0.01);
        create("gamma", false);
        ConfigMap first = awaitChild(ConfigMap.class, "gamma-plan");
        String hash = first.getData().get(PublishedPlan.HASH_KEY);
        await().atMost(TIMEOUT).until(() -> events("gamma", "Replanned").size() == 1);

        prometheus.queueDelay("gamma", 0.2);
        await().atMost(TIMEOUT)
                .until(() -> !hash.equals(
                        child(ConfigMap.class, "gamma-plan").getData().get(PublishedPlan.HASH_KEY)));
        ConfigMap second = child(ConfigMap.class, "gamma-plan");
        await().atMost(TIMEOUT).until(() -> events("gamma", "Replanned").size() == 2);

        reconcileTwice("gamma");
        assertThat(child(ConfigMap.class, "gamma-plan").getMetadata().getResourceVersion())
                .isEqualTo(second.getMetadata().getResourceVersion());
        assertThat(events("gamma", "Replanned")).hasSize(2);
        assertThat(get("gamma").getStatus().getPlan().getHash())
                .isEqualTo(second.getData().get(PublishedPlan.HASH_KEY));
    }

    @Test
    void prometheusDownKeepsTheLastPlan() {
        prometheus.queueDelay("delta", 0.01);
        create("delta", false);
        String hash = awaitChild(ConfigMap.class, "delta-plan").getData().get(PublishedPlan.HASH_KEY);
        await().atMost(TIMEOUT).until(() -> "True"
                .equals(condition(get("delta").getStatus(), SplitInferenceStatus.METRICS_AVAILABLE)));

        prometheus.down("delta", true);
        prometheus.queueDelay("delta", 0.2);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            SplitInferenceStatus status = get("delta").getStatus();
            assertThat(condition(status, SplitInferenceStatus.METRICS_AVAILABLE))
                    .isEqualTo("False");
            assertThat(condition(status, SplitInferenceStatus.DEGRADED)).isEqualTo("True");
        });
        reconcileTwice("delta");
        assertThat(child(ConfigMap.class, "delta-plan").getData().get(PublishedPlan.HASH_KEY))
                .isEqualTo(hash);
        assertThat(get("delta").getStatus().getPlan().getHash()).isEqualTo(hash);
        assertThat(events("delta", "Degraded")).isNotEmpty();
        prometheus.down("delta", false);
    }

    @Test
    void conflictsAreRetriedWithoutErrorLogs() {
        prometheus.queueDelay("epsilon", 0.01);
        create("epsilon", false);
        String hash = awaitChild(ConfigMap.class, "epsilon-plan").getData().get(PublishedPlan.HASH_KEY);
        server.expect()
                .put()
                .withPath("/api/v1/namespaces/" + NAMESPACE + "/configmaps/epsilon-plan")
                .andReturn(
                        409,
                        new StatusBuilder()
                                .withStatus("Failure")
                                .withReason("Conflict")
                                .withCode(409)
                                .withMessage("the object has been modified")
                                .build())
                .once();
        ERRORS.clear();
        prometheus.queueDelay("epsilon", 0.2);
        await().atMost(TIMEOUT)
                .until(() -> !hash.equals(
                        child(ConfigMap.class, "epsilon-plan").getData().get(PublishedPlan.HASH_KEY)));
        assertThat(ERRORS).extracting(LogRecord::getMessage).isEmpty();
    }

    @Test
    void withoutAProfileForItsModelTheProfilingJobRunsAndAValidProfileEndsIt() {
        SplitInference si = Fixtures.splitInference("zeta", prometheus.url());
        si.getMetadata().setUid(null);
        si.getMetadata().setGeneration(null);
        client.resource(si).create();
        String job = "zeta-profiler-" + ModelDigest.of(Fixtures.MODEL_URI).substring(0, 12);
        Job j = awaitChild(Job.class, job);
        var pod = j.getSpec().getTemplate().getSpec();
        assertThat(pod.getInitContainers().get(0).getArgs()).containsSubsequence("--model", Fixtures.MODEL_URI);
        assertThat(pod.getContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getValue()).isEqualTo(ModelDigest.of(Fixtures.MODEL_URI)));
        assertThat(j.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertOwnedBy(o, get("zeta")));
        // first status written while profiling (the mock answers no JSON patch of an absent status on the error path,
        // which the refused profile below takes)
        await().atMost(TIMEOUT)
                .until(() -> get("zeta").getStatus() != null
                        && get("zeta").getStatus().getObservedGeneration() != null);

        // a profile made for another model is refused: no plan, the Job stays, the status says why
        ConfigMap wrong = Fixtures.profileConfigMap("zeta");
        wrong.getMetadata().getAnnotations().put(ModelDigest.ANNOTATION, ModelDigest.of("builtin:minilm"));
        client.resource(wrong).create();
        reconcileTwice("zeta");
        assertThat(child(ConfigMap.class, "zeta-plan")).isNull();
        assertThat(child(Job.class, job)).isNotNull();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            SplitInferenceStatus status = get("zeta").getStatus();
            assertThat(status).as("a status is written").isNotNull();
            assertThat(status.getConditions())
                    .anySatisfy(c -> assertThat(c.getMessage()).contains("is not for " + Fixtures.MODEL_URI));
        });

        // one for this model but measured with another codec revision is refused too, saying what to do
        ConfigMap stale = Fixtures.profileConfigMap("zeta");
        String stamp = "\"codecRevision\":" + CodecRevision.CURRENT;
        assertThat(stale.getData().get("profile.json")).contains(stamp);
        stale.getData().put("profile.json", stale.getData().get("profile.json").replace(stamp, "\"codecRevision\":0"));
        client.resource(stale).update();
        reconcileTwice("zeta");
        assertThat(child(ConfigMap.class, "zeta-plan")).isNull();
        assertThat(child(Job.class, job)).isNotNull();
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(get("zeta").getStatus().getConditions())
                        .anySatisfy(c -> assertThat(c.getMessage())
                                .contains("measured with codec revision 0")
                                .contains("slicer plan calibrate")));

        // what the Job writes (the digest of the resource's URI) is accepted: a plan, and the Job is gone
        client.resource(Fixtures.profileConfigMap("zeta")).update();
        reconcileTwice("zeta");
        awaitChild(ConfigMap.class, "zeta-plan");
        await().atMost(TIMEOUT).until(() -> child(Job.class, job) == null);
    }

    @Test
    void aRefusedChildBecomesAConditionAndAnEvent() {
        create("eta", true);
        awaitChild(DaemonSet.class, "eta-edge");
        // first status written (the mock answers no JSON patch of an absent status on the error path)
        await().atMost(TIMEOUT)
                .until(() ->
                        get("eta").getStatus() != null && get("eta").getStatus().getObservedGeneration() != null);
        // what a real API server answers when the (immutable) DaemonSet selector changes
        server.expect()
                .put()
                .withPath("/apis/apps/v1/namespaces/" + NAMESPACE + "/daemonsets/eta-edge")
                .andReturn(
                        422,
                        new StatusBuilder()
                                .withStatus("Failure")
                                .withReason("Invalid")
                                .withCode(422)
                                .withMessage("DaemonSet.apps \"eta-edge\" is invalid: spec.selector: Invalid value:"
                                        + " field is immutable")
                                .build())
                .always();
        client.resources(SplitInference.class)
                .inNamespace(NAMESPACE)
                .withName("eta")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"edges\":{\"selector\":{\"matchLabels\":{\"slicer.dev/edge\":\"eta-2\"}}}}}");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            SplitInferenceStatus status = get("eta").getStatus();
            assertThat(status).isNotNull();
            assertThat(status.condition(SplitInferenceStatus.APPLIED)).isPresent();
            var applied = status.condition(SplitInferenceStatus.APPLIED).orElseThrow();
            assertThat(applied.getStatus()).isEqualTo("False");
            assertThat(applied.getMessage()).contains("edge: 422").contains("field is immutable");
            assertThat(condition(status, SplitInferenceStatus.READY)).isEqualTo("False");
            assertThat(status.getObservedGeneration()).isEqualTo(2L);
        });
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events("eta", "ApplyFailed"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getMessage()).contains("field is immutable");
                }));
        // stop its retries (they would count as writes in the other tests)
        client.resource(get("eta")).delete();
        await().atMost(TIMEOUT).until(() -> get("eta") == null);
    }

    private SplitInference create(String name, boolean withEdges) {
        client.resource(Fixtures.profileConfigMap(name)).create();
        SplitInference si = Fixtures.splitInference(name, prometheus.url());
        si.getMetadata().setUid(null);
        si.getMetadata().setGeneration(null);
        if (withEdges) {
            si.getSpec().getEdges().setDaemonSet(Fixtures.daemonSet());
        }
        return client.resource(si).create();
    }

    private SplitInference get(String name) {
        return client.resources(SplitInference.class)
                .inNamespace(NAMESPACE)
                .withName(name)
                .get();
    }

    private <T extends HasMetadata> T child(Class<T> type, String name) {
        return client.resources(type).inNamespace(NAMESPACE).withName(name).get();
    }

    private <T extends HasMetadata> T awaitChild(Class<T> type, String name) {
        return await().atMost(TIMEOUT).until(() -> child(type, name), c -> c != null);
    }

    private List<Event> events(String name, String reason) {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }

    private static String condition(SplitInferenceStatus status, String type) {
        return status == null
                ? null
                : status.condition(type).map(c -> c.getStatus()).orElse(null);
    }

    private static void assertOwnedBy(OwnerReference o, SplitInference si) {
        assertThat(o.getKind()).isEqualTo("SplitInference");
        assertThat(o.getApiVersion()).isEqualTo("slicer.dev/v1alpha1");
        assertThat(o.getName()).isEqualTo(si.getMetadata().getName());
        assertThat(o.getUid()).isEqualTo(si.getMetadata().getUid());
        assertThat(o.getController()).as("the fleet is the controller owner").isTrue();
    }

    /** What the Deployment controller would do: report the desired replicas as ready. */
    private void playDeploymentController(String name) {
        client.apps().deployments().inNamespace(NAMESPACE).withName(name).editStatus(d -> {
            d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                    .withReplicas(d.getSpec().getReplicas())
                    .withReadyReplicas(d.getSpec().getReplicas())
                    .withAvailableReplicas(d.getSpec().getReplicas())
                    .build());
            return d;
        });
    }

    /**
     * Triggers two reconciliations by touching an annotation and waits until both finished; the second one can only
     * start once the first, including its status patch, is done.
     */
    private void reconcileTwice(String name) {
        for (int i = 0; i < 2; i++) {
            long count = reconciles(name);
            String touch = String.valueOf(System.nanoTime());
            // a merge patch without resourceVersion: never conflicts with the operator's status patches
            client.resources(SplitInference.class)
                    .inNamespace(NAMESPACE)
                    .withName(name)
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"test.slicer.dev/touch\":\"" + touch + "\"}}}");
            await().atMost(TIMEOUT).until(() -> reconciles(name) > count);
        }
    }

    private long reconciles(String name) {
        Timer timer = registry.find("slicer.operator.reconcile.duration")
                .tags("namespace", NAMESPACE, "name", name)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    private List<String> versions(String name) {
        List<String> out = new ArrayList<>();
        out.add(child(Deployment.class, name + "-backend").getMetadata().getResourceVersion());
        out.add(child(io.fabric8.kubernetes.api.model.Service.class, name + "-backend")
                .getMetadata()
                .getResourceVersion());
        out.add(child(ConfigMap.class, name + "-plan").getMetadata().getResourceVersion());
        return out;
    }

    private boolean isTestTouch(RecordedRequest r, String name) {
        return r.getPath().startsWith("/apis/slicer.dev/v1alpha1/namespaces/" + NAMESPACE + "/splitinferences/" + name)
                && !r.getPath().contains("/status");
    }

    private List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.getKubernetesMockServer().takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }
}
