package dev.slicer.bench.metrics;

/**
 * Rate and distortion of one method over one data set.
 *
 * @param bitsPerElement frame bytes x 8 over elements, summed over all tensors
 * @param cosine mean over tensors of the per-tensor cosine similarity
 * @param minCosine worst tensor's cosine similarity
 * @param relativeMse sum of squared errors over sum of squares, over all tensors
 * @param bytes total encoded bytes
 * @param elements total elements
 */
public record Quality(
        double bitsPerElement, double cosine, double minCosine, double relativeMse, long bytes, long elements) {

    /** Accumulates per-tensor measurements. */
    public static final class Accumulator {
        private long bytes;
        private long elements;
        private double cosineSum;
        private double minCosine = Double.POSITIVE_INFINITY;
        private int tensors;
        private double sse;
        private double ss;

        public void add(float[] original, int off, float[] reconstructed, int rOff, int n, int encodedBytes) {
            double c = Metrics.cosine(original, off, reconstructed, rOff, n);
            cosineSum += c;
            minCosine = Math.min(minCosine, c);
            tensors++;
            sse += Metrics.sumSquaredError(original, off, reconstructed, rOff, n);
            ss += Metrics.sumSquares(original, off, n);
            bytes += encodedBytes;
            elements += n;
        }

        public Quality result() {
            if (tensors == 0) {
                throw new IllegalStateException("no tensors measured");
            }
            return new Quality(
                    Metrics.bitsPerElement(bytes, elements),
                    cosineSum / tensors,
                    minCosine,
                    Metrics.relativeMse(sse, ss),
                    bytes,
                    elements);
        }
    }
}
