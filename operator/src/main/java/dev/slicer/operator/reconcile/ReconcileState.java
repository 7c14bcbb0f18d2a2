package dev.slicer.operator.reconcile;

import dev.slicer.operator.metrics.FleetMetrics;
import dev.slicer.operator.planning.ClassPlan;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the observe and plan steps decided for one reconciliation; the dependents' {@code desired()} and the status
 * aggregator read it, so both see the same decision.
 *
 * @param metricsProblem why Prometheus could not be read, or {@code null}
 * @param plan the plan the ConfigMap must hold, {@code null} while there is none
 * @param classes the plan rows in use per device class from this run's planning, {@code null} if the planner did not
 *     run (the status keeps its previous summary)
 * @param replanned the plan's hash differs from the one the ConfigMap held
 * @param planProblem why no (new) plan could be computed, or {@code null}
 * @param replicas back-end replicas to run
 * @param requeueAfter when to look again (re-plan interval, or back-off while something is unavailable)
 */
public record ReconcileState(
        Instant now,
        FleetMetrics metrics,
        String metricsProblem,
        PublishedPlan plan,
        List<ClassPlan> classes,
        boolean replanned,
        String previousHash,
        String planProblem,
        int replicas,
        Duration requeueAfter) {

    public static final String KEY = ReconcileState.class.getName();

    public boolean metricsAvailable() {
        return metricsProblem == null;
    }

    public static ReconcileState of(Context<?> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, ReconcileState.class);
    }
}
