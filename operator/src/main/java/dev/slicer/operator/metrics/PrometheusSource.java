package dev.slicer.operator.metrics;

import dev.slicer.crds.v1alpha1.SplitInference;
import java.util.List;
import java.util.Optional;

/**
 * Reads the fleet from Prometheus: the operator's own ({@code prometheusUrl}) or the one the resource names in
 * {@code spec.policy.metricsUrl}, which must be in the allowlist; a URL outside it is never contacted.
 */
public final class PrometheusSource implements FleetMetricsSource {

    private final FleetMetricsReader reader;
    private final MetricsUrlAllowlist allowlist;
    private final String defaultUrl;

    public PrometheusSource(
            PrometheusClient client, String window, String defaultUrl, Optional<List<String>> allowlist) {
        this.reader = new FleetMetricsReader(client, window);
        this.defaultUrl = defaultUrl;
        this.allowlist = new MetricsUrlAllowlist(allowlist.orElse(List.of(defaultUrl)));
    }

    @Override
    public FleetMetrics read(SplitInference si) throws MetricsUnavailableException {
        var policy = si.getSpec().getPolicy();
        String url = policy != null && policy.getMetricsUrl() != null ? policy.getMetricsUrl() : defaultUrl;
        Optional<String> refused = url.equals(defaultUrl) ? Optional.empty() : allowlist.problem(url);
        if (refused.isPresent()) {
            throw new MetricsUnavailableException(refused.get());
        }
        return reader.read(
                url, si.getMetadata().getNamespace(), si.getMetadata().getName());
    }
}
