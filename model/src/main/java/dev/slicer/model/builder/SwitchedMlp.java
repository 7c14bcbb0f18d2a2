package dev.slicer.model.builder;

import dev.slicer.model.onnx.Tensors;
import dev.slicer.model.onnx.proto.Onnx.GraphProto;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.NodeProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import java.util.Random;
import java.util.function.Function;

/**
 * An MLP that sits inside an {@code If}, as exporters write a model with a mode switch (Silero VAD switches on its
 * sample rate): input {@code x [batch,256]} and a scalar {@code sr} (int64); the then branch is 6 layers (MatMul with
 * its own 256x256 weight, Relu), the else branch 3; output {@code y [batch,256]}. The condition is built by the
 * caller from the graph builder ({@link #SR_IS_16K} reads {@code sr}).
 */
public final class SwitchedMlp {
    public static final int WIDTH = 256;

    /** {@code sr == 16000}. */
    public static final Function<GraphBuilder, String> SR_IS_16K =
            g -> g.op("/Equal", "Equal", "sr", g.longs("sixteen_k", new long[0], 16000));

    private SwitchedMlp() {}

    public static ModelProto build(Function<GraphBuilder, String> condition) {
        GraphBuilder g = new GraphBuilder("switched_mlp", 1);
        g.input("x", DataType.FLOAT_VALUE, "batch", Integer.toString(WIDTH));
        g.input("sr", DataType.INT64_VALUE);
        String cond = condition.apply(g);
        ModelProto model = g.build(17, "test");
        return model.toBuilder()
                .setGraph(model.getGraph().toBuilder()
                        .addNode(GraphBuilder.ifNode("If_0", cond, "y", branch("then", 6), branch("else", 3)))
                        .addOutput(GraphBuilder.valueInfo("y", DataType.FLOAT_VALUE, "batch", Integer.toString(WIDTH))))
                .build();
    }

    /** A branch of {@code layers} MatMul + Relu layers on the outer {@code x}, weights its own initializers. */
    private static GraphProto branch(String name, int layers) {
        GraphProto.Builder g = GraphProto.newBuilder().setName(name);
        Random rnd = new Random(name.hashCode());
        String h = "x";
        for (int i = 0; i < layers; i++) {
            float[] w = new float[WIDTH * WIDTH];
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) rnd.nextGaussian() / 16;
            }
            String weight = name + ".layer" + i + ".weight";
            g.addInitializer(Tensors.floats(weight, new long[] {WIDTH, WIDTH}, w));
            String mm = name + "_mm" + i;
            g.addNode(NodeProto.newBuilder()
                    .setName(name + "/layer" + i + "/MatMul")
                    .setOpType("MatMul")
                    .addInput(h)
                    .addInput(weight)
                    .addOutput(mm));
            String o = name + "_relu" + i;
            g.addNode(NodeProto.newBuilder()
                    .setName(name + "/layer" + i + "/Relu")
                    .setOpType("Relu")
                    .addInput(mm)
                    .addOutput(o));
            h = o;
        }
        g.addOutput(GraphBuilder.valueInfo(h, DataType.FLOAT_VALUE, "batch", Integer.toString(WIDTH)));
        return g.build();
    }
}
