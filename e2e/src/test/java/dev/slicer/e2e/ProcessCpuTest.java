package dev.slicer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
    @Test
    void servingCpuLeavesOutTheCompilerThreadsThatRanAndCountsAnExitedOneAsServing() {
        var before = new ProcessCpu.Snapshot(100, Map.of(1L, 10.0, 2L, 5.0));
        var after = new ProcessCpu.Snapshot(200, Map.of(1L, 30.0, 3L, 4.0));
        ProcessCpu.Delta d = after.since(before);
        assertThat(d.totalMillis()).isEqualTo(100);
        assertThat(d.servingMillis()).as("100 - (30 - 10) - 4; thread 2 exited").isEqualTo(76);
    }

    @Test
    void anIntervalTooShortToSeparateTheCountsIsAllServing() {
        var before = new ProcessCpu.Snapshot(100, Map.of(1L, 10.0));
        var after = new ProcessCpu.Snapshot(110, Map.of(1L, 20.0));
        assertThat(after.since(before).servingMillis()).isEqualTo(10);
    }

    @Test
    void thisJvmsCompilerThreadsAreFoundByName() {
        long pid = ProcessHandle.current().pid();
        ProcessCpu.Snapshot s = ProcessCpu.snapshot(pid);
        assertThat(s.totalMillis()).isPositive();
        assertThat(s.compilerMillis())
                .as("a JIT-compiling JVM has C1/C2 compiler threads")
                .isNotEmpty()
                .allSatisfy((tid, ms) -> {
                    assertThat(Files.isDirectory(Path.of("/proc", Long.toString(pid), "task", tid.toString())))
                            .isTrue();
                    assertThat(ms).isBetween(0.0, s.totalMillis());
                });
        ProcessCpu.Delta d = ProcessCpu.snapshot(pid).since(s);
        assertThat(d.servingMillis()).isBetween(0.0, d.totalMillis());
    }
}
