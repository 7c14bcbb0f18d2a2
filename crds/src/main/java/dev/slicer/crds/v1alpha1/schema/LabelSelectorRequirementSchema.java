package dev.slicer.crds.v1alpha1.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Schema of a metav1.LabelSelectorRequirement. */
@ValidationRule(
        value = "(self.operator in ['In', 'NotIn']) == (has(self.values) && size(self.values) > 0)",
        message = "operators In and NotIn need values; Exists and DoesNotExist take none")
public final class LabelSelectorRequirementSchema {

    /** Selector operators. */
    public enum Operator {
        In,
        NotIn,
        Exists,
        DoesNotExist
    }

    @Required
    @JsonPropertyDescription("Label key the requirement applies to.")
    public String key;

    @Required
    @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
    public Operator operator;

    @JsonPropertyDescription("Values for In and NotIn; empty for Exists and DoesNotExist.")
    public List<String> values;

    private LabelSelectorRequirementSchema() {}
}
