package dev.slicer.model.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.model.CandidateOutOfRangeException;
import dev.slicer.model.ModelException;
import dev.slicer.model.TestModels;
import dev.slicer.model.UnknownTensorException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitCandidatesTest {
    @Test
    void resnetCandidatesAreStemBlocksAndHead() {
        List<String> names = TestModels.resnet().candidates().stream()
                .map(SplitCandidate::name)
                .toList();
        assertThat(names)
                .containsSubsequence(
                        "relu",
                        "layer1.0",
                        "layer1.1",
                        "layer2.0",
                        "layer2.1",
                        "layer3.0",
                        "layer3.1",
                        "layer4.0",
                        "layer4.1",
                        "avgpool")
                .doesNotHaveDuplicates()
                .noneMatch(n -> n.contains(".conv") || n.contains(".bn"));
        for (SplitCandidate c : TestModels.resnet().candidates()) {
            assertThat(c.activations()).containsExactly(c.bigTensor());
            assertThat(c.sideInputs()).isEmpty();
        }
    }

    @Test
    void llamaCandidatesAreDecoderLayersWithKvOwnership() {
        SplittableModel m = TestModels.llama();
        List<String> names = m.candidates().stream().map(SplitCandidate::name).toList();
        assertThat(names)
                .containsSubsequence(
                        "model.embed_tokens",
                        "model.layers.0",
                        "model.layers.1",
                        "model.layers.2",
                        "model.layers.3",
                        "model.norm");
        SplitCandidate l1 = m.candidate("model.layers.1");
        assertThat(l1.activations()).containsExactly(l1.bigTensor());
        assertThat(m.tensorInfo(l1.bigTensor()).dims()).containsExactly("batch", "sequence", "64");
        assertThat(l1.sideInputs()).contains("attention_mask", "position_ids");
        assertThat(l1.backState())
                .containsExactlyInAnyOrder(
                        "past_key_values.2.key",
                        "past_key_values.2.value",
                        "past_key_values.3.key",
                        "past_key_values.3.value");
        assertThat(l1.frontOutputs())
                .containsExactlyInAnyOrder("present.0.key", "present.0.value", "present.1.key", "present.1.value");
        Split s = m.split(l1);
        assertThat(s.frontInputNames())
                .contains("past_key_values.0.key", "past_key_values.1.value")
                .doesNotContain("past_key_values.2.key");
        assertThat(s.backInputNames())
                .contains(l1.bigTensor(), "past_key_values.3.value")
                .doesNotContain("past_key_values.0.key");
        assertThat(s.backOutputNames()).contains("logits", "present.2.key").doesNotContain("present.0.key");
    }

    @Test
    void frontAndBackCopyOnlyTheirInitializers() {
        SplittableModel m = TestModels.resnet();
        Split s = m.split(m.candidate("layer2.1"));
        List<String> front = s.front().getGraph().getInitializerList().stream()
                .map(t -> t.getName())
                .toList();
        List<String> back = s.back().getGraph().getInitializerList().stream()
                .map(t -> t.getName())
                .toList();
        assertThat(front).contains("conv1.weight", "layer2.1.conv2.weight").doesNotContain("fc.weight");
        assertThat(back).contains("fc.weight", "layer3.0.conv1.weight").doesNotContain("conv1.weight");
        assertThat(front.size() + back.size()).isEqualTo(m.model().getGraph().getInitializerCount());
    }

    @Test
    void frontThenBackEqualsFullModelEverywhere() {
        for (SplittableModel m : List.of(TestModels.resnet(), TestModels.llama())) {
            SplitVerifier.Report r = SplitVerifier.verify(m, m.candidates(), null);
            assertThat(r.results()).hasSize(m.candidates().size());
            assertThat(r.allExact()).as(r.summaryLine()).isTrue();
            assertThat(r.summaryLine()).matches("verify: (\\d+)/\\1 candidates exact max_abs_diff=.*");
        }
    }

    @Test
    void kvSplitMatchesWithPastLongerThanZeroAndSingleTokenDecode() {
        SplittableModel m = TestModels.llama();
        Map<String, HostTensor> step = SampleInputs.generate(m.model(), new SampleInputs.Dims(1, 1, 9), 17);
        assertThat(step.get("past_key_values.0.key").shape()).containsExactly(1, 4, 9, 16);
        Map<String, HostTensor> ref;
        try (ModelRunner full = new ModelRunner(m.model(), "full")) {
            ref = full.run(step);
        }
        try (SplitRunner r = new SplitRunner(m.split(m.candidate("model.layers.2")))) {
            Map<String, HostTensor> out = r.run(step, t -> t);
            assertThat(out.keySet()).containsAll(ref.keySet());
            SplitVerifier.Result res = SplitVerifier.compare(r.split().candidate(), ref, out);
            assertThat(res.exact()).isTrue();
            assertThat(out.get("present.3.key").shape()).containsExactly(1, 4, 10, 16);
        }
    }

    @Test
    void transformOfTheBigActivationReachesTheBack() {
        SplittableModel m = TestModels.resnet();
        Map<String, HostTensor> in = SampleInputs.generate(m.model(), m.referenceDims(), 1);
        try (SplitRunner r = new SplitRunner(m.split(m.candidate("layer3.0")))) {
            HostTensor act = r.bigActivation(in);
            assertThat(act.shape()).containsExactly(1, 64, 8, 8);
            Map<String, HostTensor> zeroed =
                    r.run(in, t -> HostTensor.ofFloats(t.shape(), new float[t.floats().length]));
            Map<String, HostTensor> same = r.run(in, t -> t);
            assertThat(zeroed.get("logits").floats())
                    .isNotEqualTo(same.get("logits").floats());
        }
    }

    @Test
    void userNamedTensorAndErrors() {
        SplittableModel m = TestModels.resnet();
        SplitCandidate c = m.candidateAtTensor("layer1.0.relu/Relu_output_0");
        assertThat(c.index()).isEqualTo(-1);
        assertThat(c.bigTensor()).isEqualTo("layer1.0.relu/Relu_output_0");
        assertThat(c.activations()).hasSize(2); // the block's shortcut is live too
        try (SplitRunner r = new SplitRunner(m.split(c))) {
            Map<String, HostTensor> in = SampleInputs.generate(m.model(), m.referenceDims(), 2);
            assertThat(r.run(in, t -> t)).containsKey("logits");
        }
        assertThatThrownBy(() -> m.candidateAtTensor("no.such.tensor"))
                .isInstanceOf(UnknownTensorException.class)
                .hasMessageContaining("no.such.tensor");
        assertThatThrownBy(() -> m.candidateAtTensor("input"))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("graph input");
        int n = m.candidates().size();
        assertThatThrownBy(() -> m.candidate(n))
                .isInstanceOf(CandidateOutOfRangeException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> m.candidate("layer9.9"))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("layer9.9");
    }

    @Test
    void modulePathsFromCommonNamingSchemes() {
        assertThat(ModelGraph.modulePath("/encoder/layer.3/attention/self/query/MatMul"))
                .isEqualTo("encoder.layer.3.attention.self.query");
        assertThat(ModelGraph.modulePath("/layer1/layer1.0/conv1/Conv")).isEqualTo("layer1.0.conv1");
        assertThat(ModelGraph.modulePath("/model/layers.7/mlp/Mul")).isEqualTo("model.layers.7.mlp");
        assertThat(ModelGraph.modulePath("layer2.1.conv1/Conv")).isEqualTo("layer2.1.conv1");
        assertThat(ModelGraph.modulePath("MatMul_12")).isEmpty();
    }
}
