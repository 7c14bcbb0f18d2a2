package dev.slicer.planner.cost;

import dev.slicer.codec.CodecSettings;
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
    /** Timed encodes per setting and size (the median is kept). */
    static final int TIMED = 9;
    /** Untimed passes over every setting before timing: enough for C2 to compile the hot loops. */
    static final int WARM_UP_PASSES = 100;
    /** Untimed encodes of a setting right before timing it (caches and branch history of that setting). */
    static final int BURST_WARM_UP = 100;

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
        double nFull = (double) rows * cols;
        double nHalf = (double) (rows / 2) * cols;
        for (Theta t : atFull) {
            CodecSettings cs = t.toCodecSettings();
            // an edge encodes one setting over and over: time each in a burst after a few untimed encodes of it
            double f = burst(encoder, values, full, cs, frame);
            double h = CodecSizeBound.INSTANCE.encodable(half, t) ? burst(encoder, values, half, cs, frame) : f;
            double slope = (f - h) / (nFull - nHalf);
            double fixed = f - slope * nFull;
            if (slope <= 0 || fixed < 0) {
                // noise inverted the two points (or no half): charge everything per element at the full size
                slope = f / nFull;
                fixed = 0;
            }
            timed.put(key(t), new LinearCodecTimeModel.Coefficients(fixed, slope));
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

    /** Theta ids do not mark rANS on lossless frames; the timing keys must. */
    private static String key(Theta t) {
        return t.id() + (t.entropy() ? "#rans" : "");
    }

    private static double burst(FrameEncoder encoder, float[] values, TensorShape shape, CodecSettings s, byte[] f) {
        for (int i = 0; i < BURST_WARM_UP; i++) {
            encoder.encode(values, 0, shape, s, f, 0);
        }
        double[] t = new double[TIMED];
        for (int i = 0; i < TIMED; i++) {
            t[i] = time(encoder, values, shape, s, f);
        }
        return median(t);
    }

    private static double time(FrameEncoder encoder, float[] values, TensorShape shape, CodecSettings s, byte[] frame) {
        long start = System.nanoTime();
        encoder.encode(values, 0, shape, s, frame, 0);
        return (System.nanoTime() - start) * 1e-9;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
