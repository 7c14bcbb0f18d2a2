package dev.slicer.e2e.bench;

import dev.slicer.e2e.CompletionClient;
import dev.slicer.e2e.Fleet;
import dev.slicer.e2e.GreedyReference;
import dev.slicer.e2e.OipClient;
import dev.slicer.e2e.Plans;
import dev.slicer.e2e.ProcessCpu;
import dev.slicer.e2e.ServiceProcess;
import dev.slicer.e2e.UnsplitReference;
import dev.slicer.e2e.demo.Completions;
import dev.slicer.model.split.SampleInputs;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.model.text.SampleSentences;
import dev.slicer.planner.cli.Units;
import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.RowKind;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code slicer bench fleet}: the same client workload through four strategies (cloud-only, fixed shallow split,
 * deepest split uncompressed, SLICER) at growing edge counts, with the back-end's own process CPU time. Logical
 * edges are client streams spread over a few edge-runtime processes (never the back-end's), each paced by a
 * per-edge throttle, so 32 edges fit on 2 cores without 32 JVMs. Every strategy is warmed up before any point is
 * measured, and at each edge count the strategies take turns for half the requests in a rotated order and for the
 * other half in its mirror: run one after another, the last one measured on a warmer back-end (two identical
 * strategies differed by 1.2x that way, and by 1.5x at 8 decoder edges with a single rotated turn).
 */
@Command(
        name = "fleet",
        mixinStandardHelpOptions = true,
        description = "Server time and throughput as edges are added: cloud-only, shallow, uncompressed, SLICER.")
public final class FleetBench implements Callable<Integer> {
    @Option(
            names = "--edges",
            defaultValue = "1,2,4,8,16",
            split = ",",
            description = "edge counts to measure (default ${DEFAULT-VALUE})")
    int[] edges;

    @Option(
            names = "--requests-per-edge",
            defaultValue = "12",
            description = "requests each edge sends per point; a point's request count is edges x this"
                    + " (default ${DEFAULT-VALUE})")
    int requestsPerEdge;

    @Option(
            names = "--hosts",
            defaultValue = "2",
            description = "edge-runtime processes the edges are spread over (default ${DEFAULT-VALUE})")
    int hosts;

    @Option(
            names = "--edge-period",
            defaultValue = "0ms",
            description = "per-edge compute throttle: least time between the starts of one edge's requests, so many"
                    + " edges share the cores without starving the back-end (default ${DEFAULT-VALUE})")
    String edgePeriod;

    @Mixin
    BenchPlanner planner;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--link-rate",
            defaultValue = "250k",
            description = "link rate (bit/s) whose planned row SLICER and the uncompressed split pin; the edges run on"
                    + " plain loopback (default ${DEFAULT-VALUE})")
    String linkRate;

    @Option(
            names = "--ar",
            description = "autoregressive workload: each request is one greedy OpenAI completion of --tokens tokens"
                    + " through a decoder edge (default model builtin:tiny-llama); fidelity is the share of the"
                    + " unsplit model's greedy text reproduced")
    boolean ar;

    @Option(
            names = "--tokens",
            defaultValue = "24",
            description = "--ar: tokens per completion (default ${DEFAULT-VALUE})")
    int tokens;

    @Option(
            names = "--ar-memory",
            defaultValue = "64Ki",
            description = "--ar: the planner's per-step offload buffer M_ar (default ${DEFAULT-VALUE})")
    String arMemory;

    /** The prompt length the planner assumes with --ar (the prompts sent are 24-28 bytes, one token each). */
    static final int PROMPT_TOKENS = 16;

    @Option(names = "--root", description = "project root (default: found above the working directory)")
    Path root;

    @Option(names = "--work", description = "work directory: logs, plans (default e2e/target/fleet)")
    Path work;

    @Option(names = "--out", description = "CSV and PNG directory (default bench/results)")
    Path out;

    static final String DEVICE = "bench";

    /** Untimed requests per logical edge before a point is measured, at the point's concurrency. */
    static final int WARM_UP = 2;

    @Option(
            names = "--warm-up",
            paramLabel = "N",
            description = "untimed requests per edge process and strategy before the first point, the processes at"
                    + " once: the back-end's JIT compiles its serving path, so the points measure steady state"
                    + " (default 2000; with --ar 40 completions)")
    Integer warmUp;

    /**
     * {@code --warm-up}'s default: 4,000 calls to the back-end per strategy with 2 edge processes. The back-end's
     * JIT keeps compiling for thousands of calls (SLICER's back-end CPU per request at 16 MiniLM edges: 1.16 ms after
     * 500 warm-up requests per process, 0.98 after 2,000, 0.83 after 5,000), and a long-running server is past all
     * of it; 2,000 take under a minute on 2 cores.
     */
    static final int WARM_UP_PASS = 2000;

    static final int WARM_UP_PASS_AR = 40;

    private final PrintStream stdout;
    private Path planFile;

    public FleetBench() {
        this(System.out);
    }

    FleetBench(PrintStream stdout) {
        this.stdout = stdout;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new FleetBench()).execute(args));
    }

    /**
     * One answered or failed request: its input text, and the answer (single-shot: the output vector; --ar: the
     * completion's text).
     */
    record Sample(boolean ok, double seconds, double uplinkBytes, float[] output, String text, String completion) {}

    @Override
    public Integer call() throws Exception {
        if (ar && tokens < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tokens must be positive");
        }
        planner.autoregressive = ar ? new BenchPlanner.Autoregressive(tokens, PROMPT_TOKENS, arMemory) : null;
        if (edges.length == 0 || Arrays.stream(edges).anyMatch(e -> e < 1) || requestsPerEdge < 1 || hosts < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--edges, --requests-per-edge and --hosts must be positive");
        }
        if (warmUp != null && warmUp < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--warm-up must not be negative");
        }
        int warmUpPass = warmUp != null ? warmUp : ar ? WARM_UP_PASS_AR : WARM_UP_PASS;
        root = DataplaneBench.findRoot(root);
        work = (work == null ? root.resolve("e2e/target/fleet") : work).toAbsolutePath();
        out = (out == null ? root.resolve("bench/results") : out).toAbsolutePath();
        Files.createDirectories(work);
        if (System.getProperty("slicer.model.cache") == null) {
            System.setProperty(
                    "slicer.model.cache", root.resolve("e2e/target/models").toString());
        }
        SplittableModel m = SplittableModel.load(planner.model());
        if (ar != SampleInputs.hasKvCache(m.model())) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    ar
                            ? planner.model() + " is not a decoder: --ar needs one (e.g. builtin:tiny-llama)"
                            : planner.model() + " is a decoder: measure it with --ar");
        }
        List<String> sentences = ar ? Completions.PROMPTS : SampleSentences.load();
        String modelName =
                planner.model().startsWith("builtin:") ? planner.model().substring(8) : "model";
        long periodNanos = Units.seconds(edgePeriod) > 0 ? (long) (Units.seconds(edgePeriod) * 1e9) : 0;

        PlanRow row = plannerRow();
        int deep = row.kind() == RowKind.SPLIT ? row.split() : m.candidates().size() - 1;
        Map<Strategy, Plan> plans = new EnumMap<>(Strategy.class);
        plans.put(Strategy.CLOUD, Plans.fixed(m, Map.of(DEVICE, -1), null));
        plans.put(Strategy.SHALLOW, Plans.fixed(m, Map.of(DEVICE, 0), Theta.losslessHalf()));
        plans.put(Strategy.UNCOMPRESSED, Plans.fixed(m, Map.of(DEVICE, deep), Theta.lossless()));
        plans.put(
                Strategy.SLICER,
                row.kind() == RowKind.SPLIT
                        ? Plans.fixed(m, Map.of(DEVICE, row.split()), row.theta())
                        : Plans.fixed(m, Map.of(DEVICE, row.kind() == RowKind.CLOUD_ONLY ? -1 : deep), null));
        stdout.printf(
                Locale.ROOT,
                "strategies: cloud-only; shallow split 0 (%s) fp16; uncompressed split %d (%s) lossless;"
                        + " slicer split %d (%s) %s%n",
                m.candidate(0).name(),
                deep,
                m.candidate(deep).name(),
                row.split(),
                row.splitName(),
                row.theta() == null ? "-" : row.theta().id());

        planFile = work.resolve("plan.json");
        DataplaneBench.write(planFile, plans.get(Strategy.CLOUD));
        Map<String, String> edgeProps = Map.of("slicer.edge.model-name", modelName);
        List<FleetPoint> points = new ArrayList<>();
        int processes = Math.min(hosts, Arrays.stream(edges).max().orElseThrow());
        try (Fleet fleet = Fleet.start(
                        root, planner.model(), processes, DEVICE, planFile, work.resolve("logs"), Map.of(), edgeProps);
                Scorer reference = ar
                        ? Scorer.greedy(new GreedyReference(planner.model(), tokens))
                        : Scorer.output(new UnsplitReference(m, planner.model()))) {
            stdout.printf(
                    Locale.ROOT,
                    "fleet: back-end pid %d; %d edge processes host up to %d edges; edge period %s%n",
                    fleet.backend().pid(),
                    processes,
                    Arrays.stream(edges).max().orElseThrow(),
                    edgePeriod);
            // every strategy once, untimed, before any point is measured: the back-end's JIT and ONNX sessions are
            // then as warm for the first strategy as for the last
            for (Strategy s : Strategy.values()) {
                apply(fleet, modelName, plans.get(s));
                warmUp(fleet, modelName, sentences, warmUpPass);
            }
            // at each fleet size the strategies take turns twice, in an order rotated from size to size and then in
            // its mirror (A B C D, D C B A), each time for half the requests: the back-end's state drifts over a run
            // (at 8 decoder edges the strategy measured first cost 1.5x its identical twin measured last), and the
            // mirrored halves give every strategy one early and one late turn
            Strategy[] all = Strategy.values();
            int half = requestsPerEdge / 2;
            for (int i = 0; i < edges.length; i++) {
                int n = edges[i];
                Map<Strategy, Turns> turns = new EnumMap<>(Strategy.class);
                List<Strategy> order = new ArrayList<>();
                for (int j = 0; j < all.length; j++) {
                    order.add(all[(i + j) % all.length]);
                }
                List<Strategy> mirror = new ArrayList<>(order);
                java.util.Collections.reverse(mirror);
                for (int pass = 0; pass < 2; pass++) {
                    int from = pass == 0 ? 0 : half;
                    int to = pass == 0 ? half : requestsPerEdge;
                    if (from == to) {
                        continue;
                    }
                    for (Strategy s : pass == 0 ? order : mirror) {
                        apply(fleet, modelName, plans.get(s));
                        // untimed, at this point's concurrency: the back-end's first batches of a size cost more
                        drive(fleet, modelName, sentences, n, 0, WARM_UP, periodNanos, s);
                        ProcessCpu.Snapshot cpu0 =
                                ProcessCpu.snapshot(fleet.backend().pid());
                        long t0 = System.nanoTime();
                        List<Sample> got = drive(fleet, modelName, sentences, n, from, to, periodNanos, s);
                        double wall = (System.nanoTime() - t0) / 1e9;
                        ProcessCpu.Delta cpu =
                                ProcessCpu.snapshot(fleet.backend().pid()).since(cpu0);
                        turns.computeIfAbsent(s, k -> new Turns()).add(got, cpu, wall);
                    }
                }
                for (Strategy s : order) {
                    Turns t = turns.get(s);
                    FleetPoint p = point(s, n, t.samples, t.cpu.servingMillis(), t.wall, reference);
                    points.add(p);
                    stdout.printf(
                            Locale.ROOT,
                            "  %-12s edges=%-3d requests=%-4d failed=%d back-end %.2f ms CPU/req (%.2f with its JIT"
                                    + " compiler), %.1f req/s, p50 %.1f ms, %.0f B/req, fidelity %.4f%n",
                            s.label,
                            n,
                            p.requests(),
                            p.failed(),
                            p.cpuMsPerRequest(),
                            t.cpu.totalMillis() / Math.max(1, p.requests()),
                            p.throughput(),
                            1e3 * p.p50Seconds(),
                            p.uplinkBytesPerRequest(),
                            p.fidelityMean());
                    stdout.println("               back-end CPU by thread, ms/req: "
                            + t.cpu.perRole(Math.max(1, p.requests())));
                }
            }
        }
        points.sort(Comparator.comparing(FleetPoint::strategy).thenComparingInt(FleetPoint::edges));
        FleetReport report = new FleetReport(points);
        if (ar) {
            stdout.printf(
                    Locale.ROOT,
                    "%nworkload: a request is one greedy completion of %d tokens (per-token figures: divide by %d);"
                            + " fidelity is the share of the unsplit model's greedy text reproduced%n",
                    tokens,
                    tokens);
        }
        Files.createDirectories(out);
        String stem = "fleet-" + modelName.replaceAll("[^A-Za-z0-9._-]", "_");
        Path csv = out.resolve(stem + ".csv");
        Files.writeString(csv, report.csv(), StandardCharsets.UTF_8);
        Path png = out.resolve(stem + ".png");
        report.writePng(png, planner.model());
        stdout.println();
        stdout.print(report.markdown());
        stdout.println();
        stdout.println("csv: " + csv);
        stdout.println("png: " + png);
        stdout.println(report.lastLine());
        return 0;
    }

    private FleetPoint point(Strategy s, int n, List<Sample> samples, double cpuMs, double wall, Scorer reference) {
        double[] lat =
                samples.stream().filter(Sample::ok).mapToDouble(Sample::seconds).toArray();
        double bytes = samples.stream()
                .filter(Sample::ok)
                .mapToDouble(Sample::uplinkBytes)
                .sum();
        double cosSum = 0;
        double cosMin = Double.NaN;
        int k = 0;
        for (Sample x : samples) {
            if (x.ok) {
                double c = reference.score(x);
                cosSum += c;
                cosMin = k == 0 ? c : Math.min(cosMin, c);
                k++;
            }
        }
        int failed = (int) samples.stream().filter(x -> !x.ok).count();
        return new FleetPoint(
                s,
                n,
                samples.size(),
                failed,
                cpuMs,
                wall,
                DataplaneBench.percentile(lat, 50),
                DataplaneBench.percentile(lat, 95),
                bytes,
                k == 0 ? Double.NaN : cosSum / k,
                cosMin);
    }

    /** One strategy's turns at one fleet size, summed. */
    private static final class Turns {
        final List<Sample> samples = new ArrayList<>();
        ProcessCpu.Delta cpu = ProcessCpu.Delta.ZERO;
        double wall;

        void add(List<Sample> got, ProcessCpu.Delta turn, double seconds) {
            samples.addAll(got);
            cpu = cpu.plus(turn);
            wall += seconds;
        }
    }

    /**
     * {@code n} logical edges sending their requests {@code from} (inclusive) to {@code to} concurrently (edge j's
     * k-th request is sentence {@code j * requestsPerEdge + k}, the same for every strategy); every answer or failure.
     */
    private List<Sample> drive(
            Fleet fleet,
            String modelName,
            List<String> sentences,
            int n,
            int from,
            int to,
            long periodNanos,
            Strategy s)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<List<Sample>>> parts = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                ServiceProcess host = fleet.edges().get(j % fleet.edges().size());
                OipClient c = new OipClient(host.httpPort());
                int first = j * requestsPerEdge;
                parts.add(pool.submit(() -> {
                    List<Sample> got = new ArrayList<>();
                    long next = System.nanoTime();
                    for (int k = from; k < to; k++) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait); // the edge's throttle, not a test wait
                        }
                        next = System.nanoTime() + periodNanos;
                        String text = sentences.get((first + k) % sentences.size());
                        long t0 = System.nanoTime();
                        got.add(ar ? complete(host, modelName, text, t0, s) : infer(c, modelName, text, t0, s));
                    }
                    return got;
                }));
            }
            List<Sample> all = new ArrayList<>();
            for (Future<List<Sample>> f : parts) {
                all.addAll(f.get(30, TimeUnit.MINUTES));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Sample infer(OipClient c, String modelName, String text, long t0, Strategy s) throws Exception {
        OipClient.Reply r = c.infer(modelName, List.of(text));
        double sec = (System.nanoTime() - t0) / 1e9;
        if (!r.ok()) {
            System.err.println(s.label + ": request failed: " + r.status() + " " + r.body());
        }
        return new Sample(
                r.ok(),
                sec,
                r.body().path("parameters").path("slicer_if_bytes").asDouble(),
                r.ok() ? r.floats(0) : null,
                text,
                null);
    }

    private Sample complete(ServiceProcess host, String modelName, String prompt, long t0, Strategy s)
            throws Exception {
        CompletionClient.Completion c = new CompletionClient(host.httpPort()).complete(modelName, prompt, tokens);
        double sec = (System.nanoTime() - t0) / 1e9;
        if (!c.ok()) {
            System.err.println(s.label + ": completion failed: " + c.status() + " " + c.body());
        }
        return new Sample(c.ok(), sec, c.ifBytes(), null, prompt, c.ok() ? c.text() : null);
    }

    /** Puts {@code plan} in force on every edge (the plan file they poll), waiting until each answers from it. */
    private void apply(Fleet fleet, String modelName, Plan plan) throws Exception {
        DataplaneBench.write(planFile, plan);
        if (ar) {
            awaitDecoderPlan(fleet, modelName, plan.sha256());
        } else {
            DataplaneBench.awaitPlan(fleet, modelName, plan.sha256());
        }
    }

    private void warmUp(Fleet fleet, String modelName, List<String> sentences, int perProcess) throws Exception {
        if (!ar) {
            DataplaneBench.warmUp(fleet, modelName, sentences, perProcess);
            return;
        }
        DataplaneBench.eachEdge(fleet, e -> {
            CompletionClient c = new CompletionClient(e.httpPort());
            for (int i = 0; i < perProcess; i++) {
                c.complete(modelName, sentences.get(i % sentences.size()), tokens);
            }
        });
    }

    /** Waits (bounded) until every decoder edge answers a completion from plan {@code hash}. */
    private static void awaitDecoderPlan(Fleet fleet, String modelName, String hash) throws Exception {
        for (ServiceProcess e : fleet.edges()) {
            CompletionClient c = new CompletionClient(e.httpPort());
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!c.complete(modelName, "warm-up", 1).plan().equals(hash)) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException(e.name() + " did not apply plan " + hash + " within 60 s");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    /** How an answer is scored against the unsplit model (the benchmark's fidelity column). */
    interface Scorer extends AutoCloseable {
        double score(Sample answered);

        @Override
        void close();

        /** Single-shot: the output cosine. */
        static Scorer output(UnsplitReference reference) {
            return new Scorer() {
                @Override
                public double score(Sample x) {
                    return reference.cosine(x.text(), x.output());
                }

                @Override
                public void close() {
                    reference.close();
                }
            };
        }

        /** --ar: the share of the unsplit model's greedy text reproduced before the first difference. */
        static Scorer greedy(GreedyReference reference) {
            return new Scorer() {
                @Override
                public double score(Sample x) {
                    return GreedyReference.prefixAgreement(reference.text(x.text()), x.completion());
                }

                @Override
                public void close() {
                    reference.close();
                }
            };
        }
    }

    /** The planner's row at {@code --link-rate} (profiled once per work directory and model). */
    private PlanRow plannerRow() throws Exception {
        Plan plan = planner.plan(work, null, DEVICE, stdout);
        double bits = Units.bitsPerSecond(linkRate);
        PlanRow row = plan.table(DEVICE).orElseThrow().lookup(bits > 0 ? bits : Double.MAX_VALUE);
        stdout.printf(
                Locale.ROOT,
                "planner: at %sbit/s the row is %s split %d (%s) %s, %d bytes, predicted fidelity %.4f%n",
                linkRate,
                row.kind(),
                row.split(),
                row.splitName(),
                row.theta() == null ? "-" : row.theta().id(),
                row.predictedBytes(),
                row.predictedFidelity());
        return row;
    }
}
