package dev.slicer.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A local fleet on loopback: one gpu-backend and N edge-runtime processes started from their packaged Quarkus apps,
 * configured with exactly the contract's properties (the ones the operator renders as environment variables).
 */
public final class Fleet implements AutoCloseable {
    public static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Path root;
    private final String model;
    private final Path planFile;
    private final Path logDir;
    private final Map<String, String> backendProps;
    private final int grpcPort = Ports.free();
    private final int backendHttpPort = Ports.free();
    private ServiceProcess backend;
    private final List<ServiceProcess> edges = new ArrayList<>();
    private int restarts;

    private Fleet(Path root, String model, Path planFile, Path logDir, Map<String, String> backendProps) {
        this.root = root;
        this.model = model;
        this.planFile = planFile;
        this.logDir = logDir;
        this.backendProps = backendProps;
    }

    /**
     * Starts the back-end, then {@code edges} edges of device class {@code deviceClass}, and waits until all are ready.
     *
     * @param root the project root (module directories below it)
     * @param planFile the plan file the back-end watches and streams to the edges
     * @param backendProps extra back-end settings (batching, queue capacity)
     * @param edgeProps extra edge settings
     */
    public static Fleet start(
            Path root,
            String model,
            int edges,
            String deviceClass,
            Path planFile,
            Path logDir,
            Map<String, String> backendProps,
            Map<String, String> edgeProps)
            throws IOException, InterruptedException {
        Fleet f = new Fleet(root, model, planFile, logDir, backendProps);
        try {
            f.startBackend();
            for (int i = 0; i < edges; i++) {
                Map<String, String> p = new LinkedHashMap<>();
                p.put("slicer.edge.model-uri", model);
                p.put("slicer.edge.backend-address", "127.0.0.1:" + f.grpcPort);
                p.put("slicer.edge.device-class", deviceClass);
                p.put("slicer.edge.edge-id", "edge-" + i);
                p.putAll(edgeProps);
                f.edges.add(ServiceProcess.start(root, "edge-runtime", "edge-" + i, Ports.free(), p, logDir));
            }
            for (ServiceProcess e : f.edges) {
                e.awaitReady(START_TIMEOUT);
            }
            return f;
        } catch (IOException | InterruptedException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private void startBackend() throws IOException, InterruptedException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("slicer.backend.model-uri", model);
        p.put("slicer.backend.plan-file", planFile.toString());
        p.put("quarkus.grpc.server.host", "127.0.0.1");
        p.put("quarkus.grpc.server.port", Integer.toString(grpcPort));
        p.putAll(backendProps);
        String name = restarts == 0 ? "backend" : "backend-" + restarts;
        backend = ServiceProcess.start(root, "gpu-backend", name, backendHttpPort, p, logDir);
        backend.awaitReady(START_TIMEOUT);
    }

    /** Kills the back-end at once. */
    public void killBackend() throws InterruptedException {
        backend.kill();
    }

    /** Starts the back-end again on the same ports (edges keep their configured address). */
    public void restartBackend() throws IOException, InterruptedException {
        restarts++;
        startBackend();
    }

    public ServiceProcess backend() {
        return backend;
    }

    public List<ServiceProcess> edges() {
        return edges;
    }

    public int grpcPort() {
        return grpcPort;
    }

    @Override
    public void close() throws InterruptedException {
        for (ServiceProcess e : edges) {
            e.close();
        }
        if (backend != null) {
            backend.close();
        }
    }
}
