package dev.slicer.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slicer.e2e.Fleet;
import dev.slicer.e2e.OipClient;
import dev.slicer.e2e.Plans;
import dev.slicer.e2e.ProcessCpu;
import dev.slicer.e2e.ServiceProcess;
import dev.slicer.e2e.UnsplitReference;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.model.text.SampleSentences;
import dev.slicer.planner.cli.Units;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.plan.PlanRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code slicer bench dataplane}: one gpu-backend and N edges as processes on loopback, the same workload (sample
 * sentences through the edges' OIP API) run cloud-only and as planned, with the back-end's own CPU time per request.
 */
@Command(
        name = "dataplane",
        mixinStandardHelpOptions = true,
        description = "Back-end + N edges on loopback: cloud-only vs planned; stages, bytes, back-end CPU, fidelity.")
public final class DataplaneBench implements Callable<Integer> {
    @Option(names = "--edges", defaultValue = "4", description = "edge processes (default ${DEFAULT-VALUE})")
    int edges;

    @Option(names = "--requests", defaultValue = "500", description = "requests per run (default ${DEFAULT-VALUE})")
    int requests;

    @Mixin
    BenchPlanner planner;

    @Option(
            names = "--link-rate",
            defaultValue = "250k",
            description = "emulated link of every edge (both directions), bit/s as in the planner's table; it picks the"
                    + " planned row the edges measure their way to; 0 = plain loopback (default ${DEFAULT-VALUE})")
    String linkRate;

    @Option(
            names = "--profile",
            description = "planner profile to plan from (default: profiled once, then reused from the work directory)")
    Path profile;

    @Option(names = "--root", description = "project root (default: found above the working directory)")
    Path root;

    @Option(names = "--work", description = "work directory: logs, plans (default e2e/target/dataplane)")
    Path work;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final String DEVICE = "bench";

    /** Requests per edge before each measured run. */
    static final int WARM_UP = 5;

    @Option(
            names = "--warm-up",
            defaultValue = "300",
            paramLabel = "N",
            description = "untimed requests per edge through each plan before the first run, all edges at once,"
                    + " asking for the model's smallest output: the back-end's JIT compiles both serving paths, so"
                    + " the runs measure steady state (default ${DEFAULT-VALUE})")
    int warmUp;

    /** One answered request. */
    record Sample(boolean ok, double e2eSeconds, JsonNode params, float[] output, String text) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new DataplaneBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (edges < 1 || requests < 1 || warmUp < 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--edges and --requests must be positive, --warm-up not negative");
        }
        root = findRoot(root);
        work = (work == null ? root.resolve("e2e/target/dataplane") : work).toAbsolutePath();
        Files.createDirectories(work);
        if (System.getProperty("slicer.model.cache") == null) {
            System.setProperty(
                    "slicer.model.cache", root.resolve("e2e/target/models").toString());
        }
        SplittableModel m = SplittableModel.load(planner.model());
        List<String> sentences = SampleSentences.load();
        String modelName =
                planner.model().startsWith("builtin:") ? planner.model().substring(8) : "model";

        Plan planned = planner.plan(work, profile, DEVICE, System.out);
        double linkBits = Units.bitsPerSecond(linkRate);
        PlanRow expected = planned.table(DEVICE).orElseThrow().lookup(linkBits > 0 ? linkBits : Double.MAX_VALUE);
        System.out.printf(
                Locale.ROOT,
                "planner: %d rows (fidelity %s); at the link rate %s the row is %s split %d (%s) %s, %d bytes%n",
                planned.table(DEVICE).orElseThrow().rows().size(),
                planned.fidelitySource(),
                linkBits > 0 ? linkRate + "bit/s" : "of loopback",
                expected.kind(),
                expected.split(),
                expected.splitName(),
                expected.theta() == null ? "-" : expected.theta().id(),
                expected.predictedBytes());
        Plan cloud = Plans.fixed(m, Map.of(DEVICE, -1), null);
        Path planFile = work.resolve("plan.json");
        write(planFile, cloud);

        Map<String, String> edgeProps = new LinkedHashMap<>();
        edgeProps.put("slicer.edge.model-name", modelName);
        if (linkBits > 0) {
            edgeProps.put("slicer.edge.link-emulation", "true");
        }
        try (Fleet fleet = Fleet.start(
                root, planner.model(), edges, DEVICE, planFile, work.resolve("logs"), Map.of(), edgeProps)) {
            System.out.printf(
                    Locale.ROOT,
                    "fleet: back-end pid %d, %d edges, link %s%n",
                    fleet.backend().pid(),
                    edges,
                    linkBits > 0 ? linkRate + "bit/s each way per edge (emulated)" : "loopback");
            if (linkBits > 0) {
                for (var e : fleet.edges()) {
                    setLink(e.httpPort(), (long) (linkBits / 8));
                }
            }
            // both plans, untimed and equally, before either is measured: the back-end's JIT then serves each run
            // as warm as the other (with 25 planned requests against 300 cloud-only ones the planned path still ran
            // partly in C1). Warm-up asks for the smallest output only, so that a request does not wait a second
            // for the hidden states on a 250k downlink; the edges' goodput meter reads the uplink alone
            write(planFile, planned);
            awaitPlan(fleet, modelName, planned.sha256());
            warmUp(fleet, modelName, sentences, warmUp);
            write(planFile, cloud);
            awaitPlan(fleet, modelName, cloud.sha256());
            warmUp(fleet, modelName, sentences, warmUp);
            double idle = idleMsPerSecond(fleet);
            Run cloudRun = run("cloud-only", fleet, modelName, sentences, idle);
            write(planFile, planned);
            awaitPlan(fleet, modelName, planned.sha256());
            Run plannedRun = run("planned", fleet, modelName, sentences, idle);

            UnsplitReference reference = new UnsplitReference(m, planner.model());
            double cosSum = 0;
            double cosMin = 1;
            int n = 0;
            for (Sample s : plannedRun.samples) {
                if (s.ok) {
                    double c = reference.cosine(s.text, s.output);
                    cosSum += c;
                    cosMin = Math.min(cosMin, c);
                    n++;
                }
            }
            reference.close();
            double cosine = n == 0 ? 0 : cosSum / n;

            print(cloudRun, null);
            print(plannedRun, planned);
            double raw = plannedRun.sum("slicer_if_raw_bytes");
            double sent = plannedRun.sum("slicer_if_bytes");
            double e2eP50 = percentile(plannedRun.values(s -> s.e2eSeconds), 50);
            double codec =
                    percentile(plannedRun.param("encode"), 50) + percentile(plannedRun.param("backend_decode"), 50);
            System.out.printf(
                    Locale.ROOT,
                    "fidelity: output cosine vs the unsplit model mean %.5f min %.5f over %d requests (the last line"
                            + " gives the min: the planner's floor holds on its worst calibration sample)%n",
                    cosine,
                    cosMin,
                    n);
            System.out.printf(
                    Locale.ROOT,
                    "dataplane: requests=%d failed=%d if_compression=%.2f cosine=%.4f backend_cpu_ms_per_request=%.2f"
                            + " cloud_backend_cpu_ms_per_request=%.2f codec_overhead=%.4f%n",
                    cloudRun.samples.size() + plannedRun.samples.size(),
                    cloudRun.failed() + plannedRun.failed(),
                    sent == 0 ? 0 : raw / sent,
                    cosMin,
                    plannedRun.cpuMsPerRequest(),
                    cloudRun.cpuMsPerRequest(),
                    e2eP50 == 0 ? 0 : codec / e2eP50);
        }
        return 0;
    }

    static void write(Path planFile, Plan plan) throws Exception {
        Path tmp = planFile.resolveSibling(planFile.getFileName() + ".tmp");
        Files.writeString(tmp, PlanJson.write(plan, true), StandardCharsets.UTF_8);
        Files.move(tmp, planFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Sets an edge's emulated link (PUT /slicer/link, bytes per second). */
    private static void setLink(int port, long bytesPerSecond) throws Exception {
        dev.slicer.e2e.EdgeLink.set(
                dev.slicer.e2e.ServiceHttpClient.create(java.time.Duration.ofSeconds(5)), port, bytesPerSecond);
    }

    /** Waits (bounded) until every edge answers under the plan with this hash. */
    static void awaitPlan(Fleet fleet, String modelName, String hash) throws Exception {
        for (var e : fleet.edges()) {
            OipClient c = new OipClient(e.httpPort());
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!c.infer(modelName, List.of("warm-up")).plan().equals(hash)) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException(e.name() + " did not apply plan " + hash + " within 60 s");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    /** Seconds of the idle window before the runs. */
    static final int IDLE_SECONDS = 5;

    /**
     * The back-end's serving CPU (JIT compiler left out) per second while the edges are connected and no request is
     * in flight: plan streams, health and metrics, the VM's housekeeping. Printed, and taken out of the runs'
     * per-request figures in their headers ("over its idle load"); the last line keeps the whole serving CPU.
     */
    static double idleMsPerSecond(Fleet fleet) throws InterruptedException {
        ProcessCpu.Snapshot before = ProcessCpu.snapshot(fleet.backend().pid());
        long t0 = System.nanoTime();
        TimeUnit.SECONDS.sleep(IDLE_SECONDS);
        ProcessCpu.Delta idle = ProcessCpu.snapshot(fleet.backend().pid()).since(before);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double rate = idle.servingMillis() / seconds;
        System.out.printf(
                Locale.ROOT,
                "back-end idle: %.2f ms CPU per second over %.1f s (by thread, ms/s: %s)%n",
                rate,
                seconds,
                idle.perRole(seconds));
        return rate;
    }

    /** The results of one workload run. */
    static final class Run {
        final String name;
        final List<Sample> samples;
        final ProcessCpu.Delta cpu;
        final double edgeCpuMs;
        final double wallSeconds;
        /** The back-end's serving CPU per second with no request in flight, measured before the runs. */
        final double idleMsPerSecond;

        Run(
                String name,
                List<Sample> samples,
                ProcessCpu.Delta cpu,
                double edgeCpuMs,
                double wallSeconds,
                double idleMsPerSecond) {
            this.name = name;
            this.samples = samples;
            this.cpu = cpu;
            this.edgeCpuMs = edgeCpuMs;
            this.wallSeconds = wallSeconds;
            this.idleMsPerSecond = idleMsPerSecond;
        }

        long failed() {
            return samples.stream().filter(s -> !s.ok).count();
        }

        /** The back-end's serving CPU per request (its JIT compiler threads left out: see ProcessCpu). */
        double cpuMsPerRequest() {
            return cpu.servingMillis() / Math.max(1, samples.size());
        }

        /**
         * {@link #cpuMsPerRequest} less the back-end's idle load over the run's wall time: what requests add. At a
         * few requests per second (a slow emulated link) the idle load is a large share of the whole.
         */
        double addedCpuMsPerRequest() {
            return Math.max(0, cpu.servingMillis() - idleMsPerSecond * wallSeconds) / Math.max(1, samples.size());
        }

        double totalCpuMsPerRequest() {
            return cpu.totalMillis() / Math.max(1, samples.size());
        }

        double[] values(java.util.function.ToDoubleFunction<Sample> f) {
            return samples.stream().filter(s -> s.ok).mapToDouble(f).toArray();
        }

        double[] param(String timing) {
            return values(s -> s.params.path("slicer_timings").path(timing).asDouble());
        }

        double sum(String field) {
            return samples.stream()
                    .filter(s -> s.ok)
                    .mapToDouble(s -> s.params.path(field).asDouble())
                    .sum();
        }
    }

    /** {@code perEdge} untimed requests through every edge process, the processes at once. */
    /**
     * Untimed requests through every edge at once, asking for the model's smallest output only: the same serving
     * path, without the large reply's time on an emulated downlink.
     */
    static void warmUp(Fleet fleet, String modelName, List<String> sentences, int perEdge) throws Exception {
        eachEdge(fleet, e -> {
            OipClient c = new OipClient(e.httpPort());
            List<String> outputs = List.of(c.smallestOutput(modelName));
            for (int i = 0; i < perEdge; i++) {
                OipClient.Reply r = c.infer(modelName, List.of(sentences.get(i % sentences.size())), outputs);
                if (r.status() / 100 == 4 && r.status() != 429) {
                    // a request the edge refuses would leave the back-end cold without saying so
                    throw new IllegalStateException("warm-up request refused: " + r.status() + " " + r.body());
                }
            }
        });
    }

    /** Work against one edge process. */
    interface EdgeWork {
        void run(ServiceProcess edge) throws Exception;
    }

    /**
     * Runs {@code work} against every edge process, one thread each, waiting at most 30 minutes for each (as a run
     * does); rethrows the first failure.
     */
    static void eachEdge(Fleet fleet, EdgeWork work) throws Exception {
        List<ServiceProcess> all = fleet.edges();
        ExecutorService pool = Executors.newFixedThreadPool(all.size());
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (ServiceProcess e : all) {
                done.add(pool.submit(() -> {
                    work.run(e);
                    return null;
                }));
            }
            for (Future<Void> f : done) {
                try {
                    f.get(30, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException x) {
                    throw x.getCause() instanceof Exception c ? c : x;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Run run(String name, Fleet fleet, String modelName, List<String> sentences, double idleMsPerSecond)
            throws Exception {
        // warm every edge's front and the back-end's tail for this plan, and let the edges' goodput EWMA settle on
        // the link, before measuring
        warmUp(fleet, modelName, sentences, WARM_UP);
        ProcessCpu.Snapshot cpu0 = ProcessCpu.snapshot(fleet.backend().pid());
        double edgeCpu0 = edgeCpu(fleet);
        long t0Run = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(edges);
        List<Future<List<Sample>>> parts = new ArrayList<>();
        for (int i = 0; i < edges; i++) {
            OipClient c = new OipClient(fleet.edges().get(i).httpPort());
            parts.add(pool.submit(() -> {
                List<Sample> out = new ArrayList<>();
                for (int k = next.getAndIncrement(); k < requests; k = next.getAndIncrement()) {
                    String text = sentences.get(k % sentences.size());
                    long t0 = System.nanoTime();
                    OipClient.Reply r = c.infer(modelName, List.of(text));
                    double s = (System.nanoTime() - t0) / 1e9;
                    out.add(new Sample(r.ok(), s, r.body().path("parameters"), r.ok() ? r.floats(0) : null, text));
                    if (!r.ok()) {
                        System.err.println(name + ": request " + k + " failed: " + r.status() + " " + r.body());
                    }
                }
                return out;
            }));
        }
        List<Sample> all = new ArrayList<>();
        for (Future<List<Sample>> f : parts) {
            all.addAll(f.get(30, TimeUnit.MINUTES));
        }
        pool.shutdown();
        ProcessCpu.Delta cpu = ProcessCpu.snapshot(fleet.backend().pid()).since(cpu0);
        double wall = (System.nanoTime() - t0Run) / 1e9;
        return new Run(name, all, cpu, edgeCpu(fleet) - edgeCpu0, wall, idleMsPerSecond);
    }

    private static double edgeCpu(Fleet fleet) {
        return fleet.edges().stream()
                .mapToDouble(e -> ProcessCpu.millis(e.pid()))
                .sum();
    }

    private static void print(Run r, Plan plan) {
        System.out.printf(
                Locale.ROOT,
                "%n== %s: %d requests, %d failed in %.1f s; back-end CPU %.0f ms (%.2f ms/request; %.2f without its"
                        + " JIT compiler; %.2f over its idle load), edges' CPU %.2f ms/request%n",
                r.name,
                r.samples.size(),
                r.failed(),
                r.wallSeconds,
                r.cpu.totalMillis(),
                r.totalCpuMsPerRequest(),
                r.cpuMsPerRequest(),
                r.addedCpuMsPerRequest(),
                r.edgeCpuMs / Math.max(1, r.samples.size()));
        System.out.println("back-end CPU by thread, ms/request: " + r.cpu.perRole(Math.max(1, r.samples.size())));
        System.out.printf("%-16s %10s %10s%n", "stage", "p50 ms", "p95 ms");
        Map<String, double[]> stages = new LinkedHashMap<>();
        stages.put("front", r.param("front"));
        stages.put("encode", r.param("encode"));
        stages.put("transfer", r.param("transfer"));
        stages.put(" of it downlink", r.param("downlink"));
        stages.put("backend_queue", r.param("backend_queue"));
        stages.put("backend_decode", r.param("backend_decode"));
        stages.put("backend_compute", r.param("backend_compute"));
        stages.put("end_to_end", r.values(s -> s.e2eSeconds));
        stages.forEach((k, v) -> System.out.printf(
                Locale.ROOT, "%-16s %10.3f %10.3f%n", k, 1e3 * percentile(v, 50), 1e3 * percentile(v, 95)));
        System.out.printf(
                Locale.ROOT,
                "IF bytes: raw %.0f sent %.0f (compression %.2f)%n",
                r.sum("slicer_if_raw_bytes"),
                r.sum("slicer_if_bytes"),
                r.sum("slicer_if_bytes") == 0 ? 0 : r.sum("slicer_if_raw_bytes") / r.sum("slicer_if_bytes"));
        Map<Integer, Integer> batches = new TreeMap<>();
        for (Sample s : r.samples) {
            if (s.ok) {
                batches.merge(s.params.path("slicer_batch_size").asInt(), 1, Integer::sum);
            }
        }
        System.out.println("batch sizes (size=requests): " + batches);
        if (plan == null) {
            return;
        }
        System.out.printf(
                "%-5s %-6s %-26s %-26s %11s %11s %12s %12s %12s %6s%n",
                "row",
                "split",
                "name",
                "knobs",
                "pred bytes",
                "meas bytes",
                "pred lat ms",
                "meas lat ms",
                "downlink ms",
                "n");
        Map<Integer, List<Sample>> byRow = new TreeMap<>();
        for (Sample s : r.samples) {
            if (s.ok) {
                byRow.computeIfAbsent(s.params.path("slicer_row").asInt(-1), k -> new ArrayList<>())
                        .add(s);
            }
        }
        List<PlanRow> rows = plan.table(DEVICE).orElseThrow().rows();
        for (Map.Entry<Integer, List<Sample>> e : byRow.entrySet()) {
            PlanRow row = e.getKey() >= 0 && e.getKey() < rows.size() ? rows.get(e.getKey()) : null;
            double bytes = e.getValue().stream()
                    .mapToDouble(s -> s.params.path("slicer_if_bytes").asDouble())
                    .average()
                    .orElse(0);
            double lat = e.getValue().stream()
                    .mapToDouble(s -> s.e2eSeconds)
                    .average()
                    .orElse(0);
            // the reply's time on the emulated downlink, which the planner's latency leaves out
            double down = e.getValue().stream()
                    .mapToDouble(s ->
                            s.params.path("slicer_timings").path("downlink").asDouble())
                    .average()
                    .orElse(0);
            System.out.printf(
                    Locale.ROOT,
                    "%-5d %-6d %-26s %-26s %11d %11.0f %12s %12.3f %12.3f %6d%n",
                    e.getKey(),
                    row == null ? 0 : row.split(),
                    row == null ? "?" : row.splitName(),
                    row == null || row.theta() == null ? "-" : row.theta().id(),
                    row == null ? 0 : row.predictedBytes(),
                    bytes,
                    row == null || row.predictedLatencySeconds() == null
                            ? "-"
                            : String.format(Locale.ROOT, "%.3f", 1e3 * row.predictedLatencySeconds()),
                    1e3 * lat,
                    1e3 * down,
                    e.getValue().size());
        }
    }

    static double percentile(double[] v, double p) {
        if (v.length == 0) {
            return 0;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    /** The project root: --root (./slicer passes it), else the first directory holding ./slicer above this one. */
    static Path findRoot(Path root) {
        if (root != null) {
            return root.toAbsolutePath();
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("slicer"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "run from inside the project (no ./slicer found above the working directory)");
        }
        return p;
    }
}
