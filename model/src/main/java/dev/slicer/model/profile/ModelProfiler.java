package dev.slicer.model.profile;

import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.ModelGraph;
import dev.slicer.model.split.ModelRunner;
import dev.slicer.model.split.SampleInputs;
import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.model.split.TensorInfo;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds a {@link ModelProfile}: parameters, FLOPs, shipped tensors and measured front latency. */
public final class ModelProfiler {
    /** How front latency is measured. */
    public record Options(boolean measureLatency, int warmupRuns, int timedRuns) {
        public static final Options DEFAULT = new Options(true, 2, 7);
        public static final Options NO_LATENCY = new Options(false, 0, 0);

        public Options {
            if (measureLatency && timedRuns < 1) {
                throw new IllegalArgumentException("timedRuns must be >= 1");
            }
        }
    }

    private ModelProfiler() {}

    public static ModelProfile profile(SplittableModel m, Options options) {
        ModelGraph g = m.graph();
        SampleInputs.Dims ref = m.referenceDims();
        Map<String, Long> symbols = Map.of(
                TensorInfo.BATCH, 1L,
                TensorInfo.SEQUENCE, (long) ref.sequence(),
                TensorInfo.PAST, (long) ref.past(),
                TensorInfo.TOTAL, (long) ref.total());
        Map<String, Long> perToken =
                Map.of(TensorInfo.BATCH, 1L, TensorInfo.SEQUENCE, 1L, TensorInfo.PAST, 0L, TensorInfo.TOTAL, 1L);
        double[] flops = new double[g.size()];
        double totalFlops = 0;
        for (int i = 0; i < g.size(); i++) {
            flops[i] = Flops.of(m, i);
            totalFlops += flops[i];
        }
        long totalParams = g.totalParameterBytes();
        Map<String, HostTensor> inputs =
                options.measureLatency() ? SampleInputs.generate(m.model(), ref.withBatch(1), 11) : Map.of();
        List<CandidateProfile> out = new ArrayList<>();
        for (SplitCandidate c : m.candidates()) {
            Set<String> frontOuts = new LinkedHashSet<>(c.activations());
            frontOuts.addAll(c.frontOutputs());
            BitSet front = g.ancestors(frontOuts, Set.of());
            long frontParams = g.parameterBytes(front);
            BitSet back = new BitSet();
            back.set(0, g.size());
            back.andNot(front);
            long backParams = paramsNotIn(g, back, front);
            double gf = 0;
            for (int p = front.nextSetBit(0); p >= 0; p = front.nextSetBit(p + 1)) {
                gf += flops[p];
            }
            List<ShippedTensor> shipped = new ArrayList<>();
            long shippedBytes = 0;
            for (String t : c.shipped()) {
                TensorInfo ti = m.tensorInfo(t);
                String role = t.equals(c.bigTensor())
                        ? ShippedTensor.ROLE_ACTIVATION
                        : c.sideInputs().contains(t) ? ShippedTensor.ROLE_INPUT : ShippedTensor.ROLE_SIDE;
                boolean tok = ti.perToken();
                shipped.add(new ShippedTensor(
                        t,
                        ti.dtype(),
                        ti.dims(),
                        ti.bytes(tok ? perToken : Map.of(TensorInfo.BATCH, 1L)),
                        tok ? ShippedTensor.UNIT_TOKEN : ShippedTensor.UNIT_SAMPLE,
                        role));
                shippedBytes += ti.bytes(symbols);
            }
            double latency = -1;
            if (options.measureLatency()) {
                latency = measure(m, c, inputs, options);
            }
            out.add(new CandidateProfile(
                    c.index(),
                    c.name(),
                    frontParams,
                    backParams,
                    gf / 1e9,
                    shipped,
                    shippedBytes,
                    c.bigTensor(),
                    m.tensorInfo(c.bigTensor()).bytes(symbols),
                    latency));
        }
        return new ModelProfile(
                m.name(),
                totalParams,
                totalFlops / 1e9,
                1,
                ref.sequence(),
                ref.past(),
                SampleInputs.hasKvCache(m.model()),
                out,
                SampleInputs.describe(m.model(), ref.withBatch(1)),
                monotonicityWarnings(out));
    }

    /** Parameter bytes read by {@code positions} and not by {@code exclude}. */
    private static long paramsNotIn(ModelGraph g, BitSet positions, BitSet exclude) {
        Set<String> excluded = new HashSet<>();
        for (int p = exclude.nextSetBit(0); p >= 0; p = exclude.nextSetBit(p + 1)) {
            excluded.addAll(g.inputsOf(p));
        }
        Set<String> seen = new HashSet<>();
        long total = 0;
        for (int p = positions.nextSetBit(0); p >= 0; p = positions.nextSetBit(p + 1)) {
            for (String in : g.inputsOf(p)) {
                var t = g.initializers().get(in);
                if (t != null && !excluded.contains(in) && seen.add(in)) {
                    total += dev.slicer.model.onnx.Tensors.byteSize(t);
                }
            }
        }
        return total;
    }

    private static double measure(
            SplittableModel m, SplitCandidate c, Map<String, HostTensor> inputs, Options options) {
        try (ModelRunner front = new ModelRunner(m.split(c).front(), "front of " + c.name())) {
            for (int i = 0; i < options.warmupRuns(); i++) {
                front.run(inputs);
            }
            // Rounds of timedRuns until the median moves less than STABLE_FRACTION from the previous
            // round's (bounded by MAX_ROUNDS): one slow round (GC, a neighbour's build) does not set it.
            List<Double> ms = new ArrayList<>();
            double previous = Double.NaN;
            double median = Double.NaN;
            for (int round = 0; round < MAX_ROUNDS; round++) {
                for (int i = 0; i < options.timedRuns(); i++) {
                    long t0 = System.nanoTime();
                    front.run(inputs);
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
                median = median(ms);
                if (Math.abs(median - previous) <= STABLE_FRACTION * median) {
                    break;
                }
                previous = median;
            }
            return median;
        }
    }

    /** A round's median within this fraction of the previous one ends the measurement. */
    static final double STABLE_FRACTION = 0.05;
    /** Bound on measurement rounds per candidate. */
    static final int MAX_ROUNDS = 6;
    /** A deeper front measured faster than a shallower one by more than this fraction is noise worth naming. */
    static final double MONOTONE_SLACK = 0.10;

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Deeper fronts compute a superset of shallower ones: name every candidate measured clearly faster than one before it. */
    static List<String> monotonicityWarnings(List<CandidateProfile> candidates) {
        List<String> out = new ArrayList<>();
        double max = -1;
        String maxName = "";
        for (CandidateProfile c : candidates) {
            double l = c.frontLatencyMs();
            if (l < 0) {
                continue;
            }
            if (max > 0 && l < max * (1 - MONOTONE_SLACK)) {
                out.add(String.format(
                        java.util.Locale.ROOT,
                        "front latency not monotone: %s %.3f ms < %s %.3f ms (noise > %.0f%%; re-measure on a quiet machine)",
                        c.name(),
                        l,
                        maxName,
                        max,
                        100 * MONOTONE_SLACK));
            }
            if (l > max) {
                max = l;
                maxName = c.name();
            }
        }
        return out;
    }
}
