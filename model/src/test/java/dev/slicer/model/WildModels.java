package dev.slicer.model;

import dev.slicer.model.builder.GraphBuilder;
import dev.slicer.model.onnx.Tensors;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import java.util.Random;

/** Small generated models shaped like real exports (Constant-node weights, old opsets, state inputs). */
public final class WildModels {
    private WildModels() {}

    /**
     * A three-layer MLP whose weights are Constant nodes (as paddle2onnx and tf2onnx write them), with
     * module-style node names: x[batch,64] -> 3 x (MatMul, Relu) -> y[batch,16].
     */
    public static ModelProto constantWeightMlp(int opset) {
        GraphBuilder g = new GraphBuilder("constant_mlp", 3);
        Random rng = new Random(11);
        String h = g.input("x", DataType.FLOAT_VALUE, "batch", "64");
        int[] widths = {64, 128, 128, 16};
        for (int l = 0; l < 3; l++) {
            float[] w = new float[widths[l] * widths[l + 1]];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) rng.nextGaussian() / (float) Math.sqrt(widths[l]);
            }
            String wt = g.op(
                    "/layers." + l + "/Constant",
                    "Constant",
                    GraphBuilder.Attrs.of()
                            .tensor("value", Tensors.floats("", new long[] {widths[l], widths[l + 1]}, w)));
            h = g.op("/layers." + l + "/MatMul", "MatMul", h, wt);
            if (l < 2) {
                h = g.op("/layers." + l + "/Relu", "Relu", h);
            }
        }
        g.node("/out/Identity", "Identity", GraphBuilder.Attrs.of(), java.util.List.of(h), java.util.List.of("y"));
        g.output("y", DataType.FLOAT_VALUE, "batch", "16");
        return g.build(opset, "test");
    }

    /** Total float bytes of {@link #constantWeightMlp}'s weights. */
    public static final long CONSTANT_MLP_WEIGHT_BYTES = 4L * (64 * 128 + 128 * 128 + 128 * 16);
}
