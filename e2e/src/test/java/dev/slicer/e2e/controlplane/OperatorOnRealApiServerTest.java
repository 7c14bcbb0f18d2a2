package dev.slicer.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.status.SplitInferenceStatus;
import dev.slicer.e2e.CleartextUpgrade;
import dev.slicer.e2e.ServiceHttpClient;
import dev.slicer.e2e.ServiceProcess;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged operator on the real control plane, with the identity the chart gives it: the ServiceAccount,
 * ClusterRoles, Roles and bindings rendered by real Helm and applied as rendered, and the operator container's
 * environment from the rendered Deployment (production profile, leader election on, server-side apply on). One fleet
 * through its life, in order: created, changed, settled (no writes), restarted, handed over between two leaders,
 * deleted (garbage collected). Writes are counted in the API server's audit log; a permission the chart lacks
 * fails the step that needs it.
 */
@Tag("operator-e2e")
@Tag("controlplane")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorOnRealApiServerTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String RELEASE = "slicer";
    private static final String OPERATOR_NS = "slicer-system";
    private static final String NS = "fleet-a";
    private static final Duration STEP = Duration.ofMinutes(2);
    /** No reconcile finished for this long while one is awaited: the threads are dumped for the failure message. */
    private static final Duration STALL = Duration.ofSeconds(45);

    private static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    /** The label a kube-prometheus-stack Prometheus selects monitors by, set through the chart. */
    private static final String MONITOR_RELEASE = "kube-prometheus-stack";

    /** The operator's HTTP endpoints (metrics, liveness), over HTTP/1.1 (see {@link ServiceHttpClient}). */
    private static final HttpClient HTTP = ServiceHttpClient.create(Duration.ofSeconds(5));

    private static RealControlPlane cp;
    private static KubernetesClient admin;
    private static OperatorChart chart;
    private static Path run;
    private static final List<ServiceProcess> operators = new ArrayList<>();
    private static ServiceProcess leader;

    @BeforeAll
    static void install() throws Exception {
        cp = RealControlPlane.shared();
        admin = cp.admin();
        ExampleFleet.prepare(admin, OPERATOR_NS, NS);
        run = Path.of("target", "operator-e2e").toAbsolutePath();
        if (Files.exists(run)) {
            try (var old = Files.walk(run)) {
                old.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(run);
        // the Prometheus Operator's CRDs as released: the operator then creates the fleet's monitors
        MonitoringCrds.install(admin);
        chart = OperatorChart.render(RELEASE, OPERATOR_NS, Map.of("monitors.fleetLabels.release", MONITOR_RELEASE));
        chart.installIdentity(admin);

        ExampleFleet.withProfile(admin, NS);
        leader = startOperator("slicer-operator-0");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (ServiceProcess p : operators) {
            p.close();
        }
    }

    private static SplitInference fleet() throws IOException {
        return ExampleFleet.read(admin);
    }

    /** The operator as the chart's Deployment would run it in pod {@code pod}, with the chart's ServiceAccount. */
    private static ServiceProcess startOperator(String pod) throws IOException, InterruptedException {
        ServiceProcess p = chart.startOperator(cp, ROOT, run, pod, STEP);
        operators.add(p);
        return p;
    }

    private static String operatorUser() {
        return "system:serviceaccount:" + OPERATOR_NS + ":" + chart.serviceAccount();
    }

    /** Successful writes the operator made in the fleet's namespace (children, status, Events). */
    private static List<AuditEvent> fleetWrites() {
        return cp.audit().writes().stream()
                .filter(e -> e.user().equals(operatorUser()) && e.namespace().equals(NS) && e.succeeded())
                .toList();
    }

    /** The fleet namespace's Events, oldest first, for failure messages. */
    private static List<String> events() {
        return admin.v1().events().inNamespace(NS).list().getItems().stream()
                .map(e -> e.getMetadata().getCreationTimestamp() + " " + e.getReason() + ": " + e.getMessage())
                .sorted()
                .toList();
    }

    private static SplitInference current() {
        return admin.resources(SplitInference.class)
                .inNamespace(NS)
                .withName("minilm")
                .get();
    }

    private static final Pattern RECONCILES = Pattern.compile(
            "^slicer_operator_reconcile_duration_seconds_count\\{[^}]*name=\"minilm\"[^}]*} ([0-9.eE+]+)$",
            Pattern.MULTILINE);

    /** How many reconciles of the fleet {@code operator} finished (its own metric; 0 before the first). */
    private static long reconciles(ServiceProcess operator) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.httpPort() + "/q/metrics"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = RECONCILES.matcher(r.body());
            return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code operator} has finished {@code n} more reconciles of the fleet than {@code since}. */
    private static void awaitReconciles(ServiceProcess operator, long since, int n) {
        // when the count changed, as the polls saw it: a hand-over that stalls says for how long
        List<String> seen = new java.util.ArrayList<>();
        long[] last = {-1};
        // the threads as they are while nothing finishes: taken once, after STALL without progress
        String[] stalled = {"(no stall)"};
        Instant[] changed = {Instant.now()};
        try {
            await().atMost(STEP).pollInterval(Duration.ofMillis(500)).until(() -> {
                long now = reconciles(operator);
                if (now != last[0]) {
                    seen.add(Instant.now() + "=" + now);
                    last[0] = now;
                    changed[0] = Instant.now();
                } else if (stalled[0].equals("(no stall)")
                        && Duration.between(changed[0], Instant.now()).compareTo(STALL) > 0) {
                    stalled[0] = Instant.now() + "\n" + operatorThreads(operator);
                }
                return now >= since + n;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    operator.name() + " finished " + reconciles(operator) + " reconciles at " + java.time.Instant.now()
                            + ", expected " + (since + n) + "; counts seen: " + seen + "; lease: " + lease()
                            + "; events: " + events() + "; threads during the stall, at " + stalled[0]
                            + "\nthreads now:\n" + operatorThreads(operator) + "\nlog:\n"
                            + operator.tail(),
                    e);
        }
    }

    /** The operator's reconciler and leader-election threads (jcmd Thread.print), for failure messages. */
    private static String operatorThreads(ServiceProcess operator) {
        try {
            Process jcmd = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            Long.toString(operator.pid()),
                            "Thread.print")
                    .redirectErrorStream(true)
                    .start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            // one thread per blank-line-separated block; keep the ones that reconcile, elect or run the slicer's code
            StringBuilder kept = new StringBuilder();
            for (String block : dump.split("\n\n")) {
                if (block.contains("dev.slicer")
                        || block.contains("javaoperatorsdk")
                        || block.contains("Leader")
                        || block.contains("fabric8")
                        || block.contains("java.net.http")) {
                    kept.append(block).append("\n\n");
                }
            }
            return kept.toString();
        } catch (IOException e) {
            return "(jcmd failed: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    /** The leader-election Lease as the API server holds it, for failure messages. */
    private static String lease() {
        var l = admin.leases()
                .inNamespace(OPERATOR_NS)
                .withName("slicer-operator-lease")
                .get();
        return l == null ? "(none)" : String.valueOf(l.getSpec());
    }

    private static void assertControlledByFleet(HasMetadata child, String uid) {
        assertThat(child).as("child exists").isNotNull();
        List<OwnerReference> owners = child.getMetadata().getOwnerReferences();
        assertThat(owners)
                .as(child.getKind() + " " + child.getMetadata().getName() + " owner references")
                .singleElement()
                .satisfies(o -> {
                    assertThat(o.getUid()).isEqualTo(uid);
                    assertThat(o.getKind()).isEqualTo("SplitInference");
                    assertThat(o.getController()).as("controller owner").isTrue();
                });
    }

    private static List<Supplier<HasMetadata>> children() {
        return List.of(
                () -> admin.apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName("minilm-backend")
                        .get(),
                () -> admin.services()
                        .inNamespace(NS)
                        .withName("minilm-backend")
                        .get(),
                () -> admin.apps()
                        .daemonSets()
                        .inNamespace(NS)
                        .withName("minilm-edge")
                        .get(),
                () -> admin.configMaps().inNamespace(NS).withName("minilm-plan").get(),
                () -> monitor("ServiceMonitor", "minilm-backend"),
                () -> monitor("PodMonitor", "minilm-edge"));
    }

    /** A Prometheus Operator monitor of the fleet namespace, or null. */
    private static GenericKubernetesResource monitor(String kind, String name) {
        return admin.genericKubernetesResources("monitoring.coreos.com/v1", kind)
                .inNamespace(NS)
                .withName(name)
                .get();
    }

    @Test
    @Order(1)
    void createdFleetGetsControlledChildrenAndAStatusForItsGeneration() throws IOException {
        SplitInference created = admin.resources(SplitInference.class)
                .inNamespace(NS)
                .resource(fleet())
                .create();
        String uid = created.getMetadata().getUid();
        await().atMost(STEP).untilAsserted(() -> {
            for (Supplier<HasMetadata> child : children()) {
                assertControlledByFleet(child.get(), uid);
            }
        });
        await().atMost(STEP).untilAsserted(() -> {
            SplitInference si = current();
            assertThat(si.getStatus()).isNotNull();
            assertThat(si.getStatus().getObservedGeneration())
                    .isEqualTo(si.getMetadata().getGeneration());
            assertThat(si.getStatus().condition(SplitInferenceStatus.READY))
                    .as("Ready is reported")
                    .isPresent();
            assertThat(si.getStatus().condition(SplitInferenceStatus.PLANNED))
                    .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
        });
        // the children are applied server-side by the operator's field manager
        Deployment backend = admin.apps()
                .deployments()
                .inNamespace(NS)
                .withName("minilm-backend")
                .get();
        assertThat(backend.getMetadata().getManagedFields()).anySatisfy(f -> {
            assertThat(f.getManager()).isEqualTo("slicer-operator");
            assertThat(f.getOperation()).isEqualTo("Apply");
        });
        E2eFacts.record("ssa", "true");
        // the monitors, accepted by the real Prometheus Operator schema, carry the chart's label and select only
        // this fleet's targets in its namespace
        GenericKubernetesResource pods = monitor("PodMonitor", "minilm-edge");
        GenericKubernetesResource service = monitor("ServiceMonitor", "minilm-backend");
        for (GenericKubernetesResource m : List.of(pods, service)) {
            assertThat(m.getMetadata().getLabels()).containsEntry("release", MONITOR_RELEASE);
            assertThat(m.get("spec", "selector", "matchLabels").toString()).contains("slicer.dev/fleet=minilm");
            assertThat(m.get("spec", "namespaceSelector", "matchNames").toString())
                    .isEqualTo("[" + NS + "]");
        }
    }

    @Test
    @Order(2)
    void specChangeUpdatesTheChildren() {
        String image = "ghcr.io/slicer-dev/gpu-backend:0.1.1";
        // a new image, pod-level settings with a template override, and a disruption budget (a new child)
        patchFleet("{\"spec\":{\"backend\":{\"image\":\"" + image + "\","
                + "\"pod\":{\"imagePullSecrets\":[{\"name\":\"registry-credentials\"}],"
                + "\"affinity\":{\"podAntiAffinity\":{\"preferredDuringSchedulingIgnoredDuringExecution\":"
                + "[{\"weight\":100,\"podAffinityTerm\":{\"topologyKey\":\"kubernetes.io/hostname\"}}]}},"
                + "\"template\":{\"metadata\":{\"annotations\":{\"team\":\"ml\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"backend\","
                + "\"env\":[{\"name\":\"OMP_NUM_THREADS\",\"value\":\"2\"}]}]}}},"
                + "\"podDisruptionBudget\":{\"maxUnavailable\":1}}}}");
        await().atMost(STEP).untilAsserted(() -> {
            Deployment d = admin.apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName("minilm-backend")
                    .get();
            var pod = d.getSpec().getTemplate();
            assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo(image);
            assertThat(pod.getSpec().getImagePullSecrets())
                    .extracting(r -> r.getName())
                    .containsExactly("registry-credentials");
            assertThat(pod.getSpec().getAffinity().getPodAntiAffinity()).isNotNull();
            assertThat(pod.getMetadata().getAnnotations()).containsEntry("team", "ml");
            assertThat(pod.getSpec().getContainers().get(0).getEnv())
                    .extracting(e -> e.getName())
                    .contains("OMP_NUM_THREADS", "SLICER_BACKEND_MODEL_URI");
            assertControlledByFleet(budget(), current().getMetadata().getUid());
            assertThat(budget().getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
            assertThat(budget().getSpec().getSelector().getMatchLabels())
                    .isEqualTo(d.getSpec().getSelector().getMatchLabels());
            SplitInference si = current();
            assertThat(si.getStatus().getObservedGeneration())
                    .isEqualTo(si.getMetadata().getGeneration());
        });
    }

    private static PodDisruptionBudget budget() {
        return admin.policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(NS)
                .withName("minilm-backend")
                .get();
    }

    @Test
    @Order(3)
    void settledReconcilesWriteNothingAndKeepFieldsOtherManagersSet() {
        // kubectl rollout restart: another manager's annotation on the pod template
        String now = Instant.now().toString();
        // (a strategic merge patch without resourceVersion, as kubectl sends it: the Deployment's status moves)
        admin.apps()
                .deployments()
                .inNamespace(NS)
                .withName("minilm-backend")
                .patch(
                        PatchContext.of(PatchType.STRATEGIC_MERGE),
                        "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + RESTARTED_AT + "\":\"" + now
                                + "\"}}}}}");
        // the edit wakes the operator; let it settle, then two more reconciles must write nothing
        awaitReconciles(leader, reconciles(leader), 1);
        await().atMost(STEP).until(() -> {
            int before = fleetWrites().size();
            Thread.sleep(3000);
            return fleetWrites().size() == before;
        });
        int before = fleetWrites().size();
        awaitReconciles(leader, reconciles(leader), 2);
        List<AuditEvent> writes = fleetWrites();
        assertThat(writes.subList(before, writes.size()))
                .as(() -> "writes during two settled reconciles; events: " + events())
                .isEmpty();
        E2eFacts.record("settled_writes", "0");
        assertThat(admin.apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName("minilm-backend")
                        .get()
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations())
                .as("another manager's annotation survives")
                .containsEntry(RESTARTED_AT, now);
    }

    @Test
    @Order(4)
    void theOperatorAnswersACleartextHttp2UpgradeRequestInHttp11() throws Exception {
        // a Prometheus or a probe with a default JDK client would otherwise sometimes hang on the upgrade
        assertThat(CleartextUpgrade.statusLine(leader.httpPort(), "/q/health/live"))
                .isEqualTo("HTTP/1.1 200 OK");
    }

    @Test
    @Order(4)
    void restartedOperatorConvergesWithoutRewritingAnything() throws Exception {
        int before = fleetWrites().size();
        leader.close();
        leader = startOperator("slicer-operator-1");
        awaitReconciles(leader, 0, 2);
        List<AuditEvent> writes = fleetWrites();
        assertThat(writes.subList(before, writes.size()))
                .as(() -> "writes of a restarted operator on a settled fleet; events: " + events())
                .isEmpty();
    }

    @Test
    @Order(5)
    void aSecondReplicaWaitsAndTakesOverWhenTheLeaderDies() throws Exception {
        ServiceProcess standby = startOperator("slicer-operator-2");
        long leading = reconciles(leader);
        awaitReconciles(leader, leading, 1);
        assertThat(reconciles(standby)).as("the standby does not reconcile").isZero();
        leader.kill();
        // the standby is the only replica left, also for the later steps should this one fail
        leader = standby;
        // the Lease expires (15 s) and the standby reconciles the fleet; a spec change proves it is in charge
        awaitReconciles(standby, 0, 1);
        patchFleet("{\"spec\":{\"backend\":{\"maxReplicas\":4}}}");
        await().atMost(STEP).untilAsserted(() -> {
            SplitInference si = current();
            assertThat(si.getStatus().getObservedGeneration())
                    .isEqualTo(si.getMetadata().getGeneration());
        });
    }

    @Test
    @Order(6)
    void kubectlScaleGoesThroughTheScaleSubresourceToTheDeployment() {
        // while spec.backend.replicas is unset (load-based scaling) the API server cannot map /scale at all
        var scalable = admin.resources(SplitInference.class).inNamespace(NS).withName("minilm");
        assertThat(catchThrowableOfType(KubernetesClientException.class, () -> scalable.scale()))
                .hasMessageContaining(".spec.backend.replicas\" does not exist");
        // pinned (kubectl patch), then `kubectl scale splitinference/minilm --replicas=2`, as an autoscaler does
        patchFleet("{\"spec\":{\"backend\":{\"replicas\":1}}}");
        scalable.scale(2);
        await().atMost(STEP).untilAsserted(() -> {
            assertThat(current().getSpec().getBackend().getReplicas()).isEqualTo(2);
            var scale = admin.resources(SplitInference.class)
                    .inNamespace(NS)
                    .withName("minilm")
                    .scale();
            Deployment backend = admin.apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName("minilm-backend")
                    .get();
            assertThat(backend.getSpec().getReplicas()).isEqualTo(2);
            assertThat(scale.getSpec().getReplicas()).isEqualTo(2);
            // the scale subresource reads the replicas that exist from the status, as the Deployment counts them:
            // its pods (made by the real ReplicaSet controller) are never scheduled, so the image and restart
            // rollouts above never finish and keep a surge pod beside the 2 wanted
            assertThat(scale.getStatus().getReplicas())
                    .isEqualTo(backend.getStatus().getReplicas())
                    .isGreaterThanOrEqualTo(2);
            // and the selector an autoscaler needs
            assertThat(scale.getStatus().getSelector()).contains("app.kubernetes.io/instance=minilm");
        });
    }

    @Test
    @Order(7)
    void aChangeTheApiServerRefusesSurfacesAsAConditionAndAnEvent() {
        // the edge selector is part of the DaemonSet's selector, which the API server keeps immutable
        editEdgeSelector("slicer.dev/site", "b");
        await().atMost(STEP).untilAsserted(() -> {
            assertThat(current().getStatus().condition(SplitInferenceStatus.APPLIED))
                    .hasValueSatisfying(c -> {
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getMessage()).contains("minilm-edge").contains("immutable");
                    });
            assertThat(events())
                    .anySatisfy(e -> assertThat(e).contains("ApplyFailed").contains("immutable"));
        });
        editEdgeSelector("slicer.dev/site", null);
        await().atMost(STEP)
                .untilAsserted(() -> assertThat(current().getStatus().condition(SplitInferenceStatus.APPLIED))
                        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True")));
    }

    private static void editEdgeSelector(String key, String value) {
        patchFleet("{\"spec\":{\"edges\":{\"selector\":{\"matchLabels\":{\"" + key + "\":"
                + (value == null ? "null" : "\"" + value + "\"") + "}}}}}");
    }

    /**
     * A JSON merge patch of the fleet without resourceVersion, as {@code kubectl patch --type merge} sends it: the
     * operator writes the status meanwhile, so an edit carrying the version it read could meet a conflict.
     */
    private static void patchFleet(String mergePatch) {
        admin.resources(SplitInference.class)
                .inNamespace(NS)
                .withName("minilm")
                .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
    }

    @Test
    @Order(9)
    void everyRequestWasAllowedByTheChartsRbac() throws IOException {
        for (ServiceProcess p : operators) {
            assertThat(Files.readString(p.log())).as(p.name() + " log").doesNotContainIgnoringCase("forbidden");
        }
        assertThat(cp.audit().count(e -> e.user().equals(operatorUser()) && e.code() == 403))
                .as("writes the API server refused the operator")
                .isZero();
        E2eFacts.record("rbac", "chart");
    }

    @Test
    @Order(10)
    void deletingTheFleetGarbageCollectsItsChildren() {
        // dropping the budget from the spec deletes it (its precondition no longer holds)
        patchFleet("{\"spec\":{\"backend\":{\"podDisruptionBudget\":null}}}");
        await().atMost(STEP).untilAsserted(() -> assertThat(budget()).isNull());
        admin.resources(SplitInference.class).inNamespace(NS).withName("minilm").delete();
        await().atMost(STEP).untilAsserted(() -> {
            for (Supplier<HasMetadata> child : children()) {
                assertThat(child.get()).isNull();
            }
        });
    }

    @Test
    @Order(8)
    void aReplicaWhoseElectorDiedFailsItsLivenessProbe() throws Exception {
        // a Lease without spec.leaseDurationSeconds (a bare `kubectl create`, another tool) makes Fabric8's elector
        // throw a NullPointerException, which ends its acquire loop for good: without the probe, a replica that
        // looks healthy and never leads
        String lease = "slicer-operator-lease-unreadable";
        var leases = admin.resources(Lease.class).inNamespace(OPERATOR_NS);
        leases.resource(new LeaseBuilder()
                        .withNewMetadata()
                        .withName(lease)
                        .endMetadata()
                        .withNewSpec()
                        .withHolderIdentity("a-replica-long-gone")
                        .endSpec()
                        .build())
                .create();
        ServiceProcess stuck = chart.startOperator(
                cp,
                ROOT,
                run,
                "slicer-operator-stuck",
                STEP,
                Map.of(
                        "SLICER_OPERATOR_LEADER_ELECTION_LEASE_NAME", lease,
                        "SLICER_OPERATOR_LEADER_ELECTION_LEASE_DURATION", "4s",
                        "SLICER_OPERATOR_LEADER_ELECTION_RENEW_DEADLINE", "3s",
                        "SLICER_OPERATOR_LEADER_ELECTION_RETRY_PERIOD", "1s"));
        operators.add(stuck);
        try {
            await().atMost(STEP).untilAsserted(() -> {
                HttpResponse<String> live = liveness(stuck);
                assertThat(live.statusCode()).as(live.body()).isEqualTo(503);
                assertThat(live.body()).contains("leader-election").contains("has not changed from resourceVersion");
            });
            assertThat(reconciles(stuck)).as("it never led").isZero();
            HttpResponse<String> leading = liveness(leader);
            assertThat(leading.statusCode())
                    .as("the leader's Lease moves: %s", leading.body())
                    .isEqualTo(200);
        } finally {
            stuck.close();
            leases.withName(lease).delete();
        }
    }

    private static HttpResponse<String> liveness(ServiceProcess operator) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.httpPort() + "/q/health/live"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
