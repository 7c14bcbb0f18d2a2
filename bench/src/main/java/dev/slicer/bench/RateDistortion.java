package dev.slicer.bench;

import dev.slicer.bench.data.TensorSet;
import dev.slicer.bench.method.MethodSpec;
import dev.slicer.bench.method.TensorCompressor;
import dev.slicer.bench.metrics.Quality;

/** Encodes and decodes every tensor of a data set once and measures rate and distortion. */
public final class RateDistortion {

    private RateDistortion() {}

    /**
     * @throws IllegalStateException if a lossless method does not reproduce its input bit for bit
     */
    public static Quality measure(MethodSpec spec, TensorSet set) {
        Quality.Accumulator acc = new Quality.Accumulator();
        float[] data = set.data();
        float[] out = new float[set.maxElements()];
        byte[] frame = new byte[0];
        try (TensorCompressor c = spec.create()) {
            for (int i = 0; i < set.count(); i++) {
                int rows = set.rows(i);
                int n = set.elements(i);
                int bound = c.maxEncodedBytes(rows, set.cols());
                if (frame.length < bound) {
                    frame = new byte[bound];
                }
                int len = c.encode(data, set.offset(i), rows, set.cols(), frame, 0);
                if (len > bound) {
                    throw new IllegalStateException(
                            spec.id() + ": frame of " + len + " bytes exceeds its bound " + bound);
                }
                c.decode(frame, 0, len, rows, set.cols(), out, 0);
                if (spec.lossless()) {
                    checkExact(spec, set, i, out);
                }
                acc.add(data, set.offset(i), out, 0, n, len);
            }
        }
        return acc.result();
    }

    private static void checkExact(MethodSpec spec, TensorSet set, int tensor, float[] out) {
        float[] data = set.data();
        int off = set.offset(tensor);
        for (int j = 0; j < set.elements(tensor); j++) {
            if (Float.floatToRawIntBits(data[off + j]) != Float.floatToRawIntBits(out[j])) {
                throw new IllegalStateException(spec.id() + " is declared lossless but changed element " + j
                        + " of tensor " + tensor + " in " + set.name() + ": " + data[off + j] + " -> " + out[j]);
            }
        }
    }
}
