package dev.slicer.backend.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The back-end's configuration; property names and defaults are fixed by the service contract (README). */
@ConfigMapping(prefix = "slicer.backend")
public interface BackendConfig {
    /** {@code builtin:NAME}, a file path, a {@code file://} URI or an http(s) URL. */
    String modelUri();

    /** The mounted plan ConfigMap's plan.json; plan.hash lies beside it. */
    @WithDefault("/etc/slicer/plan/plan.json")
    String planFile();

    /** How often the plan file is checked for a change (the kubelet swaps a symlink; no inotify event follows it). */
    @WithDefault("1s")
    Duration planPollInterval();

    @WithDefault("CPU")
    ExecutionProvider executionProvider();

    /** LRU bound of per-split ONNX Runtime sessions. */
    @WithDefault("4")
    int tailSessions();

    /** How long a drain waits for queued and running requests before the process stops anyway. */
    @WithDefault("20s")
    Duration drainTimeout();

    Batching batching();

    Queue queue();

    Limits limits();

    /** The edges' gRPC connections. */
    Connections connections();

    /** Autoregressive sessions (the ArDecoder service). */
    Ar ar();

    interface Ar {
        /** Bytes of KV cache all sessions together may hold; the least recently used sessions are evicted above. */
        @WithDefault("268435456")
        long kvMemoryBytes();

        /** A session idle this long is evicted. */
        @WithDefault("60s")
        Duration sessionTtl();

        /** Decode steps per batch (sessions at the same split). */
        @WithDefault("32")
        int maxBatchSize();

        /** Opens and steps waiting for the compute thread. */
        @WithDefault("256")
        int queueCapacity();
    }

    /** Triton-style dynamic batching per split. */
    interface Batching {
        @WithDefault("8")
        int maxBatchSize();

        @WithDefault("5ms")
        Duration maxQueueDelay();

        /** Batch sizes formed as soon as that many requests wait, without waiting for the delay. */
        Optional<List<Integer>> preferredBatchSizes();
    }

    interface Queue {
        /** Requests admitted but not yet computed, over all splits. */
        @WithDefault("64")
        int capacity();
    }

    interface Connections {
        /**
         * A connection older than this (grpc-java adds +-10% jitter) is told to go away and the edge reconnects. gRPC
         * balances connections, not calls, and an edge holds one: behind a Kubernetes Service this is what spreads the
         * edges that connected before a scale-out over the replicas added since. An AR session whose edge reconnects
         * to another replica is re-established there from the prefix the edge kept. {@code 0s} keeps connections.
         */
        @WithDefault("1m")
        Duration maxAge();

        /** Calls in flight on a connection told to go away get this long to finish before it closes. */
        @WithDefault("30s")
        Duration maxAgeGrace();
    }

    interface Limits {
        @WithDefault("16777216")
        int maxFrameBytes();

        @WithDefault("4194304")
        long maxElements();
    }
}
