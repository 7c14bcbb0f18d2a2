package dev.slicer.codec;

import dev.slicer.codec.TestTensors.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Small valid frames of every mode and index kind, for corruption tests and fuzz seeds. */
public final class FrameSamples {
    private FrameSamples() {}

    public record Sample(String name, byte[] frame) {}

    public static List<Sample> all() {
        FrameEncoder enc = FrameEncoder.create();
        List<Sample> out = new ArrayList<>();
        TensorShape shape = TensorShape.of(6, 16);
        float[] gauss = TestTensors.make(Kind.OUTLIER_CHANNELS, 6, 16, 3);
        float[] relu = TestTensors.make(Kind.RELU, 6, 16, 4);
        add(out, enc, "topk-rans", gauss, shape, CodecSettings.topK(0.75, 3, 3, 0, 8, 0.01, true));
        add(out, enc, "topk-raw", gauss, shape, CodecSettings.topK(0.5, 2, 1, 0.3, 12, 0.0, false));
        add(out, enc, "topk-sparse", gauss, shape, CodecSettings.topK(0.95, 1, 1, 0, 16, 0.0, false));
        add(out, enc, "topk-relu", relu, shape, CodecSettings.topK(0.25, 2, 2, 0, 8, 0.01, true));
        add(
                out,
                enc,
                "topk-fixed",
                gauss,
                shape,
                CodecSettings.topK(0.5, 2, 2, 0, 8, 0.01, true).withFixedBits(List.of(8, 4, 2, 10)));
        add(out, enc, "tabq", gauss, shape, CodecSettings.tsTabq(0.05, 4, 0.01, true));
        add(out, enc, "lossless", gauss, shape, CodecSettings.lossless());
        add(out, enc, "lossless-rans", gauss, shape, CodecSettings.lossless().withEntropy(true));
        float[] big = TestTensors.make(Kind.GAUSSIAN, 64, 64, 9);
        add(out, enc, "topk-large-rans", big, TensorShape.of(64, 64), CodecSettings.topK(0.75, 3, 3, 0, 8, 0.01, true));
        return out;
    }

    private static void add(
            List<Sample> out, FrameEncoder enc, String name, float[] x, TensorShape shape, CodecSettings s) {
        byte[] buf = new byte[(int) SizeBound.maxFrameBytes(shape, s)];
        int n = enc.encode(x, 0, shape, s, buf, 0);
        out.add(new Sample(name, Arrays.copyOf(buf, n)));
    }
}
