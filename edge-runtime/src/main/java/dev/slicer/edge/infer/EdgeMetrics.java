package dev.slicer.edge.infer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/** The edge's metrics, named as in helm/metrics-contract.txt (Prometheus adds _total and _seconds). */
public final class EdgeMetrics {
    /** The stages of {@code slicer_edge_stage_duration_seconds}. */
    public enum Stage {
        FRONT,
        ENCODE,
        TRANSFER,
        BACKEND;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Counter ifBytes;
    private final Counter ifRawBytes;
    private final Map<Stage, Timer> stages = new EnumMap<>(Stage.class);
    private final AtomicInteger splitLayer = new AtomicInteger(-1);

    public EdgeMetrics(MeterRegistry registry, LinkCrossing link) {
        DoubleSupplier goodput = link.goodput()::lastValue;
        ifBytes = Counter.builder("slicer_edge_if_bytes")
                .description("Intermediate-feature bytes sent to the back-end (after the codec)")
                .baseUnit("bytes")
                .register(registry);
        ifRawBytes = Counter.builder("slicer_edge_if_raw_bytes")
                .description("Intermediate-feature bytes before the codec")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("slicer_edge_link_goodput_bytes_per_second", goodput, DoubleSupplier::getAsDouble)
                .description("Measured link goodput (EWMA over real transfers, the link's fixed latency taken out)")
                .strongReference(true)
                .register(registry);
        Gauge.builder("slicer_edge_link_latency_seconds", link, LinkCrossing::latencySeconds)
                .description("The link's fixed time per call (round trip and framing), fitted over recent calls")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
        Gauge.builder("slicer_edge_split_layer", splitLayer, AtomicInteger::get)
                .description("Split index in use: -1 cloud-only, the candidate count for local-only")
                .strongReference(true)
                .register(registry);
        for (Stage s : Stage.values()) {
            stages.put(
                    s,
                    Timer.builder("slicer_edge_stage_duration")
                            .description("Duration of one request stage on the edge")
                            .tag("stage", s.label())
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofNanos(100_000))
                            .maximumExpectedValue(Duration.ofSeconds(30))
                            .register(registry));
        }
    }

    public void stage(Stage s, long nanos) {
        stages.get(s).record(Math.max(0, nanos), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void ifBytes(long raw, long sent) {
        ifRawBytes.increment(raw);
        ifBytes.increment(sent);
    }

    public void splitLayer(int split) {
        splitLayer.set(split);
    }
}
