package dev.slicer.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import dev.slicer.crds.v1alpha1.SplitInference;
import dev.slicer.operator.Fixtures;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scraping the back-end replicas without Prometheus: replicas found through the back-end Service's EndpointSlices
 * (ready ones, on the {@code http} port), stub replicas answering the text format, and the failures a fleet meets.
 */
@EnableKubernetesMockClient(crud = true)
class DirectScrapeSourceTest {

    KubernetesClient client;

    private final List<HttpServer> servers = new ArrayList<>();
    private final SplitInference si = Fixtures.splitInference("fleet", null);

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /** A replica answering {@code body} (status 200, or {@code status}); counts its scrapes. */
    private record Replica(int port, AtomicReference<String> body, AtomicInteger scrapes) {}

    private Replica replica(int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicReference<String> text = new AtomicReference<>(body);
        AtomicInteger scrapes = new AtomicInteger();
        server.createContext("/q/metrics", exchange -> {
            scrapes.incrementAndGet();
            byte[] bytes = text.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return new Replica(server.getAddress().getPort(), text, scrapes);
    }

    private static String metrics(double compute, double requests, double goodput) {
        return """
                # TYPE slicer_backend_compute_seconds_total counter
                slicer_backend_compute_seconds_total{provider="CPU"} %s
                slicer_backend_batch_size_sum %s
                slicer_backend_queue_delay_seconds_sum 0.5
                slicer_backend_queue_delay_seconds_count 10
                slicer_edge_link_goodput_bytes_per_second{device_class="phone"} %s
                """
                .formatted(compute, requests, goodput);
    }

    private EndpointSlice slice(String name, String service, String addressType, int port, Boolean ready) {
        return client.resource(Fixtures.endpointSlice(name, service, addressType, port, ready))
                .create();
    }

    // bounds far above what a loopback answer takes on a loaded machine, except where a test is about them
    private DirectScrapeSource source(Duration connect, Duration request) {
        return new DirectScrapeSource(client, connect, request, Duration.ofSeconds(20));
    }

    @Test
    void readsTheReadyReplicasOfTheFleetsServiceAndComputesRatesAcrossReads() throws Exception {
        Replica a = replica(200, metrics(10, 100, 1000));
        Replica b = replica(200, metrics(0, 0, 3000));
        Replica named = replica(200, metrics(0, 0, 2000));
        Replica notReady = replica(200, metrics(999, 999, 999));
        Replica otherFleet = replica(200, metrics(999, 999, 999));
        slice("fleet-backend-a", "fleet-backend", "IPv4", a.port(), null); // unset: ready
        slice("fleet-backend-b", "fleet-backend", "IPv4", b.port(), true);
        slice("fleet-backend-c", "fleet-backend", "IPv4", notReady.port(), false);
        slice("other-backend-a", "other-backend", "IPv4", otherFleet.port(), true);
        slice("fleet-backend-fqdn", "fleet-backend", "FQDN", named.port(), true); // by host name
        slice("fleet-backend-other", "fleet-backend", "IPv7", notReady.port(), true); // an unknown type
        DirectScrapeSource direct = source(Duration.ofSeconds(30), Duration.ofSeconds(60));

        FleetMetrics first = direct.read(si);
        assertThat(first.goodputBytesPerSecond()).containsEntry("phone", 2000.0); // the mean of 1000, 3000, 2000
        assertThat(first.requestRate()).as("one scrape has no rate").isNull();

        a.body().set(metrics(12, 140, 1000));
        b.body().set(metrics(1, 20, 3000));
        FleetMetrics second = direct.read(si);
        assertThat(second.requestRate()).isPositive();
        // both replicas' increases over the time between the reads: 60 requests per 3 busy seconds
        assertThat(second.requestRate() / second.computeLoad()).isCloseTo(20.0, within(1e-9));
        assertThat(second.queueDelaySeconds()).as("no new queue samples").isNull();
        assertThat(a.scrapes()).hasValue(2);
        assertThat(b.scrapes()).hasValue(2);
        assertThat(named.scrapes()).hasValue(2);
        assertThat(notReady.scrapes())
                .as("not ready, or of an unknown address type")
                .hasValue(0);
        assertThat(otherFleet.scrapes()).as("another fleet's Service").hasValue(0);
    }

    @Test
    void aFleetWithoutReadyReplicasIsReportedAsUnavailable() throws Exception {
        assertThatThrownBy(() ->
                        source(Duration.ofSeconds(30), Duration.ofSeconds(60)).read(si))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageContaining("no ready back-end replica to scrape")
                .hasMessageContaining("test/fleet-backend");
        Replica notReady = replica(200, metrics(1, 1, 1));
        slice("fleet-backend-a", "fleet-backend", "IPv4", notReady.port(), false);
        assertThatThrownBy(() ->
                        source(Duration.ofSeconds(30), Duration.ofSeconds(60)).read(si))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageContaining("no ready back-end replica to scrape");
    }

    @Test
    void aReplicaThatFailsIsLeftOutAndOnlyAllFailingIsUnavailable() throws Exception {
        Replica ok = replica(200, metrics(1, 1, 1000));
        Replica broken = replica(500, "oops");
        Replica garbled = replica(200, "slicer_backend_batch_size_sum{ 1\n");
        slice("fleet-backend-a", "fleet-backend", "IPv4", ok.port(), true);
        slice("fleet-backend-b", "fleet-backend", "IPv4", broken.port(), true);
        slice("fleet-backend-c", "fleet-backend", "IPv4", garbled.port(), true);
        DirectScrapeSource direct = source(Duration.ofSeconds(30), Duration.ofSeconds(60));
        assertThat(direct.read(si).goodputBytesPerSecond()).containsEntry("phone", 1000.0);

        client.resource(client.discovery()
                        .v1()
                        .endpointSlices()
                        .inNamespace(Fixtures.NAMESPACE)
                        .withName("fleet-backend-a")
                        .get())
                .delete();
        assertThatThrownBy(() -> direct.read(si))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageContaining("no back-end replica of test/fleet-backend answered");
    }

    @Test
    void anAddressThatIsNoHostIsLeftOutWithTheReason() throws Exception {
        EndpointSlice bad = Fixtures.endpointSlice("fleet-backend-bad", "fleet-backend", "FQDN", 8080, true);
        bad.getEndpoints().get(0).setAddresses(java.util.List.of("no host/at all"));
        client.resource(bad).create();
        assertThatThrownBy(() ->
                        source(Duration.ofSeconds(30), Duration.ofSeconds(60)).read(si))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageContaining("no host/at all")
                .hasMessageContaining("is not a host");

        Replica ok = replica(200, metrics(1, 1, 1000));
        slice("fleet-backend-a", "fleet-backend", "IPv4", ok.port(), true);
        assertThat(source(Duration.ofSeconds(30), Duration.ofSeconds(60))
                        .read(si)
                        .goodputBytesPerSecond())
                .containsEntry("phone", 1000.0);
    }

    @Test
    void tooManyReplicasAreRefusedBeforeAnyIsScraped() {
        EndpointSlice many = new EndpointSliceBuilder()
                .withNewMetadata()
                .withName("fleet-backend-many")
                .withNamespace(Fixtures.NAMESPACE)
                .addToLabels(BackendEndpoints.SERVICE_NAME_LABEL, "fleet-backend")
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort()
                .withName("http")
                .withPort(8080)
                .endPort()
                .build();
        for (int i = 0; i <= DirectScrapeSource.MAX_REPLICAS; i++) {
            many.getEndpoints()
                    .add(new io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder()
                            .withAddresses("10.0.0." + i)
                            .build());
        }
        client.resource(many).create();
        assertThatThrownBy(() ->
                        source(Duration.ofSeconds(30), Duration.ofSeconds(60)).read(si))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageContaining("at most " + DirectScrapeSource.MAX_REPLICAS);
    }

    /** A replica that accepts and never answers holds the read up to the deadline only; the others still count. */
    @Test
    // a guard, not an assertion: without the deadline the read never returns
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aReplicaThatNeverAnswersIsGivenUpAtTheDeadline() throws Exception {
        Replica ok = replica(200, metrics(1, 1, 1000));
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            slice("fleet-backend-a", "fleet-backend", "IPv4", ok.port(), true);
            slice("fleet-backend-b", "fleet-backend", "IPv4", silent.getLocalPort(), true);
            FleetMetrics m =
                    source(Duration.ofSeconds(1), Duration.ofSeconds(1)).read(si);
            assertThat(m.goodputBytesPerSecond()).containsEntry("phone", 1000.0);
        }
    }
}
