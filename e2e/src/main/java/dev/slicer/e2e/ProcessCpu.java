package dev.slicer.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A process's own CPU time (user + system) from /proc, in milliseconds. Linux only.
 *
 * <p>A {@link Snapshot} also keeps the JVM's JIT compiler threads apart: in a run of a few hundred requests the
 * back-end is still compiling (C1 and C2 took a third of its CPU in a profiled 300-request run), a one-time cost a
 * long-running server no longer pays. A benchmark reports the process total and the serving CPU without them. A
 * compiler thread that exits between two snapshots, and an interval too short for the 10 ms ticks to leave any
 * serving time, count as serving (the conservative side).
 */
public final class ProcessCpu {
    /** USER_HZ: the unit of utime/stime; 100 on every Linux architecture the JDK runs on. */
    static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {}

    public static double millis(long pid) {
        return millis(Path.of("/proc", Long.toString(pid), "stat"), pid);
    }

    /** The process's CPU and its JIT compiler threads' CPU at one moment. */
    public record Snapshot(double totalMillis, Map<Long, Double> compilerMillis) {
        /** CPU milliseconds since {@code before}: everything, and without the JIT compiler threads. */
        public Delta since(Snapshot before) {
            double compiler = 0;
            for (Map.Entry<Long, Double> e : compilerMillis.entrySet()) {
                compiler += e.getValue() - before.compilerMillis.getOrDefault(e.getKey(), 0.0);
            }
            double total = totalMillis - before.totalMillis;
            double serving = total - Math.max(0, compiler);
            // /proc counts in 10 ms ticks: an interval too short to separate the two counts everything as serving
            return new Delta(total, serving > 0 ? serving : total);
        }
    }

    /** CPU milliseconds over an interval: the whole process, and without its JIT compiler threads. */
    public record Delta(double totalMillis, double servingMillis) {}

    public static Snapshot snapshot(long pid) {
        double total = millis(pid);
        Map<Long, Double> compilers = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> ts = Files.list(tasks)) {
            ts.forEach(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        compilers.put(Long.parseLong(t.getFileName().toString()), fromStat(stat));
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read: nothing to count
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the threads of process " + pid + ": " + e.getMessage(), e);
        }
        return new Snapshot(total, Map.copyOf(compilers));
    }

    private static double millis(Path stat, long pid) {
        try {
            return fromStat(Files.readString(stat));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + ": " + e.getMessage(), e);
        }
    }

    private static double fromStat(String stat) {
        // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        return (utime + stime) * 1000.0 / TICKS_PER_SECOND;
    }
}
