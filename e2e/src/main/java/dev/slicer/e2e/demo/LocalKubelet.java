package dev.slicer.e2e.demo;

import dev.slicer.e2e.Ports;
import dev.slicer.e2e.ServiceHttpClient;
import dev.slicer.e2e.ServiceProcess;
import dev.slicer.e2e.ServiceProxy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Stands in for the kubelet, kube-proxy, the endpoint-slice controller and cluster DNS on one machine. It reads the
 * objects the operator writes and runs them as processes: one process per replica of the back-end Deployment, each its
 * container with exactly its environment (mount paths moved under its pod directory, ports moved to free loopback ones,
 * the plan ConfigMap laid out as the kubelet mounts it and updated in place when the operator changes it), started and
 * stopped as the Deployment's replicas change; the back-end Service's gRPC port as a {@link ServiceProxy} over the
 * ready replicas; and one edge per emulated device from the edge DaemonSet's container env (the device's class and
 * memory budget as a per-class DaemonSet would set them, the node name for the edge id, the back-end Service name
 * resolved to the proxy). The Deployment's status reports the running and ready replicas, and the Service's
 * EndpointSlices list the replicas ({@link EndpointSlices}).
 */
public final class LocalKubelet implements AutoCloseable {
    private final KubernetesClient kube;
    private final String namespace;
    private final String fleet;
    private final Path root;
    private final Path podsDir;
    private final Path logDir;
    private final List<Device> devices;
    private final BiConsumer<String, String> onPlan;
    private final Consumer<String> onEvent;
    private final int grpcPort = Ports.free();
    private final HttpClient http = ServiceHttpClient.create(Duration.ofSeconds(2));
    /** The back-end's pods, by ordinal; the newest are stopped first on a scale-down. */
    private final List<Replica> replicas = new ArrayList<>();
    /** Replicas stopped on a scale-down, draining. */
    private final List<ServiceProcess> terminating = new ArrayList<>();

    private ServiceProxy service;
    private final EndpointSlices slices;
    private ConfigMap plan;
    private String planResourceVersion;
    private final Map<String, ServiceProcess> edges = new LinkedHashMap<>();
    private int reportedReady = -1;
    private int reportedRunning = -1;
    private int replicaStarts;

    /**
     * Consecutive failed readiness checks that take a ready replica out of the Service (a readiness probe's default
     * {@code failureThreshold}): one check timing out while the machine is loaded must not cut the Service off.
     */
    static final int READINESS_FAILURE_THRESHOLD = 3;

    /**
     * Time between readiness checks of a replica once it is ready (a probe's {@code periodSeconds}): at one check per
     * sync pass, three checks timing out on the loaded machine took the only replica out of the Service for seconds.
     */
    static final long READINESS_PERIOD_NANOS = 5_000_000_000L;

    /** First restart of an exited back-end at once, then after 10 s doubling to 5 min (the kubelet's crash loop). */
    static final long RESTART_BACKOFF_NANOS = 10_000_000_000L;

    static final long RESTART_BACKOFF_MAX_NANOS = 300_000_000_000L;

    /**
     * One back-end pod: its process, its gRPC port, its plan volume (null when it mounts none), its readiness and its
     * restarts.
     */
    private static final class Replica {
        private final ServiceProcess process;
        private final int grpcPort;
        private final ConfigMapVolume planVolume;
        private final int restarts;
        private boolean ready;
        private int failures;
        private long lastCheck;
        private long exitedAt = -1;

        Replica(ServiceProcess process, int grpcPort, ConfigMapVolume planVolume, int restarts) {
            this.process = process;
            this.grpcPort = grpcPort;
            this.planVolume = planVolume;
            this.restarts = restarts;
        }

        /** Whether its process exited and the crash-loop backoff since then has passed. */
        boolean restartDue(long now) {
            if (process.alive()) {
                return false;
            }
            if (exitedAt < 0) {
                exitedAt = now;
            }
            long backoff = restarts == 0
                    ? 0
                    : Math.min(RESTART_BACKOFF_MAX_NANOS, RESTART_BACKOFF_NANOS << Math.min(restarts - 1, 5));
            return now - exitedAt >= backoff;
        }

        ServiceProcess process() {
            return process;
        }

        int grpcPort() {
            return grpcPort;
        }

        ConfigMapVolume planVolume() {
            return planVolume;
        }

        /** Until ready, every pass checks; then every {@link #READINESS_PERIOD_NANOS}, or at once if the process died. */
        boolean checkDue() {
            return !ready || !process.alive() || System.nanoTime() - lastCheck >= READINESS_PERIOD_NANOS;
        }

        /** Records one readiness check; ready from the first success until the threshold of failures in a row. */
        boolean probe(boolean answered) {
            lastCheck = System.nanoTime();
            if (answered) {
                ready = true;
                failures = 0;
            } else if (++failures >= READINESS_FAILURE_THRESHOLD || !process.alive()) {
                ready = false;
            }
            return ready;
        }
    }

    /**
     * @param onPlan called with (hash, plan.json) whenever the plan ConfigMap's content reaches the back-end's volume
     * @param onEvent called with what happened to a pod that a user should see (a restart, a scaling)
     */
    public LocalKubelet(
            KubernetesClient kube,
            String namespace,
            String fleet,
            Path root,
            Path runDir,
            Path logDir,
            List<Device> devices,
            BiConsumer<String, String> onPlan,
            Consumer<String> onEvent) {
        this.kube = kube;
        this.namespace = namespace;
        this.fleet = fleet;
        this.root = root;
        this.podsDir = runDir.resolve("pods").resolve(fleet); // a kubelet per fleet, each with its own pods
        this.logDir = logDir;
        this.devices = List.copyOf(devices);
        this.onPlan = onPlan;
        this.onEvent = onEvent;
        this.slices = new EndpointSlices(kube, namespace, fleet + "-backend");
    }

    /** One pass: run the replicas the Deployment asks for, sync the plan volumes, route the Service, report. */
    public synchronized void sync() throws IOException {
        Deployment d = kube.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(fleet + "-backend")
                .get();
        ConfigMap current = kube.configMaps()
                .inNamespace(namespace)
                .withName(fleet + "-plan")
                .get();
        if (current != null) {
            plan = current;
        }
        if (d != null) {
            scale(d);
            restartExited(d);
        }
        syncPlan();
        List<Integer> ready = new ArrayList<>();
        for (Replica r : replicas) {
            if (r.checkDue() ? r.probe(r.process().alive() && ready(r.process().httpPort())) : r.ready) {
                ready.add(r.grpcPort());
            }
        }
        if (service != null) {
            service.endpoints(ready); // a Service routes to ready endpoints only
        }
        Map<String, EndpointSlices.Pod> pods = new LinkedHashMap<>();
        for (Replica r : replicas) {
            pods.put(
                    r.process().name(),
                    new EndpointSlices.Pod(r.process().httpPort(), r.grpcPort(), ready.contains(r.grpcPort())));
        }
        slices.sync(pods);
        DaemonSet ds = kube.apps()
                .daemonSets()
                .inNamespace(namespace)
                .withName(fleet + "-edge")
                .get();
        if (ds != null && !replicas.isEmpty() && edges.isEmpty()) {
            startEdges(ds);
        }
        if (d != null) {
            reportStatus(d, ready.size());
        }
    }

    /** Starts or stops back-end processes until as many run as the Deployment's spec asks (1 when unset). */
    private void scale(Deployment d) throws IOException {
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        if (service == null) {
            service = ServiceProxy.start(grpcPort);
        }
        int before = replicas.size();
        if (before > 0 && before != desired) {
            // a scaling decision of the operator: shown on the timeline with the link changes
            onEvent.accept("back-end " + before + " -> " + desired + " replicas");
        }
        while (replicas.size() < desired) {
            replicas.add(startReplica(d));
        }
        while (replicas.size() > desired) {
            Replica last = replicas.remove(replicas.size() - 1);
            terminating.add(last.process());
            // SIGTERM, as for a pod: readiness goes off and calls in flight finish (the back-end's drain) while the
            // Service routes new connections to the others; the pass does not wait for it
            Thread stop = new Thread(
                    () -> {
                        try {
                            last.process().close();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "stop-" + last.process().name());
            stop.setDaemon(true);
            stop.start();
        }
    }

    /**
     * Replaces each replica whose process exited (a crash, an OOM kill) once its backoff has passed, as the kubelet
     * restarts a Deployment's container (restartPolicy Always); until then it is out of the Service.
     */
    private void restartExited(Deployment d) throws IOException {
        long now = System.nanoTime();
        for (int i = 0; i < replicas.size(); i++) {
            Replica r = replicas.get(i);
            if (r.restartDue(now)) {
                Replica next = startReplica(d, r.restarts + 1);
                replicas.set(i, next);
                onEvent.accept(r.process().name() + " exited; restarted as "
                        + next.process().name() + " (restart " + next.restarts + ")");
            }
        }
    }

    private Replica startReplica(Deployment d) throws IOException {
        return startReplica(d, 0);
    }

    private Replica startReplica(Deployment d, int restarts) throws IOException {
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        String podName = fleet + "-backend-" + replicaStarts++;
        Path podDir = podsDir.resolve(podName);
        ConfigMapVolume planVolume = null;
        for (VolumeMount m : c.getVolumeMounts()) {
            Volume v = pod.getVolumes().stream()
                    .filter(x -> x.getName().equals(m.getName()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("volume " + m.getName() + " is not declared"));
            Path dir = under(podDir, m.getMountPath());
            if (v.getConfigMap() != null && v.getConfigMap().getName().equals(fleet + "-plan")) {
                planVolume = new ConfigMapVolume(dir);
                if (plan != null && plan.getData() != null) {
                    planVolume.write(plan.getData());
                }
            } else {
                Files.createDirectories(dir); // emptyDir and the like
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : c.getEnv()) {
            if (e.getValueFrom() != null) {
                throw new IllegalStateException("back-end env " + e.getName() + " uses valueFrom, which this kubelet"
                        + " stand-in does not resolve");
            }
            env.put(e.getName(), remount(podDir, c, e.getValue()));
        }
        int http = Ports.free();
        int grpc = Ports.free();
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(http));
        env.put("QUARKUS_GRPC_SERVER_HOST", "127.0.0.1");
        env.put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(grpc));
        return new Replica(
                ServiceProcess.start(root, "gpu-backend", podName, http, Map.of(), env, logDir),
                grpc,
                planVolume,
                restarts);
    }

    /** Lays the plan ConfigMap's content into every replica's volume once per change of the ConfigMap. */
    private void syncPlan() throws IOException {
        if (plan == null || plan.getData() == null || replicas.isEmpty()) {
            return;
        }
        String rv = plan.getMetadata().getResourceVersion();
        if (Objects.equals(rv, planResourceVersion)) {
            return;
        }
        for (Replica r : replicas) {
            if (r.planVolume() != null) {
                r.planVolume().write(plan.getData());
            }
        }
        planResourceVersion = rv;
        onPlan.accept(
                plan.getData().getOrDefault("plan.hash", ""), plan.getData().getOrDefault("plan.json", ""));
    }

    /**
     * Downlink over uplink rate of the demo's links. The plan is made for the uplink; MiniLM's reply (its whole hidden
     * state, 1.5 KiB per token) is larger than any split's request, and on a symmetric link it would dominate every
     * transfer the plan does not see (LTE and DSL downlinks are 5-20x their uplinks).
     */
    static final int DOWNLINK_FACTOR = 10;

    private void startEdges(DaemonSet ds) throws IOException {
        Container c = ds.getSpec().getTemplate().getSpec().getContainers().get(0);
        for (Device dev : devices) {
            Map<String, String> env = new LinkedHashMap<>();
            for (EnvVar e : c.getEnv()) {
                env.put(e.getName(), resolve(e, dev));
            }
            // a DaemonSet per device class would carry these two (EdgeDaemonSetDependent picks them by pod labels)
            env.put("SLICER_EDGE_DEVICE_CLASS", dev.deviceClass());
            env.put("SLICER_EDGE_MEMORY_BUDGET", dev.memoryBudget());
            // the demo's network: emulated access links whose uplink rate it sets and changes (PUT /slicer/link),
            // with downlinks of DOWNLINK_FACTOR times that, as cellular and DSL links have
            env.put("SLICER_EDGE_LINK_EMULATION", "true");
            env.put("SLICER_EDGE_LINK_DOWNLINK_FACTOR", Integer.toString(DOWNLINK_FACTOR));
            int http = Ports.free();
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            env.put("QUARKUS_HTTP_PORT", Integer.toString(http));
            edges.put(dev.name(), ServiceProcess.start(root, "edge-runtime", dev.name(), http, Map.of(), env, logDir));
        }
    }

    /** The container's value for one edge: the node name for a fieldRef, Service names resolved to loopback. */
    private String resolve(EnvVar e, Device dev) {
        if (e.getValueFrom() != null) {
            var ref = e.getValueFrom().getFieldRef();
            if (ref != null && "spec.nodeName".equals(ref.getFieldPath())) {
                return dev.name();
            }
            throw new IllegalStateException(
                    "edge env " + e.getName() + " uses a valueFrom this stand-in does not resolve");
        }
        String service = fleet + "-backend." + namespace + ".svc:";
        return e.getValue().startsWith(service) ? "127.0.0.1:" + grpcPort : e.getValue();
    }

    private void reportStatus(Deployment d, int ready) {
        int running = replicas.size();
        if (ready == reportedReady && running == reportedRunning) {
            return;
        }
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        try {
            patchStatus(d, running, ready, desired);
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // the operator changed the Deployment since it was read: a kubelet reports again on its next pass
            return;
        }
        reportedReady = ready;
        reportedRunning = running;
    }

    private void patchStatus(Deployment d, int running, int ready, int desired) {
        kube.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(d.getMetadata().getName())
                .editStatus(x -> {
                    x.setStatus(new DeploymentStatusBuilder()
                            .withObservedGeneration(x.getMetadata().getGeneration())
                            .withReplicas(running)
                            .withUpdatedReplicas(running)
                            .withReadyReplicas(ready)
                            .withAvailableReplicas(ready)
                            .withUnavailableReplicas(Math.max(0, desired - ready))
                            .build());
                    return x;
                });
    }

    private boolean ready(int port) {
        return Local.answers200(http, "http://127.0.0.1:" + port + "/q/health/ready");
    }

    /** Waits (bounded) until the back-end and every edge are started and ready. */
    public void awaitFleet(Duration timeout) throws InterruptedException, IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            sync();
            synchronized (this) {
                if (!replicas.isEmpty() && edges.size() == devices.size()) {
                    break;
                }
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the operator did not create the back-end Deployment and edge"
                        + " DaemonSet within " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        Duration left = Duration.ofNanos(
                Math.max(end - System.nanoTime(), Duration.ofSeconds(30).toNanos()));
        for (ServiceProcess b : backends()) {
            b.awaitReady(left);
        }
        for (ServiceProcess e : edges.values()) {
            e.awaitReady(left);
        }
        sync();
    }

    /** The back-end processes running now, by ordinal. */
    public synchronized List<ServiceProcess> backends() {
        return replicas.stream().map(Replica::process).toList();
    }

    public synchronized Map<String, ServiceProcess> edges() {
        return Map.copyOf(edges);
    }

    /** The back-end Service's gRPC port (the kube-proxy stand-in's). */
    public int grpcPort() {
        return grpcPort;
    }

    /** Replicas the operator asks for (spec) and the kubelet runs (ready). */
    public int[] replicas() {
        Deployment d = kube.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(fleet + "-backend")
                .get();
        int spec =
                d == null || d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas();
        return new int[] {spec, Math.max(reportedReady, 0)};
    }

    private static Path under(Path podDir, String mountPath) {
        return podDir.resolve(mountPath.substring(1));
    }

    private static String remount(Path podDir, Container c, String value) {
        for (VolumeMount m : c.getVolumeMounts()) {
            if (value.equals(m.getMountPath()) || value.startsWith(m.getMountPath() + "/")) {
                return under(podDir, m.getMountPath())
                        + value.substring(m.getMountPath().length());
            }
        }
        return value;
    }

    @Override
    public synchronized void close() throws InterruptedException {
        List<ServiceProcess> all = new ArrayList<>(edges.values());
        replicas.forEach(r -> all.add(r.process()));
        all.addAll(terminating);
        for (ServiceProcess p : all) {
            p.close();
        }
        if (service != null) {
            service.close();
        }
        try {
            ConfigMapVolume.deleteTree(podsDir);
        } catch (IOException e) {
            // best effort: the run directory is the caller's to remove
        }
    }
}
