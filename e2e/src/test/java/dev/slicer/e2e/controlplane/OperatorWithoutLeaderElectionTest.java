package dev.slicer.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.status.SplitInferenceStatus;
import dev.slicer.e2e.ServiceProcess;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The chart with {@code leaderElection.enabled=false} and {@code watchNamespaces=[fleet-b]}: no Lease Role, the
 * fleet rules in a Role of the watched namespace (no ClusterRole but the CRD check's), {@code QUARKUS_PROFILE=prod}.
 * The operator starts with exactly that identity, reconciles a fleet in its namespace, never creates a Lease, and
 * no request it makes is forbidden.
 */
@Tag("operator-e2e")
@Tag("controlplane")
class OperatorWithoutLeaderElectionTest {
    private static final Path ROOT = ExampleFleet.ROOT;
    private static final String OPERATOR_NS = "slicer-solo";
    private static final String NS = "fleet-b";
    private static final Duration STEP = Duration.ofMinutes(2);

    @Test
    void startsAndReconcilesWithTheNamespacedRbacAndNoLease() throws Exception {
        RealControlPlane cp = RealControlPlane.shared();
        KubernetesClient admin = cp.admin();
        ExampleFleet.prepare(admin, OPERATOR_NS, NS);
        OperatorChart chart = OperatorChart.render(
                "solo", OPERATOR_NS, Map.of("leaderElection.enabled", "false", "watchNamespaces[0]", NS));
        assertThat(chart.ofKind("Role"))
                .as("only the watched namespace's Role, no Lease Role")
                .singleElement()
                .satisfies(r -> assertThat(r.path("metadata").path("namespace").asText())
                        .isEqualTo(NS));
        assertThat(chart.ofKind("ClusterRole"))
                .as("the only cluster-wide grant is the CRD check")
                .singleElement()
                .satisfies(r -> assertThat(resources(r)).containsExactly("customresourcedefinitions"));
        assertThat(chart.operatorEnv("solo-0")).containsEntry("QUARKUS_PROFILE", "prod");
        chart.installIdentity(admin);

        SplitInference si = ExampleFleet.withProfile(admin, NS);
        Path run =
                Files.createDirectories(Path.of("target", "operator-e2e-solo").toAbsolutePath());
        Files.deleteIfExists(run.resolve("logs").resolve("solo-0.log"));
        var fleets = admin.resources(SplitInference.class).inNamespace(NS);
        try (ServiceProcess operator = chart.startOperator(cp, ROOT, run, "solo-0", STEP)) {
            fleets.resource(si).create();
            await().atMost(STEP).untilAsserted(() -> {
                assertThat(admin.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName("minilm-backend")
                                .get())
                        .isNotNull();
                assertThat(fleets.withName("minilm").get().getStatus())
                        .isNotNull()
                        .satisfies(s -> assertThat(s.condition(SplitInferenceStatus.PLANNED))
                                .hasValueSatisfying(
                                        c -> assertThat(c.getStatus()).isEqualTo("True")));
            });
            assertThat(admin.resources(Lease.class).inAnyNamespace().list().getItems())
                    .as("no Lease anywhere: election is off")
                    .noneMatch(l -> l.getMetadata().getNamespace().equals(OPERATOR_NS));
            assertThat(Files.readString(operator.log())).doesNotContainIgnoringCase("forbidden");
        } finally {
            fleets.withName("minilm").delete();
        }
    }

    private static List<String> resources(JsonNode role) {
        return role.path("rules").findValues("resources").stream()
                .flatMap(r -> java.util.stream.StreamSupport.stream(r.spliterator(), false))
                .map(JsonNode::asText)
                .toList();
    }
}
