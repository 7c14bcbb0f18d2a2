package dev.slicer.planner;

import dev.slicer.codec.CodecMode;
import dev.slicer.codec.TensorShape;
import dev.slicer.planner.cost.FidelityPrior;
import dev.slicer.planner.cost.FrameSizeModel;
import dev.slicer.planner.link.LinkAxis;
import dev.slicer.planner.model.SplitCandidate;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.plan.DeviceClass;
import dev.slicer.planner.plan.PlanRow;
import dev.slicer.planner.search.Objective;
import dev.slicer.planner.search.SlicerSearch;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.ArBudget;
import dev.slicer.planner.split.Budgets;
import dev.slicer.planner.split.RowKind;
import java.util.ArrayList;
import java.util.List;

/**
 * An independent, deliberately naive re-implementation of the constraints (eqs. 1-6, SLICER-Search's memory and
 * buffer caps) used to re-check every plan row: it recomputes frame bounds straight from the size model, the
 * outage count straight from the formula, and brute-forces every deeper option to confirm none is feasible.
 */
public final class ConstraintEvaluator {
    private static final double LENIENT = 1 + 1e-9;
    private static final double STRICT = 1 - 1e-9;

    private final SplitProfile p;
    private final List<Theta> grid;
    private final FrameSizeModel size;
    private final DeviceClass dc;
    private final Budgets b;

    public ConstraintEvaluator(SplitProfile p, List<Theta> grid, FrameSizeModel size, DeviceClass dc) {
        this.p = p;
        this.grid = grid;
        this.size = size;
        this.dc = dc;
        this.b = dc.budgets();
    }

    /** Naive eq. 1 count of transmissions at rate R (0 = cannot deliver). */
    long transmissions(PlanRow row) {
        double r = row.rateBitsPerSecond();
        if (dc.link().axis() == LinkAxis.GOODPUT_BITS_PER_SECOND) {
            return r > 0 ? 1 : 0;
        }
        double gamma = Math.pow(10, row.lower() / 10);
        // 2^(R/W) - 1 and 1 - e^-x via expm1: a literal pow/exp loses everything at very low rates or SNRs
        double po = -Math.expm1(-Math.expm1(r / dc.link().bandwidthHz() * Math.log(2)) / gamma);
        if (r <= 0 || po >= 1) {
            return 0;
        }
        return Math.max(1, (long) Math.ceil(Math.log(dc.link().epsilon()) / Math.log(po)));
    }

    /**
     * The fidelity the plan may rely on; -infinity where the setting cannot be encoded at this candidate (a frame it
     * needs is below the size model's smallest frame: the coded tensor single-shot; for AR the smallest hand-off and
     * one token) or the table excludes the cell.
     */
    double fidelity(int l, Theta t) {
        SplitCandidate c = p.candidates().get(l);
        List<TensorShape> frames = b.ar() == null
                ? List.of(
                        TensorShape.of(c.codedShape().stream().mapToInt(i -> i).toArray()))
                : List.of(
                        TensorShape.of(Math.max(1, b.ar().promptTokens()), c.hiddenSize()),
                        TensorShape.of(1, c.hiddenSize()));
        for (TensorShape s : frames) {
            if (size.maxFrameBytes(s, t) < size.minFrameBytes(s, t)) {
                return Double.NEGATIVE_INFINITY;
            }
        }
        if (p.distortion() != null && p.distortion().exclusion(t, l) != null) {
            return Double.NEGATIVE_INFINITY;
        }
        return measuredOrPrior(l, t);
    }

    private double measuredOrPrior(int l, Theta t) {
        if (p.distortion() == null) {
            return FidelityPrior.of(t);
        }
        if (t.mode() == CodecMode.LOSSLESS) {
            return 1;
        }
        List<Double> own = p.distortion().fidelity().get(t.id());
        return (own != null
                        ? own
                        : p.distortion().fidelity().get(t.withEntropy(false).id()))
                .get(l);
    }

    long singleFrame(SplitCandidate c, Theta t) {
        int[] dims = c.codedShape().stream().mapToInt(i -> i).toArray();
        return size.maxFrameBytes(TensorShape.of(dims), t) + c.sideBytes();
    }

    long handoffFrame(SplitCandidate c, Theta t, int w) {
        long rows = b.ar().promptTokens() + w - 1L;
        long side = (c.sideBytes() * rows + c.sampleRows() - 1) / c.sampleRows();
        return size.maxFrameBytes(TensorShape.of((int) rows, c.hiddenSize()), t) + side;
    }

    double zeta(SplitCandidate c, long elements, Theta t) {
        return p.encodeTime().encodeSeconds(c.index(), elements, t) * dc.computeScale();
    }

    /** Latency of a single-shot split, or NaN when a hard constraint other than latency fails. */
    double singleLatency(int l, Theta t, double rate, long n) {
        SplitCandidate c = p.candidates().get(l);
        long frame = singleFrame(c, t);
        if (c.memoryBytes() + c.codedBytes() + frame > b.memoryBytes() || fidelity(l, t) < b.minFidelity() || n == 0) {
            return Double.NaN;
        }
        return c.frontSeconds() * dc.computeScale() + frame * 8.0 * n / rate + zeta(c, c.codedElements(), t);
    }

    /**
     * The slowest offloading token of an AR split (the hand-off, and one-token frames after it), or NaN when a hard
     * constraint fails: memory before (int8 net + KV of P + w - 1 positions + M_ar) and after the hand-off (int8
     * front + its KV of P + T positions + M_ar), the hand-off within M_ar, the floor, local steps within D.
     */
    double arLatency(int l, int w, Theta t, double rate, long n) {
        ArBudget ar = b.ar();
        SplitCandidate c = p.candidates().get(l);
        long frame = handoffFrame(c, t, w);
        long positions = ar.promptTokens() + (long) ar.tokens();
        boolean after =
                c.compressedMemoryBytes() + c.kvBytesPerPosition() * positions + ar.arMemoryBytes() <= b.memoryBytes();
        boolean before = w < 2
                || (p.compressedFullMemoryBytes()
                                        + p.kvBytesPerPosition() * (ar.promptTokens() + w - 1L)
                                        + ar.arMemoryBytes()
                                <= b.memoryBytes()
                        && step() <= b.latencySeconds());
        if (frame > ar.arMemoryBytes() || !after || !before || fidelity(l, t) < b.minFidelity() || n == 0) {
            return Double.NaN;
        }
        long rows = ar.promptTokens() + w - 1L;
        double front = c.compressedFrontSeconds() * dc.computeScale();
        double handOff = front + frame * 8.0 * n / rate + zeta(c, rows * c.hiddenSize(), t);
        if (w == ar.tokens()) {
            return handOff;
        }
        long token = size.maxFrameBytes(TensorShape.of(1, c.hiddenSize()), t)
                + (c.sideBytes() + c.sampleRows() - 1) / c.sampleRows();
        return Math.max(handOff, front + token * 8.0 * n / rate + zeta(c, c.hiddenSize(), t));
    }

    double step() {
        return p.compressedFullSeconds() * dc.computeScale();
    }

    /** Edge seconds per request of an AR (w, l) plan. */
    double edgeWork(int w, int l) {
        return (w - 1) * p.compressedFullSeconds()
                + (b.ar().tokens() - w + 1.0) * p.candidates().get(l).compressedFrontSeconds();
    }

    boolean localFitsMemory() {
        if (b.ar() == null) {
            return p.fullMemoryBytes() <= b.memoryBytes();
        }
        ArBudget ar = b.ar();
        return p.compressedFullMemoryBytes()
                        + p.kvBytesPerPosition() * (ar.promptTokens() + (long) ar.tokens())
                        + ar.arMemoryBytes()
                <= b.memoryBytes();
    }

    /** Local latency: the whole request single-shot, one token (per-token D) for AR. */
    double localSeconds() {
        return b.ar() == null ? p.fullSeconds() * dc.computeScale() : step();
    }

    boolean localFeasible(double factor) {
        return localFitsMemory() && localSeconds() <= b.latencySeconds() * factor;
    }

    boolean fits(double latency, double factor) {
        return !Double.isNaN(latency) && latency <= b.offloadLatencySeconds() * factor;
    }

    /** All violations of a row; empty when the row is valid and no deeper option is feasible. */
    public List<String> check(PlanRow row) {
        List<String> bad = new ArrayList<>();
        long n = transmissions(row);
        if (n != 0 && row.transmissions() != n) {
            bad.add("transmissions " + row.transmissions() + " != eq.1 count " + n);
        }
        double rate = row.rateBitsPerSecond();
        int cands = p.candidates().size();
        boolean fitsLocally = localFitsMemory();
        double localSeconds = localSeconds();
        double cloud = n == 0 ? Double.POSITIVE_INFINITY : p.inputBytes() * 8.0 * n / rate;
        boolean fallback = row.kind() != RowKind.SPLIT && !localFeasible(STRICT);
        if (row.predictedLatencySeconds() == null || !Double.isFinite(row.predictedLatencySeconds())) {
            bad.add("latency is not finite: " + row.predictedLatencySeconds());
        }
        if (row.reason() == null || row.reason().isBlank()) {
            bad.add("row has no reason");
        }
        switch (row.kind()) {
            case LOCAL_ONLY -> {
                if (row.split() != cands) {
                    bad.add("local-only row with split " + row.split());
                }
                boolean fallbackOk = fitsLocally
                        && (n == 0 || (cloud > b.offloadLatencySeconds() * STRICT && localSeconds <= cloud * LENIENT));
                if (!localFeasible(LENIENT) && !fallbackOk) {
                    bad.add("local-only row is neither feasible nor the right fallback");
                }
            }
            case SPLIT -> {
                Theta t = row.theta();
                double lat = b.ar() == null
                        ? singleLatency(row.split(), t, rate, n)
                        : arLatency(row.split(), row.w(), t, rate, n);
                if (!fits(lat, LENIENT)) {
                    bad.add("split row violates a constraint: latency " + lat + " vs " + b.offloadLatencySeconds());
                    return bad;
                }
                if (b.ar() != null && row.w() >= 2) {
                    lat = Math.max(lat, step());
                }
                if (Math.abs(lat - row.predictedLatencySeconds()) > 1e-9 * Math.max(1, lat)) {
                    bad.add("predicted latency " + row.predictedLatencySeconds() + " != " + lat);
                }
                if (localFeasible(STRICT)) {
                    bad.add("local-only was feasible");
                }
                if (b.objective() == Objective.BYTES) {
                    checkFewestBytes(row, rate, n, bad);
                } else {
                    checkKnobOrder(row, rate, n, bad);
                }
            }
            case CLOUD_ONLY -> {
                if (row.split() != -1) {
                    bad.add("cloud-only row with split " + row.split());
                }
                if (n == 0) {
                    bad.add("cloud-only row on a link that cannot deliver");
                }
                if (fallback
                        && cloud > b.offloadLatencySeconds() * LENIENT
                        && fitsLocally
                        && localSeconds < cloud * STRICT) {
                    bad.add("cloud-only misses D although local-only fits M and is faster");
                }
                if (localFeasible(STRICT)) {
                    bad.add("local-only was feasible");
                }
            }
            case UNAVAILABLE -> {
                if (n != 0 || fitsLocally) {
                    bad.add("unavailable row although the link delivers or the model fits M");
                }
                if (row.predictedLatencySeconds() == null || row.predictedLatencySeconds() != b.latencySeconds()) {
                    bad.add("unavailable row must report D as its latency");
                }
            }
        }
        if (fallback && row.predictedFidelity() < 1) {
            bad.add("fallback row below fidelity 1");
        }
        if (row.kind() != RowKind.LOCAL_ONLY || !localFeasible(STRICT)) {
            deeperInfeasible(row, rate, n, bad);
        }
        return bad;
    }

    private void deeperInfeasible(PlanRow row, double rate, long n, List<String> bad) {
        int cands = p.candidates().size();
        if (b.ar() == null) {
            int from = row.kind() == RowKind.SPLIT ? row.split() + 1 : 0;
            for (int l = from; l < cands; l++) {
                for (Theta t : grid) {
                    if (fits(singleLatency(l, t, rate, n), STRICT)) {
                        bad.add("deeper split " + l + " " + t.id() + " was feasible");
                        return;
                    }
                }
            }
            return;
        }
        double work = row.kind() == RowKind.SPLIT ? edgeWork(row.w(), row.split()) : Double.NEGATIVE_INFINITY;
        for (int w = 1; w <= b.ar().tokens(); w++) {
            for (int l = 0; l < cands; l++) {
                if (edgeWork(w, l) <= work * LENIENT) {
                    continue;
                }
                for (Theta t : grid) {
                    if (fits(arLatency(l, w, t, rate, n), STRICT)) {
                        bad.add("(w, l) = (" + w + ", " + l + ") " + t.id() + " was feasible with more edge work");
                        return;
                    }
                }
            }
        }
    }

    /**
     * Paper order with measured harm: levels of the chosen family are ranked by the best fidelity of their settings
     * at this candidate (ties: the paper's order); no feasible setting at a better-ranked level, best fidelity within
     * the chosen level.
     */
    private void checkKnobOrder(PlanRow row, double rate, long n, List<String> bad) {
        Theta chosen = row.theta();
        int l = row.split();
        for (Theta t : grid) {
            if (t.mode() != chosen.mode()) {
                continue;
            }
            double lat = b.ar() == null ? singleLatency(l, t, rate, n) : arLatency(l, row.w(), t, rate, n);
            if (!fits(lat, STRICT)) {
                continue;
            }
            int rank = compareLevels(l, t, chosen);
            if (rank < 0) {
                bad.add("better-ranked level " + t.id() + " was feasible (chosen " + chosen.id() + ")");
            } else if (rank == 0 && level(t) == level(chosen) && fidelity(l, t) > fidelity(l, chosen)) {
                bad.add("same-level " + t.id() + " had better fidelity than " + chosen.id());
            }
        }
    }

    /** Objective BYTES: no setting of any family that meets every constraint at this split sends fewer bytes. */
    private void checkFewestBytes(PlanRow row, double rate, long n, List<String> bad) {
        Theta chosen = row.theta();
        int l = row.split();
        SplitCandidate c = p.candidates().get(l);
        long chosenBytes = b.ar() == null ? singleFrame(c, chosen) : handoffFrame(c, chosen, row.w());
        for (Theta t : grid) {
            double lat = b.ar() == null ? singleLatency(l, t, rate, n) : arLatency(l, row.w(), t, rate, n);
            long bytes = b.ar() == null ? singleFrame(c, t) : handoffFrame(c, t, row.w());
            if (fits(lat, STRICT) && bytes < chosenBytes) {
                bad.add(t.id() + " was feasible with " + bytes + " bytes (chosen " + chosen.id() + ", " + chosenBytes
                        + " bytes)");
                return;
            }
        }
    }

    /** Negative when t's level ranks before the chosen one's: higher best fidelity, or equal and paper-earlier. */
    private int compareLevels(int l, Theta t, Theta chosen) {
        if (level(t) == level(chosen)) {
            return 0;
        }
        int byFidelity =
                Double.compare(SlicerSearch.resolved(levelBest(l, chosen)), SlicerSearch.resolved(levelBest(l, t)));
        return byFidelity != 0 ? byFidelity : Double.compare(level(t), level(chosen));
    }

    private double levelBest(int l, Theta of) {
        double best = Double.NEGATIVE_INFINITY;
        for (Theta t : grid) {
            if (t.mode() == of.mode() && level(t) == level(of)) {
                best = Math.max(best, fidelity(l, t));
            }
        }
        return best;
    }

    private static double level(Theta t) {
        return switch (t.mode()) {
            case LOSSLESS -> 0;
            case TOPK -> t.sparsity();
            case TS_TABQ -> -t.qbit();
            case ECSQ -> -t.bitsPerElement();
        };
    }
}
