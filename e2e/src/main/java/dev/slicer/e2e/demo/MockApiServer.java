package dev.slicer.e2e.demo;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * The Fabric8 mock API server in CRUD mode on a free loopback port (plain HTTP). It stores and watches objects and
 * learns custom resources from the CRDs applied to it, but enforces no schema, CEL rule, RBAC or garbage collection
 * and runs no controllers: the demo says so when it uses it.
 */
public final class MockApiServer implements ApiServer {
    private final KubernetesMockServer server;
    private final KubernetesClient client;

    /**
     * The mock logs every request at INFO, and its Vert.x event loop warns when a busy machine delays it, through
     * java.util.logging; the demo's console is for the fleet. Held strongly so the levels stick.
     */
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private static final java.util.logging.Logger VERTX_LOG = java.util.logging.Logger.getLogger("io.vertx");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        VERTX_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    public MockApiServer() {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
    }

    @Override
    public String kind() {
        return "mock";
    }

    @Override
    public String url() {
        return client.getConfiguration().getMasterUrl();
    }

    @Override
    public java.util.Map<String, String> operatorEnv() {
        return java.util.Map.of(
                "QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", url(), "QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
