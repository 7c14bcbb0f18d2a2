package dev.slicer.backend.ar;

import dev.slicer.model.split.HostTensor;
import io.grpc.StatusRuntimeException;

/**
 * One Open or Step waiting for the compute thread: the session, its decoded input ({@code [1, n, ...]}), the
 * frame bits it arrived as, when it was admitted, and where the result goes.
 */
final class ArWork {
    /** Where the result of one Open or Step goes. */
    interface Completion {
        void done(float[] logits, int length, double queueSeconds, double computeSeconds, int batchSize);

        void failed(StatusRuntimeException error);
    }

    final ArSession session;
    final HostTensor input;
    final boolean open;
    final long admittedNanos;
    final long wireBits;
    final double decodeSeconds;
    final Completion completion;
    volatile boolean cancelled;

    ArWork(
            ArSession session,
            HostTensor input,
            boolean open,
            long wireBits,
            double decodeSeconds,
            Completion completion) {
        this.session = session;
        this.input = input;
        this.open = open;
        this.admittedNanos = System.nanoTime();
        this.wireBits = wireBits;
        this.decodeSeconds = decodeSeconds;
        this.completion = completion;
    }

    int positions() {
        return (int) input.shape()[1];
    }
}
