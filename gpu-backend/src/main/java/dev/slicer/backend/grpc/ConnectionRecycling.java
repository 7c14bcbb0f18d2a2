package dev.slicer.backend.grpc;

import dev.slicer.backend.config.BackendConfig;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.quarkus.logging.Log;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Retires each edge connection after {@code slicer.backend.connections.max-age} (gRFC A9: GOAWAY, in-flight calls
 * finish within the grace), so that edges reconnect through the Service and spread over the replicas there are now.
 * Without it an edge stays on the replica it first reached, and a scale-out serves only edges that start later.
 */
@ApplicationScoped
public class ConnectionRecycling implements ServerBuilderCustomizer<VertxServerBuilder> {
    private final Duration maxAge;
    private final Duration grace;

    public ConnectionRecycling(BackendConfig config) {
        this.maxAge = config.connections().maxAge();
        this.grace = config.connections().maxAgeGrace();
        if (maxAge.isNegative() || grace.isNegative()) {
            throw new IllegalArgumentException("slicer.backend.connections.max-age and max-age-grace must be >= 0,"
                    + " got " + maxAge + " and " + grace);
        }
    }

    @Override
    public void customize(GrpcServerConfiguration config, VertxServerBuilder builder) {
        if (maxAge.isZero()) {
            Log.info("gRPC connections are kept for their lifetime (slicer.backend.connections.max-age=0s)");
            return;
        }
        // VertxServerBuilder does not forward the connection-management calls; its Netty builder takes them
        builder.nettyBuilder()
                .maxConnectionAge(maxAge.toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionAgeGrace(grace.toMillis(), TimeUnit.MILLISECONDS);
        Log.infof("gRPC connections retired after %s (grace %s)", maxAge, grace);
    }
}
