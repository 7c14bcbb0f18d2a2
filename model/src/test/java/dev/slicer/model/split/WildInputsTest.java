package dev.slicer.model.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.model.builder.GraphBuilder;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WildInputsTest {
    /** A voice-activity-like graph: input[?, ?], state[2, batch, 128], sr (int64 scalar) compared with 8000. */
    private static ModelProto vadLike() {
        GraphBuilder g = new GraphBuilder("vad", 1);
        g.input("input", DataType.FLOAT_VALUE, "", "");
        g.input("state", DataType.FLOAT_VALUE, "2", "", "128");
        g.input("sr", DataType.INT64_VALUE);
        String eight = g.longs("eight_k", new long[0], 8000);
        String eq = g.op("/sr/Equal", "Equal", "sr", eight);
        g.node(
                "/out/Cast",
                "Cast",
                GraphBuilder.Attrs.of().i("to", DataType.FLOAT_VALUE),
                List.of(eq),
                List.of("is8k"));
        g.output("is8k", DataType.FLOAT_VALUE);
        return g.build(17, "test");
    }

    @Test
    void batchIsFoundFromShapesAndScalarsFromTheGraph() {
        SampleInputs.Dims dims = new SampleInputs.Dims(3, 16, 0);
        Map<String, HostTensor> in = SampleInputs.generate(vadLike(), dims, 1);
        assertThat(in.get("state").shape()).containsExactly(2, 3, 128);
        assertThat(in.get("input").shape()).containsExactly(3, SampleInputs.DEFAULT_SAMPLES);
        assertThat(in.get("sr").shape()).isEmpty();
        assertThat(in.get("sr").longs()).containsExactly(8000L);
        assertThat(SampleInputs.describe(vadLike(), dims)).anyMatch(l -> l.startsWith("sr ") && l.contains("8000"));
        try (ModelRunner r = new ModelRunner(vadLike(), "vad")) {
            assertThat(r.run(in).get("is8k").value(0)).isEqualTo(1.0);
        }
    }

    @Test
    void imagesGetSidesThatAreMultiplesOf32AndGivenShapesWin() {
        GraphBuilder g = new GraphBuilder("img", 1);
        g.input("x", DataType.FLOAT_VALUE, "n", "3", "h", "w");
        g.node("/id/Identity", "Identity", GraphBuilder.Attrs.of(), List.of("x"), List.of("y"));
        g.output("y", DataType.FLOAT_VALUE, "n", "3", "h", "w");
        ModelProto m = g.build(17, "test");
        SampleInputs.Dims dims = new SampleInputs.Dims(2, 16, 0);
        assertThat(SampleInputs.generate(m, dims, 1).get("x").shape())
                .containsExactly(2, 3, SampleInputs.DEFAULT_SPATIAL, SampleInputs.DEFAULT_SPATIAL);
        assertThat(SampleInputs.DEFAULT_SPATIAL % 32).isZero();
        assertThat(SampleInputs.generate(m, dims.withShapes(Map.of("x", new long[] {1, 3, 640, 320})), 1)
                        .get("x")
                        .shape())
                .containsExactly(1, 3, 640, 320);
    }

    @Test
    void toleranceIsAbsolutePlusRelative() {
        GraphBuilder g = new GraphBuilder("tiny", 1);
        g.input("x", DataType.FLOAT_VALUE, "1", "4");
        g.node("/id/Identity", "Identity", GraphBuilder.Attrs.of(), List.of("x"), List.of("y"));
        g.output("y", DataType.FLOAT_VALUE, "1", "4");
        SplittableModel m = SplittableModel.of(g.build(17, "test"), "tiny");
        HostTensor ref = HostTensor.ofFloats(new long[] {1, 4}, new float[] {1e-4f, 2e-4f, 0, 1e-4f});
        HostTensor near = HostTensor.ofFloats(new long[] {1, 4}, new float[] {1e-4f + 1e-7f, 2e-4f, 0, 1e-4f});
        HostTensor far = HostTensor.ofFloats(new long[] {1, 4}, new float[] {1e-4f + 1e-5f, 2e-4f, 0, 1e-4f});
        SplitCandidate c = new SplitCandidate(0, "c", 0, "n", "y", List.of("y"), List.of(), List.of(), List.of());
        SplitVerifier.Result ok = SplitVerifier.compare(c, Map.of("y", ref), Map.of("y", near));
        assertThat(ok.exact()).isTrue();
        assertThat(ok.tolerance()).isEqualTo(SplitVerifier.tolerance(2e-4f));
        assertThat(SplitVerifier.compare(c, Map.of("y", ref), Map.of("y", far)).exact())
                .isFalse();
        assertThat(m.name()).isEqualTo("tiny");
    }
}
