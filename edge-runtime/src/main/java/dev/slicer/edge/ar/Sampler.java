package dev.slicer.edge.ar;

import dev.slicer.model.ar.NextToken;
import java.util.Arrays;
import java.util.Random;

/**
 * The next token from a logits row: greedy at temperature 0, else softmax at the temperature restricted to the
 * smallest set of tokens whose probability reaches {@code topP} (nucleus sampling), drawn from a generator seeded by
 * the request's {@code seed} (so a seeded request repeats exactly).
 */
public final class Sampler {
    private final double temperature;
    private final double topP;
    private final Random random;

    public Sampler(double temperature, double topP, Long seed) {
        if (!(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("temperature must be in [0, 2], got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        this.temperature = temperature;
        this.topP = topP;
        this.random = seed == null ? new Random() : new Random(seed);
    }

    public static Sampler greedy() {
        return new Sampler(0, 1, 0L);
    }

    public boolean greedyOnly() {
        return temperature == 0;
    }

    public int next(float[] logits) {
        if (temperature == 0) {
            return NextToken.argmax(logits);
        }
        float[] scaled = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            scaled[i] = (float) (logits[i] / temperature);
        }
        double[] p = NextToken.softmax(scaled);
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        double kept = 0;
        int n = 0;
        while (n < order.length && (n == 0 || kept < topP)) {
            kept += p[order[n++]];
        }
        double u = random.nextDouble() * kept;
        for (int i = 0; i < n; i++) {
            u -= p[order[i]];
            if (u <= 0) {
                return order[i];
            }
        }
        return order[n - 1];
    }
}
