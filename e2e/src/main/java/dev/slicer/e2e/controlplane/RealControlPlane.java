package dev.slicer.e2e.controlplane;

import dev.slicer.e2e.Ports;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Kubernetes control plane on loopback for tests: etcd, kube-apiserver and kube-controller-manager built
 * from their Go modules ({@code e2e/controlplane}, see {@link ControlPlaneBinaries}), no scheduler, no kubelet, no
 * nodes, so Pods are stored but never run.
 *
 * <ul>
 *   <li>kube-apiserver: {@code 127.0.0.1}, a free secure port, its self-signed serving certificate, RBAC
 *       authorization, a static admin token (group {@code system:masters}), service-account tokens signed by a
 *       key pair made at start, the default admission plugins, and an audit log of every write
 *       ({@link #audit()}).
 *   <li>kube-controller-manager: its own token and kubeconfig, each controller with its own service-account
 *       credentials (as kubeadm runs it), all default controllers: Deployments get ReplicaSets, owner references
 *       are garbage-collected, namespaces get their {@code default} ServiceAccount.
 * </ul>
 *
 * <p>Typical use: {@code RealControlPlane cp = RealControlPlane.shared();} (one per test JVM, stopped at exit), then
 * {@link #admin()}, {@link #clientAs}, {@link #kubeconfigAs} for a process such as the operator, and
 * {@link #audit()} to count writes. {@link #start()} gives a private one; {@link #close()} stops every process and
 * deletes its directory (a shutdown hook does the same if close is never called). Once the binaries are cached,
 * a start takes seconds.
 *
 * <p>System properties: {@code slicer.controlplane.work} (parent of the run directories, default
 * {@code target/controlplane}), {@code slicer.controlplane.keep=true} keeps a run directory (logs) after close,
 * and those of {@link ControlPlaneBinaries}.
 */
public final class RealControlPlane implements AutoCloseable {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final int START_ATTEMPTS = 3;
    private static final Duration TOKEN_TTL = Duration.ofHours(2);

    private static RealControlPlane shared;

    private final ControlPlaneBinaries binaries;
    private final Path dir;
    private final List<ControlPlaneProcess> processes = new ArrayList<>();
    private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook = new Thread(this::closeQuietly, "controlplane-shutdown");
    private Credentials credentials;
    private String url;
    private String caPem;
    private AuditLog audit;
    private KubernetesClient admin;
    private String version;
    private boolean closed;

    private RealControlPlane(ControlPlaneBinaries binaries, Path dir) {
        this.binaries = binaries;
        this.dir = dir;
    }

    /** The control plane of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized RealControlPlane shared() throws IOException, InterruptedException {
        if (shared == null || shared.closed) {
            shared = start();
        }
        return shared;
    }

    /** Builds (or finds cached) binaries and starts a fresh control plane; the caller closes it. */
    public static RealControlPlane start() throws IOException, InterruptedException {
        return start(ControlPlaneBinaries.buildOrFind());
    }

    /** Starts a fresh control plane from {@code binaries}; the caller closes it. */
    public static RealControlPlane start(ControlPlaneBinaries binaries) throws IOException, InterruptedException {
        Path base = Path.of(System.getProperty("slicer.controlplane.work", "target/controlplane"))
                .toAbsolutePath();
        Files.createDirectories(base);
        for (int attempt = 1; ; attempt++) {
            RealControlPlane cp = new RealControlPlane(binaries, Files.createTempDirectory(base, "run-"));
            Runtime.getRuntime().addShutdownHook(cp.shutdownHook);
            try {
                cp.launch();
                return cp;
            } catch (ControlPlaneStartException e) {
                cp.close();
                // a free port can be taken between probing and binding by a process outside this JVM
                if (!e.portTaken() || attempt == START_ATTEMPTS) {
                    throw e;
                }
            } catch (IOException | InterruptedException | RuntimeException e) {
                cp.close();
                throw e;
            }
        }
    }

    private void launch() throws IOException, InterruptedException {
        long started = System.nanoTime();
        Path pki = Files.createDirectories(dir.resolve("pki"));
        credentials = Credentials.create(dir);
        int etcdPort = Ports.free();
        int peerPort = Ports.free();
        int apiPort = Ports.free();
        String etcdUrl = "http://127.0.0.1:" + etcdPort;
        String peerUrl = "http://127.0.0.1:" + peerPort;
        url = "https://127.0.0.1:" + apiPort;

        processes.add(ControlPlaneProcess.start(
                "etcd",
                binaries.etcd(),
                List.of(
                        "--name=default",
                        "--data-dir=" + dir.resolve("etcd"),
                        "--listen-client-urls=" + etcdUrl,
                        "--advertise-client-urls=" + etcdUrl,
                        "--listen-peer-urls=" + peerUrl,
                        "--initial-advertise-peer-urls=" + peerUrl,
                        "--initial-cluster=default=" + peerUrl,
                        // throw-away data: no fsync makes every API write cheaper on a shared disk
                        "--unsafe-no-fsync=true",
                        "--log-level=warn"),
                dir.resolve("etcd.log")));

        List<String> apiArgs = new ArrayList<>(List.of(
                "--etcd-servers=" + etcdUrl,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                // the lease and master-count reconcilers refuse a loopback address for the kubernetes Service's
                // endpoints; nothing here runs in a pod, so no endpoints are needed
                "--endpoint-reconciler-type=none",
                "--secure-port=" + apiPort,
                "--cert-dir=" + pki,
                "--authorization-mode=RBAC",
                "--token-auth-file=" + credentials.tokenFile(),
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + credentials.saPublicKey(),
                "--service-account-signing-key-file=" + credentials.saKey(),
                "--service-cluster-ip-range=10.0.0.0/24",
                "--allow-privileged=true",
                "--profiling=false"));
        Path auditFile = dir.resolve("audit.log");
        Path policy = dir.resolve("audit-policy.yaml");
        Files.writeString(policy, AuditLog.POLICY);
        apiArgs.addAll(List.of(
                "--audit-policy-file=" + policy,
                "--audit-log-path=" + auditFile,
                "--audit-log-format=json",
                "--audit-log-mode=blocking"));
        audit = new AuditLog(auditFile);
        processes.add(ControlPlaneProcess.start(
                "kube-apiserver", binaries.apiServer(), apiArgs, dir.resolve("kube-apiserver.log")));

        awaitReady(pki.resolve("apiserver.crt"));

        Path kcmConfig = dir.resolve("kube-controller-manager.kubeconfig");
        Files.writeString(kcmConfig, Credentials.kubeconfig(url, caPem, credentials.controllerManagerToken()));
        Path rootCa = dir.resolve("root-ca.crt");
        Files.writeString(rootCa, caPem);
        processes.add(ControlPlaneProcess.start(
                "kube-controller-manager",
                binaries.controllerManager(),
                List.of(
                        "--kubeconfig=" + kcmConfig,
                        "--secure-port=0",
                        "--leader-elect=false",
                        "--use-service-account-credentials=true",
                        "--service-account-private-key-file=" + credentials.saKey(),
                        "--root-ca-file=" + rootCa,
                        "--controllers=*"),
                dir.resolve("kube-controller-manager.log")));

        admin = client(credentials.adminToken());
        version = admin.getKubernetesVersion().getGitVersion();
        awaitControllerManager();
        E2eFacts.record("apiserver", version);
        System.err.printf(
                "controlplane: %s on %s ready in %.1f s (run directory %s)%n",
                version, url, (System.nanoTime() - started) / 1e9, dir);
    }

    /** Waits for the serving certificate, then for {@code /readyz} (every post-start hook done). */
    private void awaitReady(Path servingCert) throws InterruptedException {
        long end = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpClient http = null;
        int lastStatus = -1;
        while (System.nanoTime() < end) {
            processes.forEach(ControlPlaneProcess::checkAlive);
            try {
                if (http == null && Files.size(servingCert) > 0) {
                    // the file is the serving certificate followed by the self-signed CA that signed it
                    String pem = caCertificates(Files.readString(servingCert));
                    http = HttpClient.newBuilder()
                            .sslContext(trusting(pem))
                            .connectTimeout(Duration.ofSeconds(2))
                            .build();
                    caPem = pem;
                }
                if (http != null) {
                    HttpResponse<Void> r = http.send(
                            HttpRequest.newBuilder(URI.create(url + "/readyz"))
                                    .header("Authorization", "Bearer " + credentials.adminToken())
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    lastStatus = r.statusCode();
                    if (lastStatus == 200) {
                        return;
                    }
                }
            } catch (IOException | GeneralSecurityException e) {
                // certificate not written yet (or half written), or not listening yet
                if (e instanceof GeneralSecurityException) {
                    http = null;
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new ControlPlaneStartException(
                "kube-apiserver not ready within " + READY_TIMEOUT + " (last /readyz status " + lastStatus
                        + "); last lines of its log:\n" + processes.get(1).tail(),
                false);
    }

    /** The controller manager is working once the serviceaccount controller has made default/default. */
    private void awaitControllerManager() {
        try {
            admin.serviceAccounts()
                    .inNamespace("default")
                    .withName("default")
                    .waitUntilCondition(Objects::nonNull, READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            ControlPlaneProcess kcm = processes.get(2);
            throw new ControlPlaneStartException(
                    "kube-controller-manager made no default ServiceAccount within " + READY_TIMEOUT + " (alive: "
                            + kcm.alive() + "); last lines of its log:\n" + kcm.tail(),
                    false);
        }
    }

    /**
     * The CA certificates among {@code pem}, as PEM: the trust roots for clients and the root CA kube-controller-manager
     * publishes (its ClusterTrustBundle publisher rejects a bundle holding a leaf certificate).
     */
    private static String caCertificates(String pem) throws GeneralSecurityException {
        StringBuilder out = new StringBuilder();
        for (Certificate c : certificates(pem)) {
            if (((X509Certificate) c).getBasicConstraints() >= 0) {
                out.append("-----BEGIN CERTIFICATE-----\n")
                        .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            }
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException("no CA certificate yet");
        }
        return out.toString();
    }

    private static Collection<? extends Certificate> certificates(String pem) throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static SSLContext trusting(String pem) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (Certificate c : certificates(pem)) {
            trust.setCertificateEntry("c" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    /** The cluster-admin client (static token, group system:masters). Closed by {@link #close()}. */
    public KubernetesClient admin() {
        return admin;
    }

    /** The API server's version as {@code /version} reports it, e.g. {@code v1.37.2}. */
    public String version() {
        return version;
    }

    /** The API server's URL, {@code https://127.0.0.1:PORT}. */
    public String url() {
        return url;
    }

    /** PEM certificates that verify the API server's serving certificate. */
    public String caPem() {
        return caPem;
    }

    /** The audit log of every write to the API server since start. */
    public AuditLog audit() {
        return audit;
    }

    /** The directory with this run's logs, etcd data, keys and audit log (deleted by {@link #close()}). */
    public Path dir() {
        return dir;
    }

    /**
     * A token for the ServiceAccount {@code namespace/name} from the TokenRequest API, valid for {@code ttl}
     * (at least 10 minutes); the ServiceAccount must exist.
     */
    public String serviceAccountToken(String namespace, String name, Duration ttl) {
        TokenRequest request = new TokenRequestBuilder()
                .withNewSpec()
                .withExpirationSeconds(ttl.toSeconds())
                .endSpec()
                .build();
        return admin.serviceAccounts()
                .inNamespace(namespace)
                .withName(name)
                .tokenRequest(request)
                .getStatus()
                .getToken();
    }

    /** A client acting as the ServiceAccount {@code namespace/name}; closed by {@link #close()}. */
    public KubernetesClient clientAs(String namespace, String name) {
        return client(serviceAccountToken(namespace, name, TOKEN_TTL));
    }

    /** Creates {@code namespace/name} if missing, then {@link #clientAs}. */
    public KubernetesClient clientAsNew(String namespace, String name) {
        ServiceAccount sa = new ServiceAccountBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .build();
        if (admin.resource(sa).get() == null) {
            admin.resource(sa).create();
        }
        return clientAs(namespace, name);
    }

    /** Writes a kubeconfig acting as ServiceAccount {@code namespace/name} to {@code file} (for a process). */
    public Path kubeconfigAs(String namespace, String name, Path file) throws IOException {
        Files.writeString(file, Credentials.kubeconfig(url, caPem, serviceAccountToken(namespace, name, TOKEN_TTL)));
        return file;
    }

    /** A kubeconfig with the admin token, written to {@code file}. */
    public Path adminKubeconfig(Path file) throws IOException {
        Files.writeString(file, Credentials.kubeconfig(url, caPem, credentials.adminToken()));
        return file;
    }

    /** The Fabric8 configuration of a client sending {@code token}. */
    public Config config(String token) {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url)
                .withCaCertData(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)))
                .withOauthToken(token)
                .withRequestRetryBackoffLimit(0)
                .build();
    }

    /** A client sending {@code token}; closed by {@link #close()}. */
    public KubernetesClient client(String token) {
        KubernetesClient c =
                new KubernetesClientBuilder().withConfig(config(token)).build();
        clients.add(c);
        return c;
    }

    /** Stops every process (SIGTERM, then SIGKILL after 15 s) and deletes the run directory. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        clients.forEach(KubernetesClient::close);
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).stop();
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).awaitStop(15);
        }
        if (!Boolean.getBoolean("slicer.controlplane.keep")) {
            deleteTree(dir);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down (this is the hook)
        }
    }

    /** {@link #close()}, keeping an interrupt as the thread's flag (for hooks and cleanup paths). */
    public void closeQuietly() {
        try {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
