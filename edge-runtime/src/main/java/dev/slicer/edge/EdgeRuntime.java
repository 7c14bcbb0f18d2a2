package dev.slicer.edge;

import dev.slicer.edge.backend.BackendChannel;
import dev.slicer.edge.backend.Backoff;
import dev.slicer.edge.backend.PlanWatcher;
import dev.slicer.edge.backend.RetryPolicy;
import dev.slicer.edge.config.EdgeConfig;
import dev.slicer.edge.infer.EdgeMetrics;
import dev.slicer.edge.infer.EdgePipeline;
import dev.slicer.edge.infer.LinkCrossing;
import dev.slicer.edge.link.GoodputMeter;
import dev.slicer.edge.link.LinkThrottle;
import dev.slicer.edge.model.EdgeModel;
import dev.slicer.edge.oip.OipInputs;
import dev.slicer.edge.plan.PlanFileSource;
import dev.slicer.edge.plan.PlanHolder;
import dev.slicer.planner.cli.Units;
import dev.slicer.protocol.WireLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Builds the edge at start-up (model, plan sources, back-end channel, pipeline) and closes it on shutdown. */
@ApplicationScoped
public class EdgeRuntime {
    private static final Logger LOG = Logger.getLogger(EdgeRuntime.class);

    private final EdgeConfig config;
    private final MeterRegistry registry;
    private volatile EdgePipeline pipeline;
    private volatile OipInputs oipInputs;
    private volatile PlanHolder plans;
    private EdgeModel model;
    private Optional<BackendChannel> channel = Optional.empty();
    private PlanWatcher watcher;
    private volatile dev.slicer.edge.ar.ArGenerator generator;
    private volatile GoodputMeter goodput;
    private ScheduledExecutorService scheduler;
    private volatile LinkThrottle linkThrottle;

    public EdgeRuntime(EdgeConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    void start(@Observes StartupEvent ev) {
        String edgeId = config.edgeId().orElseGet(EdgeRuntime::hostName);
        model = EdgeModel.load(config.modelUri(), config.modelName(), config.tokenizer(), config.frontCacheSize());
        boolean local = localFallback(model.wholeModelBytes());
        WireLimits limits = WireLimits.forElements(config.maxElements());
        plans = new PlanHolder(config.modelUri(), model.candidateCount());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edge-plan");
            t.setDaemon(true);
            return t;
        });
        config.planFile().ifPresent(f -> {
            PlanFileSource source = new PlanFileSource(Path.of(f), plans);
            source.poll();
            long every = config.planFilePoll().toMillis();
            scheduler.scheduleWithFixedDelay(source::poll, every, every, TimeUnit.MILLISECONDS);
        });
        goodput = new GoodputMeter(
                config.goodputAlpha(),
                config.goodputAlphaDown(),
                config.goodputMaxAge().toNanos(),
                System::nanoTime);
        linkThrottle = config.linkEmulation() ? LinkThrottle.system(config.linkDownlinkFactor()) : null;
        LinkCrossing link = new LinkCrossing(linkThrottle, goodput);
        EdgeMetrics metrics = new EdgeMetrics(registry, link);
        channel = config.backendAddress().filter(a -> !a.isBlank()).map(a -> new BackendChannel(a, limits));
        channel.ifPresent(c -> {
            watcher = new PlanWatcher(
                    c,
                    plans,
                    edgeId,
                    config.deviceClass(),
                    new Backoff(config.planReconnectInitial(), config.planReconnectMax()),
                    scheduler);
            watcher.start();
        });
        // with a local fallback a lost connection falls back at once; without, it is waited for (bounded)
        RetryPolicy retries = new RetryPolicy(
                config.maxAttempts(),
                new Backoff(config.backoffInitial(), config.backoffMax()),
                local ? Duration.ZERO : config.reconnectWait());
        pipeline = new EdgePipeline(
                model,
                plans,
                channel,
                link,
                metrics,
                new EdgePipeline.Settings(
                        edgeId, config.deviceClass(), config.requestTimeout(), retries, local, limits));
        generator = new dev.slicer.edge.ar.ArGenerator(
                config.modelUri(),
                model.splittable(),
                channel,
                link,
                new dev.slicer.edge.ar.ArSessionClient.Settings(
                        config.requestTimeout(), retries, config.ar().replayMaxBytes(), config.maxElements()),
                local,
                edgeId,
                config.deviceClass(),
                config.maxElements());
        oipInputs = new OipInputs(model, config.maxTokens(), config.maxElements(), config.maxBatch());
        LOG.infof(
                "edge %s (%s) serves %s as '%s': %d split candidates, back-end %s, fallback %s",
                edgeId,
                config.deviceClass(),
                config.modelUri(),
                model.name(),
                model.candidateCount(),
                config.backendAddress().orElse("(none)"),
                local ? "local-only" : "fail");
    }

    /** local-only unless configured {@code fail} or the memory budget cannot hold the whole model. */
    private boolean localFallback(long modelBytes) {
        String mode = config.fallback().orElse("local-only").trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("local-only") && !mode.equals("fail")) {
            throw new IllegalArgumentException("slicer.edge.fallback must be 'local-only' or 'fail', got '"
                    + config.fallback().get() + "'");
        }
        if (mode.equals("fail")) {
            return false;
        }
        if (config.memoryBudget().isEmpty()) {
            return true;
        }
        long budget = Units.bytes(config.memoryBudget().get());
        if (budget < modelBytes) {
            LOG.warnf(
                    "memory budget %s (%d bytes) cannot hold the whole model (%d bytes): no local-only fallback",
                    config.memoryBudget().get(), budget, modelBytes);
            return false;
        }
        return true;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "edge";
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        if (watcher != null) {
            watcher.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        channel.ifPresent(BackendChannel::close);
        if (generator != null) {
            generator.close();
        }
        if (model != null) {
            model.close();
        }
    }

    public boolean ready() {
        return pipeline != null;
    }

    public EdgePipeline pipeline() {
        return pipeline;
    }

    public OipInputs oipInputs() {
        return oipInputs;
    }

    /** The emulated uplink, or null unless {@code slicer.edge.link-emulation} is on. */
    public LinkThrottle linkThrottle() {
        return linkThrottle;
    }

    /** Autoregressive generation for the OpenAI-compatible API (decoder models). */
    public dev.slicer.edge.ar.ArGenerator generator() {
        return generator;
    }

    /** The link goodput this edge measures (picks the plan row). */
    public GoodputMeter goodput() {
        return goodput;
    }

    public PlanHolder plans() {
        return plans;
    }
}
