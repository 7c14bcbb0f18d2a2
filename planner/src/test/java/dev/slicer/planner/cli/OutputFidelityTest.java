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
        assertThat(OutputFidelity.cosine(reference, got)).isCloseTo(Math.sqrt(0.5), within(1e-9));
    }

    @Test
    void kvCacheAndIntegerOutputsAreNotPartOfTheReply() {
        var reference = OutputFidelity.replyOutputs(Map.of(
                "logits", floats(1, 2),
                "present.0.key", floats(1, 2),
                "ids", HostTensor.ofLongs(new long[] {1}, new long[] {7})));
        assertThat(reference).containsOnlyKeys("logits");
        assertThat(OutputFidelity.cosine(reference, Map.of("logits", floats(1, 2), "present.0.key", floats(-1, 0))))
                .isCloseTo(1, within(1e-9));
    }

    @Test
    void aMissingOutputOrNoFloatOutputIsAnError() {
        var reference = OutputFidelity.replyOutputs(Map.of("a", floats(1), "b", floats(1)));
        assertThatIllegalStateException().isThrownBy(() -> OutputFidelity.cosine(reference, Map.of("a", floats(1))));
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        OutputFidelity.replyOutputs(Map.of("ids", HostTensor.ofLongs(new long[] {1}, new long[] {7}))));
    }
}
