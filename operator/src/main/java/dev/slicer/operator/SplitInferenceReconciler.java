package dev.slicer.operator;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.status.SplitInferenceStatus;
import dev.slicer.operator.config.OperatorConfig;
import dev.slicer.operator.dependent.BackendDeploymentDependent;
import dev.slicer.operator.dependent.BackendPodDisruptionBudgetDependent;
import dev.slicer.operator.dependent.BackendServiceDependent;
import dev.slicer.operator.dependent.BackendServiceMonitorDependent;
import dev.slicer.operator.dependent.EdgeDaemonSetDependent;
import dev.slicer.operator.dependent.EdgeDaemonSetRequested;
import dev.slicer.operator.dependent.EdgePodMonitorDependent;
import dev.slicer.operator.dependent.MonitorLabels;
import dev.slicer.operator.dependent.MonitoringCrdPresent;
import dev.slicer.operator.dependent.PlanAvailable;
import dev.slicer.operator.dependent.PlanConfigMapDependent;
import dev.slicer.operator.dependent.PodDisruptionBudgetRequested;
import dev.slicer.operator.dependent.ProfileMissing;
import dev.slicer.operator.dependent.ProfilingJobDependent;
import dev.slicer.operator.dependent.ServerSideApply;
import dev.slicer.operator.reconcile.Backoff;
import dev.slicer.operator.reconcile.DependentFailure;
import dev.slicer.operator.reconcile.FleetEvents;
import dev.slicer.operator.reconcile.FleetObserver;
import dev.slicer.operator.reconcile.InvalidSpecException;
import dev.slicer.operator.reconcile.ReconcileState;
import dev.slicer.operator.reconcile.StatusAggregator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ContextInitializer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reconciles a SplitInference: observe and plan ({@link FleetObserver}, before the workflow), let the dependents
 * converge on the decision, then aggregate the status, emit Events and come back after the re-plan interval (or
 * the back-off while something is unavailable).
 */
@ControllerConfiguration(name = "splitinference", fieldManager = SplitInferenceReconciler.FIELD_MANAGER)
@Workflow(
        dependents = {
            @Dependent(name = "plan", type = PlanConfigMapDependent.class, reconcilePrecondition = PlanAvailable.class),
            @Dependent(
                    name = "profiler",
                    type = ProfilingJobDependent.class,
                    reconcilePrecondition = ProfileMissing.class),
            @Dependent(name = "backend", type = BackendDeploymentDependent.class),
            @Dependent(name = "backend-service", type = BackendServiceDependent.class),
            @Dependent(
                    name = "backend-pdb",
                    type = BackendPodDisruptionBudgetDependent.class,
                    reconcilePrecondition = PodDisruptionBudgetRequested.class),
            @Dependent(
                    name = "edge",
                    type = EdgeDaemonSetDependent.class,
                    reconcilePrecondition = EdgeDaemonSetRequested.class),
            @Dependent(
                    name = "backend-monitor",
                    type = BackendServiceMonitorDependent.class,
                    dependsOn = "backend-service",
                    activationCondition = MonitoringCrdPresent.ServiceMonitors.class),
            @Dependent(
                    name = "edge-monitor",
                    type = EdgePodMonitorDependent.class,
                    activationCondition = MonitoringCrdPresent.PodMonitors.class)
        })
public class SplitInferenceReconciler implements Reconciler<SplitInference>, ContextInitializer<SplitInference> {

    /** The server-side-apply field manager of every object and status the operator writes. */
    public static final String FIELD_MANAGER = "slicer-operator";

    private static final String TIMER = SplitInferenceReconciler.class.getName() + ".timer";
    private static final String PREVIOUS_REPLICAS = SplitInferenceReconciler.class.getName() + ".replicas";

    private final FleetObserver observer;
    private final FleetEvents events;
    private final OperatorMetrics metrics;
    private final OperatorConfig config;
    private final MonitorLabels monitorLabels;

    public SplitInferenceReconciler(
            FleetObserver observer, FleetEvents events, OperatorMetrics metrics, OperatorConfig config) {
        this.observer = observer;
        this.events = events;
        this.metrics = metrics;
        this.config = config;
        // checked at start: a bad entry stops the operator with a message naming it
        this.monitorLabels = MonitorLabels.parse(config.monitorLabels());
    }

    @Override
    public void initContext(SplitInference si, Context<SplitInference> context) {
        var values = context.managedWorkflowAndDependentResourceContext();
        values.put(TIMER, metrics.start());
        values.put(MonitorLabels.KEY, monitorLabels);
        values.put(ServerSideApply.KEY, config.serverSideApply());
        context.getSecondaryResource(Deployment.class)
                .ifPresent(d -> values.put(PREVIOUS_REPLICAS, d.getSpec().getReplicas()));
        values.put(ReconcileState.KEY, observer.observe(si, context));
    }

    @Override
    public UpdateControl<SplitInference> reconcile(SplitInference si, Context<SplitInference> context) {
        Outcome outcome = settle(si, context, List.of());
        UpdateControl<SplitInference> control = outcome.status() == null || applyStatus(si, outcome, context)
                ? UpdateControl.noUpdate()
                : UpdateControl.patchStatus(outcome.status());
        return control.rescheduleAfter(outcome.requeue());
    }

    /**
     * Dependents the API server refused arrive here (JOSDK aggregates them after the workflow ran), and so does an
     * invalid spec. Both become conditions and Events through the same status aggregation as a successful run;
     * other errors take JOSDK's retry.
     */
    @Override
    public ErrorStatusUpdateControl<SplitInference> updateErrorStatus(
            SplitInference si, Context<SplitInference> context, Exception e) {
        InvalidSpecException invalid = find(e, InvalidSpecException.class);
        if (invalid != null) {
            SplitInferenceStatus status = StatusAggregator.invalid(si, invalid.getMessage(), Instant.now());
            if (!StatusAggregator.changed(si.getStatus(), status)) {
                return ErrorStatusUpdateControl.<SplitInference>noStatusUpdate().withNoRetry();
            }
            events.emit(si, "Warning", "InvalidSpec", invalid.getMessage());
            Outcome outcome = new Outcome(withStatus(si, status), Duration.ofMinutes(10));
            ErrorStatusUpdateControl<SplitInference> control = applyStatus(si, outcome, context)
                    ? ErrorStatusUpdateControl.noStatusUpdate()
                    : ErrorStatusUpdateControl.patchStatus(outcome.status());
            return control.withNoRetry().rescheduleAfter(outcome.requeue());
        }
        AggregatedOperatorException refused = find(e, AggregatedOperatorException.class);
        var values = context.managedWorkflowAndDependentResourceContext();
        if (refused == null
                || values.get(ReconcileState.KEY, ReconcileState.class).isEmpty()) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        Outcome outcome = settle(si, context, DependentFailure.of(refused.getAggregatedExceptions()));
        ErrorStatusUpdateControl<SplitInference> control = outcome.status() == null || applyStatus(si, outcome, context)
                ? ErrorStatusUpdateControl.noStatusUpdate()
                : ErrorStatusUpdateControl.patchStatus(outcome.status());
        return control.withNoRetry().rescheduleAfter(outcome.requeue());
    }

    /** The status to apply ({@code null}: unchanged) and when to look again. */
    private record Outcome(SplitInference status, Duration requeue) {}

    /** Aggregates the status from the run's decision and the refused dependents, emits the Events it calls for. */
    private Outcome settle(SplitInference si, Context<SplitInference> context, List<DependentFailure> failures) {
        var values = context.managedWorkflowAndDependentResourceContext();
        ReconcileState state = ReconcileState.of(context);
        Deployment backend = context.getSecondaryResource(Deployment.class).orElse(null);
        SplitInferenceStatus status = StatusAggregator.aggregate(si, state, backend, failures);
        events.report(si, state, values.get(PREVIOUS_REPLICAS, Integer.class).orElse(null), status);
        if (state.replanned()) {
            metrics.replanned();
        }
        values.get(TIMER, Timer.Sample.class)
                .ifPresent(t -> t.stop(metrics.reconcileDuration(
                        si.getMetadata().getNamespace(), si.getMetadata().getName())));
        return new Outcome(
                StatusAggregator.changed(si.getStatus(), status) ? withStatus(si, status) : null,
                requeue(si, state, failures));
    }

    /** The observer's delay, shortened to the back-off while a child is refused (it may be a transient error). */
    private Duration requeue(SplitInference si, ReconcileState state, List<DependentFailure> failures) {
        if (failures.isEmpty()) {
            return state.requeueAfter();
        }
        Instant since = Optional.ofNullable(si.getStatus())
                .flatMap(s -> s.condition(SplitInferenceStatus.APPLIED))
                .filter(c -> "False".equals(c.getStatus()))
                .map(c -> Instant.parse(c.getLastTransitionTime()))
                .orElse(null);
        Duration backoff = Backoff.next(since, state.now(), config.backoffInitial(), config.backoffMax());
        return backoff.compareTo(state.requeueAfter()) < 0 ? backoff : state.requeueAfter();
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * Applies the status server-side when the dependents are ({@link ServerSideApply}): an apply of only name,
     * namespace and status by the operator's field manager, with the observed resourceVersion and JOSDK's retry and
     * cache update on a conflict, so a stale cache never writes an old status and the next reconcile sees the new
     * one. Returns false where the API server cannot apply (the Fabric8 mock): JOSDK then patches the status.
     */
    private static boolean applyStatus(SplitInference si, Outcome outcome, Context<SplitInference> context) {
        if (!ServerSideApply.enabled(context)) {
            return false;
        }
        SplitInference apply = new SplitInference();
        apply.setMetadata(new ObjectMetaBuilder()
                .withName(si.getMetadata().getName())
                .withNamespace(si.getMetadata().getNamespace())
                .build());
        apply.setStatus(outcome.status().getStatus());
        PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(si, apply, context);
        return true;
    }

    /**
     * The resource as observed, with the new status: JOSDK's non-SSA status patch is a JSON patch computed against
     * the observed object, so anything left out of this copy (uid, generation, the spec) would be removed by it.
     */
    private static SplitInference withStatus(SplitInference si, SplitInferenceStatus status) {
        SplitInference fresh = new SplitInference();
        fresh.setMetadata(new ObjectMetaBuilder(si.getMetadata()).build());
        fresh.setSpec(si.getSpec());
        fresh.setStatus(status);
        return fresh;
    }
}
