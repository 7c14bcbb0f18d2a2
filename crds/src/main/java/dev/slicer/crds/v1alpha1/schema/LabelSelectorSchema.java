package dev.slicer.crds.v1alpha1.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/** Schema of a metav1.LabelSelector. */
public final class LabelSelectorSchema {

    @JsonPropertyDescription("Labels that must all be present with exactly these values.")
    public Map<String, String> matchLabels;

    @JsonPropertyDescription("Set-based requirements that must all hold.")
    public List<LabelSelectorRequirementSchema> matchExpressions;

    private LabelSelectorSchema() {}
}
