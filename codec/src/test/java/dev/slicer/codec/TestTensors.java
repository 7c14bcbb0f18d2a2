package dev.slicer.codec;

import java.util.SplittableRandom;

/** Seeded synthetic tensors for codec tests. */
public final class TestTensors {
    private TestTensors() {}

    public enum Kind {
        GAUSSIAN,
        /** Post-LayerNorm-like: Gaussian rows plus a few outlier channels of large magnitude. */
        OUTLIER_CHANNELS,
        /** Student-t-like heavy tails. */
        HEAVY_TAILED,
        /** ReLU features: half exact zeros, the rest positive. */
        RELU,
        ALL_ZERO,
        CONSTANT,
        /** Few distinct values: many ties. */
        TIES
    }

    public static float[] make(Kind kind, int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = rows * cols;
        float[] x = new float[n];
        switch (kind) {
            case GAUSSIAN -> {
                for (int i = 0; i < n; i++) {
                    x[i] = (float) gaussian(r);
                }
            }
            case OUTLIER_CHANNELS -> {
                int[] outliers = {cols / 7, cols / 3, (2 * cols) / 3};
                for (int i = 0; i < n; i++) {
                    x[i] = (float) (0.8 * gaussian(r) + 0.05);
                }
                for (int row = 0; row < rows; row++) {
                    for (int c : outliers) {
                        if (c < cols) {
                            x[row * cols + c] = (float) ((c % 2 == 0 ? 1 : -1) * (8 + 2 * gaussian(r)));
                        }
                    }
                }
            }
            case HEAVY_TAILED -> {
                for (int i = 0; i < n; i++) {
                    double g = gaussian(r);
                    double chi = 0;
                    for (int j = 0; j < 3; j++) {
                        double z = gaussian(r);
                        chi += z * z;
                    }
                    x[i] = (float) (g / Math.sqrt(chi / 3 + 1e-9));
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    x[i] = (float) Math.max(0, gaussian(r));
                }
            }
            case ALL_ZERO -> {}
            case CONSTANT -> java.util.Arrays.fill(x, 0.375f);
            case TIES -> {
                for (int i = 0; i < n; i++) {
                    x[i] = (r.nextInt(7) - 3) * 0.5f;
                }
            }
        }
        return x;
    }

    public static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    public static double cosine(float[] a, float[] b, int n) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < n; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 && nb == 0) {
            return 1;
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    public static double mse(float[] a, float[] b, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) a[i] - b[i];
            s += d * d;
        }
        return n == 0 ? 0 : s / n;
    }
}
