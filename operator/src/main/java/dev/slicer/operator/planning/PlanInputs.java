package dev.slicer.operator.planning;

import dev.slicer.crds.v1alpha1.SplitInferenceSpec;
import dev.slicer.operator.metrics.FleetMetrics;
import dev.slicer.planner.model.SplitProfile;

/** Everything one planning run depends on. */
public record PlanInputs(SplitInferenceSpec spec, SplitProfile profile, FleetMetrics metrics) {}
