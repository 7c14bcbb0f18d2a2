package dev.slicer.edge.ar;

import dev.slicer.edge.backend.BackendChannel;
import dev.slicer.edge.infer.EdgeFailure;
import dev.slicer.edge.infer.LinkCrossing;
import dev.slicer.edge.infer.Shipment;
import dev.slicer.edge.plan.RowChoice;
import dev.slicer.edge.plan.RowSelector;
import dev.slicer.model.ar.KvCache;
import dev.slicer.model.ar.KvDecoder;
import dev.slicer.model.ar.NextToken;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.planner.split.RowKind;
import dev.slicer.protocol.v1.ArOpenRequest;
import dev.slicer.protocol.v1.EdgeReport;
import dev.slicer.protocol.v1.Split;
import dev.slicer.protocol.v1.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Autoregressive generation in the mode a plan row names (DESIGN "AR protocol"):
 *
 * <ul>
 *   <li>local-only: the whole model decodes every token with its KV cache;
 *   <li>offload at (w, l): w - 1 local steps, then the hand-off - the front (layers up to l) over the prefix of
 *       P + w - 1 positions, its layer-l states coded with the row's knobs - opens a back-end session; from then on
 *       the front runs one position with its own KV cache and the back-end the rest with its KV cache;
 *   <li>cloud-only: the back-end runs every layer on the token ids.
 * </ul>
 *
 * When the back-end fails for good, the generation continues locally from the tokens so far (if the memory budget
 * allows the whole model), else fails with the cause.
 */
public final class ArGenerator implements AutoCloseable {
    /** What one generation is asked for. */
    public record Request(long[] prompt, int maxTokens, Sampler sampler, boolean keepLogits) {}

    /** Receives each token as it is generated; returning false stops the generation ({@code stop}). */
    @FunctionalInterface
    public interface TokenSink {
        boolean accept(int token);
    }

    private final String modelUri;
    private final SplittableModel model;
    private final Optional<BackendChannel> backend;
    private final LinkCrossing link;
    private final ArSessionClient sessions;
    private final boolean localFallback;
    private final String deviceClass;
    private final String edgeId;
    private final int maxElements;
    private final Map<Integer, KvDecoder> fronts = new LinkedHashMap<>();
    private KvDecoder whole;

    public ArGenerator(
            String modelUri,
            SplittableModel model,
            Optional<BackendChannel> backend,
            LinkCrossing link,
            ArSessionClient.Settings settings,
            boolean localFallback,
            String edgeId,
            String deviceClass,
            int maxElements) {
        this.modelUri = modelUri;
        this.model = model;
        this.backend = backend;
        this.link = link;
        this.sessions = backend.map(b -> new ArSessionClient(b, link, settings)).orElse(null);
        this.localFallback = localFallback;
        this.edgeId = edgeId;
        this.deviceClass = deviceClass;
        this.maxElements = maxElements;
    }

    public SplittableModel model() {
        return model;
    }

    /** Whether a generation the back-end cannot serve continues on the whole model here. */
    public boolean localFallback() {
        return localFallback;
    }

    /**
     * Runs one generation on the decided row ({@link RowSelector#decide}); {@code cancelled} is polled between tokens.
     * An unavailable row falls back to the whole model here (or fails without a local fallback); a best-effort row
     * runs and says so in the result.
     */
    public Generation generate(
            Request req, RowSelector.Decision decision, String planHash, TokenSink sink, BooleanSupplier cancelled) {
        if (req.prompt().length == 0) {
            throw EdgeFailure.badInput("the prompt is empty");
        }
        State st = new State(req, sink, cancelled, decision.cause());
        RowChoice row = decision.row();
        RowKind kind = row.kind();
        String fallback = null;
        if (kind != RowKind.LOCAL_ONLY && sessions == null) {
            fallback = "no back-end address is configured";
        } else if (kind == RowKind.UNAVAILABLE) {
            fallback = decision.cause();
        }
        if (fallback != null || kind == RowKind.LOCAL_ONLY) {
            return local(st, fallback, -1, 0);
        }
        boolean cloud = kind == RowKind.CLOUD_ONLY;
        int w = cloud ? 1 : Math.max(1, row.row().map(r -> r.w()).orElse(1));
        int localSteps = Math.min(w - 1, req.maxTokens());
        if (localSteps > 0) {
            KvCache cache = new KvCache();
            long[] in = req.prompt();
            for (int t = 0; t < localSteps && !st.done(); t++) {
                float[] logits = NextToken.lastRow(
                        whole().step(List.of(cache), List.of(ids(in))).get(0).get("logits"));
                in = new long[] {st.emit(logits)};
            }
        }
        if (st.done()) {
            return st.result("offload", row.split(), w, st.note);
        }
        try {
            return cloud ? cloud(st, planHash) : offload(st, row, w, planHash);
        } catch (ArSessionClient.SessionFailure e) {
            if (!localFallback) {
                throw new EdgeFailure(
                        e.failure() != null && e.failure().overloaded() ? 429 : 503,
                        e.getMessage() + "; no local fallback (slicer.edge.fallback=fail or the memory budget)");
            }
            return local(st, e.getMessage(), row.split(), w);
        }
    }

    private Generation offload(State st, RowChoice row, int w, String planHash) {
        SplitCandidate c = model.candidate(row.split());
        KvDecoder front = front(row.split());
        KvCache fc = new KvCache();
        long[] prefix = st.prefix();
        HostTensor hidden = front.step(List.of(fc), List.of(ids(prefix))).get(0).get(c.bigTensor());
        checkSize(hidden);
        Tensor handoff = ship(c.bigTensor(), hidden, row, st, false);
        ArOpenRequest open = ArOpenRequest.newBuilder()
                .setModelId(modelUri)
                .setPlanHash(planHash)
                .setSplit(Split.newBuilder().setIndex(row.split()).setName(c.name()))
                .addTensors(handoff)
                .setReport(report())
                .build();
        try (ArSessionClient.Session s = sessions.open(open)) {
            int next = st.emit(s.firstLogits());
            while (!st.done()) {
                HostTensor h =
                        front.step(List.of(fc), List.of(ids(next))).get(0).get(c.bigTensor());
                next = st.emit(s.step(ship(c.bigTensor(), h, row, st, true)));
            }
            st.recoveries += s.recoveries();
        }
        return st.result("offload", row.split(), w, st.note);
    }

    private Generation cloud(State st, String planHash) {
        Shipment first = new Shipment();
        first.raw("input_ids", ids(st.prefix()));
        st.ifBytes += first.sentBytes();
        ArOpenRequest open = ArOpenRequest.newBuilder()
                .setModelId(modelUri)
                .setPlanHash(planHash)
                .setSplit(Split.newBuilder().setIndex(-1))
                .addAllTensors(first.tensors())
                .setReport(report())
                .build();
        try (ArSessionClient.Session s = sessions.open(open)) {
            int next = st.emit(s.firstLogits());
            while (!st.done()) {
                Shipment one = new Shipment();
                one.raw("input_ids", ids(next));
                st.ifBytes += one.sentBytes();
                next = st.emit(s.step(one.tensors().get(0)));
            }
            st.recoveries += s.recoveries();
        }
        return st.result("cloud", -1, 1, st.note);
    }

    /** The whole model from the tokens so far (local-only rows and the fallback). */
    private Generation local(State st, String fallback, int split, int w) {
        if (fallback != null && !localFallback) {
            throw new EdgeFailure(
                    503, fallback + "; no local fallback (slicer.edge.fallback=fail or the memory budget)");
        }
        KvCache cache = new KvCache();
        long[] in = st.prefix();
        while (!st.done()) {
            float[] logits = NextToken.lastRow(
                    whole().step(List.of(cache), List.of(ids(in))).get(0).get("logits"));
            in = new long[] {st.emit(logits)};
        }
        return st.result(
                "local", model.candidates().size(), 0, fallback == null ? null : fallback + " (continued locally)");
    }

    /**
     * The split's states with the row's knobs: the hand-off as a whole frame, one position of the open session as
     * the frame's body (its header is the hand-off's, which the back-end keeps).
     */
    private Tensor ship(String name, HostTensor t, RowChoice row, State st, boolean step) {
        Shipment s = new Shipment();
        if (step) {
            s.frameBody(name, t, row.codec(), row.wire());
        } else {
            s.frame(name, t, row.codec(), row.wire());
        }
        st.ifBytes += s.sentBytes();
        return s.tensors().get(0);
    }

    private void checkSize(HostTensor t) {
        if (t.elementCount() > maxElements) {
            throw EdgeFailure.badInput("the prompt makes a hand-off of " + t.elementCount()
                    + " elements, above the limit of " + maxElements);
        }
    }

    private EdgeReport report() {
        return link.report(edgeId, deviceClass).build();
    }

    private synchronized KvDecoder whole() {
        if (whole == null) {
            whole = KvDecoder.whole(model, o -> {});
        }
        return whole;
    }

    private synchronized KvDecoder front(int split) {
        return fronts.computeIfAbsent(split, i -> KvDecoder.front(model, model.candidate(i), o -> {}));
    }

    static HostTensor ids(long... v) {
        return HostTensor.ofLongs(new long[] {1, v.length}, v);
    }

    /** The tokens so far and the stopping rules of one generation. */
    private static final class State {
        final Request req;
        final TokenSink sink;
        final BooleanSupplier cancelled;
        final long[] tokens;
        final List<float[]> logits = new ArrayList<>();
        int count;
        String finish;
        int recoveries;
        long ifBytes;
        final String note; // why the plan's row for the measured goodput was not followed, or null

        State(Request req, TokenSink sink, BooleanSupplier cancelled, String note) {
            this.req = req;
            this.note = note;
            this.sink = sink;
            this.cancelled = cancelled;
            this.tokens = new long[req.maxTokens()];
            if (req.maxTokens() <= 0) {
                finish = "length";
            }
        }

        /** Samples the next token from {@code row}, hands it to the sink, and returns it. */
        int emit(float[] row) {
            int t = req.sampler().next(row);
            tokens[count++] = t;
            if (req.keepLogits()) {
                logits.add(row);
            }
            if (!sink.accept(t)) {
                finish = "stop";
            } else if (count >= req.maxTokens()) {
                finish = "length";
            }
            return t;
        }

        boolean done() {
            if (finish == null && cancelled.getAsBoolean()) {
                finish = "cancelled";
            }
            return finish != null;
        }

        /** Prompt and generated tokens: the positions the next model run must (re)process. */
        long[] prefix() {
            long[] p = Arrays.copyOf(req.prompt(), req.prompt().length + count);
            System.arraycopy(tokens, 0, p, req.prompt().length, count);
            return p;
        }

        Generation result(String mode, int split, int w, String fallback) {
            return new Generation(
                    Arrays.copyOf(tokens, count),
                    finish,
                    mode,
                    split,
                    w,
                    List.copyOf(logits),
                    recoveries,
                    ifBytes,
                    fallback);
        }
    }

    @Override
    public synchronized void close() {
        fronts.values().forEach(KvDecoder::close);
        fronts.clear();
        if (whole != null) {
            whole.close();
        }
    }
}
