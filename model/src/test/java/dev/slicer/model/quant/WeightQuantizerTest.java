package dev.slicer.model.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.model.TestModels;
import dev.slicer.model.UnsupportedOpException;
import dev.slicer.model.builder.GraphBuilder;
import dev.slicer.model.onnx.proto.Onnx.AttributeProto;
import dev.slicer.model.onnx.proto.Onnx.GraphProto;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.NodeProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import dev.slicer.model.split.SplittableModel;
import org.junit.jupiter.api.Test;

class WeightQuantizerTest {
    @Test
    void int8LlamaFrontShrinksAndStaysClose() {
        SplittableModel m = TestModels.llama();
        QuantizationReport r =
                FrontQuantizer.quantize(m, m.candidate("model.layers.3"), 8).report();
        assertThat(r.compression()).isGreaterThan(3.5);
        assertThat(r.activationCosine()).isGreaterThan(0.999);
        assertThat(r.outputCosine()).isGreaterThan(0.999);
    }

    @Test
    void int4UsesMatMulNBits() {
        SplittableModel m = TestModels.llama();
        FrontQuantizer.Outcome o = FrontQuantizer.quantize(m, m.candidate("model.layers.1"), 4);
        assertThat(o.quantized().model().getGraph().getNodeList())
                .anyMatch(n ->
                        n.getOpType().equals("MatMulNBits") && n.getDomain().equals("com.microsoft"));
        assertThat(o.report().frontParamBytesAfter()).isLessThan(o.report().frontParamBytesBefore() / 4);
        assertThat(o.report().outputCosine()).isGreaterThan(0.95);
    }

    @Test
    void int8ConvFront() {
        SplittableModel m = TestModels.resnet();
        QuantizationReport r =
                FrontQuantizer.quantize(m, m.candidate("layer4.1"), 8).report();
        assertThat(r.compression()).isGreaterThan(3.5);
        assertThat(r.outputCosine()).isGreaterThan(0.99);
    }

    @Test
    void unsupportedWeightUseIsNamed() {
        GraphBuilder g = new GraphBuilder("odd", 1);
        String x = g.input("x", DataType.FLOAT_VALUE, "1", "2", "5000");
        String w = g.normal("big_bias", 0f, 1f, 2, 5000);
        g.node("odd/Add", "Add", GraphBuilder.Attrs.of(), java.util.List.of(x, w), java.util.List.of("y"));
        g.output("y", DataType.FLOAT_VALUE, "1", "2", "5000");
        ModelProto model = g.build(17, "test");
        assertThatThrownBy(() -> WeightQuantizer.quantize(model, 8))
                .isInstanceOf(UnsupportedOpException.class)
                .hasMessageContaining("Add")
                .hasMessageContaining("odd/Add")
                .hasMessageContaining("big_bias");
        assertThatThrownBy(() -> WeightQuantizer.quantize(model, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void opset11GetsPerTensorDequantizeTimesChannelScales() {
        ModelProto model = dev.slicer.model.WildModels.constantWeightMlp(11);
        WeightQuantizer.Result q = WeightQuantizer.quantize(model, 8);
        assertThat(q.model().getGraph().getNodeList())
                .filteredOn(n -> n.getOpType().equals("DequantizeLinear"))
                .hasSize(3)
                .allMatch(n -> n.getAttributeCount() == 0);
        assertThat(q.notes()).anyMatch(n -> n.contains("per-tensor"));
        assertThat(closeness(model, q.model())).isGreaterThan(0.999);
        // int4 at opset 11: MatMulNBits is a contrib op, valid at any default opset
        WeightQuantizer.Result q4 = WeightQuantizer.quantize(model, 4);
        assertThat(q4.model().getGraph().getNodeList())
                .anyMatch(n -> n.getOpType().equals("MatMulNBits"));
        assertThat(closeness(model, q4.model())).isGreaterThan(0.98);
    }

    @Test
    void convTransposeKernelsAreInt8AndInt4FallsBackWithANote() {
        GraphBuilder g = new GraphBuilder("up", 5);
        String x = g.input("x", DataType.FLOAT_VALUE, "batch", "16", "8", "8");
        String w = g.normal("up.weight", 0f, 0.1f, 16, 8, 2, 2);
        String y = g.op(
                "/up/ConvTranspose", "ConvTranspose", GraphBuilder.Attrs.of().ints("strides", 2, 2), x, w);
        g.node("/out/Identity", "Identity", GraphBuilder.Attrs.of(), java.util.List.of(y), java.util.List.of("y"));
        g.output("y", DataType.FLOAT_VALUE, "batch", "8", "16", "16");
        ModelProto model = g.build(12, "test");
        WeightQuantizer.Result q = WeightQuantizer.quantize(model, 4);
        assertThat(q.quantizedWeights()).isEqualTo(1);
        assertThat(q.notes()).anyMatch(n -> n.contains("int8, not int4"));
        assertThat((double) q.paramBytesBefore() / q.paramBytesAfter()).isGreaterThan(3.5);
        assertThat(closeness(model, q.model())).isGreaterThan(0.999);
    }

    @Test
    void aQuantizationThatChangesNothingIsAnError() {
        GraphBuilder g = new GraphBuilder("none", 1);
        String x = g.input("x", DataType.FLOAT_VALUE, "1", "4");
        g.node("/r/Relu", "Relu", GraphBuilder.Attrs.of(), java.util.List.of(x), java.util.List.of("y"));
        g.output("y", DataType.FLOAT_VALUE, "1", "4");
        assertThatThrownBy(() -> WeightQuantizer.quantize(g.build(17, "test"), 8))
                .isInstanceOf(dev.slicer.model.NothingToQuantizeException.class)
                .hasMessageContaining("nothing to quantize");
    }

    @Test
    void batchNormalizationIsFoldedIntoTheConvKernelBeforeQuantizing() {
        GraphBuilder g = new GraphBuilder("conv_bn", 3);
        String x = g.input("x", DataType.FLOAT_VALUE, "batch", "8", "6", "6");
        String w = g.normal("conv.w", 0f, 0.3f, 32, 8, 3, 3);
        String c = g.op("conv", "Conv", GraphBuilder.Attrs.of().ints("pads", 1, 1, 1, 1), x, w);
        String bn = g.op(
                "bn",
                "BatchNormalization",
                GraphBuilder.Attrs.of().f("epsilon", 1e-3f),
                c,
                g.uniform("bn.gamma", 0.5f, 2f, 32),
                g.normal("bn.beta", 0f, 0.5f, 32),
                g.normal("bn.mean", 0f, 0.5f, 32),
                g.uniform("bn.var", 0.1f, 3f, 32));
        g.node("relu", "Relu", GraphBuilder.Attrs.of(), java.util.List.of(bn), java.util.List.of("y"));
        g.output("y", DataType.FLOAT_VALUE, "batch", "32", "6", "6");
        ModelProto model = g.build(11, "test");
        WeightQuantizer.Result q = WeightQuantizer.quantize(model, 8);
        assertThat(q.model().getGraph().getNodeList())
                .noneMatch(n -> n.getOpType().equals("BatchNormalization"))
                .filteredOn(n -> n.getOpType().equals("Conv"))
                .singleElement()
                .satisfies(n -> assertThat(n.getInputCount()).isEqualTo(3));
        // 2304 kernel values + 4 x 32 BN values (float) -> int8 kernel, 32 scales, one 32-value bias
        assertThat(q.paramBytesBefore()).isEqualTo(4L * (2304 + 4 * 32));
        assertThat(q.paramBytesAfter()).isLessThan(2304 + 4 * 2 * 32 + 16);
        assertThat(closeness(model, q.model())).isGreaterThan(0.999);
    }

    @Test
    void weightsInsideIfBranchesAreQuantizedWhereTheyLive() {
        GraphBuilder g = new GraphBuilder("if_weights", 4);
        String x = g.input("x", DataType.FLOAT_VALUE, "batch", "64");
        g.input("sr", DataType.INT64_VALUE);
        String outer = g.normal("outer.w", 0f, 0.2f, 64, 64); // read only inside the else branch
        String cond = g.op("eq", "Equal", "sr", g.longs("k16", new long[0], 16000));
        GraphProto.Builder then = GraphProto.newBuilder().setName("then");
        then.addNode(NodeProto.newBuilder()
                .setOpType("Constant")
                .addOutput("inner.w")
                .addAttribute(AttributeProto.newBuilder()
                        .setName("value")
                        .setType(AttributeProto.AttributeType.TENSOR)
                        .setT(dev.slicer.model.onnx.Tensors.floats(
                                "inner.w", new long[] {64, 64}, randomFloats(64 * 64)))));
        then.addNode(NodeProto.newBuilder()
                .setName("then/MatMul")
                .setOpType("MatMul")
                .addInput(x)
                .addInput("inner.w")
                .addOutput("t_y"));
        then.addOutput(GraphBuilder.valueInfo("t_y", DataType.FLOAT_VALUE, "batch", "64"));
        GraphProto.Builder other = GraphProto.newBuilder().setName("else");
        other.addNode(NodeProto.newBuilder()
                .setName("else/MatMul")
                .setOpType("MatMul")
                .addInput(x)
                .addInput(outer)
                .addOutput("e_y"));
        other.addOutput(GraphBuilder.valueInfo("e_y", DataType.FLOAT_VALUE, "batch", "64"));
        ModelProto built = g.build(11, "test");
        ModelProto model = built.toBuilder()
                .setGraph(built.getGraph().toBuilder()
                        .addNode(GraphBuilder.ifNode("If_0", cond, "y", then.build(), other.build()))
                        .addOutput(GraphBuilder.valueInfo("y", DataType.FLOAT_VALUE, "batch", "64")))
                .build();
        WeightQuantizer.Result q = WeightQuantizer.quantize(model, 4);
        assertThat(q.quantizedWeights()).isEqualTo(2);
        assertThat(q.paramBytesBefore()).isGreaterThanOrEqualTo(2L * 4 * 64 * 64);
        assertThat(q.paramBytesAfter()).isLessThan(q.paramBytesBefore() / 3);
        assertThat(q.notes()).anyMatch(n -> n.contains("inside If/Loop branches are int8"));
        GraphProto qThen = q.model().getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("If"))
                .findFirst()
                .orElseThrow()
                .getAttribute(0)
                .getG();
        // the branch's own weight is int4 inside the branch; the outer one (read from a branch) int8 at the top
        assertThat(qThen.getNodeList()).anyMatch(n -> n.getOpType().equals("MatMulNBits"));
        assertThat(q.model().getGraph().getNodeList())
                .anyMatch(n -> n.getOpType().equals("DequantizeLinear")
                        && n.getInput(0).equals("outer.w_quantized"));
        assertThat(closeness(model, q.model())).isGreaterThan(0.99); // sr = 16000: the then branch, int4
    }

    private static float[] randomFloats(int n) {
        java.util.Random r = new java.util.Random(7);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * 0.2);
        }
        return v;
    }

    private static double closeness(ModelProto a, ModelProto b) {
        var inputs = dev.slicer.model.split.SampleInputs.generate(
                a, new dev.slicer.model.split.SampleInputs.Dims(4, 8, 0), 3);
        try (var ra = new dev.slicer.model.split.ModelRunner(a, "float");
                var rb = new dev.slicer.model.split.ModelRunner(b, "quantized")) {
            return FrontQuantizer.meanCosine(
                    ra.run(inputs).get("y"), rb.run(inputs).get("y"));
        }
    }
}
