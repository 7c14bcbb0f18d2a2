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
 * <p>A {@link Snapshot} also reads every thread's time in nanoseconds ({@code /proc/PID/task/TID/schedstat}), for two
 * reasons. The process's 10 ms ticks cannot measure a window of a few requests (a benchmark point of one request
 * read 0), and the JVM's JIT compiler threads can be kept apart: in a run of a few hundred requests the back-end is
 * still compiling (C1 and C2 took a third of its CPU in a profiled 300-request run), a one-time cost a long-running
 * server no longer pays. A thread that exits between two snapshots is seen only in the ticks, which then bound the
 * total from below; an exited compiler thread counts as serving (the conservative side).
 */
public final class ProcessCpu {
    /** USER_HZ: the unit of utime/stime; 100 on every Linux architecture the JDK runs on. */
    static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {}

    public static double millis(long pid) {
        try {
            return fromStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + ": " + e.getMessage(), e);
        }
    }

    /** One thread's CPU milliseconds, and whether it is a JIT compiler thread. */
    public record ThreadCpu(double millis, boolean compiler) {}

    /** The process's CPU (ticks) and its live threads' CPU (nanosecond counts) at one moment. */
    public record Snapshot(double tickMillis, Map<Long, ThreadCpu> threads) {
        /** CPU milliseconds since {@code before}: everything, and without the JIT compiler threads. */
        public Delta since(Snapshot before) {
            double live = 0;
            double compiler = 0;
            for (Map.Entry<Long, ThreadCpu> e : threads.entrySet()) {
                ThreadCpu was = before.threads.get(e.getKey());
                double d = e.getValue().millis() - (was == null ? 0 : was.millis());
                live += d;
                compiler += e.getValue().compiler() ? d : 0;
            }
            double total = Math.max(tickMillis - before.tickMillis, live);
            double serving = total - Math.max(0, compiler);
            return new Delta(total, serving > 0 ? serving : total);
        }
    }

    /** CPU milliseconds over an interval: the whole process, and without its JIT compiler threads. */
    public record Delta(double totalMillis, double servingMillis) {}

    public static Snapshot snapshot(long pid) {
        double ticks = millis(pid);
        Map<Long, ThreadCpu> threads = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> ts = Files.list(tasks)) {
            ts.forEach(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String sched = Files.readString(t.resolve("schedstat"));
                    double ms = Long.parseLong(sched.substring(0, sched.indexOf(' '))) / 1e6;
                    boolean compiler = comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
                    threads.put(Long.parseLong(t.getFileName().toString()), new ThreadCpu(ms, compiler));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read: the ticks still count it
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the threads of process " + pid + ": " + e.getMessage(), e);
        }
        return new Snapshot(ticks, Map.copyOf(threads));
    }

    private static double fromStat(String stat) {
        // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        return (utime + stime) * 1000.0 / TICKS_PER_SECOND;
    }
}
