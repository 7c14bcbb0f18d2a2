package dev.slicer.model.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.model.TestModels;
import dev.slicer.model.UnsupportedOpException;
import dev.slicer.model.builder.GraphBuilder;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
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
        String x = g.input("x", DataType.FLOAT_VALUE, "1", "5000");
        String w = g.normal("big_bias", 0f, 1f, 5000);
        g.node("odd/Add", "Add", GraphBuilder.Attrs.of(), java.util.List.of(x, w), java.util.List.of("y"));
        g.output("y", DataType.FLOAT_VALUE, "1", "5000");
        ModelProto model = g.build(17, "test");
        assertThatThrownBy(() -> WeightQuantizer.quantize(model, 8))
                .isInstanceOf(UnsupportedOpException.class)
                .hasMessageContaining("Add")
                .hasMessageContaining("odd/Add")
                .hasMessageContaining("big_bias");
        assertThatThrownBy(() -> WeightQuantizer.quantize(model, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
