package dev.slicer.operator.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slicer.crds.v1alpha1.Durations;
import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.spec.BackendSpec;
import dev.slicer.crds.v1alpha1.status.SplitInferenceStatus;
import dev.slicer.operator.OperatorMetrics;
import dev.slicer.operator.config.OperatorConfig;
import dev.slicer.operator.metrics.DirectScrapeSource;
import dev.slicer.operator.metrics.FleetMetrics;
import dev.slicer.operator.metrics.FleetMetricsSource;
import dev.slicer.operator.metrics.MetricsUnavailableException;
import dev.slicer.operator.metrics.PrometheusClient;
import dev.slicer.operator.metrics.PrometheusSource;
import dev.slicer.operator.planning.PlanInputs;
import dev.slicer.operator.planning.PlanOutcome;
import dev.slicer.operator.planning.PlanService;
import dev.slicer.operator.planning.PlanningException;
import dev.slicer.operator.planning.ProfileSource;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The observe → validate → plan steps of a reconciliation: validates the spec, reads metrics (failures are
 * reported, never thrown), decides whether to re-plan (schedule, spec change, drift beyond the hysteresis), runs
 * the planner, and sizes the back-end. Produces a {@link ReconcileState}; writes nothing.
 */
@ApplicationScoped
public class FleetObserver {

    private final SpecValidator validator = SpecValidator.standard();
    private final FleetMetricsSource source;
    private final PlanService planService;
    private final ProfileSource profiles;
    private final OperatorConfig config;
    private final OperatorMetrics metrics;
    private final InstantSource clock;
    private final ScaleDownStabilizer stabilizer = new ScaleDownStabilizer();
    private static final String DEFAULT_SCALE_DOWN_STABILIZATION = new BackendSpec().getScaleDownStabilization();
    private final ObjectMapper json = new ObjectMapper();
    /** When the planner last ran per resource UID; after an operator restart the first reconcile re-plans. */
    private final Map<String, Instant> lastPlannerRun = new ConcurrentHashMap<>();

    public FleetObserver(
            PlanService planService,
            ProfileSource profiles,
            OperatorConfig config,
            OperatorMetrics metrics,
            KubernetesClient kube) {
        this.planService = planService;
        this.profiles = profiles;
        this.config = config;
        this.metrics = metrics;
        this.clock = InstantSource.system();
        this.source = source(config, kube);
    }

    /** The metrics source {@code slicer.operator.metrics-source} names. */
    static FleetMetricsSource source(OperatorConfig config, KubernetesClient kube) {
        return switch (config.metricsSource()) {
            case PROMETHEUS ->
                new PrometheusSource(
                        new PrometheusClient(
                                config.prometheusConnectTimeout(),
                                config.prometheusQueryTimeout(),
                                config.prometheusCaFile(),
                                config.prometheusBearerTokenFile()),
                        config.rateWindow(),
                        config.prometheusUrl(),
                        config.metricsUrlAllowlist());
            case DIRECT ->
                new DirectScrapeSource(
                        kube,
                        config.prometheusConnectTimeout(),
                        config.prometheusQueryTimeout(),
                        Durations.parse(config.rateWindow()));
        };
    }

    public ReconcileState observe(SplitInference si, Context<SplitInference> context) {
        validator.validate(si.getSpec()).ifPresent(problem -> {
            throw new InvalidSpecException(problem);
        });
        Instant now = clock.instant();
        Optional<PublishedPlan> existing =
                PublishedPlan.from(context.getSecondaryResource(ConfigMap.class).orElse(null));

        FleetMetrics fleet = FleetMetrics.NONE;
        String metricsProblem = null;
        try {
            fleet = source.read(si);
        } catch (MetricsUnavailableException e) {
            metricsProblem = e.getMessage();
            // plan with what the published plan was made for, so a spec change still re-plans sensibly
            fleet = existing.map(p -> parseInputs(p.inputsJson())).orElse(FleetMetrics.NONE);
        }

        PublishedPlan plan = existing.orElse(null);
        PlanOutcome outcome = null;
        String planProblem = null;
        boolean replanned = false;
        if (shouldPlan(si, existing, fleet, metricsProblem == null, now)) {
            ProfileSource.Lookup profile = profiles.profile(si);
            if (profile.profile() == null) {
                planProblem = profile.problem();
            } else {
                try {
                    FleetMetrics observed = fleet;
                    FleetMetrics held = existing.map(
                                    p -> observed.heldWithin(parseInputs(p.inputsJson()), hysteresis(si)))
                            .orElse(observed);
                    outcome = runPlanner(new PlanInputs(si.getSpec(), profile.profile(), held));
                    lastPlannerRun.put(si.getMetadata().getUid(), now);
                    if (plan == null || !plan.hash().equals(outcome.hash())) {
                        PublishedPlan next = new PublishedPlan(outcome.planJson(), outcome.hash(), inputsJson(held));
                        Optional<String> tooLarge = tooLarge(next, plan, config.maxPlanBytes());
                        if (tooLarge.isPresent()) {
                            planProblem = tooLarge.get();
                            outcome = null;
                        } else {
                            plan = next;
                            replanned = true;
                        }
                    }
                } catch (PlanningException e) {
                    planProblem = "planning failed: " + e.getMessage();
                }
            }
        }

        Integer current = context.getSecondaryResource(Deployment.class)
                .map(d -> d.getSpec().getReplicas())
                .orElse(null);
        BackendSpec backend = si.getSpec().getBackend();
        int replicas = Scaling.replicas(
                backend,
                fleet,
                outcome == null ? null : outcome.backendSecondsPerRequest(),
                current,
                config.perReplicaCapacity());
        if (backend.getReplicas() == null) {
            // a pinned count (kubectl scale, an HPA) is followed at once; load-based scaling down waits the window
            Duration window = Durations.parse(
                    Optional.ofNullable(backend.getScaleDownStabilization()).orElse(DEFAULT_SCALE_DOWN_STABILIZATION));
            replicas = Scaling.clamp(
                    stabilizer.stabilize(si.getMetadata().getUid(), replicas, current, window, now),
                    backend.getMinReplicas(),
                    backend.getMaxReplicas());
        }

        Duration requeue = replanInterval(si);
        if (metricsProblem != null || planProblem != null) {
            Instant since = unavailableSince(
                    si, metricsProblem != null ? SplitInferenceStatus.METRICS_AVAILABLE : SplitInferenceStatus.PLANNED);
            requeue = min(requeue, Backoff.next(since, now, config.backoffInitial(), config.backoffMax()));
        }
        return new ReconcileState(
                now,
                fleet,
                metricsProblem,
                plan,
                outcome == null ? null : outcome.classes(),
                replanned,
                existing.map(PublishedPlan::hash).orElse(null),
                planProblem,
                replicas,
                requeue);
    }

    /**
     * Re-plan when there is no plan, the spec changed, the interval passed, or an input drifted too far; while
     * metrics are unavailable only a spec change re-plans (with the inputs of the published plan).
     */
    boolean shouldPlan(
            SplitInference si, Optional<PublishedPlan> existing, FleetMetrics fleet, boolean fresh, Instant now) {
        if (existing.isEmpty()) {
            return true;
        }
        SplitInferenceStatus status = si.getStatus();
        if (status == null
                || status.getObservedGeneration() == null
                || !status.getObservedGeneration().equals(si.getMetadata().getGeneration())) {
            return true;
        }
        if (!fresh) {
            return false; // keep the last plan while metrics are unavailable
        }
        Instant last = lastPlannerRun.get(si.getMetadata().getUid());
        if (last == null || !now.isBefore(last.plus(replanInterval(si)))) {
            return true;
        }
        FleetMetrics baseline = parseInputs(existing.get().inputsJson());
        return baseline == null || fleet.driftFrom(baseline) > hysteresis(si);
    }

    /**
     * Why {@code next} cannot be published: its ConfigMap would exceed {@code limit} bytes, which the API server
     * refuses; the edges then keep {@code published}.
     */
    static Optional<String> tooLarge(PublishedPlan next, PublishedPlan published, long limit) {
        long size = next.configMapBytes();
        if (size <= limit) {
            return Optional.empty();
        }
        return Optional.of("plan " + next.hash() + " takes " + size + " bytes, over the ConfigMap limit of " + limit
                + " bytes; " + (published == null ? "no plan published" : "keeping plan " + published.hash()));
    }

    private PlanOutcome runPlanner(PlanInputs inputs) throws PlanningException {
        var sample = metrics.start();
        try {
            return planService.plan(inputs);
        } finally {
            sample.stop(metrics.planDuration());
        }
    }

    static Duration replanInterval(SplitInference si) {
        var policy = si.getSpec().getPolicy();
        return policy == null || policy.getReplanInterval() == null
                ? Duration.ofMinutes(1)
                : Durations.parse(policy.getReplanInterval());
    }

    private static double hysteresis(SplitInference si) {
        var policy = si.getSpec().getPolicy();
        return policy == null || policy.getHysteresis() == null ? 0.1 : policy.getHysteresis();
    }

    private static Instant unavailableSince(SplitInference si, String conditionType) {
        return Optional.ofNullable(si.getStatus())
                .flatMap(s -> s.condition(conditionType))
                .filter(c -> "False".equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .map(Instant::parse)
                .orElse(null);
    }

    private String inputsJson(FleetMetrics fleet) {
        try {
            return json.writeValueAsString(fleet);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metrics snapshot not serializable", e);
        }
    }

    private FleetMetrics parseInputs(String text) {
        try {
            return json.readValue(text, FleetMetrics.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
