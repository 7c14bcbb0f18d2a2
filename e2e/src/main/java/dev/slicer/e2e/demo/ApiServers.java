package dev.slicer.e2e.demo;

import java.nio.file.Path;

/** Picks the demo's Kubernetes API. */
final class ApiServers {
    private ApiServers() {}

    /**
     * The Fabric8 mock API server in CRUD mode. The real control plane (kube-apiserver, controller-manager and etcd
     * built from their Go modules) takes its place once it is built on this machine.
     */
    static ApiServer start(Path root, Path runDir, Path logDir) {
        return new MockApiServer();
    }
}
