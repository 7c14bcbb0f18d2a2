package dev.slicer.edge.testing;

import dev.slicer.edge.backend.BackendChannel;
import dev.slicer.edge.backend.Backoff;
import dev.slicer.edge.backend.RetryPolicy;
import dev.slicer.edge.infer.EdgeMetrics;
import dev.slicer.edge.infer.EdgePipeline;
import dev.slicer.edge.infer.LinkCrossing;
import dev.slicer.edge.link.GoodputMeter;
import dev.slicer.edge.link.LinkThrottle;
import dev.slicer.edge.model.EdgeModel;
import dev.slicer.edge.plan.PlanHolder;
import dev.slicer.model.builtin.BuiltinModels;
import dev.slicer.model.split.HostTensor;
import dev.slicer.protocol.WireLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A real MiniLM edge pipeline (no HTTP) against a {@link TestBackend}, loaded once per JVM. */
public final class EdgeFixture {
    /** How long an edge without a fallback waits for a lost connection (well above gRPC's reconnect backoff). */
    public static final Duration RECONNECT_WAIT = Duration.ofSeconds(10);

    public static final String DEVICE = "test-device";
    private static EdgeModel model;

    private EdgeFixture() {}

    public static synchronized EdgeModel minilm() {
        if (model == null) {
            model = EdgeModel.load(BuiltinModels.MINILM, Optional.empty(), Optional.empty(), 4);
        }
        return model;
    }

    /** The pieces of one edge. */
    public record Edge(
            EdgePipeline pipeline,
            PlanHolder plans,
            GoodputMeter goodput,
            SimpleMeterRegistry registry,
            BackendChannel channel)
            implements AutoCloseable {
        @Override
        public void close() {
            channel.close();
        }
    }

    public static Edge edge(String address, boolean localFallback, int attempts) {
        return edge(address, localFallback, attempts, null);
    }

    /** An edge whose uplink is {@code link} (null: none). */
    public static Edge edge(String address, boolean localFallback, int attempts, LinkThrottle link) {
        EdgeModel m = minilm();
        PlanHolder plans = new PlanHolder(m.uri(), m.candidateCount());
        GoodputMeter goodput = new GoodputMeter(0.3, 1.0, Duration.ofMinutes(5).toNanos(), System::nanoTime);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WireLimits limits = WireLimits.forElements(1 << 22);
        BackendChannel channel = new BackendChannel(address, limits);
        LinkCrossing crossing = new LinkCrossing(link, goodput);
        EdgePipeline p = new EdgePipeline(
                m,
                plans,
                Optional.of(channel),
                crossing,
                new EdgeMetrics(registry, crossing),
                new EdgePipeline.Settings(
                        "edge-1",
                        DEVICE,
                        Duration.ofSeconds(20),
                        new RetryPolicy(
                                attempts,
                                new Backoff(Duration.ofMillis(1), Duration.ofMillis(20)),
                                localFallback ? Duration.ZERO : RECONNECT_WAIT),
                        localFallback,
                        limits));
        return new Edge(p, plans, goodput, registry, channel);
    }

    /** input_ids / attention_mask / token_type_ids of a sentence. */
    public static Map<String, HostTensor> sentence(String text) {
        var b = minilm().tokenizer().orElseThrow().encodeBatch(java.util.List.of(text), 128);
        long[] shape = {1, b.length()};
        return Map.of(
                "input_ids", HostTensor.ofLongs(shape, b.inputIds()),
                "attention_mask", HostTensor.ofLongs(shape, b.attentionMask()),
                "token_type_ids", HostTensor.ofLongs(shape, b.tokenTypeIds()));
    }

    /** Largest absolute difference of two float tensors of equal shape. */
    public static double maxAbsDiff(HostTensor a, HostTensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            return Double.POSITIVE_INFINITY;
        }
        double d = 0;
        float[] x = a.floats();
        float[] y = b.floats();
        for (int i = 0; i < x.length; i++) {
            d = Math.max(d, Math.abs(x[i] - y[i]));
        }
        return d;
    }

    public static double cosine(HostTensor a, HostTensor b) {
        float[] x = a.floats();
        float[] y = b.floats();
        double dot = 0, nx = 0, ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += (double) x[i] * y[i];
            nx += (double) x[i] * x[i];
            ny += (double) y[i] * y[i];
        }
        return dot / Math.sqrt(nx * ny);
    }
}
