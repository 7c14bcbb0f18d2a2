package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/**
 * An object the operator manages for one SplitInference: applied server-side unless switched off
 * ({@link ServerSideApply}), and owned by the fleet as its <em>controller</em>, as Kubernetes' own controllers own
 * what they make. JOSDK's owner reference leaves {@code controller} unset; without it {@code kubectl} and tools that
 * follow controller references (rollout status, Argo CD, the garbage collector's orphan handling) do not see the
 * fleet as the object's manager, and a second controller could adopt it.
 */
public abstract class FleetDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, SplitInference> {

    protected FleetDependent(Class<R> type) {
        super(type);
    }

    @Override
    protected boolean useSSA(Context<SplitInference> context) {
        return ServerSideApply.enabled(context);
    }

    @Override
    protected void addReferenceHandlingMetadata(R desired, SplitInference primary) {
        super.addReferenceHandlingMetadata(desired, primary);
        String uid = primary.getMetadata().getUid();
        desired.getMetadata().getOwnerReferences().stream()
                .filter(o -> o.getUid().equals(uid))
                .forEach(o -> o.setController(true));
    }
}
