package dev.slicer.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service (gpu-backend or edge-runtime) run as a plain process from its packaged Quarkus app, on loopback ports,
 * its output in a log file. Stopped with SIGTERM, then killed if it does not exit in time.
 */
public final class ServiceProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int httpPort;
    private final Path log;
    /** Stops the service when this JVM exits without closing it (a benchmark interrupted by Ctrl-C or SIGTERM). */
    private final Thread reaper;

    private ServiceProcess(String name, Process process, int httpPort, Path log) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
        this.reaper = new Thread(process::destroy, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts {@code module}'s quarkus-run.jar with the given system properties (the contract's settings). */
    public static ServiceProcess start(
            Path root, String module, String name, int httpPort, Map<String, String> props, Path logDir)
            throws IOException {
        return start(root, module, name, httpPort, props, Map.of(), logDir);
    }

    /**
     * Starts {@code module}'s quarkus-run.jar with system properties and environment variables (a pod's container
     * env, as a kubelet would pass it).
     */
    public static ServiceProcess start(
            Path root,
            String module,
            String name,
            int httpPort,
            Map<String, String> props,
            Map<String, String> env,
            Path logDir)
            throws IOException {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: build " + module + " first (./mvnw package -pl " + module + " -am)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx768m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        cmd.add("-Dquarkus.http.port=" + httpPort);
        String cache = System.getProperty("slicer.model.cache");
        if (cache != null) {
            cmd.add("-Dslicer.model.cache=" + cache);
        }
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        p.getOutputStream().close();
        return new ServiceProcess(name, p, httpPort, log);
    }

    /** Waits (bounded) until /q/health/ready answers 200. */
    public ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = ServiceHttpClient.create(Duration.ofSeconds(2));
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with " + process.exitValue() + "; log " + log + ":\n" + tail());
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; log " + log + ":\n" + tail());
    }

    public String name() {
        return name;
    }

    public int httpPort() {
        return httpPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The last lines of the log, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills at once (SIGKILL): a crash, for recovery tests. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        forgetReaper();
    }

    @Override
    public void close() throws InterruptedException {
        forgetReaper();
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void forgetReaper() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
    }
}
