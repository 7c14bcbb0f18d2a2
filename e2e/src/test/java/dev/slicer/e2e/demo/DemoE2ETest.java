package dev.slicer.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slicer.e2e.ServiceProcess;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.split.RowKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The demo's scenario, shortened, on the whole local fleet (the real control plane, operator, back-end, two edges, Prometheus,
 * traffic, and the decoder fleet of {@code --ar} with one edge answering OpenAI completions): the plan converges, a degraded link moves its edge to a cheaper row and back, the operator restarts
 * without rewriting what is unchanged, a Prometheus outage keeps the plan and reports MetricsAvailable=False, and at
 * the end no request was lost and the report renders in headless Chromium. One fleet for all steps (ordered).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoE2ETest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path OUT = Path.of("target", "demo-e2e").toAbsolutePath();
    static final Duration STEP = Duration.ofSeconds(90);
    static Demo demo;
    static Demo.Result result;

    @BeforeAll
    static void start() throws Exception {
        demo = Demo.start(new Demo.Options(ROOT, OUT, 2, "builtin:minilm", true, false, System.out, "real", 1));
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo != null) {
            demo.close();
        }
    }

    static String degraded() {
        return Scenario.degradedDevice(demo);
    }

    static Optional<PlanRow> row(String device) {
        return demo.rowOf(demo.stats().get(device));
    }

    @Test
    @Order(1)
    void thePlanConvergesAndEveryEdgeServesFromIt() {
        await().atMost(STEP).untilAsserted(() -> {
            var plan = demo.plans().current();
            assertThat(plan).as("a plan reached the back-end's volume").isPresent();
            for (EdgeStats s : demo.stats().values()) {
                EdgeStats.Reply last = s.last();
                assertThat(last).as(s.device().name() + " answered").isNotNull();
                assertThat(last.plan())
                        .as("edges apply the published plan")
                        .isEqualTo(plan.get().hash());
                assertThat(row(s.device().name())).as("its row is in the plan").isPresent();
            }
        });
        assertThat(demo.condition("Planned"))
                .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
        assertThat(demo.kubelet().replicas()[1])
                .as("the back-end replica is ready")
                .isEqualTo(1);
        // the decoder fleet beside it, planned by the same operator, answers OpenAI completions
        DecoderFleet decoder = demo.decoder().orElseThrow();
        await().atMost(STEP).untilAsserted(() -> {
            assertThat(decoder.plans().current())
                    .as("a decoder plan reached its back-end")
                    .isPresent();
            for (DecoderStats s : decoder.stats().values()) {
                assertThat(s.ok())
                        .as(s.device().name() + " answered completions")
                        .isPositive();
            }
        });
    }

    /**
     * The Grafana dashboard the chart ships, against the real Prometheus scraping the fleet: its variables find the
     * demo's namespace and fleet from the back-end's series alone, and every panel query of a feature the demo runs
     * (all but the AR panels) parses and returns data. A renamed metric or label breaks this test.
     */
    @Test
    @Order(2)
    void everyDashboardQueryReturnsDataFromTheRealPrometheus() throws Exception {
        assumeTrue(demo.prometheus().isPresent(), "Prometheus is not installed");
        Prometheus prometheus = demo.prometheus().orElseThrow();
        JsonNode dashboard = new ObjectMapper()
                .readTree(ROOT.resolve("helm/slicer-operator/dashboards/slicer-fleet.json")
                        .toFile());
        String fleet = demo.fleet();
        // label_values(metric, label) as Grafana evaluates it: the label's values on the metric's series
        Map<String, String> variables = Map.of("namespace", Demo.NAMESPACE, "fleet", fleet);
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (!variables.containsKey(v.path("name").asText())) {
                continue;
            }
            Matcher m = LABEL_VALUES.matcher(v.path("query").path("query").asText());
            assertThat(m.matches())
                    .as("variable %s is a label_values query", v.path("name"))
                    .isTrue();
            String metric = m.group(1).replace("$namespace", Demo.NAMESPACE);
            String label = m.group(2);
            await().atMost(STEP).untilAsserted(() -> assertThat(labelValues(prometheus.query(metric), label))
                    .as("values of variable %s", v.path("name").asText())
                    .contains(variables.get(v.path("name").asText())));
        }
        List<String> panels = new ArrayList<>();
        String decoder = demo.decoder().orElseThrow().name();
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            // the AR panels show the decoder fleet, the others the MiniLM fleet
            String shown = title.startsWith("AR ") ? decoder : fleet;
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr")
                        .asText()
                        .replace("$namespace", Demo.NAMESPACE)
                        .replace("$fleet", shown)
                        // Grafana's $__rate_interval: at least four scrape intervals
                        .replace("$__rate_interval", "30s");
                await().atMost(STEP).untilAsserted(() -> assertThat(prometheus.query(expr))
                        .as("panel '%s': %s", title, expr)
                        .isNotEmpty());
                panels.add(title);
            }
        }
        System.out.printf("dashboard: queries=%d with_data=%d%n", panels.size(), panels.size());
    }

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");

    private static List<String> labelValues(JsonNode series, String label) {
        List<String> out = new ArrayList<>();
        series.forEach(s -> out.add(s.path("metric").path(label).asText()));
        return out;
    }

    @Test
    @Order(3)
    void aDegradedLinkMovesItsEdgeToACheaperRowAndBackAfterRestoration() throws Exception {
        String device = degraded();
        // until the edge has measured its link: its first request goes out on the cheapest row, to measure it
        await().atMost(STEP)
                .until(() -> demo.linkMeasured(device)
                        && row(device).filter(r -> r.kind() == RowKind.SPLIT).isPresent());
        demo.degradeLink(device, Scenario.DEGRADED_RATE);
        try {
            assertAdaptsAndRecovers(device);
        } finally {
            // a failure here must not leave the link degraded for the tests after it
            demo.restoreLink(device);
        }
    }

    private void assertAdaptsAndRecovers(String device) throws Exception {
        Demo.Adapted a = await().atMost(STEP)
                .until(() -> demo.adaptations().stream().findFirst(), Optional::isPresent)
                .orElseThrow();
        PlanRow before = a.from();
        PlanRow after = a.to();
        System.out.printf(
                "adaptation: %s from %s %s (%d B) to %s %s (%d B) in %.2f s (scrape interval %d s)%n",
                device,
                before.splitName(),
                PlanHistory.knobs(before),
                before.predictedBytes(),
                after.splitName(),
                PlanHistory.knobs(after),
                after.predictedBytes(),
                a.seconds(),
                Prometheus.SCRAPE_INTERVAL.toSeconds());
        assertThat(before.kind()).as("the edge split before its link degraded").isEqualTo(RowKind.SPLIT);
        assertThat(after.predictedBytes()).isLessThan(before.predictedBytes());
        assertThat(after.split())
                .as("a shallower split or the same split harder compressed")
                .isLessThanOrEqualTo(before.split());

        demo.restoreLink(device);
        await().atMost(STEP)
                .until(() -> row(device).filter(r -> r.predictedBytes() > after.predictedBytes()), Optional::isPresent);
    }

    @Test
    @Order(4)
    void aRestartedOperatorTakesOverWithoutRewritingUnchangedObjects() throws Exception {
        KubernetesClient kube = demo.api().client();
        Map<String, String> before = versions(kube);
        String planHash = publishedHash(kube);
        long answered = answered();
        demo.stopOperator();
        // the fleet keeps serving with the last plan while no operator runs
        await().atMost(STEP).until(() -> answered() > answered + 4);
        demo.startOperatorAgain();
        await().atMost(STEP).until(() -> demo.operatorMetric("slicer_operator_reconcile_duration_seconds_count") >= 1);
        Map<String, String> after = versions(kube);
        assertThat(after.get("service")).isEqualTo(before.get("service"));
        assertThat(after.get("daemonset")).isEqualTo(before.get("daemonset"));
        assertThat(after.get("deployment")).isEqualTo(before.get("deployment"));
        // the ConfigMap itself, not the back-end's copy (which follows it within a second)
        if (planHash.equals(publishedHash(kube))) {
            assertThat(after.get("plan"))
                    .as("an unchanged plan is not written again")
                    .isEqualTo(before.get("plan"));
        }
        assertThat(failed()).isZero();
    }

    @Test
    @Order(5)
    void aPrometheusOutageKeepsThePlanAndServingAndReplanningResumesAfter() throws Exception {
        assumeTrue(demo.prometheus().isPresent(), "Prometheus is not installed");
        KubernetesClient kube = demo.api().client();
        demo.stopPrometheus();
        // every fleet's: the plan-duration count is the operator's, over both fleets
        for (String fleet : List.of(demo.fleet(), demo.decoder().orElseThrow().name())) {
            await().atMost(STEP).until(() -> demo.condition(fleet, "MetricsAvailable")
                    .map(c -> c.getStatus().equals("False"))
                    .orElse(false));
        }
        // from the moment the operator reports the outage (a reconcile that read metrics just before may still land)
        String hash = publishedHash(kube);
        double plannedDuringOutage = demo.operatorMetric("slicer_operator_plan_duration_seconds_count");
        long answered = answered();
        await().atMost(STEP).until(() -> answered() > answered + 4);
        assertThat(publishedHash(kube)).as("the plan is kept").isEqualTo(hash);
        assertThat(demo.operatorMetric("slicer_operator_plan_duration_seconds_count"))
                .as("no planning without metrics")
                .isEqualTo(plannedDuringOutage);

        demo.startPrometheus();
        await().atMost(STEP).until(() -> demo.condition("MetricsAvailable")
                .map(c -> c.getStatus().equals("True"))
                .orElse(false));
        await().atMost(STEP)
                .until(() -> demo.operatorMetric("slicer_operator_plan_duration_seconds_count") > plannedDuringOutage);
        assertThat(failed()).isZero();
    }

    @Test
    @Order(6)
    void aScaledBackEndRunsEveryReplicaBehindTheServiceAndACrashedOneIsRestartedWithoutLosingARequest()
            throws Exception {
        long failedBefore = failed();
        demo.pinReplicas(2);
        // the operator scales the Deployment; the kubelet stand-in starts the second pod, routes the Service to it
        // once ready and reports both in the Deployment's status
        await().atMost(STEP)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(demo.kubelet().replicas()).containsExactly(2, 2));
        assertThat(demo.kubelet().backends()).hasSize(2).allMatch(ServiceProcess::alive);
        assertThat(demo.timeline().events())
                .as("the scaling is marked on the timeline")
                .extracting(e -> e.label())
                .contains("back-end 1 -> 2 replicas");
        long answered = answered();
        await().atMost(STEP).until(() -> answered() > answered + 10);

        // a replica that crashes (SIGKILL, calls in flight on it) is restarted as a kubelet restarts a container;
        // meanwhile the Service routes around it and the edges retry on a new connection
        ServiceProcess crashed = demo.kubelet().backends().get(1);
        crashed.kill();
        await().atMost(STEP).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(demo.kubelet().backends())
                    .hasSize(2)
                    .doesNotContain(crashed)
                    .allMatch(ServiceProcess::alive);
            assertThat(demo.kubelet().replicas()).containsExactly(2, 2);
        });
        long afterRestart = answered();
        await().atMost(STEP).until(() -> answered() > afterRestart + 10);
        demo.pinReplicas(null);
        assertThat(failed()).as("failures by status: %s", failures()).isEqualTo(failedBefore);
    }

    @Test
    @Order(7)
    void noRequestIsLostAndBytesAndFidelityMeetThePlan() throws Exception {
        demo.setLoad(3);
        long answered = answered();
        await().atMost(STEP).until(() -> answered() > answered + 10);
        result = demo.finish();
        System.out.println(result.summary());
        long counted = demo.stats().values().stream()
                .mapToLong(s -> s.ok() + s.failed())
                .sum();
        assertThat(result.requests()).isEqualTo(counted).isPositive();
        assertThat(result.failed()).as("failures by status: %s", failures()).isZero();
        assertThat(result.ifCompression())
                .as("the codec shrinks split requests' features")
                .isGreaterThan(2);
        assertThat(result.fidelity())
                .as("mean output cosine against the unsplit model")
                .isGreaterThanOrEqualTo(0.98);
        assertThat(result.png()).isRegularFile();
        assertThat(result.html()).isRegularFile();

        DecoderFleet.Result ar = result.decoder();
        System.out.println(ar.summary());
        assertThat(ar.completions()).isPositive();
        assertThat(ar.failed())
                .as(
                        "completion failures by status: %s",
                        demo.decoder().orElseThrow().stats().values().stream()
                                .map(s -> s.device().name() + " " + s.failures() + " " + s.lastErrors())
                                .toList())
                .isZero();
        assertThat(ar.offloaded())
                .as(
                        "the decoder edge measures its link on its own hand-offs and token steps and offloads as its plan"
                                + " says (small steps once read the 800 kbit/s link as 8.5 kbit/s: no row fit, every answer 503)")
                .isPositive();
        assertThat(ar.sameText())
                .as("every completion at temperature 0 is the unsplit model's greedy text (the plan's agreement floor)")
                .isEqualTo(1.0);
    }

    @Test
    @Order(8)
    void theReportRendersItsChartsInHeadlessChromium() throws Exception {
        assumeTrue(result != null, "the scenario did not finish");
        Optional<Path> chromium = Chromium.find(ROOT);
        assumeTrue(chromium.isPresent(), "chromium is not installed");
        String dom = Chromium.dumpDom(chromium.get(), result.html());
        assertThat(dom).contains("data-charts=\"2\"").contains("data-charts-rendered=\"2\"");
        Path shot = Chromium.screenshot(chromium.get(), result.html(), OUT.resolve("report-screenshot.png"));
        assertThat(Files.size(shot)).isGreaterThan(10_000);
        System.out.println("report screenshot: " + shot);
    }

    static long answered() {
        return demo.stats().values().stream().mapToLong(EdgeStats::ok).sum();
    }

    static long failed() {
        return demo.stats().values().stream().mapToLong(EdgeStats::failed).sum();
    }

    static String failures() {
        Map<String, Object> m = new LinkedHashMap<>();
        demo.stats().forEach((k, v) -> m.put(k, v.failures() + " " + v.lastErrors()));
        return m.toString();
    }

    static Map<String, String> versions(KubernetesClient kube) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(
                "service",
                rv(kube.services()
                        .inNamespace(Demo.NAMESPACE)
                        .withName("minilm-backend")
                        .get()));
        v.put(
                "daemonset",
                rv(kube.apps()
                        .daemonSets()
                        .inNamespace(Demo.NAMESPACE)
                        .withName("minilm-edge")
                        .get()));
        v.put(
                "deployment",
                rv(kube.apps()
                        .deployments()
                        .inNamespace(Demo.NAMESPACE)
                        .withName("minilm-backend")
                        .get()));
        v.put(
                "plan",
                rv(kube.configMaps()
                        .inNamespace(Demo.NAMESPACE)
                        .withName("minilm-plan")
                        .get()));
        return v;
    }

    static String publishedHash(KubernetesClient kube) {
        return kube.configMaps()
                .inNamespace(Demo.NAMESPACE)
                .withName("minilm-plan")
                .get()
                .getData()
                .get("plan.hash");
    }

    static String rv(HasMetadata o) {
        return o == null ? null : o.getMetadata().getResourceVersion();
    }
}
