package dev.slicer.e2e.demo;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Stands in for the endpoint-slice controller for one Service whose pods are local processes: one EndpointSlice per
 * pod (each has ports of its own here, and a slice's ports are shared by its endpoints) with the pod's ready
 * condition, labelled {@code kubernetes.io/service-name} as the controller labels them. An operator that scrapes the
 * back-end replicas itself finds them through these. The API server refuses loopback IPs in a slice, so the pods are
 * named by {@link #HOST}, which the {@link #hostsFile} given to the operator resolves to 127.0.0.1 (the cluster DNS's
 * stand-in). A slice is written only when its pod's readiness or ports change, and deleted with the pod.
 */
final class EndpointSlices {

    /** The host name of every local pod: an FQDN (the API's rule for host names in a slice) in a private-use zone. */
    static final String HOST = "pods.slicer-demo.internal";

    /** One pod's entry: its ports and readiness. */
    record Pod(int httpPort, int grpcPort, boolean ready) {}

    private final KubernetesClient kube;
    private final String namespace;
    private final String service;
    private final Map<String, Pod> published = new HashMap<>();

    EndpointSlices(KubernetesClient kube, String namespace, String service) {
        this.kube = kube;
        this.namespace = namespace;
        this.service = service;
    }

    /** Makes the Service's slices list exactly {@code pods} (by pod name). */
    void sync(Map<String, Pod> pods) {
        for (String gone : Map.copyOf(published).keySet()) {
            if (!pods.containsKey(gone)) {
                kube.discovery()
                        .v1()
                        .endpointSlices()
                        .inNamespace(namespace)
                        .withName(gone)
                        .delete();
                published.remove(gone);
            }
        }
        pods.forEach((name, pod) -> {
            if (pod.equals(published.get(name))) {
                return;
            }
            var slice = kube.discovery()
                    .v1()
                    .endpointSlices()
                    .inNamespace(namespace)
                    .resource(slice(name, pod));
            if (published.containsKey(name)) {
                slice.update();
            } else {
                slice.create();
            }
            published.put(name, pod);
        });
    }

    private EndpointSlice slice(String name, Pod pod) {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels("kubernetes.io/service-name", service)
                .addToLabels("endpointslice.kubernetes.io/managed-by", "slicer-demo-kubelet")
                .endMetadata()
                .withAddressType("FQDN")
                .addNewEndpoint()
                .withAddresses(HOST)
                .withNewConditions()
                .withReady(pod.ready())
                .endConditions()
                .endEndpoint()
                .addNewPort()
                .withName("http")
                .withPort(pod.httpPort())
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName("grpc")
                .withPort(pod.grpcPort())
                .withProtocol("TCP")
                .endPort()
                .build();
    }

    /**
     * Writes a hosts file resolving {@link #HOST} and {@code localhost} to 127.0.0.1 under {@code dir}, for a JVM's
     * {@code jdk.net.hosts.file} (which then answers every lookup from this file alone).
     */
    static Path hostsFile(Path dir) throws IOException {
        Path file = dir.resolve("hosts");
        Files.writeString(file, "127.0.0.1 localhost " + HOST + "\n");
        return file;
    }
}
