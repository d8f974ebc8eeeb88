package io.initsweep.sim;

import java.util.List;

/**
 * Saxe et al. (2014): a Gaussian matrix M of PyTorch's shape (fan_out, fan_in), transposed if
 * fan_out &lt; fan_in; QR = M; Q·diag(sign(diag R)) (Mezzadri 2007: Haar-distributed); transposed
 * back; times gain (default 1). The smaller side of the result has orthonormal rows or columns:
 * WᵀW = gain²·I when fan_in ≥ fan_out, WWᵀ = gain²·I otherwise. PyTorch
 * {@code nn.init.orthogonal_(gain)}; Keras {@code Orthogonal(gain)} and JAX {@code orthogonal(scale)}
 * draw the same distribution. Nominal std: the entry RMS, exact: Σw² = gain²·min(fan_in, fan_out),
 * so RMS = gain/√max(fan_in, fan_out).
 *
 * @param gain the multiplier of the orthogonal matrix
 */
public record Orthogonal(double gain) implements Initializer {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.of("orthogonal", List.of("orthogonal_"),
            "gain·Q: QR of a Gaussian (out, in) matrix (transposed if out < in), Q·sign(diag R)",
            "PyTorch `orthogonal_` (Saxe et al. 2014); same law as Keras `Orthogonal`, JAX `orthogonal`",
            List.of(InitParam.gain(1.0, "multiplier of the orthogonal matrix")), a -> new Orthogonal(a.real("gain")))
            .inCatalogueAs("orthogonal", null,
                    "{orthogonal: {gain: 1.5}}", null);

    public Orthogonal {
        SCHEME.checked("gain", gain);
    }

    @Override
    public Family family() {
        return Family.GAUSSIAN;
    }

    @Override
    public void fill(Weights weights, double[] w) {
        weights.orthogonal(gain, w);
    }

    @Override
    public double nominalStd(int fanIn, int fanOut) {
        return gain / Math.sqrt(Math.max(fanIn, fanOut));
    }

    @Override
    public boolean meanFieldApplies() {
        return true;
    }
}
