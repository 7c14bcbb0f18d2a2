package dev.slicer.operator.reconcile;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.crds.v1alpha1.status.SplitInferenceStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events for what a user should see in {@code kubectl describe}: a new plan, a back-end scaled, the
 * fleet degraded. Emitting is best effort: a failed Event never fails a reconciliation.
 */
@ApplicationScoped
public class FleetEvents {

    public static final String REPLANNED = "Replanned";
    public static final String SCALED = "Scaled";
    public static final String DEGRADED = "Degraded";
    /** A child object was refused by the API server (e.g. 422 on an immutable field). */
    public static final String APPLY_FAILED = "ApplyFailed";
    /** No new plan could be published (profile missing, planner error, plan too large for its ConfigMap). */
    public static final String PLAN_FAILED = "PlanFailed";

    private static final Logger LOG = Logger.getLogger(FleetEvents.class);

    private final KubernetesClient client;

    public FleetEvents(KubernetesClient client) {
        this.client = client;
    }

    /** Emits the events the transition from {@code prior} to {@code next} calls for. */
    public void report(SplitInference si, ReconcileState state, Integer previousReplicas, SplitInferenceStatus next) {
        if (state.replanned()) {
            String summary = next.getPlan() == null ? "" : " (" + next.getPlan().getSummary() + ")";
            emit(
                    si,
                    "Normal",
                    REPLANNED,
                    "Published plan " + state.plan().hash()
                            + (state.previousHash() == null ? "" : ", replacing " + state.previousHash()) + summary);
        }
        if (previousReplicas != null && previousReplicas != state.replicas()) {
            emit(
                    si,
                    "Normal",
                    SCALED,
                    "Back-end scaled from " + previousReplicas + " to " + state.replicas() + " replicas");
        }
        // a problem is reported once, and again whenever its message changes
        SplitInferenceStatus prior = si.getStatus();
        next.condition(SplitInferenceStatus.APPLIED)
                .filter(c -> "False".equals(c.getStatus()) && !sameCondition(prior, c))
                .ifPresent(c -> emit(si, "Warning", APPLY_FAILED, c.getMessage()));
        if (state.planProblem() != null) {
            next.condition(SplitInferenceStatus.PLANNED)
                    .filter(c -> !sameCondition(prior, c))
                    .ifPresent(c -> emit(si, "Warning", PLAN_FAILED, state.planProblem()));
        }
        boolean wasDegraded = si.getStatus() != null
                && si.getStatus()
                        .condition(SplitInferenceStatus.DEGRADED)
                        .map(c -> "True".equals(c.getStatus()))
                        .orElse(false);
        next.condition(SplitInferenceStatus.DEGRADED)
                .filter(c -> "True".equals(c.getStatus()) && !wasDegraded)
                .ifPresent(c -> emit(si, "Warning", DEGRADED, c.getMessage()));
    }

    private static boolean sameCondition(SplitInferenceStatus prior, io.fabric8.kubernetes.api.model.Condition c) {
        return prior != null
                && prior.condition(c.getType())
                        .filter(p -> c.getStatus().equals(p.getStatus())
                                && c.getMessage().equals(p.getMessage()))
                        .isPresent();
    }

    public void emit(SplitInference si, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withGenerateName(si.getMetadata().getName() + ".")
                .withNamespace(si.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(si.getApiVersion())
                        .withKind(si.getKind())
                        .withName(si.getMetadata().getName())
                        .withNamespace(si.getMetadata().getNamespace())
                        .withUid(si.getMetadata().getUid())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message.length() > 1024 ? message.substring(0, 1024) : message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource()
                .withComponent("slicer-operator")
                .endSource()
                .withReportingComponent("slicer.dev/operator")
                .build();
        try {
            client.v1()
                    .events()
                    .inNamespace(si.getMetadata().getNamespace())
                    .resource(event)
                    .create();
        } catch (KubernetesClientException e) {
            LOG.debugf(
                    e,
                    "could not record event %s for %s",
                    reason,
                    si.getMetadata().getName());
        }
    }
}
