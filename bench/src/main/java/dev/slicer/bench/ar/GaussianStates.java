package dev.slicer.bench.ar;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Gaussian rate-distortion model of a split's hidden states: their mean and the eigen decomposition of their
 * covariance. Among all sources with a given covariance the Gaussian needs the most bits for a given mean squared
 * error, and its rate-distortion function is known exactly (reverse water-filling over the eigenvalues):
 *
 * <pre>R(theta) = sum over lambda_i > theta of 1/2 log2(lambda_i / theta) bits per state, at MSE sum min(lambda_i,
 * theta)</pre>
 *
 * {@link #reconstruct} draws from the optimal test channel at {@code theta}: what an ideal codec spending
 * {@code R(theta)} bits per state hands the back-end, were the states this Gaussian. Both the mean and the
 * eigenvectors are given to that codec for free.
 */
public final class GaussianStates {
    private final int dim;
    private final double[] mean;
    /** Eigenvalues, descending, never negative. */
    private final double[] lambda;
    /** Unit eigenvectors, row i for {@code lambda[i]}. */
    private final double[][] basis;

    private final double meanSquare;

    private GaussianStates(int dim, double[] mean, double[] lambda, double[][] basis, double meanSquare) {
        this.dim = dim;
        this.mean = mean;
        this.lambda = lambda;
        this.basis = basis;
        this.meanSquare = meanSquare;
    }

    /** Fits the model to {@code rows} states of {@code dim} values, row-major; at least {@code 2 dim} rows. */
    public static GaussianStates fit(float[] states, int rows, int dim) {
        if (dim < 1 || rows < 2 * dim || (long) rows * dim != states.length) {
            throw new IllegalArgumentException("the covariance of " + dim + "-wide states needs at least " + 2 * dim
                    + " of them, got " + rows + " (" + states.length + " values)");
        }
        double[] mean = new double[dim];
        double ms = 0;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < dim; j++) {
                double v = states[r * dim + j];
                mean[j] += v;
                ms += v * v;
            }
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= rows;
        }
        DMatrixRMaj centred = new DMatrixRMaj(rows, dim);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < dim; j++) {
                centred.unsafe_set(r, j, states[r * dim + j] - mean[j]);
            }
        }
        DMatrixRMaj cov = new DMatrixRMaj(dim, dim);
        CommonOps_DDRM.multTransA(centred, centred, cov);
        CommonOps_DDRM.divide(cov, rows - 1);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(dim, true, true);
        if (!eig.decompose(cov)) {
            throw new IllegalStateException("the eigen decomposition of the states' covariance did not converge");
        }
        Integer[] order = new Integer[dim];
        for (int i = 0; i < dim; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(eig.getEigenvalue(b).real, eig.getEigenvalue(a).real));
        double[] lambda = new double[dim];
        double[][] basis = new double[dim][];
        for (int i = 0; i < dim; i++) {
            // rounding can leave the smallest eigenvalues of a rank-deficient covariance slightly negative
            lambda[i] = Math.max(0, eig.getEigenvalue(order[i]).real);
            DMatrixRMaj v = eig.getEigenVector(order[i]);
            double norm = CommonOps_DDRM.elementSum(CommonOps_DDRM.elementPower(v, 2, null));
            basis[i] = new double[dim];
            for (int j = 0; j < dim; j++) {
                basis[i][j] = v.get(j) / Math.sqrt(norm);
            }
        }
        return new GaussianStates(dim, mean, lambda, basis, ms / ((double) rows * dim));
    }

    public int dim() {
        return dim;
    }

    /** Eigenvalues of the covariance, descending. */
    public double[] eigenvalues() {
        return lambda.clone();
    }

    /** Mean square of the states' values (not centred). */
    public double meanSquare() {
        return meanSquare;
    }

    /** Bits per state of the rate-distortion function at water level {@code theta > 0}. */
    public double bitsAt(double theta) {
        double bits = 0;
        for (double l : lambda) {
            if (l > theta) {
                bits += 0.5 * Math.log(l / theta) / Math.log(2);
            }
        }
        return bits;
    }

    /** Mean squared error per state (summed over its values) at water level {@code theta}. */
    public double distortionAt(double theta) {
        double d = 0;
        for (double l : lambda) {
            d += Math.min(l, theta);
        }
        return d;
    }

    /** Root mean squared error per value at {@code theta}, as a share of the states' RMS. */
    public double relativeError(double theta) {
        return Math.sqrt(distortionAt(theta) / dim / meanSquare);
    }

    /** The water level at which the rate is {@code bits} per state (bisection; R falls as theta rises). */
    public double thetaFor(double bits) {
        if (!(bits > 0) || lambda[0] <= 0) {
            throw new IllegalArgumentException("a rate above 0 bits on states that vary, got " + bits);
        }
        double lo = 0;
        double hi = lambda[0];
        for (int i = 0; i < 200 && hi - lo > hi * 1e-12; i++) {
            double mid = 0.5 * (lo + hi);
            if (bitsAt(mid) > bits) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /**
     * One draw of the optimal test channel at {@code theta} for each of {@code rows} states: per eigen-direction of
     * variance {@code lambda > theta} the reconstruction is {@code a y + w}, {@code a = 1 - theta / lambda},
     * {@code w ~ N(0, a theta)}, so its error has variance {@code theta}; directions with {@code lambda <= theta}
     * are sent as the mean. {@code out} may not alias {@code in}.
     */
    public void reconstruct(float[] in, float[] out, int rows, double theta, RandomGenerator random) {
        double[] y = new double[dim];
        double[] x = new double[dim];
        for (int r = 0; r < rows; r++) {
            int off = r * dim;
            for (int i = 0; i < dim; i++) {
                double[] v = basis[i];
                double s = 0;
                for (int j = 0; j < dim; j++) {
                    s += v[j] * (in[off + j] - mean[j]);
                }
                if (lambda[i] > theta) {
                    double a = 1 - theta / lambda[i];
                    y[i] = a * s + Math.sqrt(a * theta) * random.nextGaussian();
                } else {
                    y[i] = 0;
                }
            }
            System.arraycopy(mean, 0, x, 0, dim);
            for (int i = 0; i < dim; i++) {
                if (y[i] != 0) {
                    double[] v = basis[i];
                    double yi = y[i];
                    for (int j = 0; j < dim; j++) {
                        x[j] += yi * v[j];
                    }
                }
            }
            for (int j = 0; j < dim; j++) {
                out[off + j] = (float) x[j];
            }
        }
    }
}
