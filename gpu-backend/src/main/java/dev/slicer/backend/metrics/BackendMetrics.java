package dev.slicer.backend.metrics;

import dev.slicer.backend.config.BackendConfig;
import dev.slicer.protocol.BackendErrors.Reason;
import dev.slicer.protocol.v1.EdgeReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The back-end's metrics (names in helm/metrics-contract.txt; Micrometer adds the unit and {@code _total}
 * suffixes): its own queue, batches, compute and rejections, and the edges' reports re-exported per device class
 * under the edge's own metric names with a {@code device_class} label (the names the operator queries), so that
 * Prometheus needs to scrape only the back-end to plan for edges it cannot reach.
 */
@ApplicationScoped
public class BackendMetrics {
    /** Distinct device classes exported; later ones are counted under {@link #OTHER}, so a client cannot explode it. */
    static final int MAX_DEVICE_CLASSES = 64;

    static final String OTHER = "other";

    /** The edge metrics this service re-exports from the edge reports. */
    public static final java.util.List<String> REEXPORTED = java.util.List.of(
            "slicer_edge_link_goodput_bytes_per_second",
            "slicer_edge_link_latency_seconds",
            "slicer_edge_stage_duration_seconds",
            "slicer_edge_if_raw_bytes_total",
            "slicer_edge_if_bytes_total");
    /** Histogram buckets of the latency metrics: 0.5 ms to 10 s. */
    private static final Duration[] LATENCY_BUCKETS = java.util.stream.LongStream.of(
                    500,
                    1_000,
                    2_000,
                    5_000,
                    10_000,
                    20_000,
                    50_000,
                    100_000,
                    200_000,
                    500_000,
                    1_000_000,
                    2_000_000,
                    5_000_000,
                    10_000_000)
            .mapToObj(Duration::ofNanos)
            .map(d -> d.multipliedBy(1000))
            .toArray(Duration[]::new);

    private static final String[] STAGES = {"front", "encode", "transfer", "backend"};

    private final MeterRegistry registry;
    private final String provider;
    private final Timer queueDelay;
    private final DistributionSummary batchSize;
    private final Counter compute;
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong queued = new AtomicLong();
    private final Map<String, EdgeMeters> edges = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<String>> applied = new ConcurrentHashMap<>();
    private final AtomicReference<String> currentPlan = new AtomicReference<>("");

    public BackendMetrics(MeterRegistry registry, BackendConfig config) {
        this.registry = registry;
        this.provider = config.executionProvider().name();
        this.queueDelay = Timer.builder("slicer.backend.queue.delay")
                .description("Time a request waited in the admission queue before its batch ran")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        this.batchSize = DistributionSummary.builder("slicer.backend.batch.size")
                .description("Requests per tail execution")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                .register(registry);
        this.compute = Counter.builder("slicer.backend.compute")
                .baseUnit("seconds")
                .description("Time spent running tails (stacking, ONNX Runtime, slicing)")
                .tag("execution_provider", provider)
                .register(registry);
        Gauge.builder("slicer.backend.sessions", sessions, AtomicLong::get)
                .description("Open ONNX Runtime tail sessions")
                .tag("execution_provider", provider)
                .register(registry);
        Gauge.builder("slicer.backend.queue.requests", queued, AtomicLong::get)
                .description("Requests admitted and waiting for a batch")
                .register(registry);
        for (Reason r : Reason.values()) {
            rejectedCounter(r);
        }
        Gauge.builder("slicer.backend.plan.info", () -> 1)
                .description("The plan the back-end streams (sha256 label)")
                .tags(Tags.of("sha256", ""))
                .register(registry);
    }

    private Counter rejectedCounter(Reason r) {
        return Counter.builder("slicer.backend.rejected")
                .description("Requests answered with an error instead of a result, by reason")
                .tag("reason", r.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    public void queueDelay(double seconds) {
        queueDelay.record(Duration.ofNanos((long) (seconds * 1e9)));
    }

    public void batch(int size, double computeSeconds) {
        batchSize.record(size);
        compute.increment(computeSeconds);
    }

    public void sessions(int n) {
        sessions.set(n);
    }

    public void queued(int n) {
        queued.set(n);
    }

    public void rejected(Reason reason) {
        rejectedCounter(reason).increment();
    }

    /** The plan now streamed to the edges. */
    public void plan(String sha256) {
        String old = currentPlan.getAndSet(sha256);
        if (!old.equals(sha256)) {
            registry.find("slicer.backend.plan.info").gauges().forEach(registry::remove);
            Gauge.builder("slicer.backend.plan.info", () -> 1)
                    .description("The plan the back-end streams (sha256 label)")
                    .tags(Tags.of("sha256", sha256))
                    .register(registry);
        }
    }

    /** The plan hash an edge of {@code deviceClass} says it applies (the last acknowledgement per class). */
    public void planApplied(String deviceClass, String sha256) {
        String dc = deviceClass(deviceClass);
        AtomicReference<String> ref = applied.computeIfAbsent(dc, k -> new AtomicReference<>());
        String old = ref.getAndSet(sha256);
        if (sha256.equals(old)) {
            return;
        }
        registry.find("slicer.backend.edge.plan.applied")
                .tag("device_class", dc)
                .gauges()
                .forEach(registry::remove);
        Gauge.builder("slicer.backend.edge.plan.applied", () -> 1)
                .description("The plan hash last acknowledged by an edge of this device class")
                .tags(Tags.of("device_class", dc, "sha256", sha256))
                .register(registry);
    }

    /** Re-exports one request's edge report. */
    public void edgeReport(EdgeReport r) {
        if (r == null || r.getDeviceClass().isEmpty()) {
            return;
        }
        EdgeMeters m = edges.computeIfAbsent(deviceClass(r.getDeviceClass()), this::edgeMeters);
        if (Double.isFinite(r.getLinkGoodputBytesPerSecond()) && r.getLinkGoodputBytesPerSecond() > 0) {
            m.goodput.set(Double.doubleToRawLongBits(r.getLinkGoodputBytesPerSecond()));
        }
        if (Double.isFinite(r.getLinkLatencySeconds())
                && r.getLinkLatencySeconds() >= 0
                && r.getLinkLatencySeconds() < 3600) {
            m.latency.set(Double.doubleToRawLongBits(r.getLinkLatencySeconds()));
        }
        double[] stages = {r.getFrontSeconds(), r.getEncodeSeconds(), r.getTransferSeconds(), r.getBackendSeconds()};
        for (int i = 0; i < stages.length; i++) {
            if (Double.isFinite(stages[i]) && stages[i] > 0 && stages[i] < 3600) {
                m.stages[i].record(Duration.ofNanos((long) (stages[i] * 1e9)));
            }
        }
        if (r.getIfRawBytes() > 0) {
            m.rawBytes.increment(r.getIfRawBytes());
        }
        if (r.getIfSentBytes() > 0) {
            m.sentBytes.increment(r.getIfSentBytes());
        }
    }

    private String deviceClass(String dc) {
        String s = dc.length() > 63 ? dc.substring(0, 63) : dc;
        if (edges.containsKey(s) || applied.containsKey(s)) {
            return s;
        }
        return edges.size() + applied.size() >= MAX_DEVICE_CLASSES ? OTHER : s;
    }

    private EdgeMeters edgeMeters(String dc) {
        AtomicLong goodput = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
        Gauge.builder("slicer.edge.link.goodput.bytes.per.second", goodput, g -> Double.longBitsToDouble(g.get()))
                .description("Link goodput the edges of this device class measured (last report)")
                .tag("device_class", dc)
                .register(registry);
        AtomicLong latency = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
        Gauge.builder("slicer.edge.link.latency", latency, g -> Double.longBitsToDouble(g.get()))
                .description("The link's fixed time per call the edges of this device class measured (last report)")
                .baseUnit("seconds")
                .tag("device_class", dc)
                .register(registry);
        Timer[] stages = new Timer[STAGES.length];
        for (int i = 0; i < STAGES.length; i++) {
            stages[i] = Timer.builder("slicer.edge.stage.duration")
                    .description("Edge stage durations as the edges of this device class reported them")
                    .tags("device_class", dc, "stage", STAGES[i])
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry);
        }
        Counter raw = Counter.builder("slicer.edge.if.raw.bytes")
                .baseUnit("bytes")
                .description("Intermediate-feature bytes before the codec, as the edges reported them")
                .tag("device_class", dc)
                .register(registry);
        Counter sent = Counter.builder("slicer.edge.if.bytes")
                .baseUnit("bytes")
                .description("Intermediate-feature bytes sent after the codec, as the edges reported them")
                .tag("device_class", dc)
                .register(registry);
        return new EdgeMeters(goodput, latency, stages, raw, sent);
    }

    private record EdgeMeters(
            AtomicLong goodput, AtomicLong latency, Timer[] stages, Counter rawBytes, Counter sentBytes) {}
}
