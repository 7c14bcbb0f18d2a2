package dev.slicer.backend;

import dev.slicer.protocol.v1.BackendGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;

/** A plain grpc-java client of the back-end under test, on loopback. */
final class Backend implements AutoCloseable {
    final ManagedChannel channel;

    Backend(int port) {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .maxInboundMessageSize(64 << 20)
                .build();
    }

    /** The test application's gRPC server (random port). */
    static Backend ofTestApp() {
        return new Backend(ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class));
    }

    BackendGrpc.BackendBlockingStub blocking() {
        return BackendGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    BackendGrpc.BackendStub async() {
        return BackendGrpc.newStub(channel);
    }

    static double rejected(MeterRegistry registry, String reason) {
        return registry.get("slicer.backend.rejected")
                .tag("reason", reason)
                .counter()
                .count();
    }

    static double queued(MeterRegistry registry) {
        return registry.get("slicer.backend.queue.requests").gauge().value();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
