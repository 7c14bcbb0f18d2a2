package dev.slicer.bench.jmh;

import dev.slicer.bench.data.DataStore;
import java.nio.file.Path;
import java.util.Collection;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs {@link CodecBenchmark} programmatically for one method and data set and converts ops/s to MB/s. */
public final class ThroughputRunner {
    /**
     * Module that turns on the codec's Vector API kernels. Forks inherit the launcher JVM's flags, but the codec
     * figures must not depend on how the benchmark was started, so every fork gets it explicitly.
     */
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static final String INCLUDE = "^" + Pattern.quote(CodecBenchmark.class.getName()) + "\\.(encode|decode)$";

    private final Path dataDir;

    public ThroughputRunner(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath();
        // in-process runs (fork 0) resolve the data set through the same property as forked ones
        System.setProperty(DataStore.DIR_PROPERTY, this.dataDir.toString());
    }

    /** Encode and decode throughput. */
    public record Pair(Throughput encode, Throughput decode) {}

    public Pair measure(String methodId, String dataKey, long fp32BytesPerOp, TimingConfig config)
            throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(INCLUDE)
                .param("method", methodId)
                .param("data", dataKey)
                .forks(config.forks())
                .warmupIterations(config.warmupIterations())
                .warmupTime(TimeValue.milliseconds(config.warmupMillis()))
                .measurementIterations(config.measurementIterations())
                .measurementTime(TimeValue.milliseconds(config.measurementMillis()))
                .threads(1)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        if (config.forks() > 0) {
            options.jvmArgsAppend(
                    "--add-modules",
                    VECTOR_MODULE,
                    "-D" + DataStore.DIR_PROPERTY + "=" + dataDir,
                    "-Djava.awt.headless=true");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Throughput encode = null;
        Throughput decode = null;
        for (RunResult r : results) {
            String benchmark = r.getParams().getBenchmark();
            Throughput t = toThroughput(r.getPrimaryResult(), fp32BytesPerOp);
            if (benchmark.endsWith(".encode")) {
                encode = t;
            } else if (benchmark.endsWith(".decode")) {
                decode = t;
            }
        }
        if (encode == null || decode == null) {
            throw new RunnerException("JMH returned no result for " + methodId + " on " + dataKey);
        }
        return new Pair(encode, decode);
    }

    static Throughput toThroughput(Result<?> result, long fp32BytesPerOp) {
        if (!"ops/s".equals(result.getScoreUnit())) {
            throw new IllegalStateException("unexpected JMH unit " + result.getScoreUnit());
        }
        double perOp = fp32BytesPerOp / 1e6;
        return new Throughput(result.getScore() * perOp, result.getScoreError() * perOp);
    }
}
