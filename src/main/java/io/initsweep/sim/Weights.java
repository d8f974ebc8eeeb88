package io.initsweep.sim;

import dev.ludovic.netlib.lapack.LAPACK;
import io.initsweep.blas.Blas;
import java.util.Arrays;
import org.netlib.util.intW;

/**
 * Draws a layer's initial weights. W is row-major fan_in × fan_out (PyTorch's (fan_out, fan_in)
 * weight transposed), so a layer computes A = X·W. Random schemes scale unit-scale base draws
 * of their {@link Initializer.Family} from the stream keyed by (master seed, seed, layer, shape,
 * family) (DESIGN §4): schemes of one family see the same draws, and a layer's weights are
 * bit-identical wherever and whenever they are drawn. Each scheme's {@link Initializer#fill} draws
 * its layer with the helpers here.
 *
 * <p>The orthogonal QR runs on netlib's pure-Java LAPACK (dgeqrf, dorgqr), never the native
 * one: OpenBLAS's QR rounds a shape's first factorization in a process differently from the
 * later ones (measured: two distinct results over 300 identical QRs, at 7 × 7 to 150 × 150),
 * so with it a layer's weights would depend on what the executor computed before. The pure-Java
 * QR gives the same bits every time, at about 1.5 ms against 0.4 ms for 100 × 100. Buffers (QR
 * workspace, sparse positions, the truncated-normal sampler) are kept and grown as needed: after
 * the first layer of a shape nothing is allocated but the small temporaries the pure-Java LAPACK
 * makes in each QR. Not thread-safe: one instance per task.
 */
public final class Weights {
    private static final LAPACK LAPACK_INSTANCE = Blas.javaLapack();

    private final RandomStreams streams = new RandomStreams();
    private final intW info = new intW(0);
    private double[] transposed = new double[0];
    private double[] tau = new double[0];
    private double[] signs = new double[0];
    private double[] work = new double[1];
    private int workRows = -1;
    private int workCols = -1;
    private int lwork;
    // the layer being filled: set by fill, read by the helpers the scheme calls
    private long masterSeed;
    private long seed;
    private int layer;
    private int fanIn;
    private int fanOut;
    private Initializer.Family family;
    private long key;

    /** The LAPACK implementation the QR runs on (netlib's pure-Java one, see the class comment). */
    public static String lapackImplementation() {
        return LAPACK_INSTANCE.getClass().getName();
    }

    /**
     * Fills {@code w[0 .. fanIn·fanOut)} with layer {@code layer}'s weights under {@code init}
     * (its {@link Initializer#fill}, by the helpers below); only those entries of {@code w} are
     * modified.
     *
     * @param masterSeed the sweep's master seed
     * @param seed the grid's seed axis value
     * @param layer 1-based layer index
     */
    public void fill(Initializer init, long masterSeed, long seed, int layer, int fanIn, int fanOut, double[] w) {
        if (fanIn < 1 || fanOut < 1) {
            throw new IllegalArgumentException("fan_in and fan_out must be >= 1, found " + fanIn + ", " + fanOut);
        }
        if (layer < 1) {
            throw new IllegalArgumentException("layer must be >= 1, found " + layer);
        }
        final int n = Math.multiplyExact(fanIn, fanOut);
        if (w.length < n) {
            throw new IllegalArgumentException("weights buffer must hold fan_in·fan_out = " + n + " values, found " + w.length);
        }
        this.masterSeed = masterSeed;
        this.seed = seed;
        this.layer = layer;
        this.fanIn = fanIn;
        this.fanOut = fanOut;
        this.family = init.family();
        this.key = RandomStreams.weightKey(masterSeed, seed, layer, fanIn, fanOut, family);
        init.fill(this, w);
    }

    /**
     * Fills {@code w[0 .. fanIn·fanOut)} with the unit-scale base draws G of layer {@code layer}
     * for an init with a {@link Initializer#baseScale}: {@link #fill} gives baseScale · G.
     */
    public void fillBase(Initializer init, long masterSeed, long seed, int layer, int fanIn, int fanOut, double[] w) {
        if (Double.isNaN(init.baseScale(fanIn, fanOut))) {
            throw new IllegalArgumentException(init.id() + " weights are not a multiple of base draws");
        }
        streams.fillBase(init.family(), RandomStreams.weightKey(masterSeed, seed, layer, fanIn, fanOut, init.family()), w,
                Math.multiplyExact(fanIn, fanOut));
    }

    /** fan_in of the layer being filled. */
    int fanIn() {
        return fanIn;
    }

    /** fan_out of the layer being filled. */
    int fanOut() {
        return fanOut;
    }

    /** w = s · the layer's base draws of its scheme's family. */
    void scaledBase(double s, double[] w) {
        final int n = fanIn * fanOut;
        streams.fillBase(family, key, w, n);
        for (int i = 0; i < n; i++) {
            w[i] *= s;
        }
    }

    /** w = N(0, std²) draws restricted to [lo, hi], from the layer's stream. */
    void truncatedNormal(double std, double lo, double hi, double[] w) {
        streams.fillTruncatedNormal(key, std, lo, hi, w, fanIn * fanOut);
    }

    /** Sets {@code zeros} entries of every row of W (an input unit, a PyTorch column) to 0, at random positions. */
    void zeroPerInputUnit(int zeros, double[] w) {
        streams.zeroPerRow(RandomStreams.sparseKey(masterSeed, seed, layer, fanIn, fanOut), w, fanIn, fanOut, zeros);
    }

    /** w = v everywhere. */
    void constant(double v, double[] w) {
        Arrays.fill(w, 0, fanIn * fanOut, v);
    }

    /** w = factor where the row index equals the column index, 0 elsewhere. */
    void diagonal(double factor, double[] w) {
        Arrays.fill(w, 0, fanIn * fanOut, 0.0);
        for (int i = 0, m = Math.min(fanIn, fanOut); i < m; i++) {
            w[i * fanOut + i] = factor;
        }
    }

    /** w = gain · PyTorch's orthogonal_ of the layer's Gaussian draws (see {@link #orthogonalize}). */
    void orthogonal(double gain, double[] w) {
        streams.fillGaussian(key, w, fanIn * fanOut);
        orthogonalize(w, fanIn, fanOut, gain);
    }

    /**
     * PyTorch's orthogonal_ on the Gaussian matrix in {@code w}. Read column-major with leading
     * dimension fan_out, the row-major fan_in × fan_out buffer is PyTorch's (fan_out, fan_in)
     * matrix M itself. If fan_out ≥ fan_in, M is tall: its Q (fan_out × fan_in, column-major) is
     * again W row-major. Otherwise PyTorch factors Mᵀ (fan_in × fan_out), whose Q transposed
     * back and transposed once more into our layout is Q itself, read row-major.
     */
    private void orthogonalize(double[] w, int fanIn, int fanOut, double gain) {
        final int n = fanIn * fanOut;
        if (fanOut >= fanIn) {
            orthonormalColumns(w, fanOut, fanIn);
            for (int i = 0; i < n; i++) {
                w[i] *= gain;
            }
        } else {
            if (transposed.length < n) {
                transposed = new double[n];
            }
            for (int i = 0; i < fanIn; i++) {
                for (int j = 0; j < fanOut; j++) {
                    transposed[i + j * fanIn] = w[i * fanOut + j];
                }
            }
            orthonormalColumns(transposed, fanIn, fanOut);
            for (int i = 0; i < fanIn; i++) {
                for (int j = 0; j < fanOut; j++) {
                    w[i * fanOut + j] = gain * transposed[i + j * fanIn];
                }
            }
        }
    }

    /**
     * Replaces the column-major {@code rows × cols} matrix a (rows ≥ cols) by Q·diag(sign(diag R))
     * of its thin QR = a (Mezzadri 2007): the Q whose R has a positive diagonal.
     */
    private void orthonormalColumns(double[] a, int rows, int cols) {
        ensureWorkspace(a, rows, cols);
        LAPACK_INSTANCE.dgeqrf(rows, cols, a, rows, tau, work, lwork, info);
        checkInfo("dgeqrf");
        for (int j = 0; j < cols; j++) {
            signs[j] = Math.signum(a[j + j * rows]);
        }
        LAPACK_INSTANCE.dorgqr(rows, cols, cols, a, rows, tau, work, lwork, info);
        checkInfo("dorgqr");
        for (int j = 0; j < cols; j++) {
            double s = signs[j];
            if (s != 1.0) {
                for (int i = j * rows, end = i + rows; i < end; i++) {
                    a[i] *= s;
                }
            }
        }
    }

    private void ensureWorkspace(double[] a, int rows, int cols) {
        if (tau.length < cols) {
            tau = new double[cols];
            signs = new double[cols];
        }
        if (rows == workRows && cols == workCols) {
            return;
        }
        LAPACK_INSTANCE.dgeqrf(rows, cols, a, rows, tau, work, -1, info);
        checkInfo("dgeqrf workspace query");
        int need = (int) work[0];
        LAPACK_INSTANCE.dorgqr(rows, cols, cols, a, rows, tau, work, -1, info);
        checkInfo("dorgqr workspace query");
        need = Math.max(Math.max(need, (int) work[0]), cols);
        if (work.length < need) {
            work = new double[need];
        }
        lwork = need;
        workRows = rows;
        workCols = cols;
    }

    private void checkInfo(String routine) {
        if (info.val != 0) {
            throw new IllegalStateException(routine + " failed: info = " + info.val);
        }
    }
}
