package dev.slicer.operator.planning;

/**
 * Computes the rate-indexed plan of one fleet. The reconciler sees only this interface; {@link PlannerPlanService}
 * is the implementation backed by the planner module.
 */
public interface PlanService {

    /**
     * Plans the fleet.
     *
     * @throws PlanningException when the inputs admit no plan (invalid profile, budgets the planner rejects)
     */
    PlanOutcome plan(PlanInputs inputs) throws PlanningException;
}
