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
        add(
                out,
                enc,
                "topk-rans",
                gauss,
                shape,
                CodecSettings.topK()
                        .sparsity(0.75)
                        .blocks(3, 3)
                        .qbit(8)
                        .delta(0.01)
                        .entropy(true)
                        .build());
        add(
                out,
                enc,
                "topk-raw",
                gauss,
                shape,
                CodecSettings.topK()
                        .sparsity(0.5)
                        .blocks(2, 1)
                        .lambda(0.3)
                        .qbit(12)
                        .delta(0.0)
                        .entropy(false)
                        .build());
        add(
                out,
                enc,
                "topk-sparse",
                gauss,
                shape,
                CodecSettings.topK()
                        .sparsity(0.95)
                        .blocks(1, 1)
                        .qbit(16)
                        .delta(0.0)
                        .entropy(false)
                        .build());
        add(
                out,
                enc,
                "topk-relu",
                relu,
                shape,
                CodecSettings.topK()
                        .sparsity(0.25)
                        .blocks(2, 2)
                        .qbit(8)
                        .delta(0.01)
                        .entropy(true)
                        .build());
        add(
                out,
                enc,
                "topk-fixed",
                gauss,
                shape,
                CodecSettings.topK()
                        .sparsity(0.5)
                        .blocks(2, 2)
                        .qbit(8)
                        .delta(0.01)
                        .entropy(true)
                        .build()
                        .withFixedBits(List.of(8, 4, 2, 10)));
        add(
                out,
                enc,
                "tabq",
                gauss,
                shape,
                CodecSettings.tsTabq()
                        .outlierFraction(0.05)
                        .qbit(4)
                        .delta(0.01)
                        .entropy(true)
                        .build());
        add(
                out,
                enc,
                "ecsq-pred",
                gauss,
                shape,
                CodecSettings.ecsq().step(0.49).predict(true).build());
        add(
                out,
                enc,
                "ecsq-plain",
                relu,
                shape,
                CodecSettings.ecsq().step(1.0).predict(false).build());
        add(
                out,
                enc,
                "ecsq-escapes",
                gauss,
                shape,
                CodecSettings.ecsq().step(0.002).predict(true).build());
        add(out, enc, "lossless", gauss, shape, CodecSettings.lossless());
        add(out, enc, "lossless-rans", gauss, shape, CodecSettings.lossless().withEntropy(true));
        float[] big = TestTensors.make(Kind.GAUSSIAN, 64, 64, 9);
        add(
                out,
                enc,
                "topk-large-rans",
                big,
                TensorShape.of(64, 64),
                CodecSettings.topK()
                        .sparsity(0.75)
                        .blocks(3, 3)
                        .qbit(8)
                        .delta(0.01)
                        .entropy(true)
                        .build());
        return out;
    }

    private static void add(
            List<Sample> out, FrameEncoder enc, String name, float[] x, TensorShape shape, CodecSettings s) {
        byte[] buf = new byte[(int) SizeBound.maxFrameBytes(shape, s)];
        int n = enc.encode(x, 0, shape, s, buf, 0);
        out.add(new Sample(name, Arrays.copyOf(buf, n)));
    }
}
