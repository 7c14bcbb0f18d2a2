package dev.slicer.operator.metrics;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.TreeSet;

/**
 * The metrics addresses ({@code host:port}) of a Service's ready endpoints, from its EndpointSlices (label
 * {@code kubernetes.io/service-name}), on the port named {@code portName}: the replicas Prometheus would scrape
 * through a ServiceMonitor. An endpoint whose {@code ready} condition is unset counts as ready, as the API defines.
 * Addresses are IPv4, IPv6 or host names (FQDN slices: the API server refuses loopback IPs in a slice, so a fleet
 * whose replicas are local processes, as the demo's, lists them as {@code localhost}).
 */
final class BackendEndpoints {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private BackendEndpoints() {}

    static List<String> of(KubernetesClient kube, String namespace, String service, String portName)
            throws MetricsUnavailableException {
        List<EndpointSlice> slices;
        try {
            slices = kube.discovery()
                    .v1()
                    .endpointSlices()
                    .inNamespace(namespace)
                    .withLabel(SERVICE_NAME_LABEL, service)
                    .list()
                    .getItems();
        } catch (KubernetesClientException e) {
            throw new MetricsUnavailableException(
                    "cannot list the EndpointSlices of Service " + namespace + "/" + service + ": " + e.getMessage(),
                    e);
        }
        TreeSet<String> out = new TreeSet<>();
        for (EndpointSlice slice : slices) {
            Integer port = port(slice, portName);
            if (port == null || slice.getEndpoints() == null) {
                continue;
            }
            boolean v6 = "IPv6".equals(slice.getAddressType());
            if (!v6 && !"IPv4".equals(slice.getAddressType()) && !"FQDN".equals(slice.getAddressType())) {
                continue; // an address type this operator does not know
            }
            for (Endpoint e : slice.getEndpoints()) {
                boolean ready = e.getConditions() == null
                        || !Boolean.FALSE.equals(e.getConditions().getReady());
                if (ready && e.getAddresses() != null && !e.getAddresses().isEmpty()) {
                    // the addresses of one endpoint are one pod's: scrape it once
                    String host = e.getAddresses().get(0);
                    out.add((v6 ? "[" + host + "]" : host) + ":" + port);
                }
            }
        }
        return List.copyOf(out);
    }

    private static Integer port(EndpointSlice slice, String name) {
        if (slice.getPorts() == null) {
            return null;
        }
        for (EndpointPort p : slice.getPorts()) {
            if (name.equals(p.getName()) && p.getPort() != null && p.getPort() > 0 && p.getPort() < 65536) {
                return p.getPort();
            }
        }
        return null;
    }
}
