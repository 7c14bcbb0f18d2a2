package dev.slicer.crds.v1alpha1.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Schema of a core/v1 Toleration. */
public final class TolerationSchema {

    /** Toleration operators. */
    public enum Operator {
        Exists,
        Equal
    }

    /** Taint effects. */
    public enum Effect {
        NoSchedule,
        PreferNoSchedule,
        NoExecute
    }

    @JsonPropertyDescription("Taint key the toleration applies to; unset with operator Exists matches every taint.")
    public String key;

    @JsonPropertyDescription("Exists or Equal (default Equal).")
    public Operator operator;

    @JsonPropertyDescription("Taint value to match with operator Equal.")
    public String value;

    @JsonPropertyDescription("Taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; unset matches all.")
    public Effect effect;

    @JsonPropertyDescription("For NoExecute: how long the pod stays bound after the taint appears, in seconds.")
    public Long tolerationSeconds;

    private TolerationSchema() {}
}
