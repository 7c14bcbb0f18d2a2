package dev.slicer.e2e.demo;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.e2e.EdgeLink;
import dev.slicer.e2e.GreedyReference;
import dev.slicer.e2e.ServiceProcess;
import dev.slicer.model.builtin.BuiltinModels;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The demo's decoder fleet ({@code --ar}): {@code examples/tiny-llama.yaml} applied beside the MiniLM fleet and
 * planned by the same operator (autoregressive rows: hand-off step and split per link), its back-end and edges run
 * by a {@link LocalKubelet} of its own, and OpenAI completions driven through every edge ({@link Completions}), each
 * compared with the unsplit model's greedy text.
 */
public final class DecoderFleet implements AutoCloseable {
    public static final String EXAMPLE = "examples/tiny-llama.yaml";

    /** Uplink rates the decoder edges start with, bytes/s, by index (cycled). */
    static final long[] LINK_RATES = {100_000, 50_000};

    /** The figures of the decoder fleet's run: the {@code demo-ar:} line's fields. */
    public record Result(
            int edges,
            long completions,
            long failed,
            long offloaded,
            long tokens,
            double bitsPerToken,
            double sameText,
            double prefixAgreement,
            int replans) {
        public String summary() {
            return String.format(
                    Locale.ROOT,
                    "demo-ar: edges=%d completions=%d failed=%d offloaded=%d tokens=%d bits_per_token=%.1f"
                            + " same_text=%.4f prefix_agreement=%.4f replans=%d",
                    edges,
                    completions,
                    failed,
                    offloaded,
                    tokens,
                    bitsPerToken,
                    sameText,
                    prefixAgreement,
                    replans);
        }
    }

    private final String name;
    private final String uri;
    private final LocalKubelet kubelet;
    private final PlanHistory plans;
    private final Map<String, DecoderStats> stats = new LinkedHashMap<>();
    private GreedyReference reference;
    private Completions traffic;

    private DecoderFleet(String name, String uri, LocalKubelet kubelet, PlanHistory plans, List<Device> d) {
        this.name = name;
        this.uri = uri;
        this.kubelet = kubelet;
        this.plans = plans;
        d.forEach(dev -> stats.put(dev.name(), new DecoderStats(dev)));
    }

    /**
     * Publishes the decoder's calibrated profile, applies the example and returns the fleet, whose processes the
     * kubelet stand-in starts once the operator has created the back-end Deployment and edge DaemonSet.
     */
    public static DecoderFleet apply(
            KubernetesClient kube,
            String namespace,
            Path root,
            Path runDir,
            Path logDir,
            int edges,
            LongSupplier origin,
            Consumer<String> onEvent)
            throws IOException {
        SplitInference si = kube.getKubernetesSerialization()
                .unmarshal(Files.readString(root.resolve(EXAMPLE)), SplitInference.class);
        String uri = si.getSpec().getModel().getUri();
        kube.configMaps()
                .inNamespace(namespace)
                .resource(Demo.profileConfigMap(namespace, si, Demo.profile(root, uri)))
                .create();
        List<Device> devices = Device.of(si, "llm", edges, LINK_RATES);
        String name = si.getMetadata().getName();
        PlanHistory plans = new PlanHistory(origin);
        LocalKubelet kubelet =
                new LocalKubelet(kube, namespace, name, root, runDir, logDir, devices, plans::published, onEvent);
        kube.resource(si).inNamespace(namespace).create();
        return new DecoderFleet(name, uri, kubelet, plans, devices);
    }

    public String name() {
        return name;
    }

    public LocalKubelet kubelet() {
        return kubelet;
    }

    public PlanHistory plans() {
        return plans;
    }

    public Map<String, DecoderStats> stats() {
        return stats;
    }

    /** Waits (bounded) for the back-end and every edge, then sets the links and starts the completions. */
    public void start(Duration timeout, HttpClient http) throws IOException, InterruptedException {
        kubelet.awaitFleet(timeout);
        reference = new GreedyReference(uri, Completions.TOKENS);
        Completions.PROMPTS.forEach(reference::text); // computed once, before the traffic
        traffic = new Completions(BuiltinModels.servedName(uri), reference);
        Map<String, ServiceProcess> edges = kubelet.edges();
        for (DecoderStats s : stats.values()) {
            int port = edges.get(s.device().name()).httpPort();
            EdgeLink.set(http, port, s.device().linkBytesPerSecond());
            traffic.drive(port, s);
        }
    }

    public Prometheus.FleetTargets targets() {
        return new Prometheus.FleetTargets(
                name,
                kubelet.backends().stream()
                        .map(b -> "127.0.0.1:" + b.httpPort())
                        .toList(),
                kubelet.edges().values().stream()
                        .map(p -> "127.0.0.1:" + p.httpPort())
                        .toList());
    }

    /**
     * The table's decoder section: one row per edge and the fleet's line.
     *
     * @param goodput an edge's measured link goodput (bytes/s) by its HTTP port
     */
    public List<String> lines(java.util.function.IntToDoubleFunction goodput) {
        List<String> l = new ArrayList<>();
        Map<String, ServiceProcess> edges = kubelet.edges();
        String fmt = "%-16s %-7s %9s %9s %-8s %6s %3s %10s %7s %9s %9s";
        l.add(String.format(
                Locale.ROOT,
                "decoder fleet %s: OpenAI completions of %d tokens at temperature 0",
                name,
                Completions.TOKENS));
        l.add(String.format(
                Locale.ROOT,
                fmt,
                "edge",
                "class",
                "link",
                "goodput",
                "mode",
                "split",
                "w",
                "bit/token",
                "p95",
                "same text",
                "ok/failed"));
        for (DecoderStats s : stats.values()) {
            DecoderStats.Completion last = s.last();
            l.add(String.format(
                    Locale.ROOT,
                    fmt,
                    s.device().name(),
                    s.device().deviceClass(),
                    Units.rate(s.device().linkBytesPerSecond() * 8.0) + "b",
                    edges.containsKey(s.device().name())
                            ? Units.rate(goodput.applyAsDouble(
                                                    edges.get(s.device().name()).httpPort())
                                            * 8)
                                    + "b"
                            : "-",
                    last == null ? "-" : last.mode(),
                    last == null || last.split() < 0 ? "-" : "#" + last.split(),
                    last == null ? "-" : Integer.toString(last.w()),
                    Double.isNaN(s.windowBitsPerToken())
                            ? "-"
                            : String.format(Locale.ROOT, "%.1f", s.windowBitsPerToken()),
                    Units.millis(s.windowP95()),
                    s.sameText() + "/" + s.ok(),
                    s.ok() + "/" + s.failed()));
        }
        int[] replicas = kubelet.replicas();
        l.add(String.format(
                Locale.ROOT,
                "decoder back-end: replicas %d wanted / %d running   plan %s, %d replans",
                replicas[0],
                replicas[1],
                plans.currentShortHash(),
                plans.replans()));
        return l;
    }

    /** Stops the completions (every one in flight ends and is counted) and returns the figures. */
    public Result finish() throws InterruptedException {
        if (traffic != null) {
            traffic.close();
        }
        long ok = 0, failed = 0, offloaded = 0, tokens = 0, bytes = 0, same = 0;
        double prefix = 0;
        for (DecoderStats s : stats.values()) {
            ok += s.ok();
            failed += s.failed();
            offloaded += s.offloaded();
            tokens += s.tokens();
            bytes += s.ifBytes();
            same += s.sameText();
            prefix += s.prefixAgreementSum();
        }
        return new Result(
                stats.size(),
                ok + failed,
                failed,
                offloaded,
                tokens,
                tokens == 0 ? Double.NaN : 8.0 * bytes / tokens,
                ok == 0 ? Double.NaN : (double) same / ok,
                ok == 0 ? Double.NaN : prefix / ok,
                plans.replans());
    }

    @Override
    public void close() throws InterruptedException {
        if (traffic != null) {
            traffic.close();
        }
        kubelet.close();
        if (reference != null) {
            reference.close();
        }
    }
}
