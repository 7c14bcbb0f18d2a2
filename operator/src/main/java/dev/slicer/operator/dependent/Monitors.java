package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus Operator objects (monitoring.coreos.com/v1) as generic resources, so the operator needs no model
 * classes for them. Both monitors set the {@value Names#FLEET_METRIC_LABEL} label the PromQL queries select on.
 */
public final class Monitors {

    public static final String GROUP = "monitoring.coreos.com";

    private Monitors() {}

    public static ServiceMonitor serviceMonitor(SplitInference si) {
        Map<String, Object> endpoint = endpoint(si);
        endpoint.put("port", "http");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("selector", Map.of("matchLabels", Names.selector(si, Names.COMPONENT_BACKEND)));
        spec.put("endpoints", List.of(endpoint));
        return resource(new ServiceMonitor(), si, Names.backend(si), Names.COMPONENT_BACKEND, spec);
    }

    public static PodMonitor podMonitor(SplitInference si) {
        Map<String, Object> endpoint = endpoint(si);
        endpoint.put("port", "http");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("selector", selector(si.getSpec().getEdges().getSelector()));
        spec.put("podMetricsEndpoints", List.of(endpoint));
        return resource(new PodMonitor(), si, Names.edge(si), Names.COMPONENT_EDGE, spec);
    }

    private static Map<String, Object> endpoint(SplitInference si) {
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("path", "/q/metrics");
        endpoint.put("interval", "15s");
        endpoint.put(
                "relabelings",
                List.of(Map.of(
                        "targetLabel",
                        Names.FLEET_METRIC_LABEL,
                        "replacement",
                        si.getMetadata().getName(),
                        "action",
                        "replace")));
        return endpoint;
    }

    static Map<String, Object> selector(LabelSelector selector) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (selector.getMatchLabels() != null && !selector.getMatchLabels().isEmpty()) {
            out.put("matchLabels", new LinkedHashMap<>(selector.getMatchLabels()));
        }
        if (selector.getMatchExpressions() != null
                && !selector.getMatchExpressions().isEmpty()) {
            List<Map<String, Object>> expressions = new ArrayList<>();
            for (var e : selector.getMatchExpressions()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", e.getKey());
                m.put("operator", e.getOperator());
                if (e.getValues() != null && !e.getValues().isEmpty()) {
                    m.put("values", List.copyOf(e.getValues()));
                }
                expressions.add(m);
            }
            out.put("matchExpressions", expressions);
        }
        return out;
    }

    private static <T extends io.fabric8.kubernetes.client.CustomResource<Map<String, Object>, Void>> T resource(
            T monitor, SplitInference si, String name, String component, Map<String, Object> spec) {
        monitor.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(si.getMetadata().getNamespace())
                .withLabels(Names.labels(si, component))
                .build());
        monitor.setSpec(spec);
        return monitor;
    }
}
