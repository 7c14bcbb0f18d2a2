package dev.slicer.model.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.model.builtin.BuiltinModels;
import dev.slicer.model.quant.FrontQuantizer;
import dev.slicer.model.quant.QuantizationReport;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The real all-MiniLM-L6-v2: candidate names, exact splits at the layer boundaries, int8 front. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MiniLmSplitTest {
    private SplittableModel minilm;
    private List<SplitCandidate> layers;

    @BeforeAll
    void load() {
        minilm = SplittableModel.load(BuiltinModels.MINILM);
        layers = IntStream.range(0, 6)
                .mapToObj(i -> minilm.candidate("encoder.layer." + i))
                .toList();
    }

    @Test
    void sixEncoderLayerBoundariesAreCandidates() {
        List<String> names =
                minilm.candidates().stream().map(SplitCandidate::name).toList();
        assertThat(names)
                .containsSubsequence(
                        "embeddings",
                        "encoder.layer.0",
                        "encoder.layer.1",
                        "encoder.layer.2",
                        "encoder.layer.3",
                        "encoder.layer.4",
                        "encoder.layer.5");
        for (SplitCandidate c : layers) {
            assertThat(minilm.tensorInfo(c.bigTensor()).dims()).containsExactly("batch", "sequence", "384");
        }
        // the extended attention mask is recomputed by the back from the shipped attention_mask
        assertThat(layers.get(2).sideInputs()).containsExactly("attention_mask");
    }

    @Test
    void requestSamplesAreHeldOutSentencesAtTheirOwnLengthWithoutPadding() {
        List<String> sentences = dev.slicer.model.text.SampleSentences.load();
        var tok = dev.slicer.model.text.TextTokenizer.minilm();
        java.util.Set<Integer> lengths = new java.util.HashSet<>();
        for (int i = 0; i < 4; i++) {
            var in = SampleInputs.request(minilm.model(), minilm.referenceDims(), 7, 64, i);
            var expected = tok.encode(sentences.get(64 + i), 512);
            long[] shape = in.get("input_ids").shape();
            assertThat(shape).containsExactly(1, expected.length());
            assertThat(in.get("input_ids").longs()).containsExactly(expected.inputIds());
            assertThat(in.get("attention_mask").longs()).containsOnly(1L); // no padding position is scored
            assertThat(in.get("token_type_ids").shape()).containsExactly(shape);
            lengths.add(expected.length());
        }
        assertThat(lengths)
                .as("sentences of several lengths, not one padded length")
                .hasSizeGreaterThan(1);
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> SampleInputs.request(minilm.model(), minilm.referenceDims(), 7, -1, 0));
    }

    @Test
    void layerSplitsAreExact() {
        SplitVerifier.Report r = SplitVerifier.verify(minilm, layers, null);
        assertThat(r.exactCount()).as(r.summaryLine()).isEqualTo(6);
    }

    @Test
    void int8FrontIsSmallAndFaithful() {
        QuantizationReport r = FrontQuantizer.quantize(minilm, minilm.candidate("encoder.layer.5"), 8)
                .report();
        assertThat(r.compression()).isGreaterThanOrEqualTo(3.5);
        assertThat(r.outputCosine()).isGreaterThanOrEqualTo(0.99);
        assertThat(r.activationCosine()).isGreaterThanOrEqualTo(0.99);
    }
}
