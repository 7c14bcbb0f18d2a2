package dev.slicer.bench.jmh;

import java.util.Locale;

/**
 * How JMH measures one (method, data set) pair.
 *
 * @param forks 0 runs in this JVM, 1 in a fresh JVM per benchmark
 * @param warmupIterations warm-up iterations
 * @param warmupMillis length of one warm-up iteration
 * @param measurementIterations measured iterations
 * @param measurementMillis length of one measured iteration
 */
public record TimingConfig(
        int forks, int warmupIterations, int warmupMillis, int measurementIterations, int measurementMillis) {

    public TimingConfig {
        if (forks < 0
                || warmupIterations < 0
                || measurementIterations < 1
                || warmupMillis < 1
                || measurementMillis < 1) {
            throw new IllegalArgumentException("bad timing config");
        }
    }

    public String describe() {
        return String.format(
                Locale.ROOT,
                "JMH throughput, 1 thread, %s, warmup %dx%d ms, measurement %dx%d ms",
                forks == 0 ? "in-process (fork 0)" : forks + " fork" + (forks > 1 ? "s" : ""),
                warmupIterations,
                warmupMillis,
                measurementIterations,
                measurementMillis);
    }
}
