package dev.slicer.operator.metrics;

import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.operator.dependent.Names;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a fleet without Prometheus: scrapes the {@code /q/metrics} of every ready back-end replica (found through the
 * EndpointSlices of the fleet's back-end Service, port {@code http}) at each read, and computes the inputs
 * Prometheus would from the scrapes of the rate window ({@link RateWindow}). The back-end re-exports what its edges
 * measure (link goodput, stage durations per device class), so its replicas are all there is to read. All replicas
 * are scraped at once, the whole read bounded by one deadline; a replica that does not answer is left out of this
 * read, and only a fleet none of whose replicas answered is unavailable.
 */
public final class DirectScrapeSource implements FleetMetricsSource {

    /** Most replicas scraped per read; a larger fleet is refused (read it through Prometheus). */
    static final int MAX_REPLICAS = 64;
    /** Largest answer read from one replica. */
    static final int MAX_RESPONSE_BYTES = 4 << 20;

    private final KubernetesClient kube;
    private final BoundedGet get;
    private final Duration deadline;
    private final Duration window;
    private final Map<String, RateWindow> windows = new ConcurrentHashMap<>();

    public DirectScrapeSource(
            KubernetesClient kube, Duration connectTimeout, Duration requestTimeout, Duration window) {
        this.kube = kube;
        this.get = new BoundedGet("metrics-scrape", connectTimeout, MAX_RESPONSE_BYTES, b -> {});
        this.deadline = connectTimeout.plus(requestTimeout);
        this.window = window;
    }

    @Override
    public FleetMetrics read(SplitInference si) throws MetricsUnavailableException {
        String namespace = si.getMetadata().getNamespace();
        String service = Names.backend(si);
        List<String> replicas = BackendEndpoints.of(kube, namespace, service, "http");
        if (replicas.isEmpty()) {
            throw new MetricsUnavailableException("no ready back-end replica to scrape: the EndpointSlices of Service "
                    + namespace + "/" + service + " list none");
        }
        if (replicas.size() > MAX_REPLICAS) {
            throw new MetricsUnavailableException(
                    replicas.size() + " back-end replicas; scraping directly reads at most " + MAX_REPLICAS
                            + ", read a fleet this large through Prometheus");
        }
        long started = System.nanoTime();
        Map<String, BoundedGet.Call> calls = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String replica : replicas) {
            HttpRequest request;
            try {
                request = HttpRequest.newBuilder(new URI("http://" + replica + "/q/metrics"))
                        .timeout(deadline)
                        .header("Accept", "text/plain; version=0.0.4")
                        .GET()
                        .build();
            } catch (URISyntaxException | IllegalArgumentException e) {
                // the API server validates slice addresses; an API server stand-in may not
                problems.add("back-end replica address " + replica + " is not a host: " + e.getMessage());
                continue;
            }
            calls.put(replica, get.start(request, "back-end replica " + replica));
        }
        Map<String, ReplicaTotals> scraped = new LinkedHashMap<>();
        for (var call : calls.entrySet()) {
            Duration left = deadline.minusNanos(System.nanoTime() - started);
            try {
                BoundedGet.Answer answer = call.getValue().await(left);
                if (answer.status() != 200) {
                    throw new MetricsUnavailableException(
                            "back-end replica " + call.getKey() + " answered HTTP " + answer.status());
                }
                scraped.put(
                        call.getKey(),
                        ReplicaTotals.of(ExpositionFormat.parse(answer.body(), ReplicaTotals.SERIES::contains)));
            } catch (MetricsUnavailableException e) {
                problems.add(e.getMessage());
            }
        }
        if (scraped.isEmpty()) {
            throw new MetricsUnavailableException(
                    "no back-end replica of " + namespace + "/" + service + " answered: " + problems.get(0));
        }
        long now = System.nanoTime();
        forgetIdle(now);
        // a fleet re-created under the same name starts afresh (its UID differs)
        String fleet = namespace + "/" + si.getMetadata().getName() + "/"
                + si.getMetadata().getUid();
        return windows.computeIfAbsent(fleet, k -> new RateWindow(window)).record(now, replicas, scraped);
    }

    /** Drops fleets not read for ten windows (deleted, or moved to another operator replica). */
    private void forgetIdle(long now) {
        long idle = window.multipliedBy(10).toNanos();
        windows.values().removeIf(w -> now - w.lastRecorded() > idle);
    }
}
