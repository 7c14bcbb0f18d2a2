package dev.slicer.operator.reconcile;

import static dev.slicer.crds.v1alpha1.status.SplitInferenceStatus.APPLIED;
import static dev.slicer.crds.v1alpha1.status.SplitInferenceStatus.BACKEND_AVAILABLE;
import static dev.slicer.crds.v1alpha1.status.SplitInferenceStatus.DEGRADED;
import static dev.slicer.crds.v1alpha1.status.SplitInferenceStatus.METRICS_AVAILABLE;
import static dev.slicer.crds.v1alpha1.status.SplitInferenceStatus.PLANNED;
import static dev.slicer.crds.v1alpha1.status.SplitInferenceStatus.READY;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.status.BackendStatus;
import dev.slicer.crds.v1alpha1.status.DeviceClassPlan;
import dev.slicer.crds.v1alpha1.status.PlanSummary;
import dev.slicer.crds.v1alpha1.status.SplitInferenceStatus;
import dev.slicer.operator.dependent.Names;
import dev.slicer.operator.planning.ClassPlan;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds the status from the reconcile decision and the observed back-end: the standard conditions (keeping
 * {@code lastTransitionTime} unless a condition's status changed), {@code observedGeneration}, back-end replicas
 * and the plan summary. Pure: the caller patches only when {@link #changed} says so.
 */
public final class StatusAggregator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusAggregator() {}

    public static SplitInferenceStatus aggregate(SplitInference si, ReconcileState state, Deployment backend) {
        return aggregate(si, state, backend, List.of());
    }

    /**
     * The status after a reconciliation whose dependents failed as {@code failures} (empty: all applied). A refused
     * child makes {@code Applied} and {@code Ready} False and the fleet Degraded, with the server's message.
     */
    public static SplitInferenceStatus aggregate(
            SplitInference si, ReconcileState state, Deployment backend, List<DependentFailure> failures) {
        SplitInferenceStatus prior = si.getStatus() == null ? new SplitInferenceStatus() : si.getStatus();
        long generation = Optional.ofNullable(si.getMetadata().getGeneration()).orElse(0L);
        Conditions c = new Conditions(prior, generation, state.now());

        SplitInferenceStatus status = new SplitInferenceStatus();
        status.setObservedGeneration(generation);
        status.setBackend(backend(si, state, backend));
        status.setPlan(plan(si, state, prior.getPlan()));

        boolean metrics = state.metricsAvailable();
        c.set(
                METRICS_AVAILABLE,
                metrics,
                metrics ? "QuerySucceeded" : "PrometheusUnavailable",
                metrics ? "planning inputs read from Prometheus" : state.metricsProblem());

        boolean planned = state.plan() != null;
        String planReason = !planned ? "NoPlan" : state.planProblem() != null ? "StalePlan" : "PlanPublished";
        String planMessage = state.planProblem() != null
                ? state.planProblem()
                : planned ? "plan " + state.plan().hash() + " published in " + Names.plan(si) : "no plan yet";
        c.set(PLANNED, planned, planReason, planMessage);

        boolean applied = failures.isEmpty();
        String notApplied = failures.stream().map(DependentFailure::describe).collect(Collectors.joining("; "));
        c.set(
                APPLIED,
                applied,
                applied ? "AllApplied" : "ApplyFailed",
                applied ? "every child object applied" : notApplied);

        int ready = Optional.ofNullable(status.getBackend().getReadyReplicas()).orElse(0);
        int needed =
                Math.min(state.replicas(), Math.max(1, si.getSpec().getBackend().getMinReplicas()));
        boolean available = backend != null && ready >= needed;
        c.set(
                BACKEND_AVAILABLE,
                available,
                available ? "MinimumReplicasAvailable" : "ReplicasUnavailable",
                ready + " of " + state.replicas() + " back-end replicas ready");

        List<String> degraded = new ArrayList<>();
        if (!metrics) {
            degraded.add("metrics unavailable, keeping the last plan");
        }
        if (state.planProblem() != null) {
            degraded.add(state.planProblem());
        }
        if (!available) {
            degraded.add("back-end below its minimum");
        }
        if (!applied) {
            degraded.add("not applied: " + notApplied);
        }
        if (status.getPlan() != null && status.getPlan().getDeviceClasses() != null) {
            status.getPlan().getDeviceClasses().stream()
                    .filter(d -> "cloud".equals(d.getSplit()))
                    .forEach(d -> degraded.add("device class " + d.getName() + " falls back to cloud-only"));
        }
        c.set(
                DEGRADED,
                !degraded.isEmpty(),
                degraded.isEmpty() ? "AsPlanned" : "BelowObjective",
                degraded.isEmpty() ? "fleet runs as planned" : String.join("; ", degraded));

        boolean isReady = planned && available && applied;
        c.set(
                READY,
                isReady,
                isReady ? "FleetReady" : !applied ? "ApplyFailed" : !planned ? "NotPlanned" : "BackendUnavailable",
                isReady
                        ? "plan published and back-end available"
                        : !applied ? notApplied : planMessage + "; " + ready + " back-end ready");
        status.setConditions(c.result());
        return status;
    }

    /** The status after a spec failed validation: not ready, degraded, everything else as before. */
    public static SplitInferenceStatus invalid(SplitInference si, String problem, Instant now) {
        SplitInferenceStatus prior = si.getStatus() == null ? new SplitInferenceStatus() : si.getStatus();
        long generation = Optional.ofNullable(si.getMetadata().getGeneration()).orElse(0L);
        Conditions c = new Conditions(prior, generation, now);
        for (Condition old : prior.getConditions()) {
            c.keep(old);
        }
        c.set(READY, false, "InvalidSpec", problem);
        c.set(DEGRADED, true, "InvalidSpec", problem);
        SplitInferenceStatus status = copy(prior);
        status.setObservedGeneration(generation);
        status.setConditions(c.result());
        return status;
    }

    /** Whether {@code next} differs from {@code prior} in anything a user could see. */
    public static boolean changed(SplitInferenceStatus prior, SplitInferenceStatus next) {
        return prior == null || !JSON.valueToTree(prior).equals(JSON.valueToTree(next));
    }

    private static BackendStatus backend(SplitInference si, ReconcileState state, Deployment d) {
        BackendStatus b = new BackendStatus();
        b.setDesiredReplicas(state.replicas());
        b.setReplicas(d == null || d.getStatus() == null ? 0 : nz(d.getStatus().getReplicas()));
        b.setReadyReplicas(
                d == null || d.getStatus() == null ? 0 : nz(d.getStatus().getReadyReplicas()));
        b.setSelector(Names.selector(si, Names.COMPONENT_BACKEND).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",")));
        return b;
    }

    private static PlanSummary plan(SplitInference si, ReconcileState state, PlanSummary prior) {
        if (state.plan() == null) {
            return null;
        }
        PlanSummary p = new PlanSummary();
        p.setConfigMap(Names.plan(si));
        p.setHash(state.plan().hash());
        boolean sameHash = prior != null && state.plan().hash().equals(prior.getHash());
        p.setLastPlanTime(
                sameHash && prior.getLastPlanTime() != null
                        ? prior.getLastPlanTime()
                        : state.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (state.classes() == null) {
            p.setDeviceClasses(prior == null ? new ArrayList<>() : prior.getDeviceClasses());
            p.setSummary(prior == null ? null : prior.getSummary());
        } else {
            p.setDeviceClasses(
                    state.classes().stream().map(StatusAggregator::row).collect(Collectors.toList()));
            p.setSummary(state.classes().stream()
                    .map(cp -> cp.name() + ":" + cp.split())
                    .collect(Collectors.joining(" ")));
        }
        return p;
    }

    private static DeviceClassPlan row(ClassPlan cp) {
        DeviceClassPlan d = new DeviceClassPlan();
        d.setName(cp.name());
        d.setSplit(cp.split());
        d.setSplitLayer(cp.splitLayer());
        d.setOffloadStep(cp.offloadStep());
        d.setLinkRateBytesPerSecond(cp.linkRateBytesPerSecond());
        d.setPredictedBytes(cp.predictedBytes());
        d.setPredictedLatencySeconds(cp.predictedLatencySeconds());
        return d;
    }

    private static SplitInferenceStatus copy(SplitInferenceStatus s) {
        return JSON.convertValue(s, SplitInferenceStatus.class);
    }

    private static int nz(Integer v) {
        return v == null ? 0 : v;
    }

    /** Builds conditions in a fixed order, keeping a condition's lastTransitionTime while its status holds. */
    private static final class Conditions {
        private final SplitInferenceStatus prior;
        private final long generation;
        private final String now;
        private final java.util.Map<String, Condition> out = new java.util.LinkedHashMap<>();

        Conditions(SplitInferenceStatus prior, long generation, Instant now) {
            this.prior = prior;
            this.generation = generation;
            this.now = now.truncatedTo(ChronoUnit.SECONDS).toString();
        }

        void keep(Condition c) {
            out.put(c.getType(), c);
        }

        void set(String type, boolean value, String reason, String message) {
            String status = value ? "True" : "False";
            Optional<Condition> old = prior.condition(type);
            String since = old.filter(o -> Objects.equals(o.getStatus(), status))
                    .map(Condition::getLastTransitionTime)
                    .orElse(now);
            out.put(
                    type,
                    new ConditionBuilder()
                            .withType(type)
                            .withStatus(status)
                            .withReason(reason)
                            .withMessage(message)
                            .withObservedGeneration(generation)
                            .withLastTransitionTime(since)
                            .build());
        }

        List<Condition> result() {
            List<Condition> list = new ArrayList<>();
            for (String type : SplitInferenceStatus.CONDITION_TYPES) {
                if (out.containsKey(type)) {
                    list.add(out.get(type));
                }
            }
            return list;
        }
    }
}
