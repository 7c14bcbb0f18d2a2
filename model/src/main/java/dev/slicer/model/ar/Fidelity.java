package dev.slicer.model.ar;

import dev.slicer.model.split.HostTensor;
import java.util.Arrays;
import java.util.List;

/**
 * Fidelity of a generation against the unsplit model: the whole model is run once over prompt + generated tokens
 * (teacher forcing), giving its next-token logits at every step of the same path; greedy token agreement and mean
 * KL(unsplit || split) compare them with the logits the split run produced.
 *
 * @param agreement fraction of steps where both argmaxes agree
 * @param kl mean KL divergence in nats
 */
public record Fidelity(double agreement, double kl) {
    /** The unsplit model's next-token logits for each generated token (row t predicts {@code tokens[t]}). */
    public static float[][] reference(KvDecoder whole, long[] prompt, long[] tokens) {
        long[] seq = Arrays.copyOf(prompt, prompt.length + tokens.length);
        System.arraycopy(tokens, 0, seq, prompt.length, tokens.length);
        HostTensor logits = whole.step(
                        List.of(new KvCache()), List.of(HostTensor.ofLongs(new long[] {1, seq.length}, seq)))
                .get(0)
                .get("logits");
        int vocab = (int) logits.shape()[2];
        float[][] rows = new float[tokens.length][vocab];
        for (int t = 0; t < tokens.length; t++) {
            System.arraycopy(logits.floats(), (prompt.length - 1 + t) * vocab, rows[t], 0, vocab);
        }
        return rows;
    }

    /** Agreement and mean KL of {@code logits} (one row per generated token) against the reference rows. */
    public static Fidelity of(float[][] reference, List<float[]> logits) {
        if (reference.length != logits.size() || logits.isEmpty()) {
            throw new IllegalArgumentException("one logits row per generated token");
        }
        int agree = 0;
        double kl = 0;
        for (int t = 0; t < reference.length; t++) {
            agree += NextToken.argmax(reference[t]) == NextToken.argmax(logits.get(t)) ? 1 : 0;
            kl += NextToken.kl(reference[t], logits.get(t));
        }
        return new Fidelity(agree / (double) reference.length, kl / reference.length);
    }
}
