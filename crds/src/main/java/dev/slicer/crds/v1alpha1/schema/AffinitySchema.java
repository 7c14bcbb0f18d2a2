package dev.slicer.crds.v1alpha1.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * Schema of a core/v1 Affinity: node affinity, pod affinity and pod anti-affinity, each required (at scheduling)
 * or preferred (weighted). The API server checks it when the resource is written, so a typo never reaches a pod.
 */
public final class AffinitySchema {

    @JsonPropertyDescription("Node affinity: which nodes the pods may (or prefer to) land on, by node labels.")
    public NodeAffinity nodeAffinity;

    @JsonPropertyDescription("Pod affinity: land near pods matching a selector (same topology domain).")
    public PodAffinity podAffinity;

    @JsonPropertyDescription("Pod anti-affinity: keep away from pods matching a selector, e.g. spread replicas.")
    public PodAffinity podAntiAffinity;

    private AffinitySchema() {}

    /** Schema of a core/v1 NodeAffinity. */
    public static final class NodeAffinity {
        @JsonPropertyDescription("Nodes the pods must land on; the terms are ORed.")
        public NodeSelector requiredDuringSchedulingIgnoredDuringExecution;

        @JsonPropertyDescription("Weighted node preferences; the scheduler adds the weights of the matching terms.")
        public List<PreferredSchedulingTerm> preferredDuringSchedulingIgnoredDuringExecution;

        private NodeAffinity() {}
    }

    /** Schema of a core/v1 NodeSelector. */
    public static final class NodeSelector {
        @Required
        @JsonPropertyDescription("Node selector terms, ORed.")
        public List<NodeSelectorTerm> nodeSelectorTerms;

        private NodeSelector() {}
    }

    /** Schema of a core/v1 NodeSelectorTerm. */
    public static final class NodeSelectorTerm {
        @JsonPropertyDescription("Requirements on node labels, ANDed.")
        public List<NodeSelectorRequirement> matchExpressions;

        @JsonPropertyDescription("Requirements on node fields (metadata.name), ANDed.")
        public List<NodeSelectorRequirement> matchFields;

        private NodeSelectorTerm() {}
    }

    /** Schema of a core/v1 NodeSelectorRequirement. */
    public static final class NodeSelectorRequirement {
        /** Node selector operators. */
        public enum Operator {
            In,
            NotIn,
            Exists,
            DoesNotExist,
            Gt,
            Lt
        }

        @Required
        @JsonPropertyDescription("Label (or field) key the requirement applies to.")
        public String key;

        @Required
        @JsonPropertyDescription("In, NotIn, Exists, DoesNotExist, Gt or Lt.")
        public Operator operator;

        @JsonPropertyDescription("Values: several for In/NotIn, one integer for Gt/Lt, none for Exists/DoesNotExist.")
        public List<String> values;

        private NodeSelectorRequirement() {}
    }

    /** Schema of a core/v1 PreferredSchedulingTerm. */
    public static final class PreferredSchedulingTerm {
        @Required
        @Min(1)
        @Max(100)
        @JsonPropertyDescription("Weight of the term, 1 to 100.")
        public Integer weight;

        @Required
        @JsonPropertyDescription("The node selector term.")
        public NodeSelectorTerm preference;

        private PreferredSchedulingTerm() {}
    }

    /** Schema of a core/v1 PodAffinity or PodAntiAffinity (the same shape). */
    public static final class PodAffinity {
        @JsonPropertyDescription("Terms that must hold at scheduling, ANDed.")
        public List<PodAffinityTerm> requiredDuringSchedulingIgnoredDuringExecution;

        @JsonPropertyDescription("Weighted preferences; the scheduler adds the weights of the matching terms.")
        public List<WeightedPodAffinityTerm> preferredDuringSchedulingIgnoredDuringExecution;

        private PodAffinity() {}
    }

    /** Schema of a core/v1 PodAffinityTerm. */
    public static final class PodAffinityTerm {
        @JsonPropertyDescription("The pods the term is about.")
        public LabelSelectorSchema labelSelector;

        @JsonPropertyDescription("Namespaces of those pods, by label; empty selects all, unset the pod's own.")
        public LabelSelectorSchema namespaceSelector;

        @JsonPropertyDescription("Namespaces of those pods, by name; unset (with no namespaceSelector) the pod's own.")
        public List<String> namespaces;

        @Required
        @JsonPropertyDescription("Node label that defines a topology domain, e.g. kubernetes.io/hostname.")
        public String topologyKey;

        @JsonPropertyDescription("Pod label keys whose values, taken from the incoming pod, join the labelSelector.")
        public List<String> matchLabelKeys;

        @JsonPropertyDescription("Pod label keys whose values, taken from the incoming pod, must not match.")
        public List<String> mismatchLabelKeys;

        private PodAffinityTerm() {}
    }

    /** Schema of a core/v1 WeightedPodAffinityTerm. */
    public static final class WeightedPodAffinityTerm {
        @Required
        @Min(1)
        @Max(100)
        @JsonPropertyDescription("Weight of the term, 1 to 100.")
        public Integer weight;

        @Required
        @JsonPropertyDescription("The pod affinity term.")
        public PodAffinityTerm podAffinityTerm;

        private WeightedPodAffinityTerm() {}
    }
}
