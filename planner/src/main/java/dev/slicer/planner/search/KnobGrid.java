package dev.slicer.planner.search;

import dev.slicer.codec.CodecMode;
import dev.slicer.planner.InvalidPlanInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The knob settings SLICER-Search may choose from, grouped the way the paper searches them.
 *
 * <p>A <em>family</em> is a codec mode (LOSSLESS, ECSQ, TOPK, TS_TABQ). Inside a family the settings fall into
 * <em>levels</em> ordered from least to most harmful to accuracy: TOPK by sparsity s ascending (step 2 of the
 * paper: raise s only if needed), TS_TABQ by bit cap qbit descending, ECSQ by byte budget descending, LOSSLESS
 * has one level. Inside a level the
 * remaining knobs (M+/M-, lambda, rANS on/off, delta, outlier fraction) are the "tune M+/M-" step: all are
 * tried and the feasible one with the best measured fidelity wins.
 */
public final class KnobGrid {

    private static final double[] STANDARD_SPARSITY = {0.25, 0.5, 0.75, 0.875, 0.9375};
    private static final int[][] STANDARD_BLOCKS = {{1, 1}, {2, 2}, {4, 4}, {8, 8}};
    private static final double[] STANDARD_LAMBDA = {0, 0.1};
    private static final int[] STANDARD_TABQ_BITS = {8, 6, 4, 3};
    private static final int STANDARD_QBIT = 8;
    private static final double STANDARD_DELTA = 0.02;
    private static final double STANDARD_OUTLIERS = 0.01;
    /**
     * ECSQ byte budgets, bits per element (each frame also gets the codec's 96-byte allowance): from near-lossless
     * fidelity (12 bits, 2.7x smaller than fp32 on large tensors) down to 32x compression.
     */
    private static final double[] STANDARD_ECSQ_BITS = {12, 6, 4, 3, 2, 1.5, 1};

    private final List<Theta> thetas;
    private final int[][][] families;

    private KnobGrid(List<Theta> thetas) {
        InvalidPlanInputException.require(thetas != null && !thetas.isEmpty(), "the knob grid is empty");
        Set<String> ids = new HashSet<>();
        for (Theta t : thetas) {
            InvalidPlanInputException.require(t != null, "null knob setting in the grid");
            InvalidPlanInputException.require(ids.add(t.id()), "duplicate knob setting " + t.id());
        }
        this.thetas = List.copyOf(thetas);
        this.families = group(this.thetas);
    }

    public static KnobGrid of(List<Theta> thetas) {
        return new KnobGrid(thetas);
    }

    /**
     * The default grid: lossless; TOPK with s in {0.25, 0.5, 0.75, 0.875, 0.9375}, M+/M- in {1/1, 2/2, 4/4, 8/8},
     * lambda in {0, 0.1}, qbit 8, delta 0.02; TS/TAB-Q with 1% outliers and qbit in {8, 6, 4, 3}; each with rANS
     * off and on; ECSQ with channel prediction at exact byte budgets of {12, 6, 4, 3, 2, 1.5, 1} bits per element
     * (96 settings). ECSQ frames are exactly the budget, so the planned bytes are the sent bytes; a budget below the
     * smallest frame of a tensor is never planned for it (see {@code CostTable#UNUSABLE}).
     */
    public static KnobGrid standard() {
        List<Theta> out = new ArrayList<>();
        out.add(Theta.lossless());
        for (boolean rans : new boolean[] {false, true}) {
            for (double s : STANDARD_SPARSITY) {
                for (int[] m : STANDARD_BLOCKS) {
                    for (double lambda : STANDARD_LAMBDA) {
                        out.add(Theta.topK(s, m[0], m[1], lambda, STANDARD_QBIT, STANDARD_DELTA, rans));
                    }
                }
            }
            for (int q : STANDARD_TABQ_BITS) {
                out.add(Theta.tsTabq(STANDARD_OUTLIERS, q, STANDARD_DELTA, rans));
            }
        }
        for (double bits : STANDARD_ECSQ_BITS) {
            out.add(Theta.ecsq(bits, true));
        }
        return new KnobGrid(out);
    }

    public List<Theta> thetas() {
        return thetas;
    }

    public int size() {
        return thetas.size();
    }

    public Theta get(int i) {
        return thetas.get(i);
    }

    /** {@code families()[f][level]} = indices into {@link #thetas()}, families and levels in search order. */
    int[][][] families() {
        return families;
    }

    private static int[][][] group(List<Theta> thetas) {
        Map<CodecMode, TreeMap<Double, List<Integer>>> byFamily = new LinkedHashMap<>();
        for (CodecMode m : List.of(CodecMode.LOSSLESS, CodecMode.ECSQ, CodecMode.TOPK, CodecMode.TS_TABQ)) {
            byFamily.put(m, new TreeMap<>(Comparator.naturalOrder()));
        }
        for (int i = 0; i < thetas.size(); i++) {
            Theta t = thetas.get(i);
            double level =
                    switch (t.mode()) {
                        case LOSSLESS -> 0;
                        case TOPK -> t.sparsity();
                        case TS_TABQ -> -t.qbit();
                        case ECSQ -> -t.bitsPerElement();
                    };
            byFamily.get(t.mode())
                    .computeIfAbsent(level, k -> new ArrayList<>())
                    .add(i);
        }
        List<int[][]> fams = new ArrayList<>();
        for (TreeMap<Double, List<Integer>> levels : byFamily.values()) {
            if (levels.isEmpty()) {
                continue;
            }
            int[][] ls = new int[levels.size()][];
            int k = 0;
            for (List<Integer> idx : levels.values()) {
                ls[k++] = idx.stream().mapToInt(Integer::intValue).toArray();
            }
            fams.add(ls);
        }
        return fams.toArray(new int[0][][]);
    }
}
