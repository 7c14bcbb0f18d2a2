package dev.slicer.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo without Prometheus ({@code --no-prometheus}), on the real control plane: the operator scrapes the back-end
 * replicas it finds in the back-end Service's EndpointSlices (the kubelet stand-in publishes them), so it reports
 * metrics as available and plans from what the edges measured, instead of keeping its first plan.
 */
class DirectMetricsE2ETest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path OUT = Path.of("target", "demo-direct-e2e").toAbsolutePath();
    static final Duration STEP = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();
    static Demo demo;

    @BeforeAll
    static void start() throws Exception {
        demo = Demo.start(new Demo.Options(ROOT, OUT, 2, "builtin:minilm", false, false, System.out, "real", 0));
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void withoutPrometheusTheOperatorScrapesTheBackEndAndPlansFromWhatTheEdgesMeasured() throws Exception {
        assertThat(demo.prometheus()).isEmpty();
        var kube = demo.api().client();
        List<EndpointSlice> slices = kube.discovery()
                .v1()
                .endpointSlices()
                .inNamespace(Demo.NAMESPACE)
                .withLabel("kubernetes.io/service-name", demo.fleet() + "-backend")
                .list()
                .getItems();
        // the real endpoint-slice controller keeps an empty slice of its own (the Service's pods are not Pods here)
        assertThat(slices)
                .filteredOn(s -> "slicer-demo-kubelet"
                        .equals(s.getMetadata().getLabels().get("endpointslice.kubernetes.io/managed-by")))
                .as("the kubelet stand-in lists the replica, and the real API server accepted it")
                .hasSize(1);

        await().atMost(STEP).untilAsserted(() -> assertThat(demo.condition("MetricsAvailable"))
                .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True")));
        // a re-plan records the inputs it was made for: the goodput of every device class, which only a scrape of
        // the back-end (re-exporting its edges' reports) can have given
        List<String> classes = demo.stats().values().stream()
                .map(s -> s.device().deviceClass())
                .distinct()
                .toList();
        String[] scrapedPlan = new String[1];
        await().atMost(STEP).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            ConfigMap plan = kube.configMaps()
                    .inNamespace(Demo.NAMESPACE)
                    .withName(demo.fleet() + "-plan")
                    .get();
            assertThat(plan).isNotNull();
            JsonNode inputs = JSON.readTree(plan.getData().get("inputs.json"));
            for (String cls : classes) {
                assertThat(inputs.at("/goodputBytesPerSecond/" + cls).asDouble())
                        .as("goodput of %s in %s", cls, inputs)
                        .isPositive();
            }
            assertThat(inputs.at("/requestRate").asDouble())
                    .as("request rate in %s", inputs)
                    .isPositive();
            scrapedPlan[0] = plan.getData().get("plan.hash");
        });
        // and that plan reached the back-end's volume (the kubelet stand-in syncs it within a second or so)
        await().atMost(STEP).untilAsserted(() -> assertThat(demo.plans().entries())
                .as("the plan made from the scraped inputs was served")
                .extracting(PlanHistory.Entry::hash)
                .contains(scrapedPlan[0]));
        assertThat(demo.stats().values().stream().mapToLong(EdgeStats::failed).sum())
                .isZero();
    }
}
