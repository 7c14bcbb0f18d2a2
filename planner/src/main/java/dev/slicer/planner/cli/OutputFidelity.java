package dev.slicer.planner.cli;

import dev.slicer.model.ar.NextToken;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.SampleInputs;
import dev.slicer.model.split.SplittableModel;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one fidelity rule of calibration and {@code plan check}, chosen by the kind of model. A split run is scored
 * against the unsplit model over every float output a client receives; a decoder's KV-cache outputs are its state
 * for the next step, not part of the reply, and are left out.
 */
enum OutputFidelity {
    /**
     * The lowest output cosine. MiniLM answers with per-token hidden states and a pooled vector; quantization noise
     * averages out of the pooled one (0.99 where the hidden states measure 0.975), so scoring only one output planned
     * settings that served below the floor.
     */
    OUTPUT_COSINE("output-cosine-min") {
        @Override
        double score(float[] reference, HostTensor got) {
            return CodecRoundTrip.cosine(reference, got.floats());
        }
    },
    /**
     * A decoder's greedy next-token agreement: the share of positions whose argmax over the vocabulary (the last
     * dimension) is the unsplit model's, on the sample sequence (teacher forcing). Greedy decoding feeds every token
     * back, so one flipped argmax changes the rest of the text; a logits cosine of 0.99 flipped half of them on the
     * built-in decoder, and the floor must guard the text a client reads.
     */
    GREEDY_AGREEMENT("greedy-agreement-min") {
        @Override
        double score(float[] reference, HostTensor got) {
            long[] shape = got.shape();
            int vocab = Math.toIntExact(shape[shape.length - 1]);
            float[] g = got.floats();
            int rows = reference.length / vocab;
            int agree = 0;
            for (int r = 0; r < rows; r++) {
                agree += NextToken.argmax(reference, r * vocab, vocab) == NextToken.argmax(g, r * vocab, vocab) ? 1 : 0;
            }
            return rows == 0 ? 1 : (double) agree / rows;
        }
    };

    private final String metric;

    OutputFidelity(String metric) {
        this.metric = metric;
    }

    /** The rule for {@code m}: greedy agreement for a decoder (it reads a KV cache), the output cosine otherwise. */
    static OutputFidelity of(SplittableModel m) {
        return SampleInputs.hasKvCache(m.model()) ? GREEDY_AGREEMENT : OUTPUT_COSINE;
    }

    /** The distortion table's metric name for this rule (the per-sample score's minimum over the samples). */
    String metric() {
        return metric;
    }

    /** One output's score, 1 for identical outputs. */
    abstract double score(float[] reference, HostTensor got);

    /** The float outputs a client receives, by name (deterministic). */
    static Map<String, float[]> replyOutputs(Map<String, HostTensor> outputs) {
        Map<String, float[]> out = new TreeMap<>();
        outputs.forEach((name, t) -> {
            if (t.isFloat() && !isKvCache(name)) {
                out.put(name, t.floats());
            }
        });
        if (out.isEmpty()) {
            throw new IllegalArgumentException("model has no float output to compare");
        }
        return out;
    }

    /** The lowest score of {@code got} against {@code reference} over the reference's outputs. */
    double worst(Map<String, float[]> reference, Map<String, HostTensor> got) {
        double worst = 1;
        for (Map.Entry<String, float[]> e : reference.entrySet()) {
            HostTensor t = got.get(e.getKey());
            if (t == null || !t.isFloat() || t.floats().length != e.getValue().length) {
                throw new IllegalStateException(
                        "the split run produced no float output " + e.getKey() + " of the unsplit model's size");
            }
            worst = Math.min(worst, score(e.getValue(), t));
        }
        return worst;
    }

    private static boolean isKvCache(String name) {
        return name.startsWith("present");
    }
}
