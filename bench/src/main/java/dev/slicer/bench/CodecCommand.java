package dev.slicer.bench;

import dev.slicer.bench.data.BenchPaths;
import dev.slicer.bench.data.DataStore;
import dev.slicer.bench.data.TensorSet;
import dev.slicer.bench.jmh.ThroughputRunner;
import dev.slicer.bench.jmh.TimingConfig;
import dev.slicer.bench.method.MethodSpec;
import dev.slicer.bench.method.Methods;
import dev.slicer.bench.metrics.Quality;
import dev.slicer.bench.report.CsvTable;
import dev.slicer.bench.report.Fmt;
import dev.slicer.bench.report.Goals;
import dev.slicer.bench.report.MarkdownTable;
import dev.slicer.bench.report.RdPlot;
import dev.slicer.bench.report.ResultRow;
import dev.slicer.bench.report.Summary;
import dev.slicer.codec.simd.Simd;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./slicer bench codec}: rate-distortion and throughput of the codec and the baselines on real activations. */
@Command(
        name = "codec",
        mixinStandardHelpOptions = true,
        description = {
            "Codec benchmark: MiniLM hidden states and synthetic heavy-tailed / ReLU tensors; fp16, int8, int4, zstd,"
                    + " lz4 and the SLICER sweep. Prints markdown tables and a final summary line; writes codec.md,"
                    + " codec.csv and codec-rd.png to --out. Progress goes to stderr."
        })
public final class CodecCommand implements Callable<Integer> {

    static final int QUICK_SENTENCES = 64;
    static final int QUICK_SYNTHETIC = 16;
    static final int FULL_SYNTHETIC = 64;

    /** Full run on minilm, reference point and baselines: a forked JVM per benchmark. */
    static final TimingConfig FULL_PRIMARY = new TimingConfig(1, 6, 1000, 5, 500);
    /** Full run, every other row: in-process after {@link JitWarmup}. */
    static final TimingConfig FULL_OTHER = new TimingConfig(0, 1, 300, 3, 200);
    /** --quick on minilm, the two rows of the summary line (reference point, zstd-1 fp32): forked. */
    static final TimingConfig QUICK_PRIMARY = new TimingConfig(1, 6, 800, 3, 300);
    /** --quick, every other row: in-process after {@link JitWarmup}, short. */
    static final TimingConfig QUICK_OTHER = new TimingConfig(0, 1, 200, 2, 150);

    /** Baselines measured forked in a full run (the rest, quantizer baselines, in-process like the sweep). */
    static final java.util.Set<String> BASELINES_FORKED =
            java.util.Set.of("fp16", "int8", "int4", Methods.ZSTD1_FP32, "zstd1-fp16", "lz4-fp32", "airzstd-fp32");

    static final long FULL_WARMUP_NANOS = 10_000_000_000L;
    static final long QUICK_WARMUP_NANOS = 4_000_000_000L;

    @Option(
            names = "--quick",
            description = "64 sentences, 16 synthetic tensors per set, smaller sweep, shorter JMH runs.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: bench/results).")
    Path out;

    @Option(
            names = "--sentences",
            paramLabel = "N",
            description = "MiniLM sentences to use (default: all; " + QUICK_SENTENCES + " with --quick).")
    Integer sentences;

    private final PrintStream stdout = System.out;
    private final PrintStream stderr = System.err;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Path outDir = out != null ? out : BenchPaths.benchModule().resolve("results");
        DataStore store = new DataStore(BenchPaths.benchTarget().resolve("bench-data"));
        int n = sentences != null ? sentences : quick ? QUICK_SENTENCES : 0;
        int synthetic = quick ? QUICK_SYNTHETIC : FULL_SYNTHETIC;
        List<String> keys =
                List.of(DataStore.minilmKey(n), DataStore.heavyKey(synthetic), DataStore.reluKey(synthetic));
        List<TensorSet> sets = new ArrayList<>();
        for (String key : keys) {
            sets.add(store.load(key, this::progress));
        }

        List<MethodSpec> methods = new ArrayList<>(Methods.baselines());
        Methods.sweep(quick).forEach(c -> methods.add(Methods.slicer(c)));
        String referenceId = Methods.idOf(Methods.REFERENCE);
        TimingConfig primary = quick ? QUICK_PRIMARY : FULL_PRIMARY;
        TimingConfig other = quick ? QUICK_OTHER : FULL_OTHER;
        ThroughputRunner runner = new ThroughputRunner(store.dir());

        List<List<ResultRow>> perSet = new ArrayList<>();
        int total = sets.size() * methods.size();
        int done = 0;
        for (int s = 0; s < sets.size(); s++) {
            TensorSet set = sets.get(s);
            List<ResultRow> rows = new ArrayList<>();
            long warmup = quick ? QUICK_WARMUP_NANOS : FULL_WARMUP_NANOS;
            int passes = JitWarmup.run(methods, set, warmup);
            progress(String.format(
                    Locale.ROOT, "JIT warm-up on %s: %d passes over %d methods", set.name(), passes, methods.size()));
            for (MethodSpec m : methods) {
                TimingConfig timing = s == 0 && isPrimary(m, referenceId, quick) ? primary : other;
                Quality q = RateDistortion.measure(m, set);
                ThroughputRunner.Pair t = runner.measure(m.id(), keys.get(s), set.fp32Bytes(), timing);
                rows.add(new ResultRow(
                        set.name(),
                        m.id(),
                        m.family(),
                        m.settings(),
                        m.isSlicer(),
                        m.lossless(),
                        m.id().equals(referenceId),
                        m.token(),
                        q,
                        t.encode(),
                        t.decode(),
                        timing.forks() == 0 ? "jmh-fork0" : "jmh-fork" + timing.forks()));
                done++;
                progress(String.format(
                        Locale.ROOT,
                        "[%d/%d] %s %-44s %7.3f bits/elem  cos %.4f  enc %8.1f MB/s  dec %8.1f MB/s",
                        done,
                        total,
                        set.name(),
                        m.id(),
                        q.bitsPerElement(),
                        q.cosine(),
                        t.encode().mbPerSecond(),
                        t.decode().mbPerSecond()));
            }
            perSet.add(rows);
        }

        String summary = Summary.line(perSet.get(0), Methods.ZSTD1_FP32);
        String report = report(sets, perSet, primary, other, quick, loadAtStart) + "\n" + summary + "\n";

        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("codec.md"), report, StandardCharsets.UTF_8);
        List<ResultRow> all = new ArrayList<>();
        perSet.forEach(all::addAll);
        Files.writeString(outDir.resolve("codec.csv"), CsvTable.render(all), StandardCharsets.UTF_8);
        List<XYChart> charts = new ArrayList<>();
        for (int s = 0; s < sets.size(); s++) {
            charts.add(RdPlot.chart("rate-distortion: " + sets.get(s).description(), perSet.get(s)));
        }
        RdPlot.write(outDir.resolve("codec-rd.png"), charts);
        progress(String.format(
                Locale.ROOT,
                "wrote codec.md, codec.csv, codec-rd.png to %s (%.0f s)",
                outDir,
                (System.nanoTime() - t0) / 1e9));

        stdout.print(report); // ends with the summary line
        stdout.flush();
        return 0;
    }

    static String report(
            List<TensorSet> sets,
            List<List<ResultRow>> perSet,
            TimingConfig primary,
            TimingConfig other,
            boolean quick,
            double loadAtStart) {
        StringBuilder sb = new StringBuilder();
        sb.append("# SLICER codec benchmark").append(quick ? " (--quick)" : "").append("\n\n");
        sb.append("- bits/elem: frame bytes x 8 / elements, summed over tensors (one frame per tensor)\n");
        sb.append("- cosine: mean over tensors of the per-tensor cosine similarity; rel MSE: sum sq err / sum sq\n");
        sb.append("- enc/dec MB/s: 10^6 bytes of fp32 data per second, one thread, whole data set per operation\n");
        sb.append(
                        quick
                                ? "- reference point, ECSQ step 0.49 and zstd-1 fp32 (the summary line): "
                                : "- reference point, ECSQ step 0.49 and the fp16/int8/int4/zstd/lz4 baselines: ")
                .append(primary.describe())
                .append('\n');
        sb.append(quick ? "- all other rows: " : "- rest of the SLICER sweep and the quantizer baselines: ")
                .append(other.describe())
                .append('\n');
        sb.append(String.format(
                Locale.ROOT,
                "- machine: %d cores visible, %s %s, load average %.2f at start, %.2f at end"
                        + " (other work on the machine lowers the MB/s figures)\n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                loadAtStart,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        sb.append("- codec kernels: ")
                .append(
                        Simd.enabled()
                                ? "Vector API (jdk.incubator.vector), same bytes as the scalar code\n"
                                : "scalar (start the JVM with --add-modules jdk.incubator.vector for the Vector API)\n");
        for (int s = 0; s < sets.size(); s++) {
            TensorSet set = sets.get(s);
            List<ResultRow> rows = perSet.get(s);
            sb.append("\n## ")
                    .append(set.name())
                    .append(": ")
                    .append(set.description())
                    .append("\n\n");
            sb.append(MarkdownTable.render(rows));
            sb.append('\n');
            sb.append(Summary.bestAtTarget(rows)
                    .map(b -> "Fewest bits at mean cosine >= 0.99: " + b.settings() + " at "
                            + Fmt.bits(b.quality().bitsPerElement()) + " bits/element.\n")
                    .orElse("No SLICER setting of the sweep reaches mean cosine >= 0.99.\n"));
        }
        sb.append("\n## Goals (").append(sets.get(0).name()).append(")\n\n");
        for (String g : Goals.check(perSet.get(0), Methods.ZSTD1_FP32)) {
            sb.append(g).append('\n');
        }
        return sb.toString();
    }

    /** Rows measured with the longer, forked configuration. */
    static boolean isPrimary(MethodSpec m, String referenceId, boolean quick) {
        if (m.id().equals(referenceId) || m.id().equals(Methods.idOf(Methods.ECSQ_PRIMARY))) {
            return true;
        }
        return quick ? m.id().equals(Methods.ZSTD1_FP32) : !m.isSlicer() && BASELINES_FORKED.contains(m.id());
    }

    private void progress(String message) {
        stderr.println("bench: " + message);
        stderr.flush();
    }
}
