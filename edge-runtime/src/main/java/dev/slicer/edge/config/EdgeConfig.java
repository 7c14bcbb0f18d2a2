package dev.slicer.edge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The edge's configuration. The first seven settings are the contract the operator renders (environment variables
 * {@code SLICER_EDGE_*}); the rest are tuning knobs with safe defaults.
 */
@ConfigMapping(prefix = "slicer.edge")
public interface EdgeConfig {
    /** {@code host:port} of the back-end's gRPC endpoint; without it the edge can only run local-only. */
    Optional<String> backendAddress();

    /** Device class of this edge: picks the plan table. */
    @WithDefault("default")
    String deviceClass();

    /** {@code builtin:NAME}, a file path, {@code file://} URI or http(s) URL. */
    String modelUri();

    /** Name served under /v2/models/{name}; default derived from the URI. */
    Optional<String> modelName();

    /** Optional fallback plan file (slicer-plan/v1 JSON). */
    Optional<String> planFile();

    /** Kubernetes quantity ({@code 512Mi}); decides whether the local-only fallback is possible. Unset: no bound. */
    Optional<String> memoryBudget();

    /** {@code local-only} or {@code fail}; default local-only when the memory budget holds the whole model. */
    Optional<String> fallback();

    /** Optional tokenizer.json for text models; default: the built-in model's, or tokenizer.json beside the file. */
    Optional<String> tokenizer();

    /** Edge id in reports and plan acks; default the host name. */
    Optional<String> edgeId();

    /** gRPC deadline of one attempt. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** Attempts per request for retryable back-end errors (the first included). */
    @WithDefault("4")
    int maxAttempts();

    /** First retry delay; doubles per attempt, full jitter, capped by {@link #backoffMax()}. */
    @WithDefault("20ms")
    Duration backoffInitial();

    @WithDefault("1s")
    Duration backoffMax();

    /**
     * Without a local fallback, the longest one request waits in all for a lost back-end connection to come back
     * before it fails (a replica restarting, a Service briefly without ready endpoints). With a fallback, a lost
     * connection falls back at once.
     */
    @WithDefault("5s")
    Duration reconnectWait();

    /** Reconnect delay bounds of the WatchPlan stream. */
    @WithDefault("200ms")
    Duration planReconnectInitial();

    @WithDefault("10s")
    Duration planReconnectMax();

    /** How often the plan file is re-read (it may be a mounted ConfigMap). */
    @WithDefault("5s")
    Duration planFilePoll();

    /** EWMA weight of the newest goodput sample when it is above the average (a recovery is believed slowly). */
    @WithDefault("0.3")
    double goodputAlpha();

    /** EWMA weight of the newest goodput sample when it is below the average (a drop is believed at once). */
    @WithDefault("1.0")
    double goodputAlphaDown();

    /** A goodput older than this is unknown again, so an edge in a local-only row measures the link again. */
    @WithDefault("30s")
    Duration goodputMaxAge();

    /** Bound of extracted fronts kept (ONNX Runtime sessions). */
    @WithDefault("4")
    int frontCacheSize();

    /** Largest tokens per text input (longer texts are truncated). */
    @WithDefault("256")
    int maxTokens();

    /** Largest number of elements of one request input or intermediate feature. */
    @WithDefault("4194304")
    int maxElements();

    /** Largest batch (first dimension) one request may carry. */
    @WithDefault("64")
    int maxBatch();

    /**
     * Emulates the uplink with a rate limit settable at {@code PUT /slicer/link} (demos and tests on one machine);
     * off in production, where the endpoint answers 404.
     */
    @WithDefault("false")
    boolean linkEmulation();

    /**
     * The emulated link's downlink rate as a multiple of its uplink rate (1 = symmetric). The plan's rows are by
     * uplink rate, and replies cross the downlink: access links are asymmetric (cellular, DSL: several times).
     */
    @WithDefault("1")
    double linkDownlinkFactor();

    /** Autoregressive generation (the OpenAI-compatible API of decoder models). */
    Ar ar();

    interface Ar {
        /**
         * Bytes of hand-off and step IFs a session keeps to rebuild itself on another replica; past it, a lost
         * session continues locally (or fails).
         */
        @WithDefault("8388608")
        long replayMaxBytes();

        /** Largest {@code max_tokens} a request may ask for. */
        @WithDefault("1024")
        int maxNewTokens();

        /** {@code max_tokens} when a request gives none. */
        @WithDefault("16")
        int defaultMaxTokens();
    }
}
