package dev.slicer.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Typed operator configuration ({@code slicer.operator.*}); tests replace values through their profile. */
@ConfigMapping(prefix = "slicer.operator")
public interface OperatorConfig {

    /**
     * Where fleet metrics are read: {@code prometheus} (the default, {@link #prometheusUrl()}), or {@code direct}:
     * the operator scrapes the back-end replicas itself, found through the EndpointSlices of each fleet's back-end
     * Service, for clusters without Prometheus ({@code spec.policy.metricsUrl} is then not used).
     */
    @WithDefault("prometheus")
    MetricsSource metricsSource();

    /** The values of {@link #metricsSource()}. */
    enum MetricsSource {
        PROMETHEUS,
        DIRECT
    }

    /** Prometheus HTTP API used when a SplitInference does not name one in {@code spec.policy.metricsUrl}. */
    @WithDefault("http://prometheus-operated.monitoring.svc:9090")
    String prometheusUrl();

    /**
     * URLs a SplitInference may name in {@code spec.policy.metricsUrl} (scheme, host and port equal, path under the
     * entry's). Unset: only {@link #prometheusUrl()}.
     */
    Optional<List<String>> metricsUrlAllowlist();

    /** PEM file of the CA certificates an https Prometheus is verified against (a Secret mounted by the chart). */
    Optional<Path> prometheusCaFile();

    /** File holding the bearer token sent to Prometheus (a Secret mounted by the chart); read for every query. */
    Optional<Path> prometheusBearerTokenFile();

    /** Timeout for establishing the connection to Prometheus (or, scraping directly, to a back-end replica). */
    @WithDefault("2s")
    Duration prometheusConnectTimeout();

    /** Timeout for one PromQL query (or, scraping directly, one scrape), end to end. */
    @WithDefault("5s")
    Duration prometheusQueryTimeout();

    /** PromQL range used in rate() windows; scraping directly, the span the rates are computed over. */
    @WithDefault("2m")
    String rateWindow();

    /** First re-check delay after Prometheus became unreachable; later delays grow with the outage. */
    @WithDefault("10s")
    Duration backoffInitial();

    /** Upper bound of the re-check delay while Prometheus is unreachable or a profile is missing. */
    @WithDefault("5m")
    Duration backoffMax();

    /**
     * Back-end compute one replica absorbs at full utilization, in busy seconds per second. Replicas are
     * {@code ceil(load / (capacity * spec.backend.targetUtilization))}, clamped to [minReplicas, maxReplicas].
     */
    @WithDefault("1.0")
    double perReplicaCapacity();

    /** Name of the ConfigMap key holding the model profile (planner SplitProfile JSON). */
    @WithDefault("profile.json")
    String profileKey();

    /**
     * Largest plan ConfigMap (keys plus values) the operator publishes; a larger plan is refused with a condition and
     * an Event and the previous plan stays. Default: the API server's ConfigMap limit, 1 MiB.
     */
    @WithDefault("1048576")
    long maxPlanBytes();

    /**
     * Extra labels of the ServiceMonitor/PodMonitor created per fleet, as {@code key=value} entries (comma-separated
     * in one property or variable), e.g. {@code release=kube-prometheus-stack} for a Prometheus that selects
     * monitors by label.
     */
    Optional<List<String>> monitorLabels();

    /**
     * Apply the dependents server-side (field manager slicer-operator). Off only for API servers that cannot (the
     * Fabric8 mock of the tests and of the demo): then they are matched by JSON diff and updated whole.
     */
    @WithDefault("true")
    boolean serverSideApply();

    /** Leader election, active with the run-time profile {@code leader-election} (see LeaderElectionProducer). */
    LeaderElection leaderElection();

    interface LeaderElection {
        /** Name of the Lease object the replicas compete for. */
        @WithDefault("slicer-operator-lease")
        String leaseName();

        /** Namespace of the Lease; unset: the namespace of the pod the operator runs in. */
        Optional<String> leaseNamespace();

        /** How long a Lease holds without renewal; a new leader takes over at most this long after the old one died. */
        @WithDefault("15s")
        Duration leaseDuration();

        /** How long the leader keeps retrying a renewal before it stops leading (and the process exits). */
        @WithDefault("10s")
        Duration renewDeadline();

        /** Pause between attempts to acquire or renew the Lease. */
        @WithDefault("2s")
        Duration retryPeriod();

        /** Holder identity in the Lease; unset: host name plus a random suffix. */
        Optional<String> identity();
    }
}
