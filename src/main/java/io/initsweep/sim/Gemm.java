package io.initsweep.sim;

import dev.ludovic.netlib.blas.BLAS;
import io.initsweep.blas.Blas;

/**
 * Row-major matrix product through netlib BLAS ({@code dev.ludovic.netlib.blas}, the library
 * breeze and Spark MLlib use) on the BLAS {@link Blas} chose: the OpenBLAS the jar carries by
 * default, the system's or netlib's Java BLAS when asked or when it cannot load.
 */
public final class Gemm {
    private static final BLAS BLAS_INSTANCE = Blas.instance();

    private Gemm() {}

    /** The BLAS implementation class in use (JNIBLAS, VectorBLAS or Java11BLAS). */
    public static String implementation() {
        return BLAS_INSTANCE.getClass().getName();
    }

    /** Whether the implementation is the native (JNI) one. */
    public static boolean isNative() {
        return implementation().endsWith("JNIBLAS");
    }

    /**
     * C = alpha · X · W for row-major X (rows × inner), W (inner × cols), C (rows × cols).
     * Expressed to column-major BLAS as Cᵀ = alpha · Wᵀ · Xᵀ. Only {@code c} is modified.
     */
    public static void multiply(double[] x, double[] w, double[] c, int rows, int inner, int cols, double alpha) {
        BLAS_INSTANCE.dgemm("N", "N", cols, rows, inner, alpha, w, cols, x, inner, 0.0, c, cols);
    }

    /** C = alpha · X · W + beta · C, row-major as {@link #multiply}. */
    public static void multiplyAdd(double[] x, double[] w, double[] c, int rows, int inner, int cols, double alpha,
            double beta) {
        BLAS_INSTANCE.dgemm("N", "N", cols, rows, inner, alpha, w, cols, x, inner, beta, c, cols);
    }

    /** Single precision C = alpha · X · W + beta · C (SGEMM), row-major as {@link #multiply}. */
    public static void multiplyAdd(float[] x, float[] w, float[] c, int rows, int inner, int cols, float alpha, float beta) {
        BLAS_INSTANCE.sgemm("N", "N", cols, rows, inner, alpha, w, cols, x, inner, beta, c, cols);
    }

    /**
     * C = alpha · X · Wᵀ + beta · C for row-major X (rows × inner), W (cols × inner), C (rows × cols):
     * the product a backward pass makes with a layer's weights (δ_l = δ_{l+1}·W_{l+1}ᵀ). Expressed to
     * column-major BLAS as Cᵀ = alpha · W · Xᵀ, W read as the transpose of its column-major view.
     * Only {@code c} is modified.
     */
    public static void multiplyTransposedRight(double[] x, double[] w, double[] c, int rows, int inner, int cols,
            double alpha, double beta) {
        BLAS_INSTANCE.dgemm("T", "N", cols, rows, inner, alpha, w, inner, x, inner, beta, c, cols);
    }

    /** Single precision {@link #multiplyTransposedRight(double[], double[], double[], int, int, int, double, double)} (SGEMM). */
    public static void multiplyTransposedRight(float[] x, float[] w, float[] c, int rows, int inner, int cols, float alpha,
            float beta) {
        BLAS_INSTANCE.sgemm("T", "N", cols, rows, inner, alpha, w, inner, x, inner, beta, c, cols);
    }

    /** Single precision {@link #multiplyTransposedLeft(double[], double[], double[], int, int, int, double, double)} (SGEMM). */
    public static void multiplyTransposedLeft(float[] x, float[] y, float[] c, int rows, int inner, int cols, float alpha,
            float beta) {
        BLAS_INSTANCE.sgemm("N", "T", cols, rows, inner, alpha, y, cols, x, rows, beta, c, cols);
    }

    /**
     * C = alpha · Xᵀ · Y + beta · C for row-major X (inner × rows), Y (inner × cols), C (rows × cols):
     * a weight gradient X_{l−1}ᵀ·δ_l, the sum over the batch being the inner dimension. Expressed to
     * column-major BLAS as Cᵀ = alpha · Yᵀ · X. Only {@code c} is modified.
     */
    public static void multiplyTransposedLeft(double[] x, double[] y, double[] c, int rows, int inner, int cols,
            double alpha, double beta) {
        BLAS_INSTANCE.dgemm("N", "T", cols, rows, inner, alpha, y, cols, x, rows, beta, c, cols);
    }
}
