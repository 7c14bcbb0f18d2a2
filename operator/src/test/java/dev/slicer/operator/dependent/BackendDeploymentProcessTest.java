package dev.slicer.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.operator.Fixtures;
import dev.slicer.operator.metrics.DirectScrapeSource;
import dev.slicer.operator.metrics.FleetMetrics;
import dev.slicer.operator.reconcile.PublishedPlan;
import dev.slicer.protocol.WireTensors;
import dev.slicer.protocol.v1.BackendGrpc;
import dev.slicer.protocol.v1.EdgeReport;
import dev.slicer.protocol.v1.InferReply;
import dev.slicer.protocol.v1.InferRequest;
import dev.slicer.protocol.v1.PlanUpdate;
import dev.slicer.protocol.v1.Split;
import dev.slicer.protocol.v1.Tensor;
import dev.slicer.protocol.v1.WatchPlanRequest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract between the operator and the back-end, proven instead of asserted: renders the desired back-end
 * Deployment and plan ConfigMap, lays the ConfigMap out as the kubelet mounts it (under a temporary root instead of
 * /), and starts the packaged gpu-backend (gpu-backend/target/quarkus-app, the image's content) with exactly the
 * container's environment (ports moved to free loopback ones). It must become ready, serve a request, export what
 * the operator reads when it scrapes the replica itself, and stream the rendered plan.
 */
@EnableKubernetesMockClient(crud = true)
class BackendDeploymentProcessTest {
    @TempDir
    Path root;

    KubernetesClient client;

    @Test
    void theRenderedDeploymentStartsTheRealBackendWhichServesAndStreamsThePlan() throws Exception {
        SplitInference si = Fixtures.splitInference("fleet", "http://127.0.0.1:9");
        si.getSpec().getModel().setUri("builtin:minilm");
        PublishedPlan plan =
                new PublishedPlan("{\"format\":1,\"model\":\"builtin:minilm\"}", "hash-from-operator", "{}");
        ConfigMap planMap = PlanConfigMapDependent.desired(si, plan);
        PodSpec pod = BackendDeploymentDependent.desired(si, 1)
                .getSpec()
                .getTemplate()
                .getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(c.getCommand()).as("the image's entrypoint runs").isNullOrEmpty();
        assertThat(c.getArgs()).isNullOrEmpty();

        // mounted files: every ConfigMap volume the container mounts, in the kubelet's layout
        for (VolumeMount m : c.getVolumeMounts()) {
            Volume v = pod.getVolumes().stream()
                    .filter(x -> x.getName().equals(m.getName()))
                    .findFirst()
                    .orElseThrow();
            Path dir = under(m.getMountPath());
            if (v.getConfigMap() == null) {
                Files.createDirectories(dir); // emptyDir and the like: an empty writable directory
                continue;
            }
            assertThat(v.getConfigMap().getName())
                    .isEqualTo(planMap.getMetadata().getName());
            Path data = dir.resolve("..2026_12_02_00_00_00.1");
            Files.createDirectories(data);
            Files.createSymbolicLink(dir.resolve("..data"), data.getFileName());
            for (Map.Entry<String, String> e : planMap.getData().entrySet()) {
                Files.writeString(data.resolve(e.getKey()), e.getValue());
                Files.createSymbolicLink(dir.resolve(e.getKey()), Path.of("..data", e.getKey()));
            }
        }

        int http = freePort();
        int grpc = freePort();
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "-jar",
                System.getProperty("backend.jar"));
        Map<String, String> env = pb.environment();
        List<String> given = new ArrayList<>();
        for (EnvVar e : c.getEnv()) {
            assertThat(e.getValueFrom())
                    .as("env %s is a plain value", e.getName())
                    .isNull();
            String value = e.getValue();
            for (VolumeMount m : c.getVolumeMounts()) {
                if (value.startsWith(m.getMountPath() + "/")) {
                    value = under(m.getMountPath())
                            + value.substring(m.getMountPath().length());
                }
            }
            env.put(e.getName(), value);
            given.add(e.getName());
        }
        assertThat(given).contains("SLICER_BACKEND_MODEL_URI", "SLICER_BACKEND_PLAN_FILE");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(http));
        env.put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(grpc));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_GRPC_SERVER_HOST", "127.0.0.1");
        Path log = root.resolve("backend.log");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpc)
                .usePlaintext()
                .build();
        try {
            String readyPath = c.getReadinessProbe().getHttpGet().getPath();
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(() -> status(http, readyPath) == 200);
            assertThat(status(http, c.getLivenessProbe().getHttpGet().getPath()))
                    .isEqualTo(200);

            var stub = BackendGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
            InferRequest.Builder req = InferRequest.newBuilder()
                    .setRequestId("cloud-only")
                    .setModelId("builtin:minilm")
                    .setSplit(Split.newBuilder().setIndex(-1));
            long[] shape = {1, 4};
            req.addTensors(raw("input_ids", new long[] {101, 7592, 2088, 102}, shape));
            req.addTensors(raw("attention_mask", new long[] {1, 1, 1, 1}, shape));
            req.addTensors(raw("token_type_ids", new long[] {0, 0, 0, 0}, shape));
            InferReply reply = stub.infer(req.build());
            assertThat(reply.getOutputsList()).isNotEmpty();
            assertThat(reply.getOutputs(0).getRaw().getShapeList()).containsExactly(1L, 4L, 384L);

            // without Prometheus the operator scrapes the replica itself: the real back-end's series give its inputs
            client.resource(Fixtures.endpointSlice("fleet-backend-0", Names.backend(si), "IPv4", http, true))
                    .create();
            DirectScrapeSource direct = new DirectScrapeSource(
                    client, Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5));
            direct.read(si);
            EdgeReport report = EdgeReport.newBuilder()
                    .setEdgeId("e")
                    .setDeviceClass("phone")
                    .setLinkGoodputBytesPerSecond(123_456)
                    .setFrontSeconds(0.01)
                    .build();
            stub.infer(req.setRequestId("reported-1").setReport(report).build());
            stub.infer(req.setRequestId("reported-2").setReport(report).build());
            FleetMetrics scraped = direct.read(si);
            assertThat(scraped.goodputBytesPerSecond()).containsEntry("phone", 123_456.0);
            assertThat(scraped.stageSeconds().get("phone").get("front")).isCloseTo(0.01, within(1e-6));
            assertThat(scraped.requestRate())
                    .as("two requests since the first read")
                    .isPositive();
            assertThat(scraped.computeLoad()).isPositive();
            assertThat(scraped.queueDelaySeconds()).isNotNull();

            PlanUpdate update = BackendGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(60, TimeUnit.SECONDS)
                    .watchPlan(WatchPlanRequest.newBuilder().setEdgeId("e").build())
                    .next();
            assertThat(update.getSha256()).isEqualTo(plan.hash());
            assertThat(update.getPlanJson()).isEqualTo(plan.json());
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private Path under(String mountPath) {
        return root.resolve(mountPath.substring(1));
    }

    private static Tensor raw(String name, long[] values, long[] shape) {
        return Tensor.newBuilder()
                .setName(name)
                .setRaw(WireTensors.encode(WireTensors.INT64, shape, values))
                .build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int status(int port, String path) throws Exception {
        // HTTP/1.1: the JDK client's h2c upgrade sometimes never completes against Vert.x (e2e ServiceHttpClient)
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
