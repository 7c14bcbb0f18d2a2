package dev.slicer.model.quant;

import dev.slicer.model.split.HostTensor;
import java.util.Map;

/**
 * Agreement of an approximate output with the float reference, by output kind: top-1 agreement for
 * class scores (rank >= 2, last dimension >= 2, values per row summing to 1 or named logits), cosine
 * per sample otherwise (embeddings, hidden states, detection maps).
 */
public final class Fidelity {
    private Fidelity() {}

    /** One output's score and the metric that produced it. */
    public record Score(String output, String metric, double value) {}

    public static Score score(String name, HostTensor reference, HostTensor actual) {
        if (isClassScores(name, reference)) {
            return new Score(name, "top1", top1Agreement(reference, actual));
        }
        return new Score(name, "cosine", FrontQuantizer.meanCosine(reference, actual));
    }

    /** The worst score over the float outputs of {@code reference}. */
    public static Score worst(Map<String, HostTensor> reference, Map<String, HostTensor> actual) {
        Score worst = null;
        for (Map.Entry<String, HostTensor> e : reference.entrySet()) {
            if (!e.getValue().isFloat()) {
                continue;
            }
            Score s = score(e.getKey(), e.getValue(), actual.get(e.getKey()));
            if (worst == null || s.value() < worst.value()) {
                worst = s;
            }
        }
        return worst == null ? new Score("", "none", 1) : worst;
    }

    /**
     * Whether an output holds class scores: rank >= 2, a last dimension >= 2, and named logits or softmax, or its first
     * row a probability vector (every value in [0, 1], summing to 1). Checking the sign of one value was not enough:
     * MiniLM's tanh-pooled vector for one sample sentence of 355 happens to start positive and sum to 1.000, and was
     * scored by its argmax.
     */
    public static boolean isClassScores(String name, HostTensor t) {
        long[] s = t.shape();
        if (s.length < 2 || s[s.length - 1] < 2) {
            return false;
        }
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.contains("logit") || n.contains("softmax")) {
            return true;
        }
        int cols = (int) s[s.length - 1];
        double sum = 0;
        for (int i = 0; i < cols; i++) {
            double v = t.value(i);
            if (!(v >= 0 && v <= 1)) {
                return false;
            }
            sum += v;
        }
        return Math.abs(sum - 1) < 1e-3;
    }

    /** Fraction of rows (all but the last dimension) whose argmax agrees. */
    public static double top1Agreement(HostTensor a, HostTensor b) {
        long[] s = a.shape();
        int cols = (int) s[s.length - 1];
        int rows = Math.toIntExact(a.elementCount() / cols);
        int agree = 0;
        for (int r = 0; r < rows; r++) {
            if (argmax(a, r * cols, cols) == argmax(b, r * cols, cols)) {
                agree++;
            }
        }
        return rows == 0 ? 1 : (double) agree / rows;
    }

    private static int argmax(HostTensor t, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (t.value(off + i) > t.value(off + best)) {
                best = i;
            }
        }
        return best;
    }
}
