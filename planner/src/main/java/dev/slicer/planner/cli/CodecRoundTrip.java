package dev.slicer.planner.cli;

import dev.slicer.codec.DecodeLimits;
import dev.slicer.codec.FrameDecoder;
import dev.slicer.codec.FrameEncoder;
import dev.slicer.codec.SizeBound;
import dev.slicer.codec.TensorShape;
import dev.slicer.planner.search.Theta;

/** Encodes and decodes a float tensor with the real codec, as the edge sends it (distortion calibration). */
final class CodecRoundTrip {
    private final FrameEncoder encoder = FrameEncoder.create();
    private final FrameDecoder decoder = FrameDecoder.create(DecodeLimits.defaults());

    float[] roundTrip(float[] values, TensorShape shape, Theta theta) {
        byte[] frame =
                new byte[Math.toIntExact(SizeBound.maxFrameBytes(shape, theta.toCodecSettings(), theta.wireDtype()))];
        int len = encoder.encodeAs(values, 0, shape, theta.toCodecSettings(), theta.wireDtype(), frame, 0);
        float[] out = new float[values.length];
        decoder.decode(frame, 0, len, out, 0);
        return out;
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
