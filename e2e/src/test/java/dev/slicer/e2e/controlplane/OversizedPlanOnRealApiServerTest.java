package dev.slicer.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.status.SplitInferenceStatus;
import dev.slicer.e2e.ServiceProcess;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A plan too large for its ConfigMap, on the real API server: the operator (limit lowered to 256 bytes, as a fleet
 * with thousands of device classes would meet the API server's 1 MiB) publishes nothing, says why in
 * {@code Planned=False} and in a {@code PlanFailed} Warning Event on the fleet, and still runs the back-end.
 */
@Tag("operator-e2e")
@Tag("controlplane")
class OversizedPlanOnRealApiServerTest {
    private static final Path ROOT = ExampleFleet.ROOT;
    private static final String OPERATOR_NS = "slicer-big";
    private static final String NS = "fleet-c";
    private static final Duration STEP = Duration.ofMinutes(2);
    private static final String LIMIT = "over the ConfigMap limit of 256 bytes; no plan published";

    @Test
    void anOversizedPlanIsRefusedAsAConditionAndAnEventAndNothingIsPublished() throws Exception {
        RealControlPlane cp = RealControlPlane.shared();
        KubernetesClient admin = cp.admin();
        ExampleFleet.prepare(admin, OPERATOR_NS, NS);
        OperatorChart chart = OperatorChart.render(
                "big", OPERATOR_NS, Map.of("leaderElection.enabled", "false", "watchNamespaces[0]", NS));
        chart.installIdentity(admin);
        SplitInference si = ExampleFleet.withProfile(admin, NS);
        Path run = Files.createDirectories(Path.of("target", "operator-e2e-big").toAbsolutePath());
        Files.deleteIfExists(run.resolve("logs").resolve("big-0.log"));
        var fleets = admin.resources(SplitInference.class).inNamespace(NS);
        try (ServiceProcess operator =
                chart.startOperator(cp, ROOT, run, "big-0", STEP, Map.of("SLICER_OPERATOR_MAX_PLAN_BYTES", "256"))) {
            fleets.resource(si).create();
            await().atMost(STEP).untilAsserted(() -> {
                assertThat(fleets.withName("minilm").get().getStatus())
                        .isNotNull()
                        .satisfies(s -> assertThat(s.condition(SplitInferenceStatus.PLANNED))
                                .hasValueSatisfying(c -> {
                                    assertThat(c.getStatus()).isEqualTo("False");
                                    assertThat(c.getReason()).isEqualTo("NoPlan");
                                    assertThat(c.getMessage()).contains(LIMIT);
                                }));
                assertThat(planFailedEvents(admin))
                        .as("a Warning Event on the fleet")
                        .anySatisfy(e -> {
                            assertThat(e.getType()).isEqualTo("Warning");
                            assertThat(e.getInvolvedObject().getName()).isEqualTo("minilm");
                            assertThat(e.getInvolvedObject().getKind()).isEqualTo("SplitInference");
                            assertThat(e.getMessage()).contains(LIMIT);
                        });
            });
            assertThat(admin.configMaps()
                            .inNamespace(NS)
                            .withName("minilm-plan")
                            .get())
                    .as("nothing published")
                    .isNull();
            assertThat(admin.apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName("minilm-backend")
                            .get())
                    .as("the back-end still runs (it serves unsplit until a plan appears)")
                    .isNotNull();
            assertThat(Files.readString(operator.log())).doesNotContainIgnoringCase("forbidden");
        } finally {
            fleets.withName("minilm").delete();
        }
    }

    private static List<Event> planFailedEvents(KubernetesClient admin) {
        return admin.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "PlanFailed".equals(e.getReason()))
                .toList();
    }
}
