package dev.slicer.planner.cli;

import dev.slicer.model.split.HostTensor;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one fidelity rule of calibration and {@code plan check}: a split run's fidelity is its lowest output cosine
 * against the unsplit model over every float output a client receives. MiniLM answers with per-token hidden states
 * and a pooled vector; quantization noise averages out of the pooled one (0.99 where the hidden states measure
 * 0.975), so scoring only one output planned settings that served below the floor. A decoder's KV-cache outputs are
 * its state for the next step, not part of the reply, and are left out.
 */
final class OutputFidelity {
    private OutputFidelity() {}

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

    /** The lowest cosine of {@code got} against {@code reference} over the reference's outputs. */
    static double cosine(Map<String, float[]> reference, Map<String, HostTensor> got) {
        double worst = 1;
        for (Map.Entry<String, float[]> e : reference.entrySet()) {
            HostTensor t = got.get(e.getKey());
            if (t == null || !t.isFloat()) {
                throw new IllegalStateException("the split run produced no float output " + e.getKey());
            }
            worst = Math.min(worst, CodecRoundTrip.cosine(e.getValue(), t.floats()));
        }
        return worst;
    }

    private static boolean isKvCache(String name) {
        return name.startsWith("present");
    }
}
