package dev.slicer.protocol;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Optional;

/**
 * The back-end's typed errors (see backend.proto): a gRPC status with a google.rpc.ErrorInfo reason and, for
 * retryable overload, a google.rpc.RetryInfo delay. The back-end builds them here and the edge reads them here.
 */
public final class BackendErrors {
    public static final String DOMAIN = "slicer.dev";

    /** Reasons carried in ErrorInfo. */
    public enum Reason {
        MALFORMED_FRAME(Status.Code.INVALID_ARGUMENT),
        LIMIT_EXCEEDED(Status.Code.INVALID_ARGUMENT),
        MODEL_MISMATCH(Status.Code.FAILED_PRECONDITION),
        UNKNOWN_SPLIT(Status.Code.FAILED_PRECONDITION),
        UNKNOWN_OUTPUT(Status.Code.INVALID_ARGUMENT),
        QUEUE_FULL(Status.Code.RESOURCE_EXHAUSTED),
        DRAINING(Status.Code.UNAVAILABLE),
        NOT_READY(Status.Code.UNAVAILABLE),
        DEADLINE_PASSED(Status.Code.DEADLINE_EXCEEDED),
        CANCELLED(Status.Code.CANCELLED),
        SESSION_UNKNOWN(Status.Code.NOT_FOUND),
        SESSION_EVICTED(Status.Code.NOT_FOUND),
        SESSION_LIMIT(Status.Code.RESOURCE_EXHAUSTED),
        POSITION_MISMATCH(Status.Code.INVALID_ARGUMENT),
        INTERNAL(Status.Code.INTERNAL);

        private final Status.Code code;

        Reason(Status.Code code) {
            this.code = code;
        }

        public Status.Code code() {
            return code;
        }

        /** Whether the same request may succeed later or on another replica. */
        public boolean retryable() {
            return this != SESSION_LIMIT && (code == Status.Code.RESOURCE_EXHAUSTED || code == Status.Code.UNAVAILABLE);
        }

        /** Whether an AR session is gone from the back-end and must be re-opened (replaying its prefix). */
        public boolean sessionLost() {
            return code == Status.Code.NOT_FOUND;
        }
    }

    private BackendErrors() {}

    public static StatusRuntimeException error(Reason reason, String message) {
        return build(reason, message, null);
    }

    /** Queue full: retry after {@code retryAfter}. */
    public static StatusRuntimeException queueFull(String message, Duration retryAfter) {
        return build(Reason.QUEUE_FULL, message, retryAfter);
    }

    private static StatusRuntimeException build(Reason reason, String message, Duration retryAfter) {
        com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder()
                .setCode(reason.code().value())
                .setMessage(message)
                .addDetails(Any.pack(ErrorInfo.newBuilder()
                        .setReason(reason.name())
                        .setDomain(DOMAIN)
                        .build()));
        if (retryAfter != null) {
            s.addDetails(Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(com.google.protobuf.Duration.newBuilder()
                            .setSeconds(retryAfter.getSeconds())
                            .setNanos(retryAfter.getNano()))
                    .build()));
        }
        return StatusProto.toStatusRuntimeException(s.build());
    }

    /** The reason an error names, if it came from a SLICER back-end. */
    public static Optional<Reason> reason(Throwable t) {
        com.google.rpc.Status s = StatusProto.fromThrowable(t);
        if (s == null) {
            return Optional.empty();
        }
        for (Any a : s.getDetailsList()) {
            if (a.is(ErrorInfo.class)) {
                try {
                    ErrorInfo info = a.unpack(ErrorInfo.class);
                    if (DOMAIN.equals(info.getDomain())) {
                        return Optional.of(Reason.valueOf(info.getReason()));
                    }
                } catch (com.google.protobuf.InvalidProtocolBufferException | IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The retry delay an error carries, if any. */
    public static Optional<Duration> retryAfter(Throwable t) {
        com.google.rpc.Status s = StatusProto.fromThrowable(t);
        if (s == null) {
            return Optional.empty();
        }
        for (Any a : s.getDetailsList()) {
            if (a.is(RetryInfo.class)) {
                try {
                    com.google.protobuf.Duration d = a.unpack(RetryInfo.class).getRetryDelay();
                    return Optional.of(Duration.ofSeconds(d.getSeconds(), d.getNanos()));
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
