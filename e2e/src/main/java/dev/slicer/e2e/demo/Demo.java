package dev.slicer.e2e.demo;

import dev.slicer.crds.ModelDigest;
import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.e2e.CachedProfile;
import dev.slicer.e2e.Ports;
import dev.slicer.e2e.ServiceHttpClient;
import dev.slicer.e2e.ServiceProcess;
import dev.slicer.e2e.UnsplitReference;
import dev.slicer.model.builtin.BuiltinModels;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.model.text.SampleSentences;
import dev.slicer.planner.cli.PlanCli;
import dev.slicer.planner.plan.PlanRow;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The local fleet, whole: a Kubernetes API on loopback with the CRD, the operator (packaged Quarkus app) against
 * it, the {@link LocalKubelet} running what the operator asks for as processes, a real Prometheus scraping them,
 * client traffic through the edges' OIP v2 API, and an emulated link per edge. {@link #start} brings it up; the
 * scenario's steps are methods ({@link #setLink}, {@link #setLoad}, {@link #restartOperator}, ...); {@link #finish}
 * stops the traffic, writes the PNG and HTML report and returns the figures; {@link #close} stops every process.
 */
public final class Demo implements AutoCloseable {
    public static final String NAMESPACE = "default";
    public static final String EXAMPLE = "examples/minilm.yaml";

    /** Link rates the devices start with, bytes/s, by device index (cycled): one per link regime of the plan. */
    static final long[] LINK_RATES = {30_000, 60_000, 200_000, 100_000};

    /** How the demo runs. */
    /**
     * @param apiserver {@code auto} (the real control plane when it is built here, else the mock), {@code real}
     *     (built first if needed: many minutes the first time) or {@code mock}
     * @param decoderEdges edges of the decoder fleet ({@code --ar}; 0: no decoder fleet)
     */
    public record Options(
            Path root,
            Path out,
            int edges,
            String model,
            boolean prometheus,
            boolean live,
            PrintStream console,
            String apiserver,
            int decoderEdges) {}

    /** The run's figures: the summary line's fields. */
    public record Result(
            int edges,
            long requests,
            long failed,
            long fallbacks,
            int replans,
            double adaptationSeconds,
            double ifCompression,
            double fidelity,
            double minFidelity,
            String apiserver,
            Path png,
            Path html,
            DecoderFleet.Result decoder) {
        /** The summary line, then the decoder fleet's ({@code --ar}). */
        public List<String> summaries() {
            return decoder == null ? List.of(summary()) : List.of(summary(), decoder.summary());
        }

        public String summary() {
            return String.format(
                    Locale.ROOT,
                    "demo: edges=%d requests=%d failed=%d replans=%d adaptation_s=%s if_compression=%.2f fidelity=%.4f"
                            + " apiserver=%s",
                    edges,
                    requests,
                    failed,
                    replans,
                    Double.isNaN(adaptationSeconds) ? "none" : String.format(Locale.ROOT, "%.2f", adaptationSeconds),
                    ifCompression,
                    fidelity,
                    apiserver);
        }
    }

    private final Options options;
    private final Path run;
    /** Time zero of the timeline and the plan history: when the traffic starts (set again then). */
    private volatile long startNanos = System.nanoTime();

    private final Timeline timeline = new Timeline();
    private final PlanHistory plans = new PlanHistory(() -> startNanos);
    private final Map<String, EdgeStats> stats = new LinkedHashMap<>();
    private final Map<String, Long> links = new LinkedHashMap<>();
    private final HttpClient http = ServiceHttpClient.create(Duration.ofSeconds(2));
    private ApiServer api;
    /** The SplitInference the demo applies (its name labels every series). */
    private String fleet;

    private Prometheus prometheus;
    private ServiceProcess operator;
    private int operatorRuns;
    private int operatorPort;
    private LocalKubelet kubelet;
    /** The back-end processes in Prometheus's targets, once written. */
    private volatile List<ServiceProcess> scraped = List.of();

    private volatile boolean targetsWritten;
    private DecoderFleet decoder;
    private Traffic traffic;
    private UnsplitReference reference;
    private ScheduledExecutorService sampler;
    private LiveTable table;
    private volatile Adaptation adaptation;
    private final List<Adapted> adaptations = new ArrayList<>();

    /** A link degradation being watched: the device, when, and its row before. */
    private record Adaptation(String device, long atNanos, PlanRow before) {}

    /** An edge that moved to a cheaper row after its link degraded: how long it took, from which row to which. */
    public record Adapted(String device, double seconds, PlanRow from, PlanRow to) {}

    private Demo(Options options) throws IOException {
        this.options = options;
        // a run directory (pods' files, Prometheus data) that close() removes; logs of the last run stay in out/logs
        this.run = options.out().resolve("run");
        ConfigMapVolume.deleteTree(run);
        ConfigMapVolume.deleteTree(options.out().resolve("logs"));
        Files.createDirectories(run);
    }

    public Path logs() {
        return options.out().resolve("logs");
    }

    /** Brings the whole fleet up and starts the traffic; on failure stops whatever it started. */
    public static Demo start(Options options) throws Exception {
        Demo d = create(options);
        d.bringUp();
        return d;
    }

    /** A demo not yet started (so a Ctrl-C handler can hold it before {@link #bringUp}). */
    public static Demo create(Options options) throws IOException {
        return new Demo(options);
    }

    public LiveTable table() {
        return table;
    }

    /** Brings the whole fleet up and starts the traffic; on failure stops whatever it started. */
    public void bringUp() throws Exception {
        try {
            bringUpSteps();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private void bringUpSteps() throws Exception {
        say("starting a Kubernetes API on loopback ...");
        api = ApiServers.start(options.apiserver(), run);
        if (api instanceof RealApiServer real) {
            say("apiserver=real: kube-apiserver " + real.version() + " with kube-controller-manager and etcd, built"
                    + " from their Go modules (e2e/controlplane)");
        } else if (options.apiserver().equals("mock")) {
            say("apiserver=mock (as asked): the Fabric8 mock API server in CRUD mode (no schema or CEL enforcement,"
                    + " no RBAC, no garbage collection)");
        } else {
            say("apiserver=mock: the real control plane is not built here (`bash e2e/controlplane/build.sh` builds it,"
                    + " many minutes once); using the Fabric8 mock API server in CRUD mode (no schema or CEL"
                    + " enforcement, no RBAC, no garbage collection)");
        }
        KubernetesClient kube = api.client();
        if (api instanceof RealApiServer) {
            // a real API server serves the new kind only once the CRD is Established
            dev.slicer.e2e.controlplane.SplitInferenceCrd.install(kube);
        } else {
            try (InputStream crd =
                    SplitInference.class.getClassLoader().getResourceAsStream(SplitInference.CRD_RESOURCE)) {
                kube.resource(kube.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
                        .create();
            }
        }
        SplitInference si = kube.getKubernetesSerialization()
                .unmarshal(Files.readString(options.root().resolve(EXAMPLE)), SplitInference.class);
        si.getSpec().getModel().setUri(options.model());
        fleet = si.getMetadata().getName();

        say("calibrating the model profile the operator plans from (cached) ...");
        kube.configMaps()
                .inNamespace(NAMESPACE)
                .resource(profileConfigMap(NAMESPACE, si, profile(options.root(), options.model())))
                .create();

        if (options.prometheus()) {
            Optional<Path> bin = Prometheus.find(options.root());
            if (bin.isPresent()) {
                prometheus = Prometheus.start(bin.get(), run, logs(), NAMESPACE);
                say("prometheus " + prometheus.url() + " (scrape every " + Prometheus.SCRAPE_INTERVAL.toSeconds()
                        + "s)");
            } else {
                say("prometheus: not installed. Install it with `sudo apt-get install prometheus` (or run"
                        + " e2e/src/main/sh/ensure-prometheus.sh as root); continuing without it: the operator"
                        + " scrapes the back-end replicas' /q/metrics itself");
            }
        }
        operatorPort = Ports.free();
        startOperator();

        List<Device> devices = Device.of(si, "edge", options.edges(), LINK_RATES);
        kubelet = new LocalKubelet(
                kube, NAMESPACE, fleet, options.root(), run, logs(), devices, plans::published, this::event);
        say("applying " + EXAMPLE + " ...");
        kube.resource(si).inNamespace(NAMESPACE).create();

        say("waiting for the operator's back-end Deployment and edge DaemonSet, then for the processes ...");
        kubelet.awaitFleet(Duration.ofMinutes(4));
        if (options.decoderEdges() > 0) {
            say("calibrating the decoder's profile (cached) and applying " + DecoderFleet.EXAMPLE + " ...");
            decoder = DecoderFleet.apply(
                    kube,
                    NAMESPACE,
                    options.root(),
                    run,
                    logs(),
                    options.decoderEdges(),
                    () -> startNanos,
                    this::event);
            decoder.start(Duration.ofMinutes(4), http);
        }
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-sampler");
            t.setDaemon(true);
            return t;
        });
        // until the traffic starts, only the kubelet stand-in runs (the timeline starts with the traffic)
        sampler.scheduleWithFixedDelay(this::syncQuietly, 1, 1, TimeUnit.SECONDS);
        for (Device dev : devices) {
            stats.put(dev.name(), new EdgeStats(dev));
            setLink(dev.name(), dev.linkBytesPerSecond());
        }
        targets();

        List<String> sentences = SampleSentences.load().subList(0, 32);
        say("computing the unsplit model's outputs for fidelity ...");
        reference = new UnsplitReference(SplittableModel.load(options.model()), options.model());
        sentences.forEach(reference::output); // computed once, before the traffic
        traffic = new Traffic(BuiltinModels.servedName(options.model()), sentences, reference);
        for (Device dev : devices) {
            traffic.drive(kubelet.edges().get(dev.name()).httpPort(), stats.get(dev.name()));
        }
        table = new LiveTable(options.console(), options.live());
        startNanos = System.nanoTime();
        plans.rebase();
        if (decoder != null) {
            decoder.plans().rebase();
        }
        event("traffic starts");
        // the sampler also drives the kubelet stand-in: plan changes reach the back-end within a second
        sampler.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    /**
     * The ConfigMap {@code <fleet>-profile} the operator plans {@code si} from: the profile file, annotated with the
     * digest of the model URI it was made for (the operator uses a profile only for that model).
     */
    public static ConfigMap profileConfigMap(String namespace, SplitInference si, Path profile) throws IOException {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(si.getMetadata().getName() + "-profile")
                .withNamespace(namespace)
                .addToAnnotations(
                        ModelDigest.ANNOTATION,
                        ModelDigest.of(si.getSpec().getModel().getUri()))
                .endMetadata()
                .addToData("profile.json", Files.readString(profile))
                .build();
    }

    /**
     * The profile for {@code model}, calibrated on this machine and cached under e2e/target until the planner (whose
     * settings grid the profile measures) is rebuilt.
     */
    public static Path profile(Path root, String model) throws IOException {
        Path cache = root.resolve("e2e/target/demo-cache");
        Files.createDirectories(cache);
        Path file = cache.resolve(model.replaceAll("[^A-Za-z0-9._-]", "_") + "-profile.json");
        if (Files.isRegularFile(file)
                && Files.getLastModifiedTime(file).toMillis() > plannerBuilt()
                && CachedProfile.usable(file, System.out)) {
            return file;
        }
        Path tmp = cache.resolve(file.getFileName() + ".tmp");
        Path log = cache.resolve("calibrate.log");
        try (PrintStream out = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            int rc = PlanCli.run(new String[] {"calibrate", "--model", model, "--out", tmp.toString()}, out, out);
            if (rc != 0) {
                throw new IOException("slicer plan calibrate failed (exit " + rc + "); see " + log);
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** When the planner on the class path was built (its jar, or the newest file of its classes directory). */
    static long plannerBuilt() throws IOException {
        Path code;
        try {
            code = Path.of(PlanCli.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        try (var files = Files.walk(code)) {
            return files.mapToLong(f -> f.toFile().lastModified()).max().orElse(Long.MAX_VALUE);
        }
    }

    private void startOperator() throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        env.putAll(api.operatorEnv());
        env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", NAMESPACE);
        // a profile of its own: the image's defaults, without prod's leader election (one replica here; the mock
        // API cannot answer its permission check)
        env.put("QUARKUS_PROFILE", "demo");
        // the mock cannot apply server-side (no managedFields, a creating apply answers 404)
        env.put("SLICER_OPERATOR_SERVER_SIDE_APPLY", Boolean.toString(!"mock".equals(api.kind())));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(operatorPort));
        if (prometheus == null) {
            // no Prometheus: the operator reads the replicas it finds in the back-end Service's EndpointSlices
            env.put("SLICER_OPERATOR_METRICS_SOURCE", "direct");
        } else {
            env.put("SLICER_OPERATOR_PROMETHEUS_URL", prometheus.url());
        }
        // a short demo: rates over seconds, not minutes, and quick re-checks while metrics are missing
        env.put("SLICER_OPERATOR_RATE_WINDOW", "20s");
        env.put("SLICER_OPERATOR_BACKOFF_INITIAL", "2s");
        env.put("SLICER_OPERATOR_BACKOFF_MAX", "10s");
        String name = operatorRuns == 0 ? "operator" : "operator-" + operatorRuns;
        operatorRuns++;
        // the cluster DNS's stand-in: the host name the back-end's EndpointSlices give their pods
        Map<String, String> props =
                Map.of("jdk.net.hosts.file", EndpointSlices.hostsFile(run).toString());
        operator = ServiceProcess.start(options.root(), "operator", name, operatorPort, props, env, logs());
        operator.awaitReady(Duration.ofMinutes(2));
    }

    private synchronized void targets() throws IOException {
        List<ServiceProcess> backends = new ArrayList<>(kubelet.backends());
        if (decoder != null) {
            backends.addAll(decoder.kubelet().backends());
        }
        scraped = backends;
        targetsWritten = true;
        if (prometheus == null) {
            return;
        }
        List<String> edges = kubelet.edges().values().stream()
                .map(p -> "127.0.0.1:" + p.httpPort())
                .toList();
        List<Prometheus.FleetTargets> fleets = new ArrayList<>();
        fleets.add(new Prometheus.FleetTargets(
                fleet,
                kubelet.backends().stream()
                        .map(b -> "127.0.0.1:" + b.httpPort())
                        .toList(),
                edges));
        if (decoder != null) {
            fleets.add(decoder.targets());
        }
        prometheus.targets(fleets, List.of("127.0.0.1:" + operatorPort));
    }

    // ---- scenario steps ----

    /** Sets a device's emulated uplink (bytes/s; 0 = unlimited) through the edge's link endpoint. */
    public void setLink(String device, long bytesPerSecond) throws IOException, InterruptedException {
        int port = kubelet.edges().get(device).httpPort();
        dev.slicer.e2e.EdgeLink.set(http, port, bytesPerSecond);
        synchronized (links) {
            links.put(device, bytesPerSecond);
        }
    }

    /**
     * Whether a device's edge answers from the row for the link it measured: an edge that has not measured its link
     * yet sends on the plan's cheapest offloading row (its probe), which no degradation could improve on. Two replies:
     * the first measured the link, the second was planned with it.
     */
    public boolean linkMeasured(String device) {
        return stats.get(device).ok() >= 2 && goodput(device) > 0;
    }

    /** Degrades a device's link and starts timing how long its edge takes to move to a cheaper row. */
    public void degradeLink(String device, long bytesPerSecond) throws IOException, InterruptedException {
        EdgeStats s = stats.get(device);
        if (!linkMeasured(device)) {
            throw new IllegalStateException(device + " has not measured its link yet (its row is the probe's)");
        }
        PlanRow before =
                rowOf(s).orElseThrow(() -> new IllegalStateException(device + " has not answered from a plan row yet"));
        adaptation = new Adaptation(device, System.nanoTime(), before);
        setLink(device, bytesPerSecond);
        event(device + " link " + Units.rate(bytesPerSecond * 8.0) + "bit/s");
    }

    public void restoreLink(String device) throws IOException, InterruptedException {
        long rate = stats.get(device).device().linkBytesPerSecond();
        setLink(device, rate);
        event(device + " link restored " + Units.rate(rate * 8.0) + "bit/s");
    }

    public void setLoad(int clientsPerEdge) {
        traffic.setClients(clientsPerEdge);
        event("load " + traffic.clients() + " clients/edge");
    }

    /** Stops the operator (SIGTERM) and starts a new one against the same API. */
    public void restartOperator() throws IOException, InterruptedException {
        event("operator restart");
        operator.close();
        startOperator();
    }

    public void stopOperator() throws InterruptedException {
        event("operator stopped");
        operator.close();
    }

    public void startOperatorAgain() throws IOException, InterruptedException {
        startOperator();
        event("operator started");
    }

    public void stopPrometheus() throws InterruptedException {
        event("prometheus down");
        prometheus.stop();
    }

    public void startPrometheus() throws IOException, InterruptedException {
        prometheus.restart();
        event("prometheus back");
    }

    // ---- observation ----

    public Map<String, EdgeStats> stats() {
        return stats;
    }

    public PlanHistory plans() {
        return plans;
    }

    public Timeline timeline() {
        return timeline;
    }

    public LocalKubelet kubelet() {
        return kubelet;
    }

    /** The name of the demo's SplitInference. */
    public String fleet() {
        return fleet;
    }

    public Optional<Prometheus> prometheus() {
        return Optional.ofNullable(prometheus);
    }

    public ApiServer api() {
        return api;
    }

    public double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Adaptations measured so far (from a degradation to the first reply on a cheaper row). */
    public synchronized List<Adapted> adaptations() {
        return List.copyOf(adaptations);
    }

    /**
     * Pins the back-end's replicas ({@code spec.backend.replicas}, what {@code kubectl scale} sets through the scale
     * subresource); {@code null} returns them to load-based scaling.
     */
    public void pinReplicas(Integer replicas) {
        api.client()
                .resources(SplitInference.class)
                .inNamespace(NAMESPACE)
                .withName(fleet)
                .edit(si -> {
                    si.getSpec().getBackend().setReplicas(replicas);
                    return si;
                });
        event(replicas == null ? "back-end replicas from load" : "back-end pinned to " + replicas + " replicas");
    }

    /** The resource's status condition of that type, if set. */
    public Optional<Condition> condition(String type) {
        return condition(fleet, type);
    }

    /** The status condition of that type of the demo's SplitInference {@code name}, if set. */
    public Optional<Condition> condition(String name, String type) {
        SplitInference si = api.client()
                .resources(SplitInference.class)
                .inNamespace(NAMESPACE)
                .withName(name)
                .get();
        if (si == null || si.getStatus() == null || si.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return si.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst();
    }

    /** The plan row of an edge's latest reply. */
    public Optional<PlanRow> rowOf(EdgeStats s) {
        EdgeStats.Reply r = s.last();
        return r == null ? Optional.empty() : plans.row(r.plan(), s.device().deviceClass(), r.row());
    }

    public void event(String label) {
        timeline.event(seconds(), label);
        if (table != null) {
            table.note(label);
        }
    }

    private void syncQuietly() {
        if (table != null) {
            return; // the tick took over
        }
        try {
            syncKubelets();
        } catch (Exception | Error e) {
            say("demo: kubelet: " + e);
        }
    }

    /** One pass of every fleet's kubelet stand-in. */
    private void syncKubelets() throws IOException {
        kubelet.sync();
        List<ServiceProcess> backends = new ArrayList<>(kubelet.backends());
        if (decoder != null) {
            decoder.kubelet().sync();
            backends.addAll(decoder.kubelet().backends());
        }
        if (targetsWritten && !backends.equals(scraped)) {
            targets(); // Prometheus follows the replicas, as a ServiceMonitor's endpoints do
        }
    }

    private void tick() {
        try {
            syncKubelets();
            double t = seconds();
            for (EdgeStats s : stats.values()) {
                EdgeStats.Reply last = s.last();
                timeline.sample(
                        s.device().name(),
                        new Timeline.Sample(
                                t,
                                last == null ? Integer.MIN_VALUE : last.split(),
                                s.bytesPerRequestSince(System.nanoTime() - 2_000_000_000L),
                                goodput(s.device().name())));
            }
            checkAdaptation();
            if (table != null) {
                table.render(rows(), footer(), decoderLines());
            }
        } catch (Exception | Error e) {
            say("demo: sampler: " + e);
        }
    }

    private void checkAdaptation() {
        Adaptation a = adaptation;
        if (a == null) {
            return;
        }
        EdgeStats.Reply r = stats.get(a.device()).last();
        if (r == null || r.atNanos() < a.atNanos()) {
            return;
        }
        Optional<PlanRow> row = rowOf(stats.get(a.device()));
        if (row.isPresent() && row.get().predictedBytes() < a.before().predictedBytes()) {
            synchronized (this) {
                adaptations.add(new Adapted(a.device(), (r.atNanos() - a.atNanos()) / 1e9, a.before(), row.get()));
            }
            adaptation = null;
            event(a.device() + " adapted: " + row.get().splitName() + " " + PlanHistory.knobs(row.get()));
        }
    }

    double goodput(String device) {
        return metric(kubelet.edges().get(device).httpPort(), "slicer_edge_link_goodput_bytes_per_second");
    }

    /** A sample of the running operator's own metrics (summed over label sets), NaN when unreadable. */
    public double operatorMetric(String name) {
        return metric(operatorPort, name);
    }

    /** The sum of a metric's samples on a service's /q/metrics (Prometheus text format), NaN when absent. */
    double metric(int port, String name) {
        try {
            String body = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            double sum = Double.NaN;
            for (String line : body.split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    sum = Double.isNaN(sum) ? v : sum + v;
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    List<LiveTable.EdgeRow> rows() {
        List<LiveTable.EdgeRow> rows = new ArrayList<>();
        for (EdgeStats s : stats.values()) {
            EdgeStats.Reply last = s.last();
            Optional<PlanRow> row = rowOf(s);
            long link;
            synchronized (links) {
                link = links.getOrDefault(s.device().name(), 0L);
            }
            rows.add(new LiveTable.EdgeRow(
                    s.device().name(),
                    s.device().deviceClass(),
                    link,
                    goodput(s.device().name()),
                    last == null
                            ? "-"
                            : row.map(PlanRow::splitName).orElse(last.split() < 0 ? "cloud" : "#" + last.split()),
                    row.map(PlanHistory::knobs).orElse("-"),
                    s.windowBytesPerRequest(),
                    s.windowP95(),
                    s.ok(),
                    s.failed()));
        }
        return rows;
    }

    /** The decoder fleet's section of the table (none without {@code --ar}). */
    List<String> decoderLines() {
        return decoder == null
                ? List.of()
                : decoder.lines(port -> metric(port, "slicer_edge_link_goodput_bytes_per_second"));
    }

    public Optional<DecoderFleet> decoder() {
        return Optional.ofNullable(decoder);
    }

    String footer() {
        double queue = Double.NaN;
        double batch = Double.NaN;
        String source = "replies";
        if (prometheus != null && prometheus.alive()) {
            String of = "{slicer_dev_fleet=\"" + fleet + "\"}";
            OptionalDouble q = prometheus.scalar("slicer:backend_queue_delay_seconds:mean" + of);
            OptionalDouble b = prometheus.scalar("slicer:backend_batch_size:mean" + of);
            if (q.isPresent() && b.isPresent()) {
                queue = q.getAsDouble();
                batch = b.getAsDouble();
                source = "prometheus";
            }
        }
        if (source.equals("replies")) {
            double qs = 0, bs = 0;
            int n = 0;
            for (EdgeStats s : stats.values()) {
                double[] w = s.windowBackend();
                if (!Double.isNaN(w[0]) && !Double.isNaN(w[1])) {
                    qs += w[0];
                    bs += w[1];
                    n++;
                }
            }
            queue = n == 0 ? Double.NaN : qs / n;
            batch = n == 0 ? Double.NaN : bs / n;
        }
        int[] replicas = kubelet.replicas();
        String plan = plans.currentShortHash();
        return String.format(
                Locale.ROOT,
                "back-end: queue delay %s  batch %.1f  replicas %d wanted / %d running  (%s)   plan %s, %d replans   load %d"
                        + " clients/edge   apiserver=%s prometheus=%s",
                Units.millis(queue),
                batch,
                replicas[0],
                replicas[1],
                source,
                plan,
                plans.replans(),
                traffic == null ? 0 : traffic.clients(),
                api.kind(),
                prometheus == null ? "off (the operator scrapes the back-end)" : prometheus.alive() ? "up" : "down");
    }

    /** Stops the traffic (every request in flight ends and is counted), writes the PNG and HTML, returns figures. */
    public Result finish() throws Exception {
        traffic.close();
        DecoderFleet.Result ar = decoder == null ? null : decoder.finish();
        sampler.shutdown();
        sampler.awaitTermination(30, TimeUnit.SECONDS);
        tick();
        long ok = 0, failed = 0, fallbacks = 0, raw = 0, sent = 0;
        double cos = 0, minCos = 1;
        int n = 0;
        for (EdgeStats s : stats.values()) {
            ok += s.ok();
            failed += s.failed();
            fallbacks += s.fallbacks();
            long[] b = s.splitBytes();
            raw += b[0];
            sent += b[1];
            if (!Double.isNaN(s.meanCosine())) {
                cos += s.meanCosine() * s.ok();
                n += s.ok();
                minCos = Math.min(minCos, s.minCosine());
            }
        }
        double adapt =
                adaptations().stream().mapToDouble(Adapted::seconds).max().orElse(Double.NaN);
        Result r = new Result(
                stats.size(),
                ok + failed,
                failed,
                fallbacks,
                plans.replans(),
                adapt,
                sent == 0 ? Double.NaN : (double) raw / sent,
                n == 0 ? Double.NaN : cos / n,
                minCos,
                api.kind(),
                options.out().resolve("demo-timeline.png"),
                options.out().resolve("demo-report.html"),
                ar);
        List<String> finalTable = LiveTable.lines(rows(), footer(), decoderLines());
        var charts = TimelineChart.charts(timeline);
        TimelineChart.write(r.png(), charts);
        HtmlReport.write(r.html(), String.join("\n", r.summaries()), finalTable, charts, timeline, plans);
        options.console().println(String.join("\n", finalTable));
        for (EdgeStats s : stats.values()) {
            printFailures(s.device(), s.failures(), s.lastErrors());
        }
        for (DecoderStats s :
                decoder == null ? List.<DecoderStats>of() : decoder.stats().values()) {
            printFailures(s.device(), s.failures(), s.lastErrors());
        }
        options.console().println("timeline: " + r.png());
        options.console().println("report:   " + r.html());
        return r;
    }

    /** A device's failures by HTTP status, if any (0: no HTTP answer; 429: back-end overloaded; 503: unavailable). */
    private void printFailures(Device device, Map<Integer, Long> failures, Map<Integer, String> lastErrors) {
        if (!failures.isEmpty()) {
            options.console()
                    .println("failed on " + device.name() + " by HTTP status: " + failures + "; last error per status: "
                            + lastErrors);
        }
    }

    private void say(String s) {
        options.console().println(s);
    }

    /** Stops every process it started (edges, back-end, operator, Prometheus, API) and removes the run directory. */
    @Override
    public void close() throws Exception {
        if (traffic != null) {
            traffic.close();
        }
        if (sampler != null) {
            sampler.shutdownNow();
        }
        if (decoder != null) {
            decoder.close();
        }
        if (kubelet != null) {
            kubelet.close();
        }
        if (operator != null) {
            operator.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (api != null) {
            api.close();
        }
        if (reference != null) {
            reference.close();
        }
        ConfigMapVolume.deleteTree(run);
    }
}
