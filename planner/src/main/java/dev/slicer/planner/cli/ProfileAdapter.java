package dev.slicer.planner.cli;

import dev.slicer.codec.CodecMode;
import dev.slicer.codec.TensorShape;
import dev.slicer.model.ModelException;
import dev.slicer.model.NothingToQuantizeException;
import dev.slicer.model.profile.CandidateProfile;
import dev.slicer.model.profile.ModelProfile;
import dev.slicer.model.profile.ModelProfiler;
import dev.slicer.model.quant.WeightQuantizer;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.ModelRunner;
import dev.slicer.model.split.SampleInputs;
import dev.slicer.model.split.SplitRunner;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.planner.cost.CodecSizeBound;
import dev.slicer.planner.cost.LinearCodecTimeModel;
import dev.slicer.planner.cost.WarmEncodeTimer;
import dev.slicer.planner.model.DistortionTable;
import dev.slicer.planner.model.SplitCandidate;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.search.KnobGrid;
import dev.slicer.planner.search.Theta;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adapts the model module to the planner: builds a planner {@link SplitProfile} from the model module's {@link
 * ModelProfile} (candidates, front weights, measured front latency, shipped tensors at the reference sizes), the
 * int8 weight bytes of every front and of the whole model ({@link WeightQuantizer}, the quantizer behind {@code
 * slicer model quantize}), one timed run of the whole model, and the codec's time model calibrated on this machine.
 *
 * <p>The int8 network used for AR local steps is taken to be no faster than the float network (its latency is not
 * measured); that assumption, and the 1/4-of-float fallback when a model's weights cannot be quantized, go into the
 * profile's (and so the plan's) {@code assumptions}.
 */
final class ProfileAdapter {
    static final long SEED = 42;
    /**
     * First sample sentence calibration measures on: held out from the sentences the demo (0-31) and the end-to-end
     * tests send, so the floor is measured on text the fleet's own checks never calibrated on.
     */
    static final int CALIBRATION_SENTENCES = 64;

    /**
     * Inputs whose features a value-dependent setting is timed on, per candidate (the mean is kept): one ECSQ budget
     * took 60-190 us on the same candidate's features of different sentences.
     */
    static final int TIMING_SAMPLES = 4;

    static final String NO_SPEED_UP = "the int8 edge network (AR local steps) is taken to be no faster than the float"
            + " network (its latency is not measured)";

    private ProfileAdapter() {}

    static SplitProfile profile(String model, PrintWriter err) {
        return profile(model, CalibrationInputs.INVENTED, err);
    }

    /** The profile of {@code model} at the reference shapes of {@code given} (its first sample set, if any). */
    static SplitProfile profile(String model, CalibrationInputs given, PrintWriter err) {
        err.println("slicer plan: profiling " + model + " on this machine (ONNX Runtime, reference input sizes) ...");
        SplittableModel m = given.load(model);
        m.inputNotes().forEach(n -> err.println("slicer plan:   input " + n));
        ModelProfile mp = ModelProfiler.profile(m, ModelProfiler.Options.DEFAULT);
        Map<String, HostTensor> inputs = SampleInputs.generate(m.model(), m.referenceDims(), SEED);
        long inputBytes =
                inputs.values().stream().mapToLong(HostTensor::byteSize).sum();
        double fullSeconds;
        try (ModelRunner full = new ModelRunner(m.model(), "full")) {
            fullSeconds = WarmMedian.seconds(() -> full.run(inputs));
        }
        List<String> assumptions = new ArrayList<>();
        assumptions.add(NO_SPEED_UP);
        given.describe().ifPresent(assumptions::add);
        Int8 int8 = new Int8(m, assumptions, err);
        long kvAll = kvBytesPerPosition(m, m.tensorInfos().keySet().stream().toList());
        List<SplitCandidate> out = new ArrayList<>();
        long maxElements = 0;
        for (CandidateProfile c : mp.candidates()) {
            long[] dims = m.tensorInfo(c.bigTensor()).referenceShape();
            List<Integer> shape =
                    Arrays.stream(dims).mapToInt(Math::toIntExact).boxed().toList();
            long elements = Arrays.stream(dims).reduce(1, Math::multiplyExact);
            maxElements = Math.max(maxElements, elements);
            double frontSeconds = c.frontLatencyMs() * 1e-3;
            long int8Bytes = int8.frontBytes(c);
            out.add(new SplitCandidate(
                    out.size(),
                    c.name(),
                    c.cumulativeParamBytes(),
                    frontSeconds,
                    int8Bytes,
                    frontSeconds,
                    shape,
                    c.bigTensorBytesPerSample(),
                    c.shippedBytesPerSample() - c.bigTensorBytesPerSample(),
                    kvAll - kvBytesPerPosition(m, m.candidate(c.index()).backState())));
            err.printf(
                    Locale.ROOT,
                    "slicer plan:   candidate %d %-24s front %.2f ms, weights %s (int8 %s), IF %s %s%n",
                    c.index(),
                    c.name(),
                    frontSeconds * 1e3,
                    Units.formatBytes(c.cumulativeParamBytes()),
                    Units.formatBytes(int8Bytes),
                    shape,
                    Units.formatBytes(c.bigTensorBytesPerSample()));
        }
        long fullInt8 = int8.fullBytes(mp.totalParamBytes());
        LinearCodecTimeModel time = warmEncodeTime(m, mp, inputs, err);
        assumptions.forEach(a -> err.println("slicer plan: assumption: " + a));
        return new SplitProfile(
                model,
                inputBytes,
                mp.totalParamBytes(),
                fullSeconds,
                fullInt8,
                fullSeconds,
                out,
                List.of(),
                null,
                time,
                assumptions,
                kvAll);
    }

    /**
     * KV-cache bytes per sequence position of the given tensors' past inputs ({@code past_key_values.*}, laid out
     * [batch, heads, past, head dim] as Hugging Face Optimum exports them): each one's bytes divided by its past
     * length. The front of a split holds the model's KV cache minus the back's ({@code backState}).
     */
    static long kvBytesPerPosition(SplittableModel m, List<String> tensors) {
        long bytes = 0;
        for (String name : tensors) {
            if (!SampleInputs.isPastInput(name)) {
                continue;
            }
            var info = m.tensorInfo(name);
            int past = info.dims().indexOf(dev.slicer.model.split.TensorInfo.PAST);
            long[] shape = info.referenceShape();
            long elements = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            long positions = past >= 0 ? Math.max(1, shape[past]) : 1;
            bytes += elements / positions * dev.slicer.model.onnx.DataTypes.byteSize(info.dataType());
        }
        return bytes;
    }

    /**
     * zeta measured warm in this process ({@link WarmEncodeTimer}): every setting of the standard grid on the real
     * intermediate feature of a candidate with the largest coded tensor, then the settings whose encode work depends
     * on the values on each candidate's own feature.
     */
    static LinearCodecTimeModel warmEncodeTime(
            SplittableModel m, ModelProfile mp, Map<String, HostTensor> inputs, PrintWriter err) {
        // the largest coded tensor; among equally large ones the middle candidate (a mid-depth feature rather than
        // the embeddings, whose value distribution differs from the layers the plans split at)
        long most = mp.candidates().stream()
                .mapToLong(CandidateProfile::bigTensorBytesPerSample)
                .max()
                .orElseThrow();
        List<CandidateProfile> largestOnes = mp.candidates().stream()
                .filter(c -> c.bigTensorBytesPerSample() == most)
                .toList();
        CandidateProfile largest = largestOnes.get(largestOnes.size() / 2);
        // every feature before any timing: model runs between timings slowed the encodes after them
        List<Map<String, HostTensor>> samples = new ArrayList<>(List.of(inputs));
        for (int s = 1; s < TIMING_SAMPLES; s++) {
            samples.add(SampleInputs.generate(m.model(), m.referenceDims(), SEED + s));
        }
        List<List<TimedFeature>> features = mp.candidates().stream()
                .map(c -> TimedFeature.of(m, c, samples))
                .toList();
        TimedFeature big = features.get(mp.candidates().indexOf(largest)).get(0);
        err.printf(
                Locale.ROOT,
                "slicer plan: timing the encoder warm on the IF of %s (%dx%d), every setting ...%n",
                largest.name(),
                big.rows(),
                big.cols());
        List<Theta> grid = KnobGrid.standard().thetas();
        LinearCodecTimeModel shared = WarmEncodeTimer.measure(
                "warm encodes in the planning process on " + System.getProperty("os.arch") + ", IF of "
                        + largest.name(),
                big.values(),
                big.rows(),
                big.cols(),
                grid);
        err.println("slicer plan: timing the value-dependent settings (ECSQ byte budgets) on each candidate's IF ...");
        Map<String, LinearCodecTimeModel.Coefficients> entries = new TreeMap<>(shared.entries());
        for (int i = 0; i < features.size(); i++) {
            List<TimedFeature> f = features.get(i);
            entries.putAll(WarmEncodeTimer.measureAt(
                    i,
                    f.stream().map(TimedFeature::values).toList(),
                    f.get(0).rows(),
                    f.get(0).cols(),
                    grid));
        }
        return new LinearCodecTimeModel(shared.device(), entries);
    }

    /** A candidate's coded feature as the encode timer takes it: at least two rows. */
    private record TimedFeature(float[] values, int rows, int cols) {
        /** The candidate's feature for each input, from one split session. */
        static List<TimedFeature> of(SplittableModel m, CandidateProfile c, List<Map<String, HostTensor>> inputs) {
            List<TimedFeature> out = new ArrayList<>();
            try (SplitRunner runner = new SplitRunner(m.split(m.candidate(c.index())))) {
                for (Map<String, HostTensor> in : inputs) {
                    out.add(of(runner.bigActivation(in)));
                }
            }
            return out;
        }

        private static TimedFeature of(HostTensor big) {
            TensorShape shape = rowsByCols(big);
            int rows = shape.dim(0);
            int cols = shape.dim(1);
            float[] values = big.floats();
            if (rows < 2) {
                // a single row (a pooled vector): time it as two rows of half its width
                cols = Math.max(1, cols / 2);
                rows = values.length / cols;
                values = Arrays.copyOf(values, rows * cols);
            }
            return new TimedFeature(values, rows, cols);
        }
    }

    /**
     * Int8 weight bytes from the weight-only quantizer; when the model holds a weight it cannot quantize, a quarter
     * of the float bytes, stated as an assumption.
     */
    private static final class Int8 {
        private final SplittableModel model;
        /** Int8 bytes of the whole model, or -1 when it cannot be quantized. */
        private final long full;

        Int8(SplittableModel model, List<String> assumptions, PrintWriter err) {
            this.model = model;
            long bytes;
            try {
                bytes = WeightQuantizer.quantize(model.model(), 8).paramBytesAfter();
            } catch (ModelException e) {
                bytes = -1;
                err.println("slicer plan: int8 quantization not possible: " + e.getMessage());
                assumptions.add("the int8 edge network (AR local steps) has 1/4 of the float weight bytes (the model"
                        + " holds weights the int8 quantizer does not support)");
            }
            this.full = bytes;
        }

        long frontBytes(CandidateProfile c) {
            if (full < 0) {
                return c.cumulativeParamBytes() / 4;
            }
            try {
                return WeightQuantizer.quantize(
                                model.split(model.candidate(c.index())).front(), 8)
                        .paramBytesAfter();
            } catch (NothingToQuantizeException e) {
                return c.cumulativeParamBytes(); // a front without weights stays as it is
            }
        }

        long fullBytes(long floatBytes) {
            return full < 0 ? floatBytes / 4 : full;
        }
    }

    static TensorShape rowsByCols(HostTensor t) {
        long[] s = t.shape();
        int cols = Math.toIntExact(s[s.length - 1]);
        return TensorShape.of(Math.toIntExact(t.elementCount() / cols), cols);
    }

    /**
     * Measures output fidelity for every setting of the grid at every candidate (the lowest score of the model's
     * {@link OutputFidelity} rule over the samples); cells the codec cannot encode are excluded with the reason.
     */
    static SplitProfile calibrate(SplitProfile base, KnobGrid grid, int samples, PrintWriter err) {
        return calibrate(base, grid, samples, CalibrationInputs.INVENTED, err);
    }

    /** As {@link #calibrate(SplitProfile, KnobGrid, int, PrintWriter)}, on {@code given}'s sample sets if any. */
    static SplitProfile calibrate(
            SplitProfile base, KnobGrid grid, int samples, CalibrationInputs given, PrintWriter err) {
        SplittableModel m = given.load(base.model());
        OutputFidelity rule = OutputFidelity.of(m);
        IfFraming framing = IfFraming.of(m);
        List<Map<String, HostTensor>> inputs = given.requests(m, samples, SEED, CALIBRATION_SENTENCES);
        List<Map<String, HostTensor>> reference = new ArrayList<>();
        try (ModelRunner full = new ModelRunner(m.model(), "full")) {
            for (Map<String, HostTensor> in : inputs) {
                reference.add(OutputFidelity.replyOutputs(full.run(in)));
            }
        }
        List<Theta> measured = grid.thetas().stream()
                .filter(t -> t.mode() != CodecMode.LOSSLESS)
                .toList();
        Map<String, List<Double>> table = new TreeMap<>();
        Map<String, Map<Integer, String>> excluded = new TreeMap<>();
        measured.forEach(t -> table.put(t.id(), new ArrayList<>()));
        CodecRoundTrip codec = new CodecRoundTrip();
        int entropyDiffers = 0;
        for (dev.slicer.model.split.SplitCandidate c : m.candidates()) {
            try (SplitRunner runner = new SplitRunner(m.split(c))) {
                HostTensor big = runner.bigActivation(inputs.get(0));
                // samples are requests of their own lengths: a setting must encode every one of them
                List<TensorShape> shapes = new ArrayList<>();
                for (Map<String, HostTensor> in : inputs) {
                    shapes.addAll(framing.frames(rowsByCols(runner.bigActivation(in))));
                }
                Map<String, Double> here = new TreeMap<>();
                Map<String, String> why = new TreeMap<>();
                for (Theta theta : measured) {
                    String unfit = shapes.stream()
                            .map(shape -> unencodable(shape, theta))
                            .filter(java.util.Objects::nonNull)
                            .findFirst()
                            .orElse(null);
                    if (unfit != null) {
                        why.put(theta.id(), unfit);
                        continue;
                    }
                    if (theta.entropy() && theta.hasRansTwin() && sameDecode(codec, framing, big, theta)) {
                        continue; // shares its twin's value, filled below
                    }
                    entropyDiffers += theta.entropy() && theta.hasRansTwin() ? 1 : 0;
                    // the worst sample, not the mean: the floor must hold on inputs calibration never saw, and a
                    // setting whose mean sits just above it (ECSQ at 1.5 bits on MiniLM: 0.9823 mean on two
                    // samples, 0.9799 on two held-out ones) would otherwise be planned below it
                    double worst = 1;
                    for (int s = 0; s < inputs.size(); s++) {
                        Map<String, HostTensor> outputs =
                                runner.run(inputs.get(s), t -> framing.roundTrip(codec, t, theta));
                        worst = Math.min(worst, rule.worst(reference.get(s), outputs));
                    }
                    here.put(theta.id(), worst);
                }
                for (Theta theta : measured) {
                    Double v = here.containsKey(theta.id()) ? here.get(theta.id()) : here.get(theta.fidelityKey());
                    String reason = why.get(theta.id());
                    if (v == null && reason == null) {
                        throw new IllegalStateException("calibration left " + theta.id() + " at " + c.name()
                                + " unmeasured"); // a bug here, never a silent gap in the table
                    }
                    table.get(theta.id()).add(v);
                    if (reason != null) {
                        excluded.computeIfAbsent(theta.id(), k -> new TreeMap<>())
                                .put(c.index(), reason);
                    }
                }
                err.printf(
                        Locale.ROOT,
                        "slicer plan calibrate:   candidate %d %s: %d settings measured, %d excluded%s%n",
                        c.index(),
                        c.name(),
                        here.size(),
                        why.size(),
                        why.isEmpty()
                                ? ""
                                : " (" + String.join(", ", why.keySet()) + ": budget below the smallest frame)");
            }
        }
        err.printf(
                Locale.ROOT,
                "slicer plan calibrate: rANS changed the decoded values at %d (candidate, setting) pair(s); those were"
                        + " measured separately, the others share their non-rANS twin's value (bit-equal decode)%n",
                entropyDiffers);
        return base.withDistortion(
                grid.thetas(), new DistortionTable(rule.metric(reference.get(0)), inputs.size(), table, excluded));
    }

    /**
     * Why the codec cannot encode a tensor of this shape with these knobs (an ECSQ byte budget below its smallest
     * frame), or null when it can.
     */
    private static String unencodable(TensorShape shape, Theta theta) {
        CodecSizeBound size = CodecSizeBound.INSTANCE;
        if (size.encodable(shape, theta)) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "byte budget %d B is below the smallest frame of %s, %d B",
                size.maxFrameBytes(shape, theta),
                Arrays.toString(shape.dims()),
                size.minFrameBytes(shape, theta));
    }

    /** Whether a rANS setting decodes this feature bit-equal to its non-rANS twin (then both share one value). */
    private static boolean sameDecode(CodecRoundTrip codec, IfFraming framing, HostTensor big, Theta theta) {
        return Arrays.equals(
                framing.roundTrip(codec, big, theta).floats(),
                framing.roundTrip(codec, big, theta.withEntropy(false)).floats());
    }
}
