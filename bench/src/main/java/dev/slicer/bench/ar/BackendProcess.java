package dev.slicer.bench.ar;

import dev.slicer.protocol.v1.ArCloseRequest;
import dev.slicer.protocol.v1.ArDecoderGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The packaged gpu-backend ({@code gpu-backend/target/quarkus-app/quarkus-run.jar}) as its own process on loopback
 * ports, so its CPU time is its own: read from the OS ({@link ProcessHandle.Info#totalCpuDuration()}).
 */
final class BackendProcess implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Process process;
    private final int grpcPort;

    private BackendProcess(Process process, int grpcPort) {
        this.process = process;
        this.grpcPort = grpcPort;
    }

    static BackendProcess start(Path root, String model, Path logDir) throws IOException {
        Path jar = root.resolve("gpu-backend/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -pl gpu-backend -am package");
        }
        int grpc = freePort();
        int http = freePort();
        Files.createDirectories(logDir);
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "-Dslicer.backend.model-uri=" + model,
                "-Dslicer.backend.plan-file=" + logDir.resolve("no-plan.json"),
                "-Dquarkus.grpc.server.port=" + grpc,
                "-Dquarkus.grpc.server.host=127.0.0.1",
                "-Dquarkus.http.port=" + http,
                "-Dquarkus.http.host=127.0.0.1",
                "-jar",
                jar.toString()));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(logDir.resolve("backend.log").toFile())
                .start();
        BackendProcess b = new BackendProcess(p, grpc);
        b.awaitReady();
        return b;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Ready when the AR service answers (Close of an unknown session is a no-op). */
    private void awaitReady() {
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort)
                .usePlaintext()
                .build();
        try {
            while (System.nanoTime() < end) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the back-end exited with " + process.exitValue());
                }
                try {
                    ArDecoderGrpc.newBlockingStub(ch)
                            .withDeadlineAfter(2, TimeUnit.SECONDS)
                            .close(ArCloseRequest.newBuilder()
                                    .setSessionId("ready?")
                                    .build());
                    return;
                } catch (StatusRuntimeException e) {
                    LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                }
            }
            throw new IllegalStateException("the back-end was not ready within " + START_TIMEOUT);
        } finally {
            ch.shutdownNow();
        }
    }

    String address() {
        return "127.0.0.1:" + grpcPort;
    }

    /** CPU time (user + system) the back-end process has used so far, in milliseconds. */
    double cpuMillis() {
        return process.info()
                        .totalCpuDuration()
                        .orElseThrow(() -> new IllegalStateException("the OS does not report the back-end's CPU time"))
                        .toNanos()
                / 1e6;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
