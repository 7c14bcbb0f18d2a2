package dev.slicer.model.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.model.builder.GraphBuilder;
import dev.slicer.model.onnx.proto.Onnx.AttributeProto;
import dev.slicer.model.onnx.proto.Onnx.GraphProto;
import dev.slicer.model.onnx.proto.Onnx.NodeProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubgraphTest {
    private static GraphProto branch(String name, int relus) {
        GraphProto.Builder g = GraphProto.newBuilder().setName(name);
        String h = "x";
        for (int i = 0; i < relus; i++) {
            String o = name + "_relu" + i;
            g.addNode(NodeProto.newBuilder()
                    .setName(name + "/Relu_" + i)
                    .setOpType("Relu")
                    .addInput(h)
                    .addOutput(o));
            h = o;
        }
        g.addOutput(GraphBuilder.valueInfo(h, DataType.FLOAT_VALUE, "batch", "256"));
        return g.build();
    }

    @Test
    void aNetworkInsideAnIfOnAnInputIsReportedWithTheInput() {
        GraphBuilder g = new GraphBuilder("if_model", 1);
        g.input("x", DataType.FLOAT_VALUE, "batch", "256");
        g.input("sr", DataType.INT64_VALUE);
        String k = g.longs("sixteen_k", new long[0], 16000);
        String cond = g.op("/Equal", "Equal", "sr", k);
        NodeProto.Builder ifNode = NodeProto.newBuilder()
                .setName("If_0")
                .setOpType("If")
                .addInput(cond)
                .addOutput("y")
                .addAttribute(AttributeProto.newBuilder()
                        .setName("then_branch")
                        .setType(AttributeProto.AttributeType.GRAPH)
                        .setG(branch("then", 6)))
                .addAttribute(AttributeProto.newBuilder()
                        .setName("else_branch")
                        .setType(AttributeProto.AttributeType.GRAPH)
                        .setG(branch("else", 3)));
        var model = g.build(17, "test");
        model = model.toBuilder()
                .setGraph(model.getGraph().toBuilder()
                        .addNode(ifNode)
                        .addOutput(GraphBuilder.valueInfo("y", DataType.FLOAT_VALUE, "batch", "256")))
                .build();
        SplittableModel m = SplittableModel.of(model, "if-model");
        assertThat(m.opaqueSubgraph()).hasValueSatisfying(why -> assertThat(why)
                .contains("If 'If_0'")
                .contains("condition depends on input sr")
                .contains("9 nodes"));
        assertThat(SampleInputs.generate(m.model(), m.referenceDims(), 1)
                        .get("sr")
                        .longs())
                .containsExactly(16000L);
        assertThat(List.of(m.candidates().size())).allMatch(n -> n <= 1);
    }
}
