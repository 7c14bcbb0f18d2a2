package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.spec.PodOptionsSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;

/** The pod-level settings of {@code pod} applied to a generated template: identity and placement, then the override. */
public final class PodOptions {

    private PodOptions() {}

    public static PodTemplateSpec apply(PodTemplateSpec generated, PodOptionsSpec pod) {
        if (pod == null) {
            return generated;
        }
        var spec = new PodTemplateSpecBuilder(generated).editSpec();
        if (pod.getImagePullSecrets() != null) {
            spec.withImagePullSecrets(pod.getImagePullSecrets());
        }
        PodTemplateSpec withOptions = spec.withServiceAccountName(pod.getServiceAccountName())
                .withAffinity(pod.getAffinity())
                .withRuntimeClassName(pod.getRuntimeClassName())
                .withPriorityClassName(pod.getPriorityClassName())
                .endSpec()
                .build();
        return PodTemplateOverride.apply(withOptions, pod.getTemplate());
    }
}
