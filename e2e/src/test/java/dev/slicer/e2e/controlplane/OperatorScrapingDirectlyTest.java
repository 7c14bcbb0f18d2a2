package dev.slicer.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.status.SplitInferenceStatus;
import dev.slicer.e2e.ServiceProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The chart with {@code metricsSource=direct} on the real API server: the operator, with exactly the chart's
 * identity, lists the back-end Service's EndpointSlices (no kubelet runs the back-end here, so it finds no replica
 * and says so in {@code MetricsAvailable}); without the chart's grant the same call is forbidden and the message
 * says that instead.
 */
@Tag("operator-e2e")
@Tag("controlplane")
class OperatorScrapingDirectlyTest {
    private static final Path ROOT = ExampleFleet.ROOT;
    private static final String OPERATOR_NS = "slicer-direct";
    private static final String NS = "fleet-d";
    private static final Duration STEP = Duration.ofMinutes(2);

    @Test
    void theChartsGrantLetsTheOperatorFindTheReplicasToScrape() throws Exception {
        RealControlPlane cp = RealControlPlane.shared();
        KubernetesClient admin = cp.admin();
        ExampleFleet.prepare(admin, OPERATOR_NS, NS);
        OperatorChart chart = OperatorChart.render(
                "direct",
                OPERATOR_NS,
                Map.of("leaderElection.enabled", "false", "watchNamespaces[0]", NS, "metricsSource", "direct"));
        assertThat(chart.operatorEnv("direct-0")).containsEntry("SLICER_OPERATOR_METRICS_SOURCE", "direct");
        chart.installIdentity(admin);

        SplitInference si = ExampleFleet.withProfile(admin, NS);
        Path run =
                Files.createDirectories(Path.of("target", "operator-e2e-direct").toAbsolutePath());
        Files.deleteIfExists(run.resolve("logs").resolve("direct-0.log"));
        var fleets = admin.resources(SplitInference.class).inNamespace(NS);
        try (ServiceProcess operator = chart.startOperator(cp, ROOT, run, "direct-0", STEP)) {
            fleets.resource(si).create();
            await().atMost(STEP).untilAsserted(() -> assertThat(
                            fleets.withName("minilm").get().getStatus())
                    .isNotNull()
                    .satisfies(s -> assertThat(s.condition(SplitInferenceStatus.METRICS_AVAILABLE))
                            .hasValueSatisfying(c -> {
                                assertThat(c.getStatus()).isEqualTo("False");
                                assertThat(c.getMessage())
                                        .as("the list was allowed and found no ready replica")
                                        .contains("no ready back-end replica to scrape")
                                        .contains(NS + "/minilm-backend");
                            })));
            assertThat(Files.readString(operator.log())).doesNotContainIgnoringCase("forbidden");
        } finally {
            fleets.withName("minilm").delete();
        }
    }
}
