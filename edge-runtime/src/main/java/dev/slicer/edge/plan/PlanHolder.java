package dev.slicer.edge.plan;

import dev.slicer.planner.plan.Plan;
import dev.slicer.planner.plan.PlanJson;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The plan sources in order of precedence: the back-end's WatchPlan stream, the plan file, the configured default
 * (cloud-only, see {@link RowChoice#CLOUD_ONLY}). Each source's latest valid plan is kept; {@link #current()} is
 * the best one. A plan for another model or another candidate count is rejected and logged; the previous one stays.
 */
public final class PlanHolder {
    private static final Logger LOG = Logger.getLogger(PlanHolder.class);

    private final String modelUri;
    private final int candidates;
    private final AtomicReference<Optional<Plan>> stream = new AtomicReference<>(Optional.empty());
    private final AtomicReference<Optional<Plan>> file = new AtomicReference<>(Optional.empty());
    private volatile ActivePlan current = ActivePlan.DEFAULT;

    public PlanHolder(String modelUri, int candidates) {
        this.modelUri = modelUri;
        this.candidates = candidates;
    }

    public ActivePlan current() {
        return current;
    }

    /**
     * Parses and checks a plan document (hash, model, candidate count).
     *
     * @return the plan, or empty when {@code json} is blank
     * @throws IllegalArgumentException naming what is wrong
     */
    public Optional<Plan> parse(String json) {
        if (json == null || json.isBlank()) {
            return Optional.empty();
        }
        Plan p;
        try {
            p = PlanJson.readPlan(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid plan: " + e.getMessage(), e);
        }
        if (p.model() != null && !p.model().equals(modelUri)) {
            throw new IllegalArgumentException("plan is for model " + p.model() + ", this edge serves " + modelUri);
        }
        if (p.candidates() != candidates) {
            throw new IllegalArgumentException(
                    "plan counts " + p.candidates() + " split candidates, the model has " + candidates);
        }
        return Optional.of(p);
    }

    /** The stream's plan (empty: the back-end holds none). */
    public ActivePlan fromStream(Optional<Plan> plan) {
        stream.set(plan);
        return refresh();
    }

    public ActivePlan fromFile(Optional<Plan> plan) {
        file.set(plan);
        return refresh();
    }

    private synchronized ActivePlan refresh() {
        ActivePlan next = stream.get().isPresent()
                ? new ActivePlan(stream.get(), "stream")
                : file.get().isPresent() ? new ActivePlan(file.get(), "file") : ActivePlan.DEFAULT;
        if (!next.hash().equals(current.hash()) || !next.source().equals(current.source())) {
            LOG.infof(
                    "plan %s from %s applies from the next request",
                    next.hash().isEmpty() ? "(default: cloud-only)" : next.hash(), next.source());
        }
        current = next;
        return next;
    }
}
