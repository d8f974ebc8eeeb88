package io.initsweep.sim;

import java.util.List;

/**
 * Martens (2010): N(0, std²), then in every input unit (a PyTorch column, a row of W) exactly
 * ⌈sparsity·fan_out⌉ entries set to 0 at random positions. PyTorch {@code nn.init.sparse_(sparsity,
 * std)} with std from the grid's std axis (PyTorch's own default std is 0.01); sparsity has no
 * default, as in PyTorch. Nominal std: that of a random entry, zero with probability z/fan_out (z
 * = {@link #zeros}) and N(0, std²) otherwise: std·√(1 − z/fan_out), exact.
 *
 * @param std the grid's std axis value
 * @param sparsity the share of each input unit's weights set to 0
 */
public record Sparse(double std, double sparsity) implements Initializer {
    private static final long serialVersionUID = 1L;
    public static final InitScheme SCHEME = InitScheme.onStdAxis("sparse", List.of("sparse_"),
            "N(0, std²), then ⌈sparsity·fan_out⌉ zeros at random in each input unit's weights",
            "PyTorch `sparse_` (Martens 2010)",
            List.of(InitParam.real("sparsity", null, 0.0, 1.0, "share of each input unit's weights set to 0")),
            a -> new Sparse(a.std(), a.real("sparsity")))
            .inCatalogueAs("{sparse: {sparsity: 0.1}}", null);

    public Sparse {
        SCHEME.checkedStd(std);
        SCHEME.checked("sparsity", sparsity);
    }

    /** The zeros in each input unit (PyTorch column), ⌈sparsity·fan_out⌉ as PyTorch computes it. */
    public int zeros(int fanOut) {
        return (int) Math.ceil(sparsity * fanOut);
    }

    @Override
    public Family family() {
        return Family.GAUSSIAN;
    }

    @Override
    public void fill(Weights weights, double[] w) {
        weights.scaledBase(std, w);
        weights.zeroPerInputUnit(zeros(weights.fanOut()), w);
    }

    @Override
    public double nominalStd(int fanIn, int fanOut) {
        return std * Math.sqrt((fanOut - zeros(fanOut)) / (double) fanOut);
    }
}
