package dev.slicer.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
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

    /** One thread's CPU milliseconds and what the thread does. */
    public record ThreadCpu(double millis, ThreadRole role) {
        boolean compiler() {
            return role == ThreadRole.JIT;
        }
    }

    /**
     * What a back-end thread spends its CPU on, from its name (Linux keeps the first 15 characters): the split where a
     * benchmark asks which stage eats the server time.
     */
    public enum ThreadRole {
        /** The model's tail: the batcher's and the AR engine's compute threads (ONNX Runtime runs on them). */
        COMPUTE,
        /** Request handling off the network threads: validation, frame decoding, admission (Quarkus workers). */
        REQUEST,
        /** gRPC and HTTP/2 framing: the Netty and Vert.x event loops. */
        TRANSPORT,
        /** Garbage collection and the VM's own safepoint work. */
        GC,
        /** The JIT compilers: a one-time cost. */
        JIT,
        OTHER;

        public static ThreadRole of(String comm) {
            if (comm.startsWith("slicer-compute") || comm.startsWith("ar-compute")) {
                return COMPUTE;
            }
            if (comm.startsWith("executor-thread") || comm.startsWith("vert.x-worker")) {
                return REQUEST;
            }
            if (comm.startsWith("vert.x-eventloo")
                    || comm.startsWith("grpc-")
                    || comm.startsWith("nioEventLoop")
                    || comm.startsWith("epollEventLoop")) {
                return TRANSPORT;
            }
            if (comm.startsWith("GC Thread")
                    || comm.startsWith("G1 ")
                    || comm.startsWith("VM Thread")
                    || comm.startsWith("VM Periodic")) {
                return GC;
            }
            if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                return JIT;
            }
            return OTHER;
        }
    }

    /** The process's CPU (ticks) and its live threads' CPU (nanosecond counts) at one moment. */
    public record Snapshot(double tickMillis, Map<Long, ThreadCpu> threads) {
        /** CPU milliseconds since {@code before}: everything, and without the JIT compiler threads. */
        public Delta since(Snapshot before) {
            double live = 0;
            double compiler = 0;
            Map<ThreadRole, Double> byRole = new EnumMap<>(ThreadRole.class);
            for (Map.Entry<Long, ThreadCpu> e : threads.entrySet()) {
                ThreadCpu was = before.threads.get(e.getKey());
                double d = e.getValue().millis() - (was == null ? 0 : was.millis());
                live += d;
                compiler += e.getValue().compiler() ? d : 0;
                byRole.merge(e.getValue().role(), d, Double::sum);
            }
            double total = Math.max(tickMillis - before.tickMillis, live);
            double serving = total - Math.max(0, compiler);
            return new Delta(total, serving > 0 ? serving : total, Map.copyOf(byRole));
        }
    }

    /**
     * CPU milliseconds over an interval: the whole process, without its JIT compiler threads, and the live threads'
     * time by role (threads that exited in the interval are in the totals only).
     */
    public record Delta(double totalMillis, double servingMillis, Map<ThreadRole, Double> byRole) {
        public static final Delta ZERO = new Delta(0, 0, Map.of());

        /** The sum of two intervals' CPU. */
        public Delta plus(Delta o) {
            Map<ThreadRole, Double> sum = new EnumMap<>(ThreadRole.class);
            byRole.forEach((r, v) -> sum.merge(r, v, Double::sum));
            o.byRole.forEach((r, v) -> sum.merge(r, v, Double::sum));
            return new Delta(totalMillis + o.totalMillis, servingMillis + o.servingMillis, Map.copyOf(sum));
        }

        public double millis(ThreadRole role) {
            return byRole.getOrDefault(role, 0.0);
        }

        /** "compute 1.20, request 0.31, ..." in milliseconds per {@code per} (e.g. per request), roles with time. */
        public String perRole(double per) {
            StringBuilder b = new StringBuilder();
            for (ThreadRole r : ThreadRole.values()) {
                if (millis(r) > 0) {
                    b.append(b.length() == 0 ? "" : ", ")
                            .append(r.name().toLowerCase(Locale.ROOT))
                            .append(String.format(Locale.ROOT, " %.2f", millis(r) / per));
                }
            }
            return b.toString();
        }
    }

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
                    threads.put(Long.parseLong(t.getFileName().toString()), new ThreadCpu(ms, ThreadRole.of(comm)));
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
