package dev.slicer.operator.metrics;

import dev.slicer.operator.dependent.Names;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the planning inputs of one fleet from Prometheus. Series are selected by namespace and the fleet label
 * the operator's ServiceMonitor/PodMonitor attach ({@value Names#FLEET_METRIC_LABEL}); edge series carry the
 * device class in the {@code device_class} label.
 */
public final class FleetMetricsReader {

    static final String GOODPUT = "slicer_edge_link_goodput_bytes_per_second";
    static final String STAGE = "slicer_edge_stage_duration_seconds";
    static final String QUEUE = "slicer_backend_queue_delay_seconds";
    static final String COMPUTE = "slicer_backend_compute_seconds_total";

    /** Sum of the back-end's batch sizes: one per request it computed. */
    static final String BATCHED = "slicer_backend_batch_size_sum";

    private final PrometheusClient client;
    private final String window;

    public FleetMetricsReader(PrometheusClient client, String window) {
        this.client = client;
        this.window = window;
    }

    public FleetMetrics read(String baseUrl, String namespace, String fleet) throws MetricsUnavailableException {
        String sel = "namespace=\"" + namespace + "\"," + Names.FLEET_METRIC_LABEL + "=\"" + fleet + "\"";
        Map<String, Double> goodput = new HashMap<>();
        for (var s : client.query(baseUrl, "avg by (device_class) (" + GOODPUT + "{" + sel + "})")) {
            goodput.put(s.labels().getOrDefault("device_class", "default"), s.value());
        }
        Map<String, Map<String, Double>> stages = new HashMap<>();
        for (var s : client.query(baseUrl, meanOf(STAGE, sel, "device_class, stage"))) {
            stages.computeIfAbsent(s.labels().getOrDefault("device_class", "default"), k -> new HashMap<>())
                    .put(s.labels().getOrDefault("stage", "unknown"), s.value());
        }
        Double queue = scalar(client.query(baseUrl, meanOf(QUEUE, sel, "")));
        Double compute = scalar(client.query(baseUrl, "sum(rate(" + COMPUTE + "{" + sel + "}[" + window + "]))"));
        // requests the back-end computed, from its own series only: the edges' stage counts are exported twice
        // when in-cluster edges are scraped too (by the edge and re-exported by the back-end)
        Double requests = scalar(client.query(baseUrl, "sum(rate(" + BATCHED + "{" + sel + "}[" + window + "]))"));
        return new FleetMetrics(goodput, stages, queue, compute, requests);
    }

    /** Mean of a histogram over the rate window: rate(sum) / rate(count), grouped by {@code by}. */
    private String meanOf(String histogram, String sel, String by) {
        String group = by.isEmpty() ? "" : " by (" + by + ")";
        return "sum" + group + " (rate(" + histogram + "_sum{" + sel + "}[" + window + "])) / sum" + group + " (rate("
                + histogram + "_count{" + sel + "}[" + window + "]))";
    }

    private static Double scalar(List<PrometheusClient.Sample> samples) {
        return samples.isEmpty() ? null : samples.get(0).value();
    }
}
