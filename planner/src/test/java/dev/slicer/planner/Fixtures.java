package dev.slicer.planner;

import dev.slicer.codec.CodecMode;
import dev.slicer.codec.TensorShape;
import dev.slicer.planner.cost.FrameSizeModel;
import dev.slicer.planner.cost.LinearCodecTimeModel;
import dev.slicer.planner.link.LinkSpec;
import dev.slicer.planner.model.DistortionTable;
import dev.slicer.planner.model.SplitCandidate;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.plan.DeviceClass;
import dev.slicer.planner.search.KnobGrid;
import dev.slicer.planner.search.Theta;
import dev.slicer.planner.split.ArBudget;
import dev.slicer.planner.split.Budgets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Seeded synthetic profiles, budgets and a simple monotone frame-size bound for property tests. */
public final class Fixtures {
    private Fixtures() {}

    /** A small grid covering every family, several levels and rANS on/off. */
    public static KnobGrid smallGrid() {
        List<Theta> g = new ArrayList<>();
        g.add(Theta.lossless());
        for (boolean rans : new boolean[] {false, true}) {
            for (double s : new double[] {0.5, 0.875}) {
                for (int m : new int[] {1, 4}) {
                    g.add(Theta.topK(s, m, m, 0, 8, 0.02, rans));
                }
            }
            for (int q : new int[] {8, 4}) {
                g.add(Theta.tsTabq(0.01, q, 0.02, rans));
            }
        }
        for (double bits : new double[] {4, 1}) {
            g.add(Theta.ecsq(bits, true));
        }
        return KnobGrid.of(g);
    }

    /** The stand-in's smallest ECSQ frame: budgets below it are unusable (small tensors at few bits). */
    public static final long ECSQ_MIN_FRAME = 40;

    /**
     * A simple, monotone-in-elements stand-in for the codec's B_UB; ECSQ budgets are exact, and a budget below
     * {@link #ECSQ_MIN_FRAME} cannot be encoded.
     */
    public static final FrameSizeModel SIZE = new FrameSizeModel() {
        @Override
        public long maxFrameBytes(TensorShape shape, Theta theta) {
            return bound(shape, theta);
        }

        @Override
        public long minFrameBytes(TensorShape shape, Theta theta) {
            return theta.mode() == CodecMode.ECSQ ? ECSQ_MIN_FRAME : 0;
        }
    };

    public static long bound(TensorShape shape, Theta t) {
        long n = shape.elementCount();
        long rows = shape.rows();
        long bits =
                switch (t.mode()) {
                    case LOSSLESS -> 32 * n;
                    case TOPK -> {
                        long kept = (long) Math.floor((1 - t.sparsity()) * n);
                        long idxBits = 64 - Long.numberOfLeadingZeros(n);
                        yield kept * t.qbit() + Math.min(n, kept * idxBits) + 64L * (t.blocksPos() + t.blocksNeg());
                    }
                    case TS_TABQ -> {
                        long outliers = (long) Math.ceil(t.outlierFraction() * n);
                        yield n * t.qbit() + outliers * 48 + rows * 64;
                    }
                    case ECSQ -> 8 * t.toCodecSettings().budgetBytes(n);
                };
        return t.mode() == CodecMode.ECSQ ? bits / 8 : 32 + (bits + 7) / 8 + (t.entropy() ? 16 : 0);
    }

    public static LinearCodecTimeModel timeModel(Random r) {
        Map<String, LinearCodecTimeModel.Coefficients> e = new TreeMap<>();
        for (CodecMode m : CodecMode.values()) {
            for (boolean rans : new boolean[] {false, true}) {
                e.put(
                        m.name() + (rans ? "/rans" : ""),
                        new LinearCodecTimeModel.Coefficients(
                                1e-5 + r.nextDouble() * 5e-4, 1e-9 + r.nextDouble() * 2e-8));
            }
        }
        return new LinearCodecTimeModel("synthetic", e);
    }

    static double logUniform(Random r, double lo, double hi) {
        return lo * Math.pow(hi / lo, r.nextDouble());
    }

    /** A random profile with 1..maxCandidates candidates, measured or prior fidelity. */
    public static SplitProfile profile(Random r, int maxCandidates, KnobGrid grid) {
        int n = 1 + r.nextInt(maxCandidates);
        boolean decoder = r.nextBoolean();
        int hidden = 8 + r.nextInt(256);
        // decoders hold a KV cache: per position and layer, growing with depth
        long kvPerLayer = decoder && r.nextBoolean() ? (long) logUniform(r, 1e2, 1e6) : 0;
        List<SplitCandidate> cs = new ArrayList<>();
        long mem = 0;
        double front = 0;
        for (int i = 0; i < n; i++) {
            mem += (long) logUniform(r, 1e5, 5e7);
            front += logUniform(r, 1e-4, 2e-2);
            List<Integer> shape = decoder
                    ? List.of(1, 1 + r.nextInt(32), hidden)
                    : List.of(1, 1 + r.nextInt(64), 1 + r.nextInt(16), 1 + r.nextInt(16));
            long elements = shape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
            cs.add(new SplitCandidate(
                    i,
                    "layer." + i,
                    mem,
                    front,
                    mem / 4,
                    front * 0.7,
                    shape,
                    elements * 4,
                    r.nextInt(2000),
                    kvPerLayer * (i + 1)));
        }
        long fullMem = mem + (long) logUniform(r, 1e5, 5e7);
        double fullSec = front + logUniform(r, 1e-4, 2e-2);
        DistortionTable distortion = r.nextBoolean() ? null : distortion(r, n, grid);
        return new SplitProfile(
                "synthetic-" + n,
                (long) logUniform(r, 1e3, 2e6),
                fullMem,
                fullSec,
                fullMem / 4,
                fullSec * 0.7,
                cs,
                grid.thetas(),
                distortion,
                timeModel(r),
                List.of(),
                kvPerLayer * (n + 1));
    }

    /** Random fidelities; some ECSQ cells excluded with a reason, as calibration does for budgets too small. */
    static DistortionTable distortion(Random r, int n, KnobGrid grid) {
        Map<String, List<Double>> f = new LinkedHashMap<>();
        Map<String, Map<Integer, String>> excluded = new TreeMap<>();
        for (Theta t : grid.thetas()) {
            if (t.mode() == CodecMode.LOSSLESS || f.containsKey(t.fidelityKey())) {
                continue;
            }
            List<Double> vs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (t.mode() == CodecMode.ECSQ && r.nextInt(5) == 0) {
                    vs.add(null);
                    excluded.computeIfAbsent(t.fidelityKey(), k -> new TreeMap<>())
                            .put(i, "byte budget below the smallest frame");
                } else {
                    vs.add(0.5 + 0.5 * r.nextDouble());
                }
            }
            f.put(t.fidelityKey(), vs);
        }
        return new DistortionTable("output-cosine-mean", 4, f, excluded);
    }

    public static Budgets budgets(Random r, boolean ar) {
        double d = logUniform(r, 1e-3, 2.0);
        long m = (long) logUniform(r, 1e6, 2e9);
        double q = r.nextBoolean() ? 0 : r.nextDouble() * d * 0.5;
        double minFid = r.nextInt(4) == 0 ? r.nextDouble() * 0.9 : 0;
        ArBudget arb = ar
                ? new ArBudget(1 + r.nextInt(12), 1 + r.nextInt(16), Math.max(1, (long) logUniform(r, 1e3, m / 2.0)))
                : null;
        return new Budgets(d, m, q, minFid, arb);
    }

    public static LinkSpec link(Random r) {
        if (r.nextBoolean()) {
            return LinkSpec.defaultGoodput();
        }
        double w = logUniform(r, 1e5, 1e8);
        return LinkSpec.outage(w, -5, 30, 16, r.nextBoolean() ? 1e-3 : 1e-2);
    }

    public static DeviceClass deviceClass(Random r, boolean ar) {
        return new DeviceClass("class", budgets(r, ar), link(r), logUniform(r, 0.25, 4));
    }
}
