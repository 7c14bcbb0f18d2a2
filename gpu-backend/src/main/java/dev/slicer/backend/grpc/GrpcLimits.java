package dev.slicer.backend.grpc;

import dev.slicer.backend.config.BackendConfig;
import dev.slicer.protocol.WireLimits;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.quarkus.logging.Log;
import io.vertx.grpc.VertxServerBuilder;
import io.vertx.grpc.server.GrpcServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sets the gRPC server's inbound message limit from the configured wire limits, never the library default (the
 * separate gRPC server is Vert.x's grpc-java server; the unified one takes the options).
 */
@ApplicationScoped
public class GrpcLimits implements ServerBuilderCustomizer<VertxServerBuilder> {
    private final WireLimits limits;

    public GrpcLimits(BackendConfig config) {
        this.limits = wireLimits(config);
    }

    public static WireLimits wireLimits(BackendConfig config) {
        return WireLimits.of(config.limits().maxElements(), config.limits().maxFrameBytes());
    }

    @Override
    public void customize(GrpcServerConfiguration config, VertxServerBuilder builder) {
        builder.maxInboundMessageSize(limits.maxMessageBytes());
        Log.infof(
                "gRPC max inbound message %d bytes (frame limit %d)", limits.maxMessageBytes(), limits.maxFrameBytes());
    }

    @Override
    public void customize(GrpcServerConfiguration config, GrpcServerOptions options) {
        options.setMaxMessageSize(limits.maxMessageBytes());
        Log.infof("gRPC max message %d bytes (frame limit %d)", limits.maxMessageBytes(), limits.maxFrameBytes());
    }
}
