package dev.slicer.e2e.controlplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One control-plane program (etcd, kube-apiserver, kube-controller-manager) run under a small bash guard that
 * sends it SIGTERM when its standard input closes: on {@link #stop} and also when this JVM dies without running
 * its shutdown hooks (a killed test fork), so no etcd or API server outlives the tests. Output goes to a log file.
 */
final class ControlPlaneProcess {
    // stdin of the guard is a pipe from this JVM; `read` returns at EOF, i.e. on stop() or when the JVM is gone
    private static final String GUARD =
            """
            exec 3<&0
            "$@" </dev/null &
            child=$!
            { read -r _ <&3; kill -TERM "$child" 2>/dev/null; } &
            watcher=$!
            wait "$child"; rc=$?
            kill "$watcher" 2>/dev/null
            exit $rc
            """;

    private final String name;
    private final Process process;
    private final Path log;

    private ControlPlaneProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ControlPlaneProcess start(String name, Path binary, List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", GUARD, name, binary.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new ControlPlaneProcess(name, p, log);
    }

    String name() {
        return name;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Fails with the log's tail if the program has exited (called while waiting for readiness). */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new ControlPlaneStartException(
                    name + " exited with code " + process.exitValue() + "; last lines of " + log + ":\n" + tail(),
                    tail().contains("address already in use"));
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Asks the program to stop (SIGTERM through the guard); {@link #awaitStop} waits for it. */
    void stop() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            process.destroy();
        }
    }

    /** Waits up to {@code seconds} for the program to exit, then kills it and its guard. */
    void awaitStop(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
