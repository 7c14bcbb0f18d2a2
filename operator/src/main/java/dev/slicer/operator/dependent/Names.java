package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names and labels of the objects the operator manages for one SplitInference. */
public final class Names {

    /** Label every managed object carries; the dependent informers are scoped by it. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    public static final String OPERATOR = "slicer-operator";
    /** Label selector of the dependent informers. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;
    /** Label naming the fleet (the SplitInference) an object belongs to; also copied onto metrics. */
    public static final String FLEET = "slicer.dev/fleet";
    /** The Prometheus label the monitors set to the fleet name ({@link #FLEET}, sanitized). */
    public static final String FLEET_METRIC_LABEL = "slicer_dev_fleet";

    public static final String COMPONENT_BACKEND = "backend";
    public static final String COMPONENT_EDGE = "edge";
    public static final String COMPONENT_PLAN = "plan";
    public static final String COMPONENT_PROFILER = "profiler";

    public static final int HTTP_PORT = 8080;
    public static final int GRPC_PORT = 9000;

    private Names() {}

    public static String backend(SplitInference si) {
        return si.getMetadata().getName() + "-backend";
    }

    public static String plan(SplitInference si) {
        return si.getMetadata().getName() + "-plan";
    }

    public static String edge(SplitInference si) {
        return si.getMetadata().getName() + "-edge";
    }

    public static String profile(SplitInference si) {
        return si.getMetadata().getName() + "-profile";
    }

    /**
     * The profiling Job: named after the model digest too, so a new model URI gets a new Job (a Job's pod template
     * cannot change). At most 63 characters (the Job controller labels its pods with the name).
     */
    public static String profiler(SplitInference si) {
        String digest = dev.slicer.crds.ModelDigest.of(si.getSpec().getModel().getUri());
        String base = si.getMetadata().getName();
        return base.substring(0, Math.min(base.length(), 40)) + "-profiler-" + digest.substring(0, 12);
    }

    /** Labels selecting the pods of one component (stable: used in immutable selectors). */
    public static Map<String, String> selector(SplitInference si, String component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "slicer-" + component);
        labels.put("app.kubernetes.io/instance", si.getMetadata().getName());
        labels.put("app.kubernetes.io/component", component);
        return labels;
    }

    /**
     * Metadata of a child object of the fleet: {@code name} in the fleet's namespace, with the managed labels of
     * {@code component} (the informers select children by them) and {@code extraLabels} under them.
     */
    public static ObjectMeta metadata(
            SplitInference si, String name, String component, Map<String, String> extraLabels) {
        Map<String, String> all = new LinkedHashMap<>(extraLabels);
        all.putAll(labels(si, component));
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(si.getMetadata().getNamespace())
                .withLabels(all)
                .build();
    }

    /** As {@link #metadata(SplitInference, String, String, Map)} without extra labels. */
    public static ObjectMeta metadata(SplitInference si, String name, String component) {
        return metadata(si, name, component, Map.of());
    }

    /** All labels of a managed object of one component. */
    public static Map<String, String> labels(SplitInference si, String component) {
        Map<String, String> labels = selector(si, component);
        labels.put("app.kubernetes.io/part-of", "slicer");
        labels.put(MANAGED_BY, OPERATOR);
        labels.put(FLEET, si.getMetadata().getName());
        return labels;
    }
}
