package dev.slicer.planner.cli;

import dev.slicer.codec.DecodeLimits;
import dev.slicer.codec.FrameDecoder;
import dev.slicer.codec.FrameEncoder;
import dev.slicer.codec.SizeBound;
import dev.slicer.codec.TensorShape;
import dev.slicer.planner.cost.LinearCodecTimeModel;
import dev.slicer.planner.search.Theta;
import java.util.Arrays;

/** Encodes and decodes a float tensor with the real codec; times encoding for the zeta model. */
final class CodecRoundTrip {
    private final FrameEncoder encoder = FrameEncoder.create();
    private final FrameDecoder decoder = FrameDecoder.create(DecodeLimits.defaults());

    float[] roundTrip(float[] values, TensorShape shape, Theta theta) {
        byte[] frame = new byte[Math.toIntExact(SizeBound.maxFrameBytes(shape, theta.toCodecSettings()))];
        int len = encoder.encode(values, 0, shape, theta.toCodecSettings(), frame, 0);
        float[] out = new float[values.length];
        decoder.decode(frame, 0, len, out, 0);
        return out;
    }

    /** Median of 5 encode times (after 2 warm-ups), seconds. */
    double encodeSeconds(float[] values, TensorShape shape, Theta theta) {
        byte[] frame = new byte[Math.toIntExact(SizeBound.maxFrameBytes(shape, theta.toCodecSettings()))];
        double[] t = new double[5];
        for (int i = -2; i < t.length; i++) {
            long start = System.nanoTime();
            encoder.encode(values, 0, shape, theta.toCodecSettings(), frame, 0);
            long ns = System.nanoTime() - start;
            if (i >= 0) {
                t[i] = ns * 1e-9;
            }
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }

    /**
     * Fits {@code fixed + perElement * n} from encode times of the whole tensor and of its first quarter of rows
     * (negative fits are clamped to 0, so the model never predicts less than it measured at the larger size).
     */
    LinearCodecTimeModel.Coefficients fit(float[] values, TensorShape shape, Theta theta) {
        int rows = shape.rows();
        int cols = shape.cols();
        int smallRows = Math.max(1, rows / 4);
        TensorShape small = TensorShape.of(smallRows, cols);
        float[] part = Arrays.copyOf(values, smallRows * cols);
        double big = encodeSeconds(values, TensorShape.of(rows, cols), theta);
        double little = encodeSeconds(part, small, theta);
        long nBig = (long) rows * cols;
        long nSmall = (long) smallRows * cols;
        double per = nBig > nSmall ? Math.max(0, (big - little) / (nBig - nSmall)) : big / nBig;
        double fixed = Math.max(0, big - per * nBig);
        return new LinearCodecTimeModel.Coefficients(fixed, per);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 && nb == 0) {
            return 1;
        }
        if (na == 0 || nb == 0) {
            return 0;
        }
        return Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
    }
}
