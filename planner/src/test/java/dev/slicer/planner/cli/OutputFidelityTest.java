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

    private static HostTensor rows(int rows, float... v) {
        return HostTensor.ofFloats(new long[] {rows, v.length / rows}, v);
    }

    @Test
    void theFidelityIsTheWorstOutputNotTheFirstByName() {
        // "882" sorts before "output_0": the old rule scored only the pooled vector
        var reference = OutputFidelity.replyOutputs(Map.of("882", floats(1, 0), "output_0", floats(1, 0, 0, 0)));
        var got = Map.of("882", floats(1, 0), "output_0", floats(1, 1, 0, 0));
        assertThat(OutputFidelity.BY_OUTPUT_KIND.worst(reference, got)).isCloseTo(Math.sqrt(0.5), within(1e-9));
        assertThat(OutputFidelity.BY_OUTPUT_KIND.metric(reference)).isEqualTo("output-cosine-min");
    }

    @Test
    void kvCacheAndIntegerOutputsAreNotPartOfTheReply() {
        var reference = OutputFidelity.replyOutputs(Map.of(
                "logits", floats(1, 2),
                "present.0.key", floats(1, 2),
                "ids", HostTensor.ofLongs(new long[] {1}, new long[] {7})));
        assertThat(reference).containsOnlyKeys("logits");
        assertThat(OutputFidelity.BY_OUTPUT_KIND.worst(
                        reference, Map.of("logits", floats(1, 2), "present.0.key", floats(-1, 0))))
                .isCloseTo(1, within(1e-9));
    }

    @Test
    void classScoresAreScoredByTheirTopClassAndOtherOutputsByCosine() {
        // probabilities of 2 samples x 3 classes: the second sample's class flips at a cosine of 0.96
        HostTensor prob = rows(2, 0.7f, 0.2f, 0.1f, 0.4f, 0.35f, 0.25f);
        HostTensor flipped = rows(2, 0.7f, 0.2f, 0.1f, 0.35f, 0.4f, 0.25f);
        assertThat(CodecRoundTrip.cosine(prob.floats(), flipped.floats())).isGreaterThan(0.96);
        var reference = OutputFidelity.replyOutputs(Map.of("prob", prob, "embedding", floats(1, 0)));
        assertThat(OutputFidelity.BY_OUTPUT_KIND.worst(reference, Map.of("prob", flipped, "embedding", floats(1, 0))))
                .isEqualTo(0.5);
        assertThat(OutputFidelity.BY_OUTPUT_KIND.metric(reference)).isEqualTo("output-cosine-min+top1-agreement-min");
        // unnormalised scores count as class scores by name; a cosine of 0.7 that keeps every class scores 1
        var logits = OutputFidelity.replyOutputs(Map.of("logits", rows(1, 5, 1, 0)));
        assertThat(OutputFidelity.BY_OUTPUT_KIND.worst(logits, Map.of("logits", rows(1, 1, 0.9f, 0.9f))))
                .isEqualTo(1.0);
        assertThat(OutputFidelity.BY_OUTPUT_KIND.metric(logits)).isEqualTo("top1-agreement-min");
    }

    @Test
    void aVectorWithNegativeValuesIsNeverClassScoresEvenWhenItStartsPositiveAndSumsToOne() {
        // a tanh-pooled embedding that starts positive and sums to 1: scored by argmax, a small change read 0
        HostTensor pooled = rows(1, 0.054f, 0.6f, -0.058f, 0.404f);
        HostTensor noisy = rows(1, 0.064f, 0.59f, -0.05f, 0.61f);
        var reference = OutputFidelity.replyOutputs(Map.of("882", pooled));
        assertThat(OutputFidelity.BY_OUTPUT_KIND.metric(reference)).isEqualTo("output-cosine-min");
        assertThat(OutputFidelity.BY_OUTPUT_KIND.worst(reference, Map.of("882", noisy)))
                .isCloseTo(CodecRoundTrip.cosine(pooled.floats(), noisy.floats()), within(1e-9))
                .isGreaterThan(0.9);
    }

    @Test
    void aDecodersFidelityIsItsGreedyAgreementPerPositionWhateverItsOutputIsNamed() {
        // [1, 2 positions, vocab 3]: position 0 keeps its argmax under noise, position 1 flips it (cosine 0.98)
        var reference = OutputFidelity.replyOutputs(
                Map.of("out", HostTensor.ofFloats(new long[] {1, 2, 3}, new float[] {3, 1, 0, 1, 1.1f, 0})));
        var got = Map.of("out", HostTensor.ofFloats(new long[] {1, 2, 3}, new float[] {2.9f, 1, 0, 1.1f, 1, 0}));
        assertThat(OutputFidelity.BY_OUTPUT_KIND.worst(reference, got)).isGreaterThan(0.98);
        assertThat(OutputFidelity.GREEDY_AGREEMENT.worst(reference, got)).isEqualTo(0.5);
        assertThat(OutputFidelity.GREEDY_AGREEMENT.worst(reference, reference)).isEqualTo(1.0);
    }

    @Test
    void theRuleFollowsTheModel() {
        assertThat(OutputFidelity.of(dev.slicer.model.split.SplittableModel.load("builtin:tiny-llama")))
                .isEqualTo(OutputFidelity.GREEDY_AGREEMENT);
        assertThat(OutputFidelity.of(dev.slicer.model.split.SplittableModel.load("builtin:minilm")))
                .isEqualTo(OutputFidelity.BY_OUTPUT_KIND);
        assertThat(OutputFidelity.GREEDY_AGREEMENT.metric(Map.of())).isEqualTo("greedy-agreement-min");
    }

    @Test
    void aMissingOutputOrNoFloatOutputIsAnError() {
        var reference = OutputFidelity.replyOutputs(Map.of("a", floats(1), "b", floats(1)));
        assertThatIllegalStateException()
                .isThrownBy(() -> OutputFidelity.BY_OUTPUT_KIND.worst(reference, Map.of("a", floats(1))));
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        OutputFidelity.replyOutputs(Map.of("ids", HostTensor.ofLongs(new long[] {1}, new long[] {7}))));
    }
}
