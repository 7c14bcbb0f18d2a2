package dev.slicer.crds.v1alpha1.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Schema of a core/v1 LocalObjectReference (an object by name in the same namespace, e.g. a pull Secret). */
public final class LocalObjectReferenceSchema {

    @Required
    @JsonPropertyDescription("Name of the object in the resource's namespace.")
    public String name;

    private LocalObjectReferenceSchema() {}
}
