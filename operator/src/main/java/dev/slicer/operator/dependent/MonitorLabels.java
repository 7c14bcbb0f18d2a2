package dev.slicer.operator.dependent;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Extra labels of the ServiceMonitor and PodMonitor the operator creates per fleet, e.g. the {@code release} label a
 * kube-prometheus-stack Prometheus selects monitors by ({@code slicer.operator.monitor-labels=release=kps,team=a}).
 * Checked once at start: a malformed entry, a key or value Kubernetes would refuse, or a key the operator sets
 * itself is an error naming the entry.
 */
public record MonitorLabels(Map<String, String> labels) {

    /** Key of the parsed labels in a reconciliation's context. */
    public static final String KEY = MonitorLabels.class.getName();

    public static final MonitorLabels NONE = new MonitorLabels(Map.of());

    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    public MonitorLabels {
        labels = Map.copyOf(labels);
    }

    public static MonitorLabels parse(Optional<List<String>> entries) {
        Map<String, String> out = new TreeMap<>();
        for (String entry : entries.orElse(List.of())) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("slicer.operator.monitor-labels: '" + entry + "' is not key=value");
            }
            String key = entry.substring(0, eq).trim();
            String value = entry.substring(eq + 1).trim();
            if (!validKey(key)) {
                throw new IllegalArgumentException("slicer.operator.monitor-labels: '" + key + "' is not a label key");
            }
            if (!value.isEmpty() && (value.length() > 63 || !NAME.matcher(value).matches())) {
                throw new IllegalArgumentException(
                        "slicer.operator.monitor-labels: '" + value + "' is not a label value (key " + key + ")");
            }
            if (key.startsWith("app.kubernetes.io/") || key.equals(Names.FLEET)) {
                throw new IllegalArgumentException(
                        "slicer.operator.monitor-labels: '" + key + "' is set by the operator itself");
            }
            if (out.put(key, value) != null) {
                throw new IllegalArgumentException("slicer.operator.monitor-labels: '" + key + "' given twice");
            }
        }
        return new MonitorLabels(out);
    }

    static boolean validKey(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty()
                    || prefix.length() > 253
                    || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return false;
            }
        }
        return !name.isEmpty() && name.length() <= 63 && NAME.matcher(name).matches();
    }
}
