package dev.slicer.crds.v1alpha1.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** Schema of core/v1 ResourceRequirements (without dynamic resource claims). */
public final class ResourceRequirementsSchema {

    @JsonPropertyDescription("Minimum resources of the container, e.g. cpu: 500m, memory: 1Gi.")
    public Map<String, Quantity> requests;

    @JsonPropertyDescription("Maximum resources of the container, e.g. cpu: 2, memory: 4Gi.")
    public Map<String, Quantity> limits;

    private ResourceRequirementsSchema() {}
}
