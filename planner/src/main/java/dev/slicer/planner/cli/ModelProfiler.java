package dev.slicer.planner.cli;

import dev.slicer.codec.CodecMode;
import dev.slicer.codec.TensorShape;
import dev.slicer.model.onnx.Tensors;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.ModelRunner;
import dev.slicer.model.split.SampleInputs;
import dev.slicer.model.split.Split;
import dev.slicer.model.split.SplitRunner;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.planner.cost.LinearCodecTimeModel;
import dev.slicer.planner.model.SplitCandidate;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.search.KnobGrid;
import dev.slicer.planner.search.Theta;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Builds a planner {@link SplitProfile} from a real model on this machine: split candidates from the model module,
 * front weights (sum of the front's initializers), front and full latency (median of timed ONNX Runtime runs on
 * sample inputs at the model's reference sizes), the shipped tensors' shapes and bytes, and an encode-time model
 * fitted from the real codec on the candidate's actual activation.
 *
 * <p>The compressed (int8-weight) network used for AR local steps is taken as a quarter of the float weights and,
 * conservatively, as fast as the float network (no speed-up is assumed); this is printed to stderr.
 */
final class ModelProfiler {
    static final long SEED = 42;
    private static final int TIMED_RUNS = 3;

    private ModelProfiler() {}

    static SplitProfile profile(String model, PrintWriter err) {
        err.println("slicer plan: profiling " + model + " on this machine (ONNX Runtime, reference input sizes) ...");
        SplittableModel m = SplittableModel.load(model);
        Map<String, HostTensor> inputs = SampleInputs.generate(m.model(), m.referenceDims(), SEED);
        long inputBytes =
                inputs.values().stream().mapToLong(HostTensor::byteSize).sum();
        long fullMemory = weights(m.model());
        double fullSeconds;
        try (ModelRunner full = new ModelRunner(m.model(), "full")) {
            fullSeconds = medianSeconds(() -> full.run(inputs));
        }
        List<SplitCandidate> out = new ArrayList<>();
        Map<String, LinearCodecTimeModel.Coefficients> time = new TreeMap<>();
        CodecRoundTrip codec = new CodecRoundTrip();
        for (dev.slicer.model.split.SplitCandidate c : m.candidates()) {
            Split split = m.split(c);
            try (SplitRunner runner = new SplitRunner(split)) {
                Map<String, HostTensor> front = runner.runFront(inputs);
                double frontSeconds = medianSeconds(() -> runner.runFront(inputs));
                HostTensor big = front.get(c.bigTensor());
                long side = 0;
                for (String name : c.shipped()) {
                    if (!name.equals(c.bigTensor())) {
                        HostTensor t = front.containsKey(name) ? front.get(name) : inputs.get(name);
                        side += t == null ? 0 : t.byteSize();
                    }
                }
                long mem = weights(split.front());
                List<Integer> shape = Arrays.stream(big.shape())
                        .mapToInt(Math::toIntExact)
                        .boxed()
                        .toList();
                out.add(new SplitCandidate(
                        out.size(), c.name(), mem, frontSeconds, mem / 4, frontSeconds, shape, big.byteSize(), side));
                if (time.isEmpty()) {
                    time.putAll(fitTime(codec, big));
                }
                err.printf(
                        java.util.Locale.ROOT,
                        "slicer plan:   candidate %d %-24s front %.2f ms, weights %s, IF %s %s%n",
                        c.index(),
                        c.name(),
                        frontSeconds * 1e3,
                        Units.formatBytes(mem),
                        shape,
                        Units.formatBytes(big.byteSize()));
            }
        }
        err.println("slicer plan: assumption: the int8 edge network (AR local steps) has 1/4 of the float weights"
                + " and is no faster than the float network");
        return new SplitProfile(
                model,
                inputBytes,
                fullMemory,
                fullSeconds,
                fullMemory / 4,
                fullSeconds,
                out,
                List.of(),
                null,
                new LinearCodecTimeModel("profiled: " + System.getProperty("os.arch"), time));
    }

    /** One linear encode-time model per codec mode and rANS setting, fitted on a representative setting. */
    static Map<String, LinearCodecTimeModel.Coefficients> fitTime(CodecRoundTrip codec, HostTensor big) {
        TensorShape shape = rowsByCols(big);
        float[] values = big.floats();
        Map<String, LinearCodecTimeModel.Coefficients> e = new TreeMap<>();
        for (boolean rans : new boolean[] {false, true}) {
            Theta lossless = Theta.lossless().withEntropy(rans);
            Theta topk = Theta.topK(0.5, 4, 4, 0, 8, 0.02, rans);
            Theta tabq = Theta.tsTabq(0.01, 8, 0.02, rans);
            for (Theta t : List.of(lossless, topk, tabq)) {
                e.put(LinearCodecTimeModel.modeKey(t), codec.fit(values, shape, t));
            }
        }
        return e;
    }

    static TensorShape rowsByCols(HostTensor t) {
        long[] s = t.shape();
        int cols = Math.toIntExact(s[s.length - 1]);
        return TensorShape.of(Math.toIntExact(t.elementCount() / cols), cols);
    }

    /** Measures output fidelity for every setting of the grid at every candidate (mean cosine over samples). */
    static SplitProfile calibrate(SplitProfile base, KnobGrid grid, int samples, PrintWriter err) {
        SplittableModel m = SplittableModel.load(base.model());
        List<Map<String, HostTensor>> inputs = new ArrayList<>();
        List<float[]> reference = new ArrayList<>();
        try (ModelRunner full = new ModelRunner(m.model(), "full")) {
            for (int s = 0; s < samples; s++) {
                Map<String, HostTensor> in = SampleInputs.generate(m.model(), m.referenceDims(), SEED + s);
                inputs.add(in);
                reference.add(output(full.run(in)));
            }
        }
        List<String> keys = grid.thetas().stream()
                .filter(t -> t.mode() != CodecMode.LOSSLESS)
                .map(Theta::fidelityKey)
                .distinct()
                .toList();
        Map<String, List<Double>> table = new TreeMap<>();
        keys.forEach(k -> table.put(k, new ArrayList<>()));
        CodecRoundTrip codec = new CodecRoundTrip();
        for (dev.slicer.model.split.SplitCandidate c : m.candidates()) {
            try (SplitRunner runner = new SplitRunner(m.split(c))) {
                for (Theta theta : grid.thetas()) {
                    if (theta.mode() == CodecMode.LOSSLESS || !theta.id().equals(theta.fidelityKey())) {
                        continue;
                    }
                    double sum = 0;
                    for (int s = 0; s < samples; s++) {
                        Map<String, HostTensor> outputs = runner.run(inputs.get(s), big -> {
                            float[] rt = codec.roundTrip(big.floats(), rowsByCols(big), theta);
                            return HostTensor.ofFloats(big.shape(), rt);
                        });
                        sum += CodecRoundTrip.cosine(reference.get(s), output(outputs));
                    }
                    table.get(theta.fidelityKey()).add(sum / samples);
                }
                err.printf(
                        java.util.Locale.ROOT,
                        "slicer plan calibrate:   candidate %d %s: %d settings measured%n",
                        c.index(),
                        c.name(),
                        keys.size());
            }
        }
        return base.withDistortion(
                grid.thetas(), new dev.slicer.planner.model.DistortionTable("output-cosine-mean", samples, table));
    }

    /** The first float graph output, by name order (deterministic). */
    private static float[] output(Map<String, HostTensor> outputs) {
        return new TreeMap<>(outputs)
                .values().stream()
                        .filter(HostTensor::isFloat)
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("model has no float output to compare"))
                        .floats();
    }

    static long weights(ModelProto model) {
        long sum = 0;
        for (TensorProto t : model.getGraph().getInitializerList()) {
            sum += Tensors.byteSize(t);
        }
        return sum;
    }

    private static double medianSeconds(Supplier<?> run) {
        run.get();
        double[] t = new double[TIMED_RUNS];
        for (int i = 0; i < TIMED_RUNS; i++) {
            long start = System.nanoTime();
            run.get();
            t[i] = (System.nanoTime() - start) * 1e-9;
        }
        Arrays.sort(t);
        return t[TIMED_RUNS / 2];
    }
}
