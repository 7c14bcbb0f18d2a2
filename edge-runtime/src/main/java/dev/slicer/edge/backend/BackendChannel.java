package dev.slicer.edge.backend;

import dev.slicer.protocol.WireLimits;
import dev.slicer.protocol.v1.BackendGrpc;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
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

    /**
     * Waits until the channel is connected (it connects when idle, and reconnects after its backoff when a connection
     * attempt failed), at most {@code max}.
     *
     * @return whether it is connected
     */
    public boolean awaitReady(Duration max) {
        long end = System.nanoTime() + max.toNanos();
        ConnectivityState state = channel.getState(true);
        while (state != ConnectivityState.READY && state != ConnectivityState.SHUTDOWN) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            CountDownLatch changed = new CountDownLatch(1);
            channel.notifyWhenStateChanged(state, changed::countDown);
            try {
                changed.await(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            state = channel.getState(true);
        }
        return state == ConnectivityState.READY;
    }

    /** The channel's connectivity now (it does not connect): TRANSIENT_FAILURE while it backs off a failed attempt. */
    public ConnectivityState state() {
        return channel.getState(false);
    }

    /**
     * Drops the connection for new calls (calls in flight on it finish): the next call connects again, through the
     * Service to whichever replica is ready. For a replica that said it is draining.
     */
    public void reconnect() {
        channel.enterIdle();
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
