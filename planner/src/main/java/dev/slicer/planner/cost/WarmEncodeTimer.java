package dev.slicer.planner.cost;

import dev.slicer.codec.CodecMode;
import dev.slicer.codec.CodecSettings;
import dev.slicer.codec.DType;
import dev.slicer.codec.FrameEncoder;
import dev.slicer.codec.SizeBound;
import dev.slicer.codec.TensorShape;
import dev.slicer.planner.InvalidPlanInputException;
import dev.slicer.planner.search.Theta;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * zeta(theta) measured warm, in the calling process: the real encoder on a real intermediate feature, every setting
 * of the grid (rANS included), after a JIT warm-up pass over all settings. Each setting is timed in a burst (as an
 * edge encodes one setting over and over) at the full tensor and at its first half (rows); the medians give {@code fixed + perElement * n}, so hand-off frames of other sizes
 * extrapolate along the measured line. This replaces a one-shot calibration in a cold JVM, which overestimated warm
 * encodes by 3.5-120x and charged rANS nothing.
 */
public final class WarmEncodeTimer {
    /** Timings per burst (the median is kept). */
    static final int TIMED = 9;
    /** A timing shorter than this repeats the encode back to back (see {@link #burst}). */
    static final double MIN_TIMING_NANOS = 20_000;
    /** Most encodes in one timing. */
    static final int MAX_REPS = 1_000;

    /** Timing sweeps over all the settings; each setting's time is the median of its sweeps. */
    static final int SWEEPS = 3;
    /** Untimed passes over every setting before timing: enough for C2 to compile the hot loops. */
    static final int WARM_UP_PASSES = 100;
    /** Untimed encodes of a setting right before timing it (caches and branch history of that setting). */
    static final int BURST_WARM_UP = 20;
    /**
     * Before its first timing each setting is encoded this often, or for {@link #JIT_WARM_UP_NANOS}, whichever ends
     * first: a cheap setting (a 1 Ki-element lossless frame, 0.7 us warm) ran 25x slower after the warm-up passes
     * alone, a speed an edge sees only during its first few thousand requests.
     */
    static final int JIT_WARM_UP_ENCODES = 20_000;

    static final long JIT_WARM_UP_NANOS = 10_000_000;

    private WarmEncodeTimer() {}

    /**
     * @param device free text stored with the model
     * @param values the tensor, row-major
     * @param rows its rows (tokens); at least 2, so that half a tensor exists
     * @param cols its columns (hidden size)
     * @param settings the settings to time
     */
    public static LinearCodecTimeModel measure(
            String device, float[] values, int rows, int cols, Collection<Theta> settings) {
        InvalidPlanInputException.require(
                rows >= 2 && cols >= 1 && (long) rows * cols == values.length,
                "encode timing needs a [rows >= 2, cols] tensor matching the values, got " + rows + "x" + cols);
        InvalidPlanInputException.require(!settings.isEmpty(), "no settings to time");
        FrameEncoder encoder = FrameEncoder.create();
        TensorShape full = TensorShape.of(rows, cols);
        TensorShape half = TensorShape.of(rows / 2, cols);
        // every mode with and without rANS is timed, so each MODE[/rans] fallback entry rests on a measurement
        java.util.LinkedHashMap<String, Theta> all = new java.util.LinkedHashMap<>();
        settings.forEach(t -> all.put(key(t), t));
        for (boolean rans : new boolean[] {false, true}) {
            for (Theta anchor : new Theta[] {
                Theta.lossless().withEntropy(rans),
                Theta.topK(0, 1, 1, 0, 8, 0.02, rans),
                Theta.tsTabq(0.01, 8, 0.02, rans)
            }) {
                all.putIfAbsent(key(anchor), anchor);
            }
        }
        List<Theta> thetas = List.copyOf(all.values());
        byte[] frame = new byte
                [Math.toIntExact(thetas.stream()
                        .mapToLong(t -> SizeBound.maxFrameBytes(full, t.toCodecSettings()))
                        .max()
                        .orElseThrow())];
        // an ECSQ byte budget too small for the tensor encodes nothing: such a setting is timed at the full size only
        // (per element), or not at all when even that does not fit (it is never planned at such sizes)
        List<Theta> atFull = thetas.stream()
                .filter(t -> CodecSizeBound.INSTANCE.encodable(full, t))
                .toList();
        for (int pass = 0; pass < WARM_UP_PASSES; pass++) {
            TensorShape shape = pass % 2 == 0 ? full : half;
            for (Theta t : atFull) {
                if (shape == full || CodecSizeBound.INSTANCE.encodable(half, t)) {
                    encoder.encode(values, 0, shape, t.toCodecSettings(), frame, 0);
                }
            }
        }
        Map<String, LinearCodecTimeModel.Coefficients> timed = new TreeMap<>();
        List<LinearCodecTimeModel.Coefficients> lines = lines(encoder, values, full, half, atFull, frame, true);
        for (int i = 0; i < atFull.size(); i++) {
            timed.put(key(atFull.get(i)), lines.get(i));
        }
        // a setting outside the grid (or not encodable here) uses its mode's most expensive measured line
        Map<String, LinearCodecTimeModel.Coefficients> entries = new TreeMap<>();
        settings.stream().filter(t -> timed.containsKey(key(t))).forEach(t -> entries.put(t.id(), timed.get(key(t))));
        Map<String, LinearCodecTimeModel.Coefficients> modes = new TreeMap<>();
        for (Theta t : atFull) {
            LinearCodecTimeModel.Coefficients c = timed.get(key(t));
            modes.merge(
                    LinearCodecTimeModel.modeKey(t),
                    c,
                    (a, b) -> new LinearCodecTimeModel.Coefficients(
                            Math.max(a.fixedSeconds(), b.fixedSeconds()),
                            Math.max(a.secondsPerElement(), b.secondsPerElement())));
        }
        modes.forEach(entries::putIfAbsent);
        return new LinearCodecTimeModel(device, entries);
    }

    /**
     * Lines of one candidate's own features, the mean over sample inputs, for the settings whose encode time depends
     * on the values and not only on the size ({@link #dataDependent}), keyed {@link LinearCodecTimeModel#candidateKey}.
     * An ECSQ byte budget searches the step, and how many probes it takes depends on the feature: on MiniLM one budget
     * took 60-190 us on one candidate's features of different sentences. Compute every feature before timing any:
     * model runs between timings slowed the encodes that followed them by up to 1.5x.
     *
     * @param candidate the candidate's index in the profile
     * @param samples its features, each {@code rows x cols}, row-major
     */
    public static Map<String, LinearCodecTimeModel.Coefficients> measureAt(
            int candidate, List<float[]> samples, int rows, int cols, Collection<Theta> settings) {
        InvalidPlanInputException.require(!samples.isEmpty(), "no feature to time at candidate " + candidate);
        for (float[] values : samples) {
            InvalidPlanInputException.require(
                    rows >= 2 && cols >= 1 && (long) rows * cols == values.length,
                    "encode timing needs [rows >= 2, cols] tensors matching the values, got " + rows + "x" + cols
                            + " for " + values.length + " values");
        }
        FrameEncoder encoder = FrameEncoder.create();
        TensorShape full = TensorShape.of(rows, cols);
        TensorShape half = TensorShape.of(rows / 2, cols);
        List<Theta> timed = settings.stream()
                .filter(WarmEncodeTimer::dataDependent)
                .filter(t -> CodecSizeBound.INSTANCE.encodable(full, t))
                .toList();
        Map<String, LinearCodecTimeModel.Coefficients> out = new TreeMap<>();
        if (timed.isEmpty()) {
            return out;
        }
        byte[] frame = new byte
                [Math.toIntExact(timed.stream()
                        .mapToLong(t -> SizeBound.maxFrameBytes(full, t.toCodecSettings()))
                        .max()
                        .orElseThrow())];
        double[] fixed = new double[timed.size()];
        double[] perElement = new double[timed.size()];
        boolean compile = true; // the JIT's work is per setting, not per sample
        for (float[] values : samples) {
            List<LinearCodecTimeModel.Coefficients> lines = lines(encoder, values, full, half, timed, frame, compile);
            compile = false;
            for (int i = 0; i < timed.size(); i++) {
                fixed[i] += lines.get(i).fixedSeconds() / samples.size();
                perElement[i] += lines.get(i).secondsPerElement() / samples.size();
            }
        }
        for (int i = 0; i < timed.size(); i++) {
            out.put(
                    LinearCodecTimeModel.candidateKey(candidate, timed.get(i)),
                    new LinearCodecTimeModel.Coefficients(fixed[i], perElement[i]));
        }
        return out;
    }

    /** Settings whose encode work depends on the values: an ECSQ byte budget searches its step. */
    static boolean dataDependent(Theta t) {
        return t.mode() == CodecMode.ECSQ;
    }

    /**
     * One line per setting, {@code fixed + perElement * n}, through its times at the full tensor and its first half
     * (rows). Each time is the median of {@link #SWEEPS} burst medians taken in sweeps over all the settings, so a
     * burst of interference (the JIT or another process on a sibling core: 1.5x for a millisecond or two on this
     * 2-core machine) skews one sweep of a setting rather than its figure.
     */
    private static List<LinearCodecTimeModel.Coefficients> lines(
            FrameEncoder encoder,
            float[] values,
            TensorShape full,
            TensorShape half,
            List<Theta> thetas,
            byte[] frame,
            boolean compile) {
        if (compile) {
            for (Theta t : thetas) {
                CodecSettings cs = t.toCodecSettings();
                compile(encoder, values, full, cs, frame);
                if (CodecSizeBound.INSTANCE.encodable(half, t)) {
                    compile(encoder, values, half, cs, frame);
                }
            }
        }
        double[][] f = new double[thetas.size()][SWEEPS];
        double[][] h = new double[thetas.size()][SWEEPS];
        for (int sweep = 0; sweep < SWEEPS; sweep++) {
            for (int i = 0; i < thetas.size(); i++) {
                Theta t = thetas.get(i);
                CodecSettings cs = t.toCodecSettings();
                // an edge encodes one setting over and over: time each in a burst after a few untimed encodes of it
                f[i][sweep] = burst(encoder, values, full, cs, t.wireDtype(), frame);
                h[i][sweep] = CodecSizeBound.INSTANCE.encodable(half, t)
                        ? burst(encoder, values, half, cs, t.wireDtype(), frame)
                        : f[i][sweep];
            }
        }
        List<LinearCodecTimeModel.Coefficients> out = new java.util.ArrayList<>();
        double nFull = full.elementCount();
        double nHalf = half.elementCount();
        for (int i = 0; i < thetas.size(); i++) {
            double atFull = median(f[i]);
            double atHalf = median(h[i]);
            double slope = (atFull - atHalf) / (nFull - nHalf);
            double fixed = atFull - slope * nFull;
            if (slope <= 0 || fixed < 0) {
                // noise inverted the two points (or no half): charge everything per element at the full size
                slope = atFull / nFull;
                fixed = 0;
            }
            out.add(new LinearCodecTimeModel.Coefficients(fixed, slope));
        }
        return out;
    }

    /** Theta ids do not mark rANS on lossless frames; the timing keys must. */
    private static String key(Theta t) {
        return t.id() + (t.entropy() ? "#rans" : "");
    }

    private static void compile(FrameEncoder encoder, float[] values, TensorShape shape, CodecSettings s, byte[] f) {
        long end = System.nanoTime() + JIT_WARM_UP_NANOS;
        for (int i = 0; i < JIT_WARM_UP_ENCODES && System.nanoTime() < end; i++) {
            encoder.encode(values, 0, shape, s, f, 0);
        }
    }

    /**
     * One warm encode's time the way every caller measures it (this timer and {@code plan check}): {@link
     * #BURST_WARM_UP} untimed encodes, then the median of {@link #TIMED} timings, each of as many back-to-back encodes
     * as fill {@link #MIN_TIMING_NANOS} (divided by their number), since a frame that encodes in under a microsecond
     * is at the resolution of two clock reads.
     */
    public static double burst(
            FrameEncoder encoder, float[] values, TensorShape shape, CodecSettings s, DType wire, byte[] f) {
        long warm = System.nanoTime();
        for (int i = 0; i < BURST_WARM_UP; i++) {
            encoder.encodeAs(values, 0, shape, s, wire, f, 0);
        }
        double each = Math.max(1, System.nanoTime() - warm) / (double) BURST_WARM_UP;
        int reps = (int) Math.min(MAX_REPS, Math.max(1, Math.ceil(MIN_TIMING_NANOS / each)));
        double[] t = new double[TIMED];
        for (int i = 0; i < TIMED; i++) {
            long start = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                encoder.encodeAs(values, 0, shape, s, wire, f, 0);
            }
            t[i] = (System.nanoTime() - start) * 1e-9 / reps;
        }
        return median(t);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
