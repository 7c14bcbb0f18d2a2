package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.operator.planning.ProfileSource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.quarkus.arc.Arc;

/**
 * The profiling Job runs while the resource has no usable profile: none, unparseable, or made for another model
 * URI (its digest differs). Once a valid one exists the Job is deleted.
 */
public class ProfileMissing implements Condition<Job, SplitInference> {

    @Override
    public boolean isMet(
            DependentResource<Job, SplitInference> dependent, SplitInference primary, Context<SplitInference> context) {
        // conditions are created by the SDK, not by CDI: look the (cached) profile source up
        return Arc.container()
                        .instance(ProfileSource.class)
                        .get()
                        .profile(primary)
                        .profile()
                == null;
    }
}
