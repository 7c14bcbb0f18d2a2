package dev.slicer.planner.cost;

import dev.slicer.codec.TensorShape;
import dev.slicer.planner.InvalidPlanInputException;
import dev.slicer.planner.model.SplitCandidate;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.search.KnobGrid;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.ArBudget;

/**
 * The link-independent part of the cost model, computed once per profile (and AR shape) and shared by every device
 * class and bucket: per candidate l and knob setting t the frame bound {@code B_UB} (coded tensor plus lossless side
 * tensors), the encode time {@code zeta} on the profiling device and the fidelity (measured, else {@link
 * FidelityPrior}). For AR it also holds the hand-off frame for every step w (the layer-l states of {@code prompt +
 * w - 1} positions); these series are replaced by their running maximum over w, which keeps them upper bounds and
 * makes them monotone, so the latest feasible w can be found by bisection. A setting the codec cannot encode at a
 * candidate (an ECSQ byte budget below its smallest frame) has fidelity {@link #UNUSABLE} there.
 */
public final class CostTable {
    private final SplitProfile profile;
    private final KnobGrid grid;
    private final int candidates;
    private final int settings;
    private final long[] frameBytes;
    private final double[] zeta;
    private final double[] fidelity;
    private final boolean measured;
    private final ArBudget arShape;
    private final long[] handoffBytes;
    private final double[] handoffZeta;
    private final long[] tokenBytes;
    private final double[] tokenZeta;

    private CostTable(SplitProfile profile, KnobGrid grid, FrameSizeModel size, CodecTimeModel time, ArBudget ar) {
        this.profile = profile;
        this.grid = grid;
        this.candidates = profile.candidates().size();
        this.settings = grid.size();
        this.measured = profile.distortion() != null;
        this.arShape = ar;
        int cells = candidates * settings;
        frameBytes = new long[cells];
        zeta = new double[cells];
        fidelity = new double[cells];
        for (SplitCandidate c : profile.candidates()) {
            TensorShape shape = TensorShape.of(
                    c.codedShape().stream().mapToInt(Integer::intValue).toArray());
            for (int t = 0; t < settings; t++) {
                Theta theta = grid.get(t);
                int cell = c.index() * settings + t;
                boolean usable = ar == null ? size.encodable(shape, theta) : arEncodable(size, ar, c, theta);
                frameBytes[cell] = checkedBytes(size.maxFrameBytes(shape, theta), usable, theta, c) + c.sideBytes();
                if (usable && measured && profile.distortion().exclusion(theta, c.index()) != null) {
                    usable = false; // calibration could not encode this cell: never planned
                }
                zeta[cell] = usable
                        ? checkedSeconds(time.encodeSeconds(c.index(), c.codedElements(), theta), theta, c)
                        : Double.POSITIVE_INFINITY;
                fidelity[cell] = usable ? fidelityOf(profile, theta, c.index()) : UNUSABLE;
            }
        }
        if (ar == null) {
            handoffBytes = null;
            handoffZeta = null;
            tokenBytes = null;
            tokenZeta = null;
        } else {
            tokenBytes = new long[cells];
            tokenZeta = new double[cells];
            int steps = ar.tokens();
            handoffBytes = new long[cells * steps];
            handoffZeta = new double[cells * steps];
            for (SplitCandidate c : profile.candidates()) {
                int hidden = c.hiddenSize();
                for (int t = 0; t < settings; t++) {
                    Theta theta = grid.get(t);
                    int cell = c.index() * settings + t;
                    // never chosen where unusable: the time model may have no entry for a setting no frame can use
                    boolean usable = fidelity[cell] != UNUSABLE;
                    TensorShape one = TensorShape.of(1, hidden);
                    tokenBytes[cell] = checkedBytes(size.maxTokenBytes(one, theta), usable, theta, c)
                            + ceilDiv(c.sideBytes(), Math.max(1, c.sampleRows()));
                    tokenZeta[cell] = usable
                            ? checkedSeconds(time.encodeSeconds(c.index(), hidden, theta), theta, c)
                            : Double.POSITIVE_INFINITY;
                    int base = cell * steps;
                    long maxBytes = 0;
                    double maxZeta = 0;
                    for (int w = 1; w <= steps; w++) {
                        long rows = (long) ar.promptTokens() + w - 1;
                        InvalidPlanInputException.require(
                                rows * hidden <= Integer.MAX_VALUE - 8,
                                "AR hand-off tensor too large at candidate " + c.name());
                        TensorShape shape = TensorShape.of((int) rows, hidden);
                        long side = ceilDiv(c.sideBytes() * rows, Math.max(1, c.sampleRows()));
                        long bytes = checkedBytes(size.maxFrameBytes(shape, theta), usable, theta, c) + side;
                        double z = usable
                                ? checkedSeconds(time.encodeSeconds(c.index(), rows * hidden, theta), theta, c)
                                : Double.POSITIVE_INFINITY;
                        maxBytes = Math.max(maxBytes, bytes);
                        maxZeta = Math.max(maxZeta, z);
                        handoffBytes[base + w - 1] = maxBytes;
                        handoffZeta[base + w - 1] = maxZeta;
                    }
                }
            }
        }
    }

    /**
     * The fidelity of a cell the codec cannot encode (an ECSQ byte budget below the smallest frame of its tensor, or
     * a cell the calibration excluded): below every floor, so no selector ever picks it.
     */
    public static final double UNUSABLE = Double.NEGATIVE_INFINITY;

    /**
     * AR frames of a setting at a candidate: the smallest hand-off ({@code prompt} positions; larger ones only hold
     * more) and one token's frame. Both must encode, else the setting is unusable there.
     */
    private static boolean arEncodable(FrameSizeModel size, ArBudget ar, SplitCandidate c, Theta theta) {
        int hidden = c.hiddenSize();
        return size.encodable(TensorShape.of(Math.max(1, ar.promptTokens()), hidden), theta)
                && size.encodable(TensorShape.of(1, hidden), theta);
    }

    /** Single-shot costs. */
    public static CostTable build(SplitProfile profile, FrameSizeModel size) {
        return build(profile, size, null);
    }

    /** Costs with the profile's grid (standard when empty) and encode-time model; {@code ar} may be null. */
    public static CostTable build(SplitProfile profile, FrameSizeModel size, ArBudget ar) {
        KnobGrid grid = profile.settings().isEmpty() ? KnobGrid.standard() : KnobGrid.of(profile.settings());
        return build(profile, grid, size, profile.encodeTime(), ar);
    }

    public static CostTable build(
            SplitProfile profile, KnobGrid grid, FrameSizeModel size, CodecTimeModel time, ArBudget ar) {
        InvalidPlanInputException.require(
                profile != null && grid != null && size != null && time != null,
                "profile, grid, size model and time model are required");
        return new CostTable(profile, grid, size, time, ar);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** A usable cell's bound must be positive (a frame has a header); an unusable one's may be 0 (a tiny budget). */
    private static long checkedBytes(long bytes, boolean usable, Theta theta, SplitCandidate c) {
        InvalidPlanInputException.require(
                bytes > 0 || (!usable && bytes == 0),
                "frame bound for " + theta.id() + " at " + c.name() + " must be > 0, got " + bytes);
        return bytes;
    }

    private static double checkedSeconds(double s, Theta theta, SplitCandidate c) {
        return InvalidPlanInputException.nonNegative(s, "encode time for " + theta.id() + " at " + c.name());
    }

    private static double fidelityOf(SplitProfile profile, Theta theta, int candidate) {
        if (profile.distortion() == null) {
            return FidelityPrior.of(theta);
        }
        if (theta.mode() == dev.slicer.codec.CodecMode.LOSSLESS) {
            return 1.0;
        }
        double v = profile.distortion().lookup(theta, candidate);
        InvalidPlanInputException.require(
                !Double.isNaN(v), "the distortion table has no value for " + theta.id() + " at candidate " + candidate);
        return v;
    }

    public SplitProfile profile() {
        return profile;
    }

    public KnobGrid grid() {
        return grid;
    }

    public int candidates() {
        return candidates;
    }

    public int settings() {
        return settings;
    }

    /** Whether fidelities come from a measured distortion table (else from {@link FidelityPrior}). */
    public boolean measuredFidelity() {
        return measured;
    }

    /** The AR shape the hand-off series were built for, or null. */
    public ArBudget arShape() {
        return arShape;
    }

    /** {@code B_UB} plus side tensors, bytes, single-shot frame. */
    public long frameBytes(int candidate, int setting) {
        return frameBytes[candidate * settings + setting];
    }

    /** Encode seconds on the profiling device, single-shot frame. */
    public double zeta(int candidate, int setting) {
        return zeta[candidate * settings + setting];
    }

    /** Measured (or prior) fidelity; {@link #UNUSABLE} where the codec cannot encode the cell's frames. */
    public double fidelity(int candidate, int setting) {
        return fidelity[candidate * settings + setting];
    }

    /** Hand-off frame bytes at step w (1-based), running maximum over steps. */
    public long handoffBytes(int candidate, int setting, int w) {
        return handoffBytes[(candidate * settings + setting) * arShape.tokens() + w - 1];
    }

    /** One token's frame after the hand-off (one position of the layer-l state plus its share of side tensors). */
    public long tokenBytes(int candidate, int setting) {
        return tokenBytes[candidate * settings + setting];
    }

    /** Encode seconds of one token's frame on the profiling device. */
    public double tokenZeta(int candidate, int setting) {
        return tokenZeta[candidate * settings + setting];
    }

    /** Hand-off encode seconds at step w (1-based), running maximum over steps. */
    public double handoffZeta(int candidate, int setting, int w) {
        return handoffZeta[(candidate * settings + setting) * arShape.tokens() + w - 1];
    }
}
