package dev.slicer.e2e.controlplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The directory holding kube-apiserver, kube-controller-manager and etcd, built from the Go module in
 * {@code e2e/controlplane} by its {@code build.sh} (which caches them; a cached build returns at once).
 *
 * <p>System properties: {@code slicer.controlplane.bin} names a directory of ready binaries (no build);
 * {@code slicer.controlplane.dir} the Go module (default: found upwards from the working directory).
 */
public record ControlPlaneBinaries(Path dir, String kubernetesVersion) {

    /** A cold build compiles kube-apiserver and kube-controller-manager from source: many minutes on 2 cores. */
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(60);

    public Path apiServer() {
        return dir.resolve("kube-apiserver");
    }

    public Path controllerManager() {
        return dir.resolve("kube-controller-manager");
    }

    public Path etcd() {
        return dir.resolve("etcd");
    }

    /** Finds the cached binaries or builds them (the build's progress goes to this process's stderr). */
    public static synchronized ControlPlaneBinaries buildOrFind() throws IOException, InterruptedException {
        String given = System.getProperty("slicer.controlplane.bin");
        return of(given != null ? Path.of(given) : build(moduleDir(), false).orElseThrow());
    }

    /** The binaries if they are already built here (never builds: a cold build takes many minutes). */
    public static synchronized Optional<ControlPlaneBinaries> findBuilt() throws IOException, InterruptedException {
        String given = System.getProperty("slicer.controlplane.bin");
        if (given != null) {
            return Optional.of(of(Path.of(given)));
        }
        Optional<Path> dir = build(moduleDir(), true);
        return dir.isEmpty() ? Optional.empty() : Optional.of(of(dir.get()));
    }

    private static ControlPlaneBinaries of(Path dir) throws IOException {
        for (String name : new String[] {"kube-apiserver", "kube-controller-manager", "etcd"}) {
            if (!Files.isExecutable(dir.resolve(name))) {
                throw new IllegalStateException(dir.resolve(name) + " is missing or not executable");
            }
        }
        Path versionFile = dir.resolve("kubernetes-version");
        String version =
                Files.isRegularFile(versionFile) ? Files.readString(versionFile).strip() : "unknown";
        return new ControlPlaneBinaries(dir, version);
    }

    static Path moduleDir() {
        String given = System.getProperty("slicer.controlplane.dir");
        if (given != null) {
            return Path.of(given);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            for (Path candidate : new Path[] {p.resolve("controlplane"), p.resolve("e2e/controlplane")}) {
                if (Files.isRegularFile(candidate.resolve("build.sh"))) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("e2e/controlplane/build.sh not found above "
                + Path.of("").toAbsolutePath() + "; set -Dslicer.controlplane.dir");
    }

    /** Runs build.sh (with {@code --cached}: only looks, empty when nothing is built) and returns its directory. */
    private static Optional<Path> build(Path module, boolean cachedOnly) throws IOException, InterruptedException {
        Path out = Files.createTempFile("controlplane-build", ".out");
        try {
            List<String> command = new java.util.ArrayList<>(
                    List.of("bash", module.resolve("build.sh").toString()));
            if (cachedOnly) {
                command.add("--cached");
            }
            Process p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            p.getOutputStream().close();
            if (!p.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(module + "/build.sh did not finish within " + BUILD_TIMEOUT);
            }
            List<String> lines = Files.readAllLines(out);
            if (cachedOnly && p.exitValue() == 3) {
                return Optional.empty();
            }
            if (p.exitValue() != 0 || lines.isEmpty()) {
                throw new IllegalStateException(
                        module + "/build.sh failed with exit code " + p.exitValue() + " (its errors are above)");
            }
            return Optional.of(Path.of(lines.get(lines.size() - 1).strip()));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
