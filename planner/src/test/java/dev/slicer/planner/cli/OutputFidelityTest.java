package dev.slicer.planner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;

import dev.slicer.model.split.HostTensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputFidelityTest {
    private static HostTensor floats(float... v) {
        return HostTensor.ofFloats(new long[] {v.length}, v);
    }

    @Test
    void theFidelityIsTheWorstOutputNotTheFirstByName() {
        // "882" sorts before "output_0": the old rule scored only the pooled vector
        var reference = OutputFidelity.replyOutputs(Map.of("882", floats(1, 0), "output_0", floats(1, 0, 0, 0)));
        var got = Map.of("882", floats(1, 0), "output_0", floats(1, 1, 0, 0));
        assertThat(OutputFidelity.OUTPUT_COSINE.worst(reference, got)).isCloseTo(Math.sqrt(0.5), within(1e-9));
    }

    @Test
    void kvCacheAndIntegerOutputsAreNotPartOfTheReply() {
        var reference = OutputFidelity.replyOutputs(Map.of(
                "logits", floats(1, 2),
                "present.0.key", floats(1, 2),
                "ids", HostTensor.ofLongs(new long[] {1}, new long[] {7})));
        assertThat(reference).containsOnlyKeys("logits");
        assertThat(OutputFidelity.OUTPUT_COSINE.worst(
                        reference, Map.of("logits", floats(1, 2), "present.0.key", floats(-1, 0))))
                .isCloseTo(1, within(1e-9));
    }

    @Test
    void aDecodersFidelityIsItsGreedyAgreementPerPosition() {
        // [1, 2 positions, vocab 3]: position 0 keeps its argmax under noise, position 1 flips it (cosine 0.98)
        var reference = OutputFidelity.replyOutputs(
                Map.of("logits", HostTensor.ofFloats(new long[] {1, 2, 3}, new float[] {3, 1, 0, 1, 1.1f, 0})));
        var got = Map.of("logits", HostTensor.ofFloats(new long[] {1, 2, 3}, new float[] {2.9f, 1, 0, 1.1f, 1, 0}));
        assertThat(OutputFidelity.OUTPUT_COSINE.worst(reference, got)).isGreaterThan(0.98);
        assertThat(OutputFidelity.GREEDY_AGREEMENT.worst(reference, got)).isEqualTo(0.5);
        var same = Map.of("logits", HostTensor.ofFloats(new long[] {1, 2, 3}, reference.get("logits")));
        assertThat(OutputFidelity.GREEDY_AGREEMENT.worst(reference, same)).isEqualTo(1.0);
    }

    @Test
    void theRuleFollowsTheModel() {
        assertThat(OutputFidelity.of(dev.slicer.model.split.SplittableModel.load("builtin:tiny-llama")))
                .isEqualTo(OutputFidelity.GREEDY_AGREEMENT);
        assertThat(OutputFidelity.of(dev.slicer.model.split.SplittableModel.load("builtin:minilm")))
                .isEqualTo(OutputFidelity.OUTPUT_COSINE);
        assertThat(OutputFidelity.GREEDY_AGREEMENT.metric()).isEqualTo("greedy-agreement-min");
    }

    @Test
    void aMissingOutputOrNoFloatOutputIsAnError() {
        var reference = OutputFidelity.replyOutputs(Map.of("a", floats(1), "b", floats(1)));
        assertThatIllegalStateException()
                .isThrownBy(() -> OutputFidelity.OUTPUT_COSINE.worst(reference, Map.of("a", floats(1))));
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        OutputFidelity.replyOutputs(Map.of("ids", HostTensor.ofLongs(new long[] {1}, new long[] {7}))));
    }
}
