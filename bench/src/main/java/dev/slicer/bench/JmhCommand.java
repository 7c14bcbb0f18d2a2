package dev.slicer.bench;

import dev.slicer.bench.data.BenchPaths;
import dev.slicer.bench.data.DataStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./slicer bench jmh [JMH args]}: hands the arguments to JMH's own command line ({@code -h} lists them), with
 * the data cache directory set so {@link dev.slicer.bench.jmh.CodecBenchmark} finds or creates its data sets.
 */
@Command(
        name = "jmh",
        description = {
            "Runs the JMH benchmarks (dev.slicer.bench.jmh.CodecBenchmark) with JMH's own options, e.g."
                    + " `./slicer bench jmh CodecBenchmark -p method=int8,fp16 -p data=minilm-64 -f 1`."
        })
public final class JmhCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "JMH_ARGS", description = "Arguments for JMH (see -h).")
    List<String> args = List.of();

    @Override
    public Integer call() throws Exception {
        if (System.getProperty(DataStore.DIR_PROPERTY) == null) {
            System.setProperty(
                    DataStore.DIR_PROPERTY,
                    BenchPaths.benchTarget()
                            .resolve("bench-data")
                            .toAbsolutePath()
                            .toString());
        }
        String[] jmhArgs = args.toArray(String[]::new);
        // forked benchmark JVMs get the data directory too
        String[] withJvmArg = new String[jmhArgs.length + 2];
        withJvmArg[0] = "-jvmArgsAppend";
        withJvmArg[1] = "-D" + DataStore.DIR_PROPERTY + "=" + System.getProperty(DataStore.DIR_PROPERTY);
        System.arraycopy(jmhArgs, 0, withJvmArg, 2, jmhArgs.length);
        org.openjdk.jmh.Main.main(withJvmArg);
        return 0;
    }
}
