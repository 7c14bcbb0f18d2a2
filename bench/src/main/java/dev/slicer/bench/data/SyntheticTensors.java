package dev.slicer.bench.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded synthetic activations that mimic what the codec meets in real networks.
 *
 * <ul>
 *   <li>{@link #heavyTailed}: transformer-like rows; alternating Student-t (nu = 4) and Laplace tensors, per-channel
 *       scales in [0.5, 1.5] and a few fixed outlier channels 10-30x larger (as in LLM hidden states).
 *   <li>{@link #reluSparse}: CNN-like post-ReLU features, {@code max(0, a_c * z + b_c)} with negative channel biases, so
 *       about two thirds of the values are exactly zero, plus a few strong channels.
 * </ul>
 */
public final class SyntheticTensors {

    public static final int OUTLIER_CHANNELS = 4;

    private SyntheticTensors() {}

    public static TensorSet heavyTailed(long seed, int count, int rows, int cols) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] channelScale = new float[cols];
        for (int c = 0; c < cols; c++) {
            channelScale[c] = (float) (0.5 + rnd.nextDouble());
        }
        for (int c : outlierChannels(rnd, cols)) {
            channelScale[c] *= (float) (10 + 20 * rnd.nextDouble());
        }
        List<float[]> tensors = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
            boolean laplace = (t & 1) == 1;
            float[] x = new float[rows * cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    double v = laplace ? laplace(rnd) : studentT(rnd, 4);
                    x[r * cols + c] = (float) (v * channelScale[c]);
                }
            }
            tensors.add(x);
        }
        return TensorSet.of(
                "synthetic-heavy",
                "seeded Student-t(4)/Laplace [" + rows + "x" + cols + "] x" + count + ", " + OUTLIER_CHANNELS
                        + " outlier channels 10-30x",
                cols,
                tensors);
    }

    public static TensorSet reluSparse(long seed, int count, int rows, int cols) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] gain = new float[cols];
        float[] bias = new float[cols];
        for (int c = 0; c < cols; c++) {
            gain[c] = (float) (0.5 + rnd.nextDouble());
            bias[c] = (float) (-0.2 - 0.8 * rnd.nextDouble()) * gain[c];
        }
        for (int c : outlierChannels(rnd, cols)) {
            gain[c] *= 8;
            bias[c] = 0;
        }
        List<float[]> tensors = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
            float[] x = new float[rows * cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    double v = gain[c] * gaussian(rnd) + bias[c];
                    x[r * cols + c] = v > 0 ? (float) v : 0f;
                }
            }
            tensors.add(x);
        }
        return TensorSet.of(
                "synthetic-relu",
                "seeded ReLU(gain*N(0,1)+bias) [" + rows + "x" + cols + "] x" + count + ", ~2/3 zeros, "
                        + OUTLIER_CHANNELS + " strong channels",
                cols,
                tensors);
    }

    private static int[] outlierChannels(SplittableRandom rnd, int cols) {
        int n = Math.min(OUTLIER_CHANNELS, cols);
        int[] picked = new int[n];
        for (int i = 0; i < n; i++) {
            picked[i] = (int) ((long) (i + 1) * cols / (n + 1) + rnd.nextInt(Math.max(1, cols / (4 * (n + 1)))));
        }
        return picked;
    }

    static double gaussian(SplittableRandom rnd) {
        // Box-Muller (one of the pair); SplittableRandom has no nextGaussian on Java 17
        double u = 1.0 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    static double studentT(SplittableRandom rnd, int nu) {
        double chi2 = 0;
        for (int i = 0; i < nu; i++) {
            double g = gaussian(rnd);
            chi2 += g * g;
        }
        return gaussian(rnd) / Math.sqrt(chi2 / nu);
    }

    static double laplace(SplittableRandom rnd) {
        double u = rnd.nextDouble() - 0.5;
        return -Math.signum(u) * Math.log(1 - 2 * Math.abs(u)) / Math.sqrt(2); // unit variance
    }
}
