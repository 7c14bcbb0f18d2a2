package dev.slicer.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.slicer.protocol.BackendErrors;
import dev.slicer.protocol.BackendErrors.Reason;
import dev.slicer.protocol.v1.InferReply;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The drain SIGTERM starts: readiness off, new requests refused as retryable, the running one finishes. */
@QuarkusTest
@TestProfile(DrainProfile.class)
@QuarkusTestResource(PlanDirResource.class)
class DrainTest {
    @Inject
    Drain drain;

    @Inject
    BatchService batches;

    @Test
    void drainingFinishesInFlightWorkAndRefusesNewWorkAsRetryable() throws Exception {
        try (Backend backend = Backend.ofTestApp()) {
            MiniLm minilm = MiniLm.get();
            assertThat(readiness()).isEqualTo(200);
            GatedTailRunner gate = GatedTailRunner.install();
            MiniLm.Case inFlight = minilm.request("in-flight", MiniLm.SPLIT, 16, 30);
            CompletableFuture<InferReply> reply = Calls.infer(backend.async(), inFlight.request());
            await().atMost(Duration.ofSeconds(30)).until(() -> gate.waiting.get() == 1);

            CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> drain.drain(batches::idle));
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 503);
            assertThatThrownBy(() -> backend.blocking()
                            .infer(minilm.request("new", MiniLm.SPLIT, 16, 31).request()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(BackendErrors.reason(e)).contains(Reason.DRAINING);
                        assertThat(Reason.DRAINING.retryable()).isTrue();
                    });
            assertThat(drained).isNotDone();

            gate.open();
            MiniLm.assertMatches(reply.get(60, TimeUnit.SECONDS), inFlight.expected());
            drained.get(60, TimeUnit.SECONDS);
        }
    }

    private static int readiness() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        // HTTP/1.1: the JDK client's h2c upgrade sometimes never completes against Vert.x (e2e ServiceHttpClient)
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
