package dev.slicer.e2e.demo;

import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.ModelRunner;
import dev.slicer.model.split.SplittableModel;
import dev.slicer.model.text.TextTokenizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unsplit model's outputs for the demo's sentences, computed once in the demo's own process, against which every
 * edge reply's fidelity (output cosine) is measured.
 */
public final class Reference {
    private final Map<String, float[]> outputs = new LinkedHashMap<>();

    public Reference(String modelUri, List<String> sentences) {
        SplittableModel model = SplittableModel.load(modelUri);
        String out = model.model().getGraph().getOutput(0).getName();
        TextTokenizer tok = TextTokenizer.minilm();
        try (ModelRunner whole = new ModelRunner(model.model(), "reference")) {
            for (String s : sentences) {
                TextTokenizer.Batch b = tok.encodeBatch(List.of(s), 256);
                long[] shape = {1, b.length()};
                Map<String, HostTensor> in = new LinkedHashMap<>();
                in.put("input_ids", HostTensor.ofLongs(shape, b.inputIds()));
                in.put("attention_mask", HostTensor.ofLongs(shape, b.attentionMask()));
                in.put("token_type_ids", HostTensor.ofLongs(shape, b.tokenTypeIds()));
                outputs.put(s, whole.run(in).get(out).floats());
            }
        }
    }

    /** Cosine of an edge's first output against the unsplit model's, NaN when the shapes differ. */
    public double cosine(String sentence, float[] got) {
        float[] want = outputs.get(sentence);
        if (want == null || want.length != got.length) {
            return Double.NaN;
        }
        double dot = 0, nx = 0, ny = 0;
        for (int i = 0; i < want.length; i++) {
            dot += (double) want[i] * got[i];
            nx += (double) want[i] * want[i];
            ny += (double) got[i] * got[i];
        }
        return dot / Math.sqrt(nx * ny);
    }
}
