package dev.slicer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.e2e.ProcessCpu.ThreadCpu;
import dev.slicer.e2e.ProcessCpu.ThreadRole;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
    static ThreadCpu serving(double ms) {
        return new ThreadCpu(ms, ThreadRole.COMPUTE);
    }

    static ThreadCpu compiler(double ms) {
        return new ThreadCpu(ms, ThreadRole.JIT);
    }

    @Test
    void servingCpuLeavesOutTheCompilerThreadsThatRan() {
        var before = new ProcessCpu.Snapshot(100, Map.of(1L, serving(50), 2L, compiler(10), 3L, compiler(5)));
        // thread 3 (a compiler) exited; thread 4 is new
        var after = new ProcessCpu.Snapshot(200, Map.of(1L, serving(120), 2L, compiler(30), 4L, serving(4)));
        ProcessCpu.Delta d = after.since(before);
        assertThat(d.totalMillis())
                .as("the ticks see the exited thread too: above the live threads' 94")
                .isEqualTo(100);
        assertThat(d.servingMillis()).as("100 - (30 - 10)").isEqualTo(80);
        assertThat(d.millis(ThreadRole.COMPUTE))
                .as("the live serving threads: 70 + 4")
                .isEqualTo(74);
        assertThat(d.millis(ThreadRole.JIT)).isEqualTo(20);
        assertThat(d.perRole(2)).isEqualTo("compute 37.00, jit 10.00");
    }

    @Test
    void aWindowShorterThanATickIsMeasuredByTheThreadsNanoseconds() {
        var before = new ProcessCpu.Snapshot(100, Map.of(1L, serving(50.0), 2L, compiler(10)));
        var after = new ProcessCpu.Snapshot(100, Map.of(1L, serving(53.5), 2L, compiler(10.5)));
        ProcessCpu.Delta d = after.since(before);
        assertThat(d.totalMillis()).isEqualTo(4.0);
        assertThat(d.servingMillis()).isEqualTo(3.5);
    }

    @Test
    void whenTheCompilerTookAllTheTicksEverythingCountsAsServing() {
        var before = new ProcessCpu.Snapshot(100, Map.of(2L, compiler(10)));
        var after = new ProcessCpu.Snapshot(110, Map.of(2L, compiler(30)));
        assertThat(after.since(before).servingMillis()).isEqualTo(20);
    }

    @Test
    void backEndThreadsAreSortedByWhatTheyDo() {
        assertThat(ThreadRole.of("slicer-compute")).isEqualTo(ThreadRole.COMPUTE);
        assertThat(ThreadRole.of("ar-compute")).isEqualTo(ThreadRole.COMPUTE);
        assertThat(ThreadRole.of("executor-thread")).isEqualTo(ThreadRole.REQUEST);
        assertThat(ThreadRole.of("vert.x-eventloo")).isEqualTo(ThreadRole.TRANSPORT);
        assertThat(ThreadRole.of("grpc-nio-worker")).isEqualTo(ThreadRole.TRANSPORT);
        assertThat(ThreadRole.of("GC Thread#1")).isEqualTo(ThreadRole.GC);
        assertThat(ThreadRole.of("C2 CompilerThre")).isEqualTo(ThreadRole.JIT);
        assertThat(ThreadRole.of("slicer-plan-pol")).isEqualTo(ThreadRole.OTHER);
    }

    @Test
    void thisJvmsThreadsAreReadAndItsCompilerThreadsFoundByName() {
        long pid = ProcessHandle.current().pid();
        ProcessCpu.Snapshot s = ProcessCpu.snapshot(pid);
        assertThat(s.tickMillis()).isPositive();
        assertThat(s.threads()).as("this thread and others").hasSizeGreaterThan(2);
        assertThat(s.threads().values())
                .as("a JIT-compiling JVM has C1/C2 compiler threads")
                .anyMatch(ThreadCpu::compiler);
        assertThat(s.threads().values())
                .as("the GC's threads are found by name")
                .anyMatch(t -> t.role() == ThreadRole.GC);
        long spin = System.nanoTime() + 30_000_000L;
        double x = 0;
        while (System.nanoTime() < spin) {
            x += Math.sqrt(x + 1);
        }
        ProcessCpu.Delta d = ProcessCpu.snapshot(pid).since(s);
        assertThat(d.totalMillis()).as("30 ms of spinning (x=%s)", x).isGreaterThan(20);
        assertThat(d.servingMillis()).isBetween(0.0, d.totalMillis());
    }
}
