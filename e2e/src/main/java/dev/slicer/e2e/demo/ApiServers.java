package dev.slicer.e2e.demo;

import dev.slicer.e2e.controlplane.ControlPlaneBinaries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Picks the demo's Kubernetes API. */
final class ApiServers {
    private ApiServers() {}

    /**
     * {@code real}: the real control plane (built first if it is not); {@code mock}: the Fabric8 mock API server in
     * CRUD mode; {@code auto}: the real one when it is already built on this machine, else the mock (a cold build
     * takes many minutes, too long to start a demo with).
     */
    static ApiServer start(String mode, Path runDir) throws IOException, InterruptedException {
        return switch (mode) {
            case "mock" -> new MockApiServer();
            case "real" -> new RealApiServer(ControlPlaneBinaries.buildOrFind(), runDir);
            case "auto" -> {
                Optional<ControlPlaneBinaries> built = ControlPlaneBinaries.findBuilt();
                yield built.isPresent() ? new RealApiServer(built.get(), runDir) : new MockApiServer();
            }
            default -> throw new IllegalArgumentException("--apiserver must be auto, real or mock, not '" + mode + "'");
        };
    }
}
