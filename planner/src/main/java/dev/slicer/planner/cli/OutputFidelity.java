package dev.slicer.planner.cli;

import dev.slicer.model.quant.Fidelity;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.SampleInputs;
import dev.slicer.model.split.SplittableModel;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one fidelity rule of calibration and {@code plan check}, chosen by the kind of model. A split run is scored
 * against the unsplit model over every float output a client receives; a decoder's KV-cache outputs are its state
 * for the next step, not part of the reply, and are left out. Which outputs are class scores is the model module's
 * rule ({@link Fidelity#isClassScores}), shared with the quantizer's fidelity.
 */
enum OutputFidelity {
    /**
     * Per output by its kind, the lowest score: top-1 agreement for class scores (a classifier's client reads the
     * class: a logits cosine above the floor can still flip it, and one far below it may not), the output cosine
     * otherwise. MiniLM answers with per-token hidden states and a pooled vector; quantization noise averages out of
     * the pooled one (0.99 where the hidden states measure 0.975), so scoring only one output planned settings that
     * served below the floor.
     */
    BY_OUTPUT_KIND {
        @Override
        double score(String name, HostTensor reference, HostTensor got) {
            return Fidelity.isClassScores(name, reference)
                    ? Fidelity.top1Agreement(reference, got)
                    : CodecRoundTrip.cosine(reference.floats(), got.floats());
        }

        @Override
        String metric(Map<String, HostTensor> reference) {
            boolean scores =
                    reference.entrySet().stream().anyMatch(e -> Fidelity.isClassScores(e.getKey(), e.getValue()));
            boolean other =
                    reference.entrySet().stream().anyMatch(e -> !Fidelity.isClassScores(e.getKey(), e.getValue()));
            return other && scores ? "output-cosine-min+top1-agreement-min" : scores ? "top1-agreement-min" : COSINE;
        }
    },
    /**
     * A decoder's greedy next-token agreement: the share of positions whose argmax over the vocabulary (the last
     * dimension) is the unsplit model's, on the sample sequence (teacher forcing), whatever its output is named.
     * Greedy decoding feeds every token back, so one flipped argmax changes the rest of the text; a logits cosine of
     * 0.99 flipped half of them on the built-in decoder, and the floor must guard the text a client reads.
     */
    GREEDY_AGREEMENT {
        @Override
        double score(String name, HostTensor reference, HostTensor got) {
            return Fidelity.top1Agreement(reference, got);
        }

        @Override
        String metric(Map<String, HostTensor> reference) {
            return "greedy-agreement-min";
        }
    };

    static final String COSINE = "output-cosine-min";

    /** The rule for {@code m}: greedy agreement for a decoder (it reads a KV cache), by output kind otherwise. */
    static OutputFidelity of(SplittableModel m) {
        return SampleInputs.hasKvCache(m.model()) ? GREEDY_AGREEMENT : BY_OUTPUT_KIND;
    }

    /** One output's score, 1 for identical outputs. */
    abstract double score(String name, HostTensor reference, HostTensor got);

    /**
     * The distortion table's metric name for these reference outputs (each sample's lowest score, then the minimum over
     * the samples).
     */
    abstract String metric(Map<String, HostTensor> reference);

    /** The float outputs a client receives, by name (deterministic). */
    static Map<String, HostTensor> replyOutputs(Map<String, HostTensor> outputs) {
        Map<String, HostTensor> out = new TreeMap<>();
        outputs.forEach((name, t) -> {
            if (t.isFloat() && !isKvCache(name)) {
                out.put(name, t);
            }
        });
        if (out.isEmpty()) {
            throw new IllegalArgumentException("model has no float output to compare");
        }
        return out;
    }

    /** The lowest score of {@code got} against {@code reference} over the reference's outputs. */
    double worst(Map<String, HostTensor> reference, Map<String, HostTensor> got) {
        double worst = 1;
        for (Map.Entry<String, HostTensor> e : reference.entrySet()) {
            HostTensor t = got.get(e.getKey());
            if (t == null || !t.isFloat() || t.elementCount() != e.getValue().elementCount()) {
                throw new IllegalStateException(
                        "the split run produced no float output " + e.getKey() + " of the unsplit model's size");
            }
            worst = Math.min(worst, score(e.getKey(), e.getValue(), t));
        }
        return worst;
    }

    private static boolean isKvCache(String name) {
        return name.startsWith("present");
    }
}
