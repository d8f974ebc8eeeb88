package io.initsweep.sim;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.netlib.util.intW;

/**
 * Singular values of the input–output Jacobian of a plain MLP ({@link Backward.Network}) at given
 * inputs: for one input row x, J_l = ∂X_l/∂x (width_l × width_0), the derivative of layer l's
 * post-activation output X_l = φ(A_l), so that a linear network's J_l is the product
 * W_lᵀ⋯W_1ᵀ. Accumulated forward: J_1 = D_1·W_1ᵀ, J_l = D_l·W_lᵀ·J_{l−1}, with D_l =
 * diag(φ'(A_l)) at that row's pre-activations (Pennington, Schoenholz &amp; Ganguli 2017,
 * "Resurrecting the sigmoid in deep learning through dynamical isometry").
 *
 * <p>Cost per row: one width_l × width_{l−1} × width_0 GEMM per layer and, per requested layer,
 * an SVD (LAPACK dgesdd, values only) of a width_l × width_0 matrix. Memory: two width × width_0
 * Jacobians, one copy for the SVD and its workspace, plus the rows' pre-activations of one layer.
 *
 * <p>The SVD runs on netlib's pure-Java LAPACK (the F2j translation of the reference Fortran), not
 * on the native library: native OpenBLAS's dgesdd gave the same chain's singular values different
 * last bits in a job and in a fresh pass of the same JVM, and rows must be bit-identical wherever
 * they are computed. Java's floating point is the same on every machine. Buffers are kept between
 * calls; not thread-safe.
 */
public final class JacobianSpectrum {
    private static final LAPACK LAPACK_INSTANCE = io.initsweep.blas.Blas.javaLapack();

    /**
     * The spectrum of J_layer at one input row.
     *
     * @param sample the row of the input
     * @param layer 1-based layer
     * @param singularValues the min(width_layer, width_0) singular values, in decreasing order
     * @param svSqMean mean of σ² over them (tr(JJᵀ)/min(width_layer, width_0) when width_layer ≤ width_0)
     * @param svSqVar population variance of σ² over them
     * @param condition svMax / svMin, +∞ when svMin is 0
     */
    public record Spectrum(int sample, int layer, double[] singularValues, double svSqMean, double svSqVar,
            double svMax, double svMin, double condition) {}

    private final intW info = new intW(0);
    private double[] jacobian = new double[0];
    private double[] product = new double[0];
    private double[] svdCopy = new double[0];
    private double[] rowPre = new double[0];
    private double[] rowIn = new double[0];
    private double[] rowOut = new double[0];
    private double[] dummy = new double[1];
    private double[] work = new double[1];
    private int[] iwork = new int[0];

    /** The LAPACK implementation the SVD runs on. */
    public static String lapackImplementation() {
        return LAPACK_INSTANCE.getClass().getName();
    }

    /**
     * Spectra of J_l at rows 0..samples−1 of {@code x0}, for every l in {@code layers}; ordered by
     * sample, then by layer as given.
     *
     * @param x0 the inputs, row-major (at least {@code samples} rows of width_0); not modified
     * @param layers 1-based layers, each in 1..L
     */
    public List<Spectrum> compute(Backward.Network net, double[] x0, int samples, int[] layers) {
        Objects.requireNonNull(x0, "x0");
        return compute(net, x0, null, samples, layers);
    }

    /**
     * As {@link #compute(Backward.Network, double[], int, int[])}, with the rows' pre-activations
     * taken from a forward pass already run: {@code pre[l − 1]} holds A_l (batch × width_l,
     * row-major, at least {@code samples} rows) for every layer up to the deepest requested.
     * Bit-identical to the forward pass's own A_l, and no product per row to recompute it.
     */
    public List<Spectrum> computeFromPre(Backward.Network net, double[][] pre, int samples, int[] layers) {
        Objects.requireNonNull(pre, "pre");
        return compute(net, null, pre, samples, layers);
    }

    private List<Spectrum> compute(Backward.Network net, double[] x0, double[][] pre, int samples, int[] layers) {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(layers, "layers");
        final int depth = net.depth();
        final int n0 = net.width(0);
        Check.argument(samples >= 1, "samples must be >= 1, found %s", samples);
        Check.argument(x0 == null || x0.length >= (long) samples * n0,
                "x0 must hold samples × width_0 = %s values, found %s", (long) samples * n0, x0 == null ? 0 : x0.length);
        boolean[] wanted = new boolean[depth + 1];
        int deepest = 0;
        for (int i = 0; i < layers.length; i++) {
            Check.argument(layers[i] >= 1 && layers[i] <= depth, "layers[%s] must be in 1..%s, found %s", i, depth,
                    layers[i]);
            wanted[layers[i]] = true;
            deepest = Math.max(deepest, layers[i]);
        }
        ensureCapacity(net);
        final Activation act = net.activation();
        final double param = net.param();
        List<Spectrum> out = new ArrayList<>();
        Spectrum[] byLayer = new Spectrum[depth + 1];
        for (int s = 0; s < samples; s++) {
            if (pre == null) {
                System.arraycopy(x0, s * n0, rowIn, 0, n0);
            }
            for (int l = 1; l <= deepest; l++) {
                final int fanIn = net.width(l - 1);
                final int width = net.width(l);
                final double[] w = net.weights()[l - 1];
                if (pre != null) {
                    System.arraycopy(pre[l - 1], s * width, rowPre, 0, width);
                } else {
                    // the row's pre-activation a = x·W_l + b_l
                    if (net.biases() != null) {
                        System.arraycopy(net.biases()[l - 1], 0, rowPre, 0, width);
                    }
                    Gemm.multiplyAdd(rowIn, w, rowPre, 1, fanIn, width, 1.0, net.biases() != null ? 1.0 : 0.0);
                }
                if (l == 1) {
                    // J_1 = W_1ᵀ (width × n0), before D_1
                    for (int i = 0; i < fanIn; i++) {
                        for (int j = 0; j < width; j++) {
                            jacobian[j * n0 + i] = w[i * width + j];
                        }
                    }
                } else {
                    Gemm.multiplyTransposedLeft(w, jacobian, product, width, fanIn, n0, 1.0, 0.0);
                    double[] t = jacobian;
                    jacobian = product;
                    product = t;
                }
                for (int j = 0; j < width; j++) {
                    double d = act.derivative(rowPre[j], param);
                    for (int k = j * n0, end = k + n0; k < end; k++) {
                        jacobian[k] *= d;
                    }
                }
                if (pre == null) {
                    Kernels.applyScalar(act, param, rowPre, rowOut, width);
                    double[] t = rowIn;
                    rowIn = rowOut;
                    rowOut = t;
                }
                if (wanted[l]) {
                    byLayer[l] = spectrum(s, l, width, n0);
                }
            }
            for (int layer : layers) {
                out.add(byLayer[layer]);
            }
        }
        return out;
    }

    /** The spectrum of the width × n0 row-major {@link #jacobian}. */
    private Spectrum spectrum(int sample, int layer, int width, int n0) {
        final int k = Math.min(width, n0);
        final int n = width * n0;
        if (svdCopy.length < n) {
            svdCopy = new double[n];
        }
        System.arraycopy(jacobian, 0, svdCopy, 0, n);
        double[] sv = new double[k];
        // row-major width × n0 is column-major n0 × width: its transpose, the same singular values
        LAPACK_INSTANCE.dgesdd("N", n0, width, svdCopy, n0, sv, dummy, 1, dummy, 1, work, -1, iwork, info);
        checkInfo("dgesdd workspace query");
        int lwork = Math.max(1, (int) work[0]);
        if (work.length < lwork) {
            work = new double[lwork];
        }
        if (iwork.length < 8 * k) {
            iwork = new int[8 * k];
        }
        LAPACK_INSTANCE.dgesdd("N", n0, width, svdCopy, n0, sv, dummy, 1, dummy, 1, work, lwork, iwork, info);
        checkInfo("dgesdd");
        double mean = 0;
        for (double v : sv) {
            mean += v * v;
        }
        mean /= k;
        double var = 0;
        for (double v : sv) {
            double d = v * v - mean;
            var += d * d;
        }
        var /= k;
        double max = sv[0];
        double min = sv[k - 1];
        return new Spectrum(sample, layer, sv, mean, var, max, min, min == 0 ? Double.POSITIVE_INFINITY : max / min);
    }

    private void ensureCapacity(Backward.Network net) {
        final int n0 = net.width(0);
        final int maxWidth = net.maxWidth();
        long n = (long) maxWidth * n0;
        Check.argument(n <= Integer.MAX_VALUE, "a Jacobian of %s × %s values does not fit an array", maxWidth, n0);
        if (jacobian.length < n) {
            jacobian = new double[(int) n];
            product = new double[(int) n];
        }
        if (rowPre.length < maxWidth) {
            rowPre = new double[maxWidth];
            rowIn = new double[maxWidth];
            rowOut = new double[maxWidth];
        }
    }

    private void checkInfo(String routine) {
        if (info.val != 0) {
            throw new IllegalStateException(routine + " failed: info = " + info.val);
        }
    }
}
