package dev.slicer.backend.batch;

import dev.slicer.backend.tail.TailSpec;
import dev.slicer.model.split.HostTensor;
import dev.slicer.protocol.v1.BackendTimings;
import io.grpc.Deadline;
import io.grpc.StatusRuntimeException;
import java.util.Map;

/**
 * One admitted request waiting for, or in, a batch.
 *
 * @param deadline the caller's gRPC deadline, or null
 * @param decodeSeconds time spent validating and decoding its tensors
 */
public record Pending(
        TailSpec tail,
        Map<String, HostTensor> inputs,
        long enqueuedNanos,
        Deadline deadline,
        double decodeSeconds,
        Completion completion) {

    /** Where the result goes (called once, from the compute thread). */
    public interface Completion {
        void done(Map<String, HostTensor> outputs, BackendTimings timings);

        void failed(StatusRuntimeException error);
    }

    public boolean expired() {
        return deadline != null && deadline.isExpired();
    }
}
