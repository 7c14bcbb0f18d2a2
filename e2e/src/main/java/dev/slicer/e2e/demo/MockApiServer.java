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

    /** The mock logs every request at INFO through java.util.logging; held strongly so the level sticks. */
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
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
    public KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
