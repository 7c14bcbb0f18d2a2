package dev.slicer.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./slicer bench}. */
@Command(
        name = "slicer bench",
        mixinStandardHelpOptions = true,
        subcommands = {
            CodecCommand.class,
            JmhCommand.class,
            dev.slicer.bench.ar.ArCommand.class,
            dev.slicer.bench.ar.ArFloorCommand.class
        },
        description = "Benchmarks: `codec` (rate-distortion and throughput tables), `jmh` (raw JMH runner), `ar`"
                + " (autoregressive split decoding against a gpu-backend process).")
public final class BenchCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        // `jmh` passes JMH's own options (-f, -p, -wi, ...) through as positional arguments
        int code = new CommandLine(new BenchCli())
                .setUnmatchedOptionsArePositionalParams(true)
                .execute(args);
        System.exit(code);
    }
}
