package dev.slicer.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.model.WildModels;
import dev.slicer.model.quant.WeightQuantizer;
import dev.slicer.model.split.ModelGraph;
import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplitVerifier;
import dev.slicer.model.split.SplittableModel;
import org.junit.jupiter.api.Test;

class ConstantWeightsTest {
    @Test
    void constantNodeWeightsAreWeightsEverywhere() {
        SplittableModel m = SplittableModel.of(WildModels.constantWeightMlp(17), "constant-mlp");
        assertThat(m.graph().totalParameterBytes()).isEqualTo(WildModels.CONSTANT_MLP_WEIGHT_BYTES);
        assertThat(m.candidates()).extracting(SplitCandidate::name).contains("layers.0", "layers.1");
        for (SplitCandidate c : m.candidates()) {
            assertThat(c.activations()).noneMatch(a -> a.contains("Constant"));
        }
        assertThat(SplitVerifier.verify(m, m.candidates(), null).allExact()).isTrue();
        WeightQuantizer.Result q = WeightQuantizer.quantize(WildModels.constantWeightMlp(17), 8);
        assertThat(q.quantizedWeights()).isEqualTo(3);
        assertThat((double) q.paramBytesBefore() / q.paramBytesAfter()).isGreaterThan(3.5);
    }

    @Test
    void promotionKeepsOtherNodesAndNamesTheOutput() {
        var model = ConstantWeights.promote(WildModels.constantWeightMlp(17));
        assertThat(model.getGraph().getNodeList()).noneMatch(n -> n.getOpType().equals("Constant"));
        assertThat(new ModelGraph(model).initializers()).containsKey("/layers.0/Constant_output_0");
        assertThat(ConstantWeights.count(WildModels.constantWeightMlp(17))).isEqualTo(3);
    }
}
