package dev.slicer.edge.ar;

import com.google.protobuf.MessageLite;
import dev.slicer.edge.backend.BackendChannel;
import dev.slicer.edge.backend.Failure;
import dev.slicer.edge.backend.RetryPolicy;
import dev.slicer.edge.infer.LinkCrossing;
import dev.slicer.protocol.WireTensors;
import dev.slicer.protocol.v1.ArCloseRequest;
import dev.slicer.protocol.v1.ArDecoderGrpc.ArDecoderBlockingStub;
import dev.slicer.protocol.v1.ArOpenRequest;
import dev.slicer.protocol.v1.ArStepRequest;
import dev.slicer.protocol.v1.ArTokenReply;
import dev.slicer.protocol.v1.Tensor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The edge's side of AR sessions on the back-end. A session keeps the hand-off and every step's tensor it sent, up
 * to {@code replayMaxBytes}; when the back-end loses the session (NOT_FOUND: unknown or evicted) or its replica is
 * gone (UNAVAILABLE), the session is opened again - on whichever replica the channel reaches now - and the kept
 * tensors are replayed in order, so the new KV cache equals the old one and generation continues unchanged. A queue
 * that is full is waited out with the usual backoff. Every wait and retry is bounded.
 */
public final class ArSessionClient {
    private static final Logger LOG = Logger.getLogger(ArSessionClient.class);

    /** The settings sessions run with. */
    public record Settings(Duration timeout, RetryPolicy retries, long replayMaxBytes, int maxLogits) {}

    /** Why a session cannot continue (the caller falls back or fails the request). */
    public static final class SessionFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Failure failure;

        SessionFailure(String message, Failure failure) {
            super(message);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    private final BackendChannel channel;
    private final LinkCrossing link;
    private final Settings settings;

    public ArSessionClient(BackendChannel channel, LinkCrossing link, Settings settings) {
        this.channel = channel;
        this.link = link;
        this.settings = settings;
    }

    private ArDecoderBlockingStub stub() {
        return channel.ar().withDeadlineAfter(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * One call across the access link, measured like a single-shot request: every hand-off and token step is a
     * goodput sample, so a decoding edge follows its link as a single-shot one does.
     */
    private ArTokenReply across(MessageLite request, Function<ArDecoderBlockingStub, ArTokenReply> call) {
        long t0 = System.nanoTime();
        int sent = request.getSerializedSize();
        link.up(sent);
        ArTokenReply r = call.apply(stub());
        int received = r.getSerializedSize();
        long down = link.down(received);
        link.record(sent, received, (System.nanoTime() - t0) / 1e9, r.getTimings(), down);
        return r;
    }

    /** Opens a session with the hand-off and returns it with the first logits. */
    public Session open(ArOpenRequest request) {
        Session s = new Session(request);
        s.first = s.call(() -> s.reopen(false));
        return s;
    }

    /** One open session. Not thread-safe: one generation drives it. */
    public final class Session implements AutoCloseable {
        private final ArOpenRequest open;
        private final List<Tensor> steps = new ArrayList<>();
        private long keptBytes;
        private boolean replayable = true;
        private String id = "";
        private long length;
        private float[] first;
        private int recoveries;

        private Session(ArOpenRequest open) {
            this.open = open;
            this.keptBytes = open.getSerializedSize();
            this.replayable = keptBytes <= settings.replayMaxBytes();
        }

        /** The logits the hand-off produced. */
        public float[] firstLogits() {
            return first;
        }

        /** Sessions opened again after the back-end lost them. */
        public int recoveries() {
            return recoveries;
        }

        public String id() {
            return id;
        }

        /** One more position; its next-token logits. */
        public float[] step(Tensor tensor) {
            float[] logits = call(() -> logits(stepCall(tensor)));
            if (replayable) {
                keptBytes += tensor.getSerializedSize();
                if (keptBytes > settings.replayMaxBytes()) {
                    replayable = false; // past the bound: a lost session can no longer be rebuilt
                    steps.clear();
                } else {
                    steps.add(tensor);
                }
            }
            return logits;
        }

        private ArTokenReply stepCall(Tensor tensor) {
            ArStepRequest req = ArStepRequest.newBuilder()
                    .setSessionId(id)
                    .setPosition(length)
                    .addTensors(tensor)
                    .build();
            ArTokenReply r = across(req, stub -> stub.step(req));
            length = r.getLength();
            return r;
        }

        private float[] reopen(boolean replay) {
            ArTokenReply r = across(open, stub -> stub.open(open));
            id = r.getSessionId();
            length = r.getLength();
            float[] logits = logits(r);
            if (replay) {
                for (Tensor t : steps) {
                    logits = logits(stepCall(t));
                }
            }
            return logits;
        }

        private float[] call(java.util.function.Supplier<float[]> attempt) {
            Failure last = null;
            boolean lost = false;
            RetryPolicy.Pauses pauses = settings.retries().pauses(channel);
            for (int i = 1; i <= settings.retries().maxAttempts(); i++) {
                try {
                    if (lost) {
                        if (!replayable) {
                            throw new SessionFailure(
                                    "the back-end lost session " + id + " and its prefix exceeded the replay bound of "
                                            + settings.replayMaxBytes() + " bytes",
                                    last);
                        }
                        recoveries++;
                        String lostId = id;
                        reopen(true);
                        lost = false;
                        LOG.infof(
                                "session %s lost (%s); reopened as %s on %s, %d step(s) replayed",
                                lostId, last.describe(), id, channel.address(), steps.size());
                    }
                    return attempt.get();
                } catch (StatusRuntimeException e) {
                    last = Failure.of(e);
                    boolean sessionGone =
                            last.reason().map(r -> r.sessionLost()).orElse(false)
                                    || (last.code() == Status.Code.UNAVAILABLE && !id.isEmpty());
                    if (!sessionGone && !last.retryable()) {
                        break;
                    }
                    lost = sessionGone;
                    if (i < settings.retries().maxAttempts()) {
                        pauses.after(i, last);
                    }
                }
            }
            throw new SessionFailure("back-end " + channel.address() + " failed: " + last.describe(), last);
        }

        private float[] logits(ArTokenReply r) {
            WireTensors.Values v = WireTensors.decode(r.getLogits(), settings.maxLogits());
            if (!(v.data() instanceof float[] f)) {
                throw new SessionFailure("the back-end sent logits of type " + v.onnxType(), null);
            }
            return f;
        }

        /** Ends the session on the back-end (frees its KV cache); best effort, bounded by the timeout. */
        @Override
        public void close() {
            if (id.isEmpty()) {
                return;
            }
            try {
                stub().close(ArCloseRequest.newBuilder().setSessionId(id).build());
            } catch (StatusRuntimeException e) {
                // the back-end is gone: its TTL frees the cache
            }
        }
    }
}
