package dev.slicer.bench.ar;

import dev.slicer.edge.ar.ArGenerator;
import dev.slicer.edge.ar.ArSessionClient;
import dev.slicer.edge.ar.Generation;
import dev.slicer.edge.ar.Sampler;
import dev.slicer.edge.backend.BackendChannel;
import dev.slicer.edge.backend.Backoff;
import dev.slicer.edge.backend.RetryPolicy;
import dev.slicer.edge.infer.LinkCrossing;
import dev.slicer.edge.plan.RowChoice;
import dev.slicer.edge.plan.RowSelector;
import dev.slicer.model.ar.Fidelity;
import dev.slicer.model.ar.KvDecoder;
import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.RowKind;
import dev.slicer.protocol.WireLimits;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./slicer bench ar}: the same generations cloud-only (all layers on the back-end), offloaded at (w, l) with
 * the given knobs, and local-only, against a gpu-backend process. Per mode: bits per shipped position, back-end ms
 * per token from the back-end process's own CPU time, edge ms per token (CPU of the generating threads), token
 * agreement and mean KL against the unsplit model (teacher forcing on the generated path), time to first token and
 * inter-token latency p50/p95.
 */
@Command(
        name = "ar",
        mixinStandardHelpOptions = true,
        description = {
            "Autoregressive split decoding: cloud-only vs offload at (w, l) vs local-only against a gpu-backend process."
                    + " Last line: ar: bits_per_token=B backend_ms_per_token=S cloud_backend_ms_per_token=C"
                    + " agreement=A kl=K"
        })
public final class ArCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--tokens", defaultValue = "128", description = "tokens generated per session (default 128)")
    int tokens;

    /**
     * The 8 x 512 decoder: on the 4 x 64 {@code builtin:tiny-llama} a step's layers cost microseconds and every mode's
     * back-end time is the per-call cost of ONNX Runtime and gRPC, which no split removes (measured 1.3x).
     */
    @Option(
            names = "--model",
            defaultValue = "builtin:small-llama",
            description = "decoder (default ${DEFAULT-VALUE}; builtin:tiny-llama is the small test decoder)")
    String model;

    @Option(names = "--sessions", defaultValue = "1", description = "concurrent sessions per mode (default 1)")
    int sessions;

    @Option(names = "--split", description = "split candidate (index or name; default the last decoder block)")
    String split;

    @Option(names = "--w", defaultValue = "1", description = "hand-off step w (default 1)")
    int w;

    @Option(
            names = "--knobs",
            // delta 0.005: the widest TS/TAB-Q setting that keeps small-llama's greedy agreement above 0.95
            defaultValue = "tstabq:8:0.005",
            description = "lossless, tstabq:QBIT[:DELTA][:rans] (DELTA default 0.02), topk:S or ecsq:BITS (default"
                    + " ${DEFAULT-VALUE})")
    String knobs;

    @Option(
            names = "--warm-up",
            defaultValue = "8",
            description = "untimed generations of --tokens tokens per mode first, so that the back-end's JIT has"
                    + " compiled each mode's path (default ${DEFAULT-VALUE})")
    int warmUp;

    @Option(names = "--prompt", defaultValue = "The split point of a decoder is chosen per link. ")
    String prompt;

    @Override
    public Integer call() throws Exception {
        if (tokens < 2 || sessions < 1 || w < 1 || warmUp < 0) {
            throw new ParameterException(
                    spec.commandLine(), "--tokens >= 2, --sessions >= 1, --w >= 1 and --warm-up >= 0");
        }
        Path root = root();
        SplittableModel m = SplittableModel.load(model);
        SplitCandidate c = split == null ? lastBlock(m) : m.candidate(split);
        Theta theta = knobs(knobs);
        long[] promptIds = dev.slicer.edge.ar.ArTokenizers.forModel(model, Optional.empty())
                .encode(prompt);
        Path logs = root.resolve("bench/target/ar");
        System.err.printf(
                "bench ar: %s, prompt %d tokens, %d tokens x %d session(s); offload at %s (w=%d) with %s%n",
                model, promptIds.length, tokens, sessions, c.name(), w, theta.id());
        try (BackendProcess backend = BackendProcess.start(root, model, logs);
                BackendChannel channel = new BackendChannel(backend.address(), WireLimits.forElements(1 << 22));
                ArGenerator gen = new ArGenerator(
                        model,
                        m,
                        Optional.of(channel),
                        LinkCrossing.unemulated(),
                        new ArSessionClient.Settings(
                                Duration.ofSeconds(60),
                                new RetryPolicy(
                                        4, new Backoff(Duration.ofMillis(20), Duration.ofSeconds(1)), Duration.ZERO),
                                64L << 20,
                                1 << 22),
                        false,
                        "bench",
                        "bench",
                        1 << 22);
                KvDecoder whole = KvDecoder.whole(m, o -> {})) {
            List<Mode> modes = List.of(
                    new Mode("cloud", row(m, -1, 1, null)),
                    new Mode("offload", row(m, c.index(), w, theta)),
                    new Mode("local", row(m, m.candidates().size(), 0, null)));
            for (Mode mode : modes) { // warm-up: JIT, sessions, decoders on both sides
                for (int i = 0; i < warmUp; i++) {
                    run(gen, mode, promptIds, tokens, sessions, backend);
                }
            }
            int hidden = hiddenSize(m, c);
            System.out.printf(
                    Locale.ROOT,
                    "%-8s %10s %10s %10s %9s %9s %9s %9s %9s %9s%n",
                    "mode",
                    "bits/tok",
                    "backend_ms",
                    "edge_ms",
                    "agreement",
                    "kl",
                    "ttft_p50",
                    "itl_p50",
                    "itl_p95",
                    "sessions");
            Result cloud = null;
            Result offload = null;
            for (Mode mode : modes) {
                Result r = run(gen, mode, promptIds, tokens, sessions, backend);
                Fidelity f = fidelity(whole, promptIds, r.generations);
                r = r.withFidelity(f);
                System.out.printf(
                        Locale.ROOT,
                        "%-8s %10.1f %10.3f %10.3f %9.4f %9.6f %8.2fms %8.2fms %8.2fms %9d%n",
                        mode.name,
                        r.bitsPerToken,
                        r.backendMsPerToken,
                        r.edgeMsPerToken,
                        f.agreement(),
                        f.kl(),
                        r.ttftP50,
                        r.itlP50,
                        r.itlP95,
                        sessions);
                if (mode.name.equals("cloud")) {
                    cloud = r;
                } else if (mode.name.equals("offload")) {
                    offload = r;
                }
            }
            double fp16 = 16.0 * hidden;
            System.out.printf(
                    Locale.ROOT,
                    "offload vs cloud: back-end time per token %.2fx lower (goal >= 4.4x); bits per token %.1f = %.3f of"
                            + " the fp16 hidden state (%d x 16 = %.0f bits; goal <= 0.1)%n",
                    cloud.backendMsPerToken / offload.backendMsPerToken,
                    offload.bitsPerToken,
                    offload.bitsPerToken / fp16,
                    hidden,
                    fp16);
            System.out.printf(
                    Locale.ROOT,
                    "ar: bits_per_token=%.1f backend_ms_per_token=%.4f cloud_backend_ms_per_token=%.4f agreement=%.4f"
                            + " kl=%.6f%n",
                    offload.bitsPerToken,
                    offload.backendMsPerToken,
                    cloud.backendMsPerToken,
                    offload.fidelity.agreement(),
                    offload.fidelity.kl());
        }
        return 0;
    }

    record Mode(String name, RowChoice row) {}

    record Result(
            List<Generation> generations,
            double bitsPerToken,
            double backendMsPerToken,
            double edgeMsPerToken,
            double ttftP50,
            double itlP50,
            double itlP95,
            Fidelity fidelity) {
        Result withFidelity(Fidelity f) {
            return new Result(generations, bitsPerToken, backendMsPerToken, edgeMsPerToken, ttftP50, itlP50, itlP95, f);
        }
    }

    private static Result run(ArGenerator gen, Mode mode, long[] prompt, int tokens, int sessions, BackendProcess b)
            throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        double cpu0 = b.cpuMillis();
        List<long[]> timings = new ArrayList<>();
        List<Generation> gens = new ArrayList<>();
        List<Future<Generation>> out = new ArrayList<>();
        try {
            for (int s = 0; s < sessions; s++) {
                long[] stamps = new long[tokens + 2]; // start, one per token, then the thread's CPU nanos
                timings.add(stamps);
                out.add(pool.submit(() -> {
                    long cpu = mx.getCurrentThreadCpuTime();
                    stamps[0] = System.nanoTime();
                    int[] n = {0};
                    Generation g = gen.generate(
                            new ArGenerator.Request(prompt, tokens, Sampler.greedy(), true),
                            RowSelector.Decision.of(mode.row()),
                            "",
                            t -> {
                                stamps[++n[0]] = System.nanoTime();
                                return true;
                            },
                            () -> false);
                    stamps[tokens + 1] = mx.getCurrentThreadCpuTime() - cpu;
                    return g;
                }));
            }
            for (Future<Generation> f : out) {
                gens.add(f.get(30, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
        double backendMs = b.cpuMillis() - cpu0;
        List<Double> ttft = new ArrayList<>();
        List<Double> itl = new ArrayList<>();
        double edgeCpuMs = 0;
        long bytes = 0;
        for (int s = 0; s < sessions; s++) {
            long[] st = timings.get(s);
            ttft.add((st[1] - st[0]) / 1e6);
            for (int t = 2; t <= tokens; t++) {
                itl.add((st[t] - st[t - 1]) / 1e6);
            }
            edgeCpuMs += st[tokens + 1] / 1e6;
            bytes += gens.get(s).ifBytes();
        }
        // positions shipped: the hand-off's P + w - 1 plus one per later token (cloud: the ids, local: none)
        long positions = (long) sessions * (prompt.length + tokens - 1);
        double total = (double) sessions * tokens;
        return new Result(
                gens,
                8.0 * bytes / positions,
                backendMs / total,
                edgeCpuMs / total,
                quantile(ttft, 0.5),
                quantile(itl, 0.5),
                quantile(itl, 0.95),
                null);
    }

    private static Fidelity fidelity(KvDecoder whole, long[] prompt, List<Generation> gens) {
        double agree = 0;
        double kl = 0;
        for (Generation g : gens) {
            Fidelity f = Fidelity.of(Fidelity.reference(whole, prompt, g.tokens()), g.logits());
            agree += f.agreement();
            kl += f.kl();
        }
        return new Fidelity(agree / gens.size(), kl / gens.size());
    }

    private static double quantile(List<Double> v, double q) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length == 0 ? Double.NaN : a[Math.min(a.length - 1, (int) Math.floor(q * a.length))];
    }

    static RowChoice row(SplittableModel m, int split, int w, Theta theta) {
        int n = m.candidates().size();
        RowKind kind = split < 0 ? RowKind.CLOUD_ONLY : split >= n ? RowKind.LOCAL_ONLY : RowKind.SPLIT;
        String name =
                kind == RowKind.SPLIT ? m.candidate(split).name() : kind.name().toLowerCase(Locale.ROOT);
        return RowChoice.of(new PlanRow(
                0, 0, 1, 1, 1, 1, kind, split, name, w, kind == RowKind.SPLIT ? theta : null, 0, 0.0, 1.0, "bench ar"));
    }

    /** The deepest candidate that ends a decoder block (most layers on the edge; the back-end keeps the rest). */
    static SplitCandidate lastBlock(SplittableModel m) {
        SplitCandidate best = m.candidates().get(0);
        for (SplitCandidate c : m.candidates()) {
            if (c.name().matches(".*\\.\\d+$")) {
                best = c;
            }
        }
        return best;
    }

    static int hiddenSize(SplittableModel m, SplitCandidate c) {
        var info = m.tensorInfo(c.bigTensor());
        List<String> dims = info.dims();
        return Integer.parseInt(dims.get(dims.size() - 1));
    }

    static Theta knobs(String spec) {
        String[] p = spec.split(":");
        return switch (p[0]) {
            case "lossless" -> Theta.lossless();
            // the level count per row is chosen by delta (the largest mean gap, as a share of the row's range); QBIT
            // only caps it
            case "tstabq" ->
                Theta.tsTabq(
                        0.01,
                        Integer.parseInt(p[1]),
                        p.length > 2 && !p[2].equals("rans") ? Double.parseDouble(p[2]) : 0.02,
                        p[p.length - 1].equals("rans"));
            case "topk" -> Theta.topK(Double.parseDouble(p[1]), 2, 2, 0.0, 8, 0.02, false);
            case "ecsq" -> Theta.ecsq(Double.parseDouble(p[1]), false);
            default ->
                throw new IllegalArgumentException(
                        "unknown --knobs " + spec + "; use lossless, tstabq:QBIT[:DELTA][:rans], topk:S or ecsq:BITS");
        };
    }

    /** The project root: the nearest directory upwards holding gpu-backend/pom.xml. */
    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("gpu-backend/pom.xml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("run from inside the project (gpu-backend/pom.xml not found upwards)");
        }
        return p;
    }
}
