package dev.slicer.edge.backend;

import dev.slicer.protocol.BackendErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;

/**
 * A failed back-end call, classified once: the back-end's typed reason when it sent one, else the transport's status
 * (a refused connection is UNAVAILABLE without details).
 *
 * @param code gRPC status code
 * @param reason the SLICER reason, when the back-end named one
 * @param retryAfter the back-end's retry hint (a full queue)
 * @param message what happened
 */
public record Failure(
        Status.Code code, Optional<BackendErrors.Reason> reason, Optional<Duration> retryAfter, String message) {

    public static Failure of(StatusRuntimeException e) {
        Status s = e.getStatus();
        String msg = s.getDescription() != null
                ? s.getDescription()
                : s.getCause() != null ? s.getCause().toString() : s.getCode().name();
        return new Failure(s.getCode(), BackendErrors.reason(e), BackendErrors.retryAfter(e), msg);
    }

    /** Whether the same request may succeed later: the reason's own rule, else overload and unavailability. */
    public boolean retryable() {
        return reason.map(BackendErrors.Reason::retryable)
                .orElse(code == Status.Code.UNAVAILABLE || code == Status.Code.RESOURCE_EXHAUSTED);
    }

    /** The connection failed or broke (the transport's UNAVAILABLE, not a back-end's typed refusal). */
    public boolean connectionLost() {
        return code == Status.Code.UNAVAILABLE && reason.isEmpty();
    }

    /** The replica is going away (SIGTERM): it refuses new work, and its connection should move to another one. */
    public boolean draining() {
        return reason.filter(r -> r == BackendErrors.Reason.DRAINING).isPresent();
    }

    /** The back-end is up but full (reply 429 when there is no fallback). */
    public boolean overloaded() {
        return code == Status.Code.RESOURCE_EXHAUSTED;
    }

    /** Short form for error messages: {@code RESOURCE_EXHAUSTED/QUEUE_FULL: queue is full}. */
    public String describe() {
        return code + reason.map(r -> "/" + r).orElse("") + ": " + message;
    }
}
