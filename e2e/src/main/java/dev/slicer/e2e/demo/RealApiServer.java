package dev.slicer.e2e.demo;

import dev.slicer.e2e.controlplane.ControlPlaneBinaries;
import dev.slicer.e2e.controlplane.RealControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real control plane (kube-apiserver, kube-controller-manager and etcd built from their Go modules) for the
 * demo: schema and CEL validation, RBAC, garbage collection and Deployment controllers are the real ones. The
 * operator connects with the admin kubeconfig; no scheduler or kubelet runs, so the demo's {@link LocalKubelet}
 * starts the processes the Deployment and DaemonSet describe.
 */
final class RealApiServer implements ApiServer {
    private final RealControlPlane controlPlane;
    private final Path kubeconfig;

    RealApiServer(ControlPlaneBinaries binaries, Path runDir) throws IOException, InterruptedException {
        controlPlane = RealControlPlane.start(binaries);
        try {
            kubeconfig = controlPlane.adminKubeconfig(runDir.resolve("admin.kubeconfig"));
        } catch (IOException | RuntimeException e) {
            controlPlane.closeQuietly();
            throw e;
        }
    }

    @Override
    public String kind() {
        return "real";
    }

    @Override
    public String url() {
        return controlPlane.url();
    }

    @Override
    public KubernetesClient client() {
        return controlPlane.admin();
    }

    @Override
    public Map<String, String> operatorEnv() {
        // the kubeconfig carries the URL, the API server's CA and the token (Fabric8 reads KUBECONFIG)
        return Map.of("KUBECONFIG", kubeconfig.toString());
    }

    /** The control plane's version, as the report names it. */
    String version() {
        return controlPlane.version();
    }

    @Override
    public void close() {
        controlPlane.closeQuietly();
    }
}
