package dev.slicer.edge.plan;

import dev.slicer.planner.plan.Plan;
import java.util.Optional;

/**
 * The plan an edge applies and where it came from. A request reads one snapshot at its start and keeps it, so a new
 * plan takes effect between requests, never within one.
 *
 * @param plan the plan, empty for the configured default
 * @param source {@code stream} (the back-end's WatchPlan), {@code file} or {@code default}
 */
public record ActivePlan(Optional<Plan> plan, String source) {
    public static final ActivePlan DEFAULT = new ActivePlan(Optional.empty(), "default");

    /** The plan hash sent with each request; "" for the configured default. */
    public String hash() {
        return plan.map(Plan::sha256).orElse("");
    }
}
