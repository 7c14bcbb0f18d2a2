package dev.slicer.model.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.model.PinnedInputException;
import dev.slicer.model.builder.GraphBuilder;
import dev.slicer.model.builder.SwitchedMlp;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Networks inside an {@code If}: inlined when the condition is fixed for the inputs, reported when it is not. */
class SubgraphTest {
    private static ModelProto ifModel(Function<GraphBuilder, String> condition) {
        return SwitchedMlp.build(condition);
    }

    @Test
    void anIfOnAScalarInputIsInlinedForItsValueAndThatValueIsPinned() {
        SplittableModel m = SplittableModel.of(ifModel(SwitchedMlp.SR_IS_16K), "if-model");
        assertThat(m.opaqueSubgraph()).isEmpty();
        assertThat(m.specializationNotes()).singleElement().satisfies(n -> assertThat(n)
                .contains("If 'If_0' inlined (then branch, 12 nodes) for sr = 16000"));
        assertThat(m.pinnedInputs()).containsOnlyKeys("sr");
        assertThat(m.pinnedInputs().get("sr").longs()).containsExactly(16000L);
        // the then branch's layers are cut points now, and every cut is exact
        assertThat(m.candidates()).extracting(SplitCandidate::name).contains("then.layer0", "then.layer4");
        assertThat(SplitVerifier.verify(m, m.candidates(), r -> {}).allExact()).isTrue();
        // and the inlined model answers as the model as exported, for the pinned value
        Map<String, HostTensor> in = SampleInputs.generate(m.model(), m.referenceDims(), 3);
        try (ModelRunner exported = new ModelRunner(ifModel(SwitchedMlp.SR_IS_16K), "exported");
                ModelRunner inlined = new ModelRunner(m.model(), "inlined")) {
            assertThat(inlined.run(in)).isEqualTo(exported.run(in));
        }
        m.checkPinned(in);
        in.put("sr", HostTensor.ofLongs(new long[0], new long[] {8000}));
        assertThatThrownBy(() -> m.checkPinned(in))
                .isInstanceOf(PinnedInputException.class)
                .hasMessageContaining("input 'sr' must be 16000")
                .hasMessageContaining("got 8000");
    }

    @Test
    void aConstantConditionIsInlinedWithNothingPinned() {
        SplittableModel m = SplittableModel.of(
                ifModel(g -> g.op(
                        "/Not",
                        "Not",
                        g.op("/Cast", "Cast", GraphBuilder.Attrs.of().i("to", 9), g.longs("one", new long[0], 1)))),
                "constant-if");
        assertThat(m.pinnedInputs()).isEmpty();
        assertThat(m.specializationNotes())
                .singleElement()
                .satisfies(n -> assertThat(n).contains("else branch, 6 nodes").contains("condition is constant"));
        assertThat(m.candidates()).extracting(SplitCandidate::name).contains("else.layer0");
    }

    /** An {@code If} on the size of an input {@code window} declared with {@code dims}. */
    private static ModelProto ifOnWindowSize(String... dims) {
        return ifModel(g -> g.op(
                "/Equal",
                "Equal",
                g.op("/Size", "Size", g.input("window", DataType.FLOAT_VALUE, dims)),
                g.longs("n", new long[0], 256)));
    }

    @Test
    void anIfOnTheFixedShapeOfAnInputIsInlinedWithNothingPinned() {
        // window is always [4, 64] (ONNX Runtime refuses any other shape): its size decides nothing per request
        SplittableModel m = SplittableModel.of(ifOnWindowSize("4", "64"), "shape-if");
        assertThat(m.opaqueSubgraph()).isEmpty();
        assertThat(m.pinnedInputs()).isEmpty();
        assertThat(m.specializationNotes())
                .singleElement()
                .satisfies(n -> assertThat(n).contains("then branch, 12 nodes").contains("condition is constant"));
        assertThat(m.candidates()).extracting(SplitCandidate::name).contains("then.layer0", "then.layer4");
        assertThat(SplitVerifier.verify(m, m.candidates(), r -> {}).allExact()).isTrue();
    }

    @Test
    void anIfOnASymbolicSizeStaysWholeAndIsReportedWithTheInput() {
        // window's first dimension is symbolic: its size can change with every request
        SplittableModel m = SplittableModel.of(ifOnWindowSize("frames", "64"), "symbolic-shape-if");
        assertThat(m.pinnedInputs()).isEmpty();
        assertThat(m.opaqueSubgraph())
                .hasValueSatisfying(
                        why -> assertThat(why).contains("If 'If_0'").contains("condition depends on input window"));
    }

    @Test
    void anIfOnTheDataStaysWholeAndIsReportedWithTheInput() {
        // the condition reads x's values: it may change with every request
        SplittableModel m = SplittableModel.of(
                ifModel(g -> g.op(
                        "/Greater",
                        "Greater",
                        g.op("/ReduceSum", "ReduceSum", GraphBuilder.Attrs.of().i("keepdims", 0), "x"),
                        g.floats("zero", new long[0], 0f))),
                "data-if");
        assertThat(m.pinnedInputs()).isEmpty();
        assertThat(m.opaqueSubgraph()).hasValueSatisfying(why -> assertThat(why)
                .contains("If 'If_0'")
                .contains("condition depends on input x")
                .contains("18 nodes"));
        assertThat(m.candidates().size()).isLessThanOrEqualTo(1);
    }
}
