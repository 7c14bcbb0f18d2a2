package dev.slicer.model.builder;

import dev.slicer.model.builder.GraphBuilder.Attrs;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;

/**
 * A small ResNet-style image classifier built from a seed: a 3x3 stem, four stages of basic
 * residual blocks (conv, batch-norm, ReLU, 1x1 projection shortcut when the shape changes), global
 * average pooling and a linear classifier. Input {@code input [batch,3,32,32]}, output
 * {@code logits [batch,10]}. Nodes are named like a PyTorch export ({@code layer2.0.conv1/Conv}).
 */
public final class TinyResNet {
    public static final int IMAGE_SIZE = 32;
    public static final int CLASSES = 10;
    static final int[] CHANNELS = {16, 32, 64, 128};
    static final int[] BLOCKS = {2, 2, 2, 2};

    private TinyResNet() {}

    public static ModelProto build(long seed) {
        GraphBuilder g = new GraphBuilder("tiny_resnet", seed);
        int f = DataType.FLOAT_VALUE;
        String x = g.input("input", f, "batch", "3", Integer.toString(IMAGE_SIZE), Integer.toString(IMAGE_SIZE));
        x = conv(g, "conv1", x, 3, CHANNELS[0], 3, 1);
        x = bn(g, "bn1", x, CHANNELS[0], 1f);
        x = g.op("relu/Relu", "Relu", x);
        int in = CHANNELS[0];
        for (int s = 0; s < CHANNELS.length; s++) {
            int out = CHANNELS[s];
            for (int b = 0; b < BLOCKS[s]; b++) {
                int stride = (b == 0 && s > 0) ? 2 : 1;
                x = block(g, "layer" + (s + 1) + "." + b, x, in, out, stride);
                in = out;
            }
        }
        x = g.op("avgpool/GlobalAveragePool", "GlobalAveragePool", x);
        x = g.op("flatten/Flatten", "Flatten", Attrs.of().i("axis", 1), x);
        String w = g.normal("fc.weight", 0f, (float) Math.sqrt(1.0 / in), CLASSES, in);
        String bias = g.normal("fc.bias", 0f, 0.01f, CLASSES);
        g.node(
                "fc/Gemm",
                "Gemm",
                Attrs.of().i("transB", 1),
                java.util.List.of(x, w, bias),
                java.util.List.of("logits"));
        g.output("logits", f, "batch", Integer.toString(CLASSES));
        return g.build(17, "slicer-builder tiny-resnet");
    }

    private static String block(GraphBuilder g, String name, String x, int in, int out, int stride) {
        String y = conv(g, name + ".conv1", x, in, out, 3, stride);
        y = bn(g, name + ".bn1", y, out, 1f);
        y = g.op(name + ".relu/Relu", "Relu", y);
        y = conv(g, name + ".conv2", y, out, out, 3, 1);
        y = bn(g, name + ".bn2", y, out, 0.5f);
        String shortcut = x;
        if (stride != 1 || in != out) {
            shortcut = conv(g, name + ".downsample.0", x, in, out, 1, stride);
            shortcut = bn(g, name + ".downsample.1", shortcut, out, 1f);
        }
        String sum = g.op(name + "/Add", "Add", y, shortcut);
        return g.op(name + "/Relu", "Relu", sum);
    }

    private static String conv(GraphBuilder g, String name, String x, int in, int out, int k, int stride) {
        float std = (float) Math.sqrt(2.0 / (in * k * k));
        String w = g.normal(name + ".weight", 0f, std, out, in, k, k);
        int pad = k / 2;
        return g.op(
                name + "/Conv",
                "Conv",
                Attrs.of()
                        .ints("kernel_shape", k, k)
                        .ints("strides", stride, stride)
                        .ints("pads", pad, pad, pad, pad),
                x,
                w);
    }

    private static String bn(GraphBuilder g, String name, String x, int c, float gammaScale) {
        String gamma = g.normal(name + ".weight", gammaScale, 0.1f * gammaScale, c);
        String beta = g.normal(name + ".bias", 0f, 0.1f, c);
        String mean = g.normal(name + ".running_mean", 0f, 0.1f, c);
        String var = g.uniform(name + ".running_var", 0.8f, 1.2f, c);
        return g.op(
                name + "/BatchNormalization",
                "BatchNormalization",
                Attrs.of().f("epsilon", 1e-5f),
                x,
                gamma,
                beta,
                mean,
                var);
    }
}
