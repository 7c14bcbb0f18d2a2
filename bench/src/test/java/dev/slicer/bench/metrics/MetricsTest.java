package dev.slicer.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void cosineOnHandComputedExamples() {
        float[] a = {1, 2, 3};
        assertThat(Metrics.cosine(a, 0, new float[] {2, 4, 6}, 0, 3)).isCloseTo(1.0, within(1e-12));
        assertThat(Metrics.cosine(a, 0, new float[] {-1, -2, -3}, 0, 3)).isCloseTo(-1.0, within(1e-12));
        assertThat(Metrics.cosine(new float[] {1, 0}, 0, new float[] {0, 1}, 0, 2))
                .isEqualTo(0.0);
        // (1*2 + 2*1) / (sqrt 5 * sqrt 5) = 0.8
        assertThat(Metrics.cosine(new float[] {1, 2}, 0, new float[] {2, 1}, 0, 2))
                .isCloseTo(0.8, within(1e-12));
        // offsets select the window
        assertThat(Metrics.cosine(new float[] {9, 1, 2}, 1, new float[] {2, 1, 7}, 0, 2))
                .isCloseTo(0.8, within(1e-12));
    }

    @Test
    void cosineOfZeroVectors() {
        assertThat(Metrics.cosine(new float[3], 0, new float[3], 0, 3)).isEqualTo(1.0);
        assertThat(Metrics.cosine(new float[] {1, 0, 0}, 0, new float[3], 0, 3)).isEqualTo(0.0);
    }

    @Test
    void relativeMseOnHandComputedExample() {
        float[] x = {1, 2, 3};
        float[] y = {1, 2, 4};
        double sse = Metrics.sumSquaredError(x, 0, y, 0, 3);
        double ss = Metrics.sumSquares(x, 0, 3);
        assertThat(sse).isEqualTo(1.0);
        assertThat(ss).isEqualTo(14.0);
        assertThat(Metrics.relativeMse(sse, ss)).isCloseTo(1.0 / 14, within(1e-15));
        assertThat(Metrics.relativeMse(0, 0)).isEqualTo(0.0);
        assertThat(Metrics.relativeMse(1, 0)).isInfinite();
    }

    @Test
    void bitsPerElementAndThroughput() {
        assertThat(Metrics.bitsPerElement(12, 24)).isEqualTo(4.0);
        assertThat(Metrics.bitsPerElement(3, 8)).isEqualTo(3.0);
        assertThat(Metrics.megabytesPerSecond(4_000_000, 2.0)).isEqualTo(2.0);
    }

    @Test
    void accumulatorSumsBitsOverTensorsAndAveragesCosinePerTensor() {
        Quality.Accumulator acc = new Quality.Accumulator();
        float[] x = {1, 2, 2, 1};
        float[] y = {2, 1, 2, 1}; // first tensor: cosine 0.8, sse 2; second: exact
        acc.add(x, 0, y, 0, 2, 1);
        acc.add(x, 2, y, 2, 2, 3);
        Quality q = acc.result();
        assertThat(q.bitsPerElement()).isEqualTo(8.0); // 4 bytes * 8 / 4 elements
        assertThat(q.cosine()).isCloseTo(0.9, within(1e-12));
        assertThat(q.minCosine()).isCloseTo(0.8, within(1e-12));
        assertThat(q.relativeMse()).isCloseTo(2.0 / 10, within(1e-12));
        assertThat(q.bytes()).isEqualTo(4);
        assertThat(q.elements()).isEqualTo(4);
    }
}
