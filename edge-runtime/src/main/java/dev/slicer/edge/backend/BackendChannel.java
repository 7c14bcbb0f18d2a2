package dev.slicer.edge.backend;

import dev.slicer.protocol.WireLimits;
import dev.slicer.protocol.v1.BackendGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/**
 * The one gRPC channel to the back-end. Message limits come from {@link WireLimits} (the codec's own bound for the
 * largest intermediate feature), not from gRPC's defaults; keep-alive notices a dead back-end on an idle stream.
 */
public final class BackendChannel implements AutoCloseable {
    private final String address;
    private final ManagedChannel channel;

    public BackendChannel(String address, WireLimits limits) {
        this.address = address;
        this.channel = NettyChannelBuilder.forTarget(address)
                .usePlaintext()
                .maxInboundMessageSize(limits.maxMessageBytes())
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .build();
    }

    public String address() {
        return address;
    }

    public BackendGrpc.BackendBlockingStub blocking() {
        return BackendGrpc.newBlockingStub(channel);
    }

    /** The AR sessions' service on the same channel (one connection: a session sticks to its replica). */
    public dev.slicer.protocol.v1.ArDecoderGrpc.ArDecoderBlockingStub ar() {
        return dev.slicer.protocol.v1.ArDecoderGrpc.newBlockingStub(channel);
    }

    public BackendGrpc.BackendStub async() {
        return BackendGrpc.newStub(channel);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
