package dev.slicer.model.ar;

/** Next-token rules on a logits row: greedy choice and the KL divergence between two next-token distributions. */
public final class NextToken {
    private NextToken() {}

    /** The index of the largest logit (the lowest index among ties). */
    public static int argmax(float[] logits) {
        return argmax(logits, 0, logits.length);
    }

    /**
     * The index, relative to {@code from}, of the largest of {@code logits[from, from + vocab)}: one row of a
     * {@code [positions, vocab]} block, without copying it out.
     */
    public static int argmax(float[] logits, int from, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits[from + i] > logits[from + best]) {
                best = i;
            }
        }
        return best;
    }

    /** Softmax probabilities in double precision (max-subtracted). */
    public static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** KL(p || q) in nats of the distributions two logits rows give: p is the reference (unsplit) model. */
    public static double kl(float[] reference, float[] other) {
        if (reference.length != other.length) {
            throw new IllegalArgumentException("logits of different vocabularies");
        }
        double[] p = softmax(reference);
        double[] q = softmax(other);
        double kl = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                kl += p[i] * (Math.log(p[i]) - Math.log(Math.max(q[i], Double.MIN_NORMAL)));
            }
        }
        return Math.max(0, kl);
    }

    /** The last position's row of a {@code [1, n, vocab]} logits tensor. */
    public static float[] lastRow(dev.slicer.model.split.HostTensor logits) {
        long[] s = logits.shape();
        int vocab = (int) s[s.length - 1];
        float[] all = logits.floats();
        float[] row = new float[vocab];
        System.arraycopy(all, all.length - vocab, row, 0, vocab);
        return row;
    }
}
