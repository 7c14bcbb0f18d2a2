package dev.slicer.backend.ar;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * AR session metrics (helm/metrics-contract.txt): sessions held, KV-cache bytes reserved, sessions ended by reason
 * (a client that disconnects makes its edge close the session: {@code closed}), the IF bits each token arrived as and
 * the back-end seconds each token took (decode, plus its share of the batch's compute).
 */
@Startup // registered at start, so a back-end that has served no AR session still exports every contract metric
@ApplicationScoped
public class ArMetrics {
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong kvBytes = new AtomicLong();
    private final Map<SessionStore.End, Counter> ended = new EnumMap<>(SessionStore.End.class);
    private final DistributionSummary tokenBytes;
    private final Timer tokenSeconds;

    public ArMetrics(MeterRegistry registry) {
        Gauge.builder("slicer.backend.ar.sessions", sessions, AtomicLong::get)
                .description("AR sessions holding a KV cache")
                .register(registry);
        Gauge.builder("slicer.backend.ar.kv", kvBytes, AtomicLong::get)
                .baseUnit("bytes")
                .description("KV-cache bytes reserved by AR sessions (never above the configured budget)")
                .register(registry);
        for (SessionStore.End e : SessionStore.End.values()) {
            ended.put(
                    e,
                    Counter.builder("slicer.backend.ar.sessions.ended")
                            .description("AR sessions ended and their KV cache freed, by reason")
                            .tag("reason", e.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        // bytes, Prometheus' base unit (promtool lints a _bits family); bits per token are 8 x this
        this.tokenBytes = DistributionSummary.builder("slicer.backend.ar.token.bytes")
                .baseUnit("bytes")
                .description(
                        "Intermediate-feature bytes received per AR token (hand-off bytes spread over its positions)")
                .serviceLevelObjectives(8, 32, 128, 512, 2048, 8192, 32768)
                .register(registry);
        this.tokenSeconds = Timer.builder("slicer.backend.ar.token")
                .description("Back-end seconds per AR token: frame decode plus its share of the batch's compute")
                .serviceLevelObjectives(
                        Duration.ofNanos(100_000),
                        Duration.ofMillis(1),
                        Duration.ofMillis(5),
                        Duration.ofMillis(20),
                        Duration.ofMillis(100),
                        Duration.ofSeconds(1))
                .register(registry);
    }

    void sessions(int n, long bytes) {
        sessions.set(n);
        kvBytes.set(bytes);
    }

    void ended(SessionStore.End why) {
        ended.get(why).increment();
    }

    void token(double bits, double seconds) {
        tokenBytes.record(bits / 8);
        tokenSeconds.record(Duration.ofNanos((long) (seconds * 1e9)));
    }
}
