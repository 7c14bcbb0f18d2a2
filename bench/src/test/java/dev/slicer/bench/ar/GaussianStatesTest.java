package dev.slicer.bench.ar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Gaussian rate-distortion model on sources whose covariance is known. */
class GaussianStatesTest {
    static final int ROWS = 40_000;
    /** Variances 16, 4, 1, 0.25 along a rotated basis, around a mean of (5, -3, 0, 1). */
    static final double[] SD = {4, 2, 1, 0.5};

    static final double[] MEAN = {5, -3, 0, 1};

    /** Rows drawn along an orthonormal basis that mixes every coordinate (a 4 x 4 Hadamard matrix / 2). */
    static float[] rotatedSource(long seed) {
        double[][] h = {{1, 1, 1, 1}, {1, -1, 1, -1}, {1, 1, -1, -1}, {1, -1, -1, 1}};
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[ROWS * 4];
        for (int row = 0; row < ROWS; row++) {
            for (int i = 0; i < 4; i++) {
                double y = SD[i] * r.nextGaussian();
                for (int j = 0; j < 4; j++) {
                    x[row * 4 + j] += (float) (y * h[i][j] / 2);
                }
            }
            for (int j = 0; j < 4; j++) {
                x[row * 4 + j] += (float) MEAN[j];
            }
        }
        return x;
    }

    @Test
    void findsTheEigenvaluesOfARotatedSourceInDescendingOrder() {
        GaussianStates g = GaussianStates.fit(rotatedSource(1), ROWS, 4);
        double[] l = g.eigenvalues();
        assertThat(l[0]).isCloseTo(16, within(0.4));
        assertThat(l[1]).isCloseTo(4, within(0.1));
        assertThat(l[2]).isCloseTo(1, within(0.03));
        assertThat(l[3]).isCloseTo(0.25, within(0.01));
    }

    @Test
    void rateIsTheReverseWaterFillingSumAndThetaForInvertsIt() {
        GaussianStates g = GaussianStates.fit(rotatedSource(2), ROWS, 4);
        // water level 2: only the variances 16 and 4 are sent, at 1/2 log2(16/2) + 1/2 log2(4/2) = 1.5 + 0.5 bits
        assertThat(g.bitsAt(2)).isCloseTo(2.0, within(0.03));
        assertThat(g.distortionAt(2)).isCloseTo(2 + 2 + 1 + 0.25, within(0.05));
        assertThat(g.bitsAt(20)).isZero();
        for (double bits : new double[] {0.5, 2, 7}) {
            assertThat(g.bitsAt(g.thetaFor(bits))).isCloseTo(bits, within(1e-6));
        }
    }

    @Test
    void theTestChannelDeliversTheDistortionItPromises() {
        float[] x = rotatedSource(3);
        GaussianStates g = GaussianStates.fit(x, ROWS, 4);
        float[] y = new float[x.length];
        for (double theta : new double[] {0.1, 2}) {
            g.reconstruct(x, y, ROWS, theta, new SplittableRandom(4));
            double se = 0;
            for (int i = 0; i < x.length; i++) {
                se += (x[i] - y[i]) * (double) (x[i] - y[i]);
            }
            assertThat(se / ROWS)
                    .as("theta %s", theta)
                    .isCloseTo(g.distortionAt(theta), within(0.04 * g.distortionAt(theta)));
        }
    }

    @Test
    void aWaterLevelAboveEveryVarianceSendsTheMean() {
        float[] x = rotatedSource(5);
        GaussianStates g = GaussianStates.fit(x, ROWS, 4);
        float[] y = new float[8];
        g.reconstruct(x, y, 2, 100, new SplittableRandom(6));
        for (int j = 0; j < 4; j++) {
            assertThat((double) y[j]).isCloseTo(MEAN[j], within(0.1));
            assertThat(y[4 + j]).isEqualTo(y[j]);
        }
    }

    @Test
    void refusesTooFewStatesAndARateOfZero() {
        assertThatThrownBy(() -> GaussianStates.fit(new float[7 * 4], 7, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 8");
        GaussianStates g = GaussianStates.fit(rotatedSource(7), ROWS, 4);
        assertThatThrownBy(() -> g.thetaFor(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
