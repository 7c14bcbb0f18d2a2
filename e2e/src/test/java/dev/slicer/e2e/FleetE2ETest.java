package dev.slicer.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slicer.model.builtin.BuiltinModels;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.model.text.SampleSentences;
import dev.slicer.planner.cli.PlanCli;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.search.Theta;
import dev.slicer.protocol.v1.BackendGrpc;
import dev.slicer.protocol.v1.InferRequest;
import dev.slicer.protocol.v1.RawTensor;
import dev.slicer.protocol.v1.Split;
import dev.slicer.protocol.v1.Tensor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One back-end and four edges as processes on loopback with the real MiniLM, driven through the edges' OIP API. The
 * plan reaches the edges the production way: a plan file the back-end watches and streams over WatchPlan.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetE2ETest {
    static final String MODEL = BuiltinModels.MINILM;
    static final int EDGES = 4;
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path WORK = Path.of("target", "e2e").toAbsolutePath();

    static SplittableModel model;
    static UnsplitReference reference;
    static Fleet fleet;
    static Path planFile;
    static List<String> sentences;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(WORK);
        model = SplittableModel.load(MODEL);
        reference = new UnsplitReference(model, MODEL);
        sentences = SampleSentences.load().subList(0, 24);
        planFile = WORK.resolve("plan.json");
        Files.deleteIfExists(planFile);
        fleet = Fleet.start(
                ROOT,
                MODEL,
                EDGES,
                "unset",
                planFile,
                WORK.resolve("logs"),
                Map.of(),
                Map.of("slicer.edge.plan-reconnect-max", "1s"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    /** Edge i is of device class "class-i" (set by restarting nothing: the device class comes from the plan key). */
    static String deviceClass(int edge) {
        return "unset";
    }

    static void publish(Plan plan) throws Exception {
        Path tmp = WORK.resolve("plan.json.tmp");
        Files.writeString(tmp, PlanJson.write(plan, true), StandardCharsets.UTF_8);
        Files.move(tmp, planFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static double maxAbsDiff(float[] x, float[] y) {
        assertThat(x).hasSameSizeAs(y);
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            d = Math.max(d, Math.abs(x[i] - y[i]));
        }
        return d;
    }

    static OipClient edge(int i) {
        return new OipClient(fleet.edges().get(i).httpPort());
    }

    /** Waits until every edge answers with {@code hash}. */
    static void awaitApplied(String hash) {
        for (int i = 0; i < EDGES; i++) {
            OipClient c = edge(i);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> c.infer("minilm", List.of("plan probe")).plan().equals(hash));
        }
    }

    /** What the benchmarks' warm-up asks for: one small output, the same values as in the full reply. */
    @Test
    @Order(0)
    void askingForTheSmallestOutputGetsOnlyThatOne() throws Exception {
        OipClient c = edge(0);
        String smallest = c.smallestOutput("minilm");
        OipClient.Reply all = c.infer("minilm", List.of("a pooled vector"));
        OipClient.Reply one = c.infer("minilm", List.of("a pooled vector"), List.of(smallest));
        assertThat(all.ok() && one.ok()).as(one.body().toString()).isTrue();
        assertThat(all.body().path("outputs").size()).isGreaterThan(1);
        assertThat(one.body().path("outputs").size()).isEqualTo(1);
        assertThat(one.body().path("outputs").path(0).path("name").asText()).isEqualTo(smallest);
        int k = 0;
        while (!all.body().path("outputs").path(k).path("name").asText().equals(smallest)) {
            k++;
        }
        assertThat(one.floats(0)).hasSize(384).containsExactly(all.floats(k));
        assertThat(all.floats(k).length).isLessThan(all.floats(k == 0 ? 1 : 0).length);
    }

    @Test
    @Order(1)
    void losslessOutputsEqualTheUnsplitModelAtEverySplitThePlanUses() throws Exception {
        int n = model.candidates().size();
        int[] splits = {-1, 1, n / 2, n - 2};
        for (int split : splits) {
            Plan plan = Plans.fixed(model, Map.of("unset", split), Theta.lossless());
            publish(plan);
            awaitApplied(plan.sha256());
            for (int i = 0; i < EDGES; i++) {
                String text = sentences.get((i * 5 + split + 7) % sentences.size());
                OipClient.Reply r = edge(i).infer("minilm", List.of(text));
                assertThat(r.ok()).as(r.body().toString()).isTrue();
                assertThat(r.fallback()).as("fallback cause").isNull();
                assertThat(r.split()).isEqualTo(split);
                double d = maxAbsDiff(r.floats(0), reference.output(text));
                System.out.printf("lossless: split %d edge %d max_abs_diff=%.2e%n", split, i, d);
                assertThat(d).as("split %d edge %d", split, i).isLessThan(1e-4);
            }
        }
    }

    @Test
    @Order(2)
    void fidelityAtThePlannersRowForA098Floor() throws Exception {
        Path out = WORK.resolve("planner-plan.json");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PlanCli.run(
                new String[] {
                    "--model",
                    MODEL,
                    "--latency",
                    "200ms",
                    "--memory",
                    "86Mi",
                    "--max-rate",
                    "400k",
                    "--min-fidelity",
                    "0.98",
                    "--device-class",
                    "unset",
                    "--out",
                    out.toString()
                },
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Plan plan = PlanJson.readPlan(Files.readString(out));
        publish(plan);
        awaitApplied(plan.sha256());
        double min = 1;
        int rowSplit = Integer.MIN_VALUE;
        for (int k = 0; k < sentences.size(); k++) {
            String text = sentences.get(k);
            OipClient.Reply r = edge(k % EDGES).infer("minilm", List.of(text));
            assertThat(r.ok()).as(r.body().toString()).isTrue();
            assertThat(r.fallback()).as("fallback cause").isNull();
            rowSplit = r.split();
            min = Math.min(min, reference.cosine(text, r.floats(0)));
        }
        System.out.printf(
                "fidelity: plan %s split %d min_output_cosine=%.5f over %d sentences%n",
                plan.sha256().substring(0, 12), rowSplit, min, sentences.size());
        assertThat(rowSplit)
                .as("the planner's row offloads at a split")
                .isBetween(0, model.candidates().size() - 1);
        assertThat(min).isGreaterThanOrEqualTo(0.98);
    }

    @Test
    @Order(3)
    void planChangeUnderLoadFailsNoRequestAndEachEdgeSwitchesOnce() throws Exception {
        Plan a = Plans.fixed(model, Map.of("unset", 2), Theta.lossless());
        Plan b = Plans.fixed(model, Map.of("unset", 4), Theta.lossless());
        publish(a);
        awaitApplied(a.sha256());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failed = new AtomicInteger();
        Map<Integer, List<String>> seen = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(EDGES);
        List<Future<?>> load = new ArrayList<>();
        for (int i = 0; i < EDGES; i++) {
            int e = i;
            seen.put(e, java.util.Collections.synchronizedList(new ArrayList<>()));
            load.add(pool.submit(() -> {
                int k = 0;
                while (!stop.get()) {
                    OipClient.Reply r = edge(e).infer("minilm", List.of(sentences.get(k++ % sentences.size())));
                    if (!r.ok()) {
                        failed.incrementAndGet();
                    } else {
                        seen.get(e).add(r.plan());
                    }
                }
                return null;
            }));
        }
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> seen.values().stream().allMatch(l -> l.size() >= 2));
            publish(b);
            await().atMost(Duration.ofSeconds(60)).until(() -> seen.values().stream()
                    .allMatch(l -> !l.isEmpty() && l.get(l.size() - 1).equals(b.sha256())));
        } finally {
            stop.set(true);
            for (Future<?> f : load) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }
        assertThat(failed.get()).isZero();
        for (List<String> hashes : seen.values()) {
            int firstB = hashes.indexOf(b.sha256());
            assertThat(hashes.subList(0, firstB)).containsOnly(a.sha256());
            assertThat(hashes.subList(firstB, hashes.size()))
                    .as("never back to the old plan")
                    .containsOnly(b.sha256());
        }
    }

    @Test
    @Order(4)
    void hostileFramesAreRejectedAndTheFleetKeepsServing() throws Exception {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", fleet.grpcPort())
                .usePlaintext()
                .build();
        try {
            var stub = BackendGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            int split = 2;
            String big = model.candidate(split).bigTensor();
            InferRequest garbage = InferRequest.newBuilder()
                    .setRequestId("hostile-1")
                    .setModelId(MODEL)
                    .setSplit(Split.newBuilder().setIndex(split))
                    .addTensors(Tensor.newBuilder()
                            .setName(big)
                            .setFrame(com.google.protobuf.ByteString.copyFromUtf8("definitely not a frame")))
                    .build();
            assertCode(() -> stub.infer(garbage), Status.Code.INVALID_ARGUMENT);
            InferRequest lying = InferRequest.newBuilder()
                    .setRequestId("hostile-2")
                    .setModelId(MODEL)
                    .setSplit(Split.newBuilder().setIndex(-1))
                    .addTensors(Tensor.newBuilder()
                            .setName("input_ids")
                            .setRaw(RawTensor.newBuilder()
                                    .setOnnxType(7)
                                    .addShape(1L << 40)
                                    .addShape(1L << 40)))
                    .build();
            assertCode(() -> stub.infer(lying), Status.Code.INVALID_ARGUMENT);
            byte[] huge = new byte[64 << 20];
            InferRequest oversize = garbage.toBuilder()
                    .setTensors(
                            0, Tensor.newBuilder().setName(big).setFrame(com.google.protobuf.ByteString.copyFrom(huge)))
                    .build();
            StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
                    StatusRuntimeException.class, () -> stub.infer(oversize));
            assertThat(e.getStatus().getCode())
                    .isIn(Status.Code.RESOURCE_EXHAUSTED, Status.Code.INVALID_ARGUMENT, Status.Code.CANCELLED);
        } finally {
            ch.shutdownNow();
        }
        for (int i = 0; i < EDGES; i++) {
            OipClient.Reply r = edge(i).infer("minilm", List.of("still serving"));
            assertThat(r.ok()).as(r.body().toString()).isTrue();
            assertThat(r.fallback()).isNull();
        }
    }

    static void assertCode(org.junit.jupiter.api.function.Executable call, Status.Code code) {
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, call);
        assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
    }

    @Test
    @Order(5)
    void edgesRecoverWhenTheBackendIsKilledAndRestarted() throws Exception {
        Plan plan = Plans.fixed(model, Map.of("unset", 3), Theta.lossless());
        publish(plan);
        awaitApplied(plan.sha256());
        fleet.killBackend();
        // during the outage every request is answered: the edges fall back to local-only (unbounded memory budget)
        for (int i = 0; i < EDGES; i++) {
            OipClient.Reply r = edge(i).infer("minilm", List.of("the back-end is down"));
            assertThat(r.ok()).as(r.body().toString()).isTrue();
            assertThat(r.fallback()).contains("UNAVAILABLE");
        }
        fleet.restartBackend();
        for (int i = 0; i < EDGES; i++) {
            OipClient c = edge(i);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        OipClient.Reply r = c.infer("minilm", List.of("the back-end is back"));
                        return r.ok() && r.fallback() == null && r.split() == 3;
                    });
        }
        assertThat(fleet.edges())
                .allSatisfy(e -> assertThat(e.alive()).as("no edge restarted").isTrue());
    }

    /** The services answer an h2c upgrade request in HTTP/1.1 (see {@link ServiceHttpClient} for why). */
    @Test
    @Order(6)
    void servicesAnswerACleartextHttp2UpgradeRequestInHttp11() throws Exception {
        for (ServiceProcess s : List.of(fleet.backend(), fleet.edges().get(0))) {
            assertThat(CleartextUpgrade.statusLine(s.httpPort(), "/q/health/ready"))
                    .as(s.name())
                    .isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    @Order(6)
    void theRunningFleetExportsExactlyTheContractedMetrics() throws Exception {
        for (int i = 0; i < EDGES; i++) {
            OipClient.Reply r = edge(i).infer("minilm", List.of("counted everywhere"));
            assertThat(r.ok()).as(r.body().toString()).isTrue();
        }
        MetricsContract contract = MetricsContract.load(ROOT.resolve("helm/metrics-contract.txt"));
        Set<String> fleetWide = new TreeSet<>();
        for (ServiceProcess e : fleet.edges()) {
            Scrape s = Scrape.of(e);
            assertThat(families(s, contract)).as(e.name()).isEqualTo(contract.names("slicer_edge_"));
            assertThat(labelValues(s, "slicer_edge_stage_duration_seconds_count", "stage"))
                    .as("%s stages", e.name())
                    .isEqualTo(contract.values("slicer_edge_stage_duration_seconds", "stage")
                            .orElseThrow());
            assertTypes(s, contract, e.name());
            fleetWide.addAll(families(s, contract));
        }
        Scrape b = Scrape.of(fleet.backend());
        // the back-end's own metrics and the edge reports re-exported under the edges' names (all but the split in
        // use, which only the edge process knows)
        Set<String> backend = new TreeSet<>(contract.names("slicer_backend_"));
        backend.addAll(contract.names("slicer_edge_"));
        backend.remove("slicer_edge_split_layer");
        assertThat(families(b, contract)).as("back-end").isEqualTo(backend);
        assertThat(labelValues(b, "slicer_backend_rejected_total", "reason"))
                .isEqualTo(contract.values("slicer_backend_rejected_total", "reason")
                        .orElseThrow());
        assertThat(contract.values("slicer_backend_compute_seconds_total", "execution_provider")
                        .orElseThrow())
                .containsAll(labelValues(b, "slicer_backend_compute_seconds_total", "execution_provider"));
        assertThat(labelValues(b, "slicer_edge_if_bytes_total", "device_class")).containsExactly("unset");
        assertThat(b.value("slicer_edge_if_bytes_total", "device_class", "unset"))
                .isPositive();
        assertTypes(b, contract, "back-end");
        fleetWide.addAll(families(b, contract));

        Set<String> served = new TreeSet<>(contract.names("slicer_"));
        served.removeAll(contract.names("slicer_operator_")); // exported by the operator, not part of this fleet
        assertThat(fleetWide)
                .as("the fleet exports every service metric of the contract, and only those")
                .isEqualTo(served);
    }

    /** The contract metrics a scrape exports (every slicer_* series mapped to its metric). */
    static Set<String> families(Scrape s, MetricsContract contract) {
        Set<String> out = new TreeSet<>();
        s.samples().stream()
                .map(Scrape.Sample::name)
                .filter(n -> n.startsWith("slicer_"))
                .map(contract::family)
                .forEach(out::add);
        return out;
    }

    static Set<String> labelValues(Scrape s, String series, String label) {
        Set<String> out = new TreeSet<>();
        s.samples().stream()
                .filter(x -> x.name().equals(series) && x.labels().containsKey(label))
                .forEach(x -> out.add(x.labels().get(label)));
        return out;
    }

    static void assertTypes(Scrape s, MetricsContract contract, String who) {
        s.declaredTypes().forEach((family, type) -> {
            if (family.startsWith("slicer_") && !family.endsWith("_max")) {
                assertThat(type)
                        .as("%s: type of %s", who, family)
                        .isEqualTo(contract.types().get(family));
            }
        });
    }
}
