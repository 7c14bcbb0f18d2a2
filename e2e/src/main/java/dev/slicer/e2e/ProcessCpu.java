package dev.slicer.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's own CPU time (user + system) from /proc/PID/stat, in milliseconds. Linux only. */
public final class ProcessCpu {
    /** USER_HZ: the unit of utime/stime; 100 on every Linux architecture the JDK runs on. */
    static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {}

    public static double millis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(f[11]);
            long stime = Long.parseLong(f[12]);
            return (utime + stime) * 1000.0 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + ": " + e.getMessage(), e);
        }
    }
}
