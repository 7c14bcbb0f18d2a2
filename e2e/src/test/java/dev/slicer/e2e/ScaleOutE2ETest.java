package dev.slicer.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slicer.model.builtin.BuiltinModels;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.model.text.SampleSentences;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.search.Theta;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A scale-out reaches the edges that were already connected: two back-end processes behind a Service (the kube-proxy
 * stand-in, {@link ServiceProxy}), an edge that connected while only the first was up. gRPC balances connections, not
 * calls, so the edge's calls reach the second replica only because the back-end retires connections
 * ({@code slicer.backend.connections.max-age}) and the edge reconnects through the Service; no call is lost on the
 * way (the local fallback is off, so every answer came from a back-end).
 */
class ScaleOutE2ETest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path WORK = Path.of("target", "scale-out-e2e").toAbsolutePath();
    static final String MODEL = BuiltinModels.MINILM;
    static final String REQUESTS = "slicer_backend_queue_delay_seconds_count";

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    @Test
    void anEdgeConnectedBeforeAScaleOutReachesTheNewReplicaWithoutLosingACall() throws Exception {
        Files.createDirectories(WORK);
        SplittableModel m = SplittableModel.load(MODEL);
        Path planFile = WORK.resolve("plan.json");
        Files.writeString(
                planFile,
                PlanJson.write(Plans.fixed(m, Map.of("unset", 3), Theta.lossless()), true),
                StandardCharsets.UTF_8);
        Path logs = WORK.resolve("logs");
        ServiceProxy service = ServiceProxy.start(Ports.free());
        started.add(service);
        int grpc0 = Ports.free();
        ServiceProcess first = backend("backend-0", grpc0, planFile, logs);
        service.endpoints(List.of(grpc0));

        Map<String, String> edgeProps = new LinkedHashMap<>();
        edgeProps.put("slicer.edge.model-uri", MODEL);
        edgeProps.put("slicer.edge.backend-address", "127.0.0.1:" + service.port());
        edgeProps.put("slicer.edge.device-class", "unset");
        edgeProps.put("slicer.edge.edge-id", "edge-0");
        edgeProps.put("slicer.edge.fallback", "fail");
        ServiceProcess edge = ServiceProcess.start(ROOT, "edge-runtime", "edge-0", Ports.free(), edgeProps, logs);
        started.add(edge);
        edge.awaitReady(Fleet.START_TIMEOUT);
        OipClient client = new OipClient(edge.httpPort());
        List<String> texts = SampleSentences.load().subList(0, 16);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> client.infer("minilm", List.of(texts.get(0))).ok());

        int grpc1 = Ports.free();
        ServiceProcess second = backend("backend-1", grpc1, planFile, logs);
        service.endpoints(List.of(grpc0, grpc1));
        int[] sent = {0};
        List<Integer> failed = new ArrayList<>();
        // calls keep coming as an edge's clients send them; the edge's next connection goes to the second replica
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    OipClient.Reply r = client.infer("minilm", List.of(texts.get(sent[0]++ % texts.size())));
                    if (!r.ok()) {
                        failed.add(r.status());
                    }
                    return Scrape.of(second).value(REQUESTS) > 0;
                });

        assertThat(failed)
                .as("calls answered with an error while connections moved")
                .isEmpty();
        assertThat(service.connectionsTo(grpc1)).isPositive();
        assertThat(Scrape.of(first).value(REQUESTS)).isPositive();
    }

    private ServiceProcess backend(String name, int grpcPort, Path planFile, Path logs) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("slicer.backend.model-uri", MODEL);
        p.put("slicer.backend.plan-file", planFile.toString());
        p.put("quarkus.grpc.server.host", "127.0.0.1");
        p.put("quarkus.grpc.server.port", Integer.toString(grpcPort));
        // seconds instead of the default minutes, so the test sees a few connection generations
        p.put("slicer.backend.connections.max-age", "2s");
        p.put("slicer.backend.connections.max-age-grace", "5s");
        ServiceProcess b = ServiceProcess.start(ROOT, "gpu-backend", name, Ports.free(), p, logs);
        started.add(b);
        return b.awaitReady(Fleet.START_TIMEOUT);
    }
}
