package dev.slicer.model.onnx;

import dev.slicer.model.onnx.proto.Onnx.AttributeProto;
import dev.slicer.model.onnx.proto.Onnx.GraphProto;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.NodeProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;

/**
 * Turns the top-level {@code Constant} nodes of a graph into initializers of the same name.
 * Exporters such as paddle2onnx, tf2onnx and older PyTorch write every weight as a Constant node;
 * as initializers they are weights to every analysis (candidates, parameter bytes, quantization)
 * instead of activations. Semantics are unchanged: a Constant's output is exactly its tensor.
 */
public final class ConstantWeights {
    private ConstantWeights() {}

    /** {@code model} with every promotable Constant as an initializer; the same instance when there is none. */
    public static ModelProto promote(ModelProto model) {
        GraphProto g = model.getGraph();
        GraphProto p = promote(g);
        return p == g ? model : model.toBuilder().setGraph(p).build();
    }

    /**
     * {@code g} (a top-level graph or an {@code If}/{@code Loop} branch) with its own Constant nodes as
     * initializers; nested graphs are left as they are. The same instance when there is none.
     */
    public static GraphProto promote(GraphProto g) {
        if (g.getNodeList().stream().noneMatch(ConstantWeights::promotable)) {
            return g;
        }
        // a graph output must be produced by a node (a branch returning a constant returns its Constant)
        java.util.Set<String> outputs = new java.util.HashSet<>();
        g.getOutputList().forEach(o -> outputs.add(o.getName()));
        GraphProto.Builder out = g.toBuilder().clearNode();
        for (NodeProto n : g.getNodeList()) {
            if (promotable(n) && !outputs.contains(n.getOutput(0))) {
                out.addInitializer(tensorOf(n).toBuilder().setName(n.getOutput(0)));
            } else {
                out.addNode(n);
            }
        }
        return out.build();
    }

    /** Number of top-level Constant nodes {@link #promote} turns into initializers. */
    public static long count(ModelProto model) {
        return model.getGraph().getNodeList().stream()
                .filter(ConstantWeights::promotable)
                .count();
    }

    private static boolean promotable(NodeProto n) {
        return n.getOpType().equals("Constant")
                && (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx"))
                && n.getOutputCount() == 1
                && !n.getOutput(0).isEmpty()
                && tensorOf(n) != null;
    }

    /** The Constant's value as a tensor (value, value_float(s), value_int(s)); null for sparse or string values. */
    private static TensorProto tensorOf(NodeProto n) {
        if (n.getAttributeCount() != 1) {
            return null;
        }
        AttributeProto a = n.getAttribute(0);
        return switch (a.getName()) {
            case "value" -> a.hasT() ? a.getT() : null;
            case "value_float" ->
                TensorProto.newBuilder()
                        .setDataType(DataType.FLOAT_VALUE)
                        .addFloatData(a.getF())
                        .build();
            case "value_floats" ->
                TensorProto.newBuilder()
                        .setDataType(DataType.FLOAT_VALUE)
                        .addDims(a.getFloatsCount())
                        .addAllFloatData(a.getFloatsList())
                        .build();
            case "value_int" ->
                TensorProto.newBuilder()
                        .setDataType(DataType.INT64_VALUE)
                        .addInt64Data(a.getI())
                        .build();
            case "value_ints" ->
                TensorProto.newBuilder()
                        .setDataType(DataType.INT64_VALUE)
                        .addDims(a.getIntsCount())
                        .addAllInt64Data(a.getIntsList())
                        .build();
            default -> null;
        };
    }
}
