package dev.slicer.operator.dependent;

import dev.slicer.crds.v1alpha1.SplitInference;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus Operator objects (monitoring.coreos.com/v1) as generic resources, so the operator needs no model
 * classes for them. Both monitors set the {@value Names#FLEET_METRIC_LABEL} label the PromQL queries select on, and
 * select only this fleet's targets: its own namespace, and pods or Services labelled with this fleet, so two fleets
 * with overlapping edge selectors never read each other's goodput. They carry the configured {@link MonitorLabels}.
 */
public final class Monitors {

    public static final String GROUP = "monitoring.coreos.com";

    private Monitors() {}

    public static ServiceMonitor serviceMonitor(SplitInference si, MonitorLabels extra) {
        Map<String, Object> endpoint = endpoint(si);
        endpoint.put("port", "http");
        Map<String, String> match = new LinkedHashMap<>(Names.selector(si, Names.COMPONENT_BACKEND));
        match.put(Names.FLEET, si.getMetadata().getName());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("selector", Map.of("matchLabels", match));
        spec.put("namespaceSelector", ownNamespace(si));
        spec.put("endpoints", List.of(endpoint));
        return resource(new ServiceMonitor(), si, Names.backend(si), Names.COMPONENT_BACKEND, spec, extra);
    }

    /**
     * The edge pods of this fleet: the spec's edge selector AND the label {@code slicer.dev/fleet=<name>} (the
     * operator's DaemonSet sets it; edges run otherwise must carry it to be scraped).
     */
    public static PodMonitor podMonitor(SplitInference si, MonitorLabels extra) {
        Map<String, Object> endpoint = endpoint(si);
        endpoint.put("port", "http");
        Map<String, Object> selector = selector(si.getSpec().getEdges().getSelector());
        @SuppressWarnings("unchecked")
        Map<String, String> match =
                (Map<String, String>) selector.computeIfAbsent("matchLabels", k -> new LinkedHashMap<>());
        match.put(Names.FLEET, si.getMetadata().getName());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("selector", selector);
        spec.put("namespaceSelector", ownNamespace(si));
        spec.put("podMetricsEndpoints", List.of(endpoint));
        return resource(new PodMonitor(), si, Names.edge(si), Names.COMPONENT_EDGE, spec, extra);
    }

    private static Map<String, Object> ownNamespace(SplitInference si) {
        return Map.of("matchNames", List.of(si.getMetadata().getNamespace()));
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
            T monitor,
            SplitInference si,
            String name,
            String component,
            Map<String, Object> spec,
            MonitorLabels extra) {
        monitor.setMetadata(Names.metadata(si, name, component, extra.labels()));
        monitor.setSpec(spec);
        return monitor;
    }
}
