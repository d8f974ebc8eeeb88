package io.initsweep.sim;

import java.util.List;

/**
 * Mishkin &amp; Matas (2015), layer-sequential unit variance: an orthogonal start with gain 1 (what
 * {@link #fill} draws), which the forward pass rescales, layer by layer, by W ← W / √Var(A) on the
 * simulated batch until |Var(A) − 1| &lt; tol or max_iter rescalings (the paper's Algorithm 1, A =
 * the layer's pre-activation, bias included; defaults as the authors' LSUV-pytorch: tol 0.1, 10
 * attempts). Nominal std: NaN, the final weights depend on the data (the orthogonal start has RMS
 * 1/√max(fan_in, fan_out)).
 *
 * @param tol the tolerance on |Var(A) − 1| of each layer's pre-activation
 * @param maxIter the most rescalings per layer
 */
public record Lsuv(double tol, int maxIter) implements Initializer {
    private static final long serialVersionUID = 1L;
    /** The largest max_iter a spec may ask for (each rescaling is one more matrix product per layer). */
    public static final int MAX_ITER_LIMIT = 1000;
    public static final InitScheme SCHEME = InitScheme.of("lsuv", List.of(),
            "orthogonal start, then per layer W ← W/√Var(A) until |Var(A) − 1| < tol or max_iter rescalings",
            "Mishkin & Matas 2015 (Algorithm 1); rescalings per layer in `lsuv_iterations`",
            List.of(InitParam.positive("tol", 0.1, "tolerance on |Var(A) − 1|"),
                    InitParam.integer("max_iter", 10, 1, MAX_ITER_LIMIT, "most rescalings per layer")),
            a -> new Lsuv(a.real("tol"), a.integer("max_iter")));

    public Lsuv {
        SCHEME.checked("tol", tol);
        SCHEME.checked("max_iter", maxIter);
    }

    /** 1: the orthogonal start's gain. */
    @Override
    public double gain() {
        return 1.0;
    }

    @Override
    public Family family() {
        return Family.GAUSSIAN;
    }

    @Override
    public void fill(Weights weights, double[] w) {
        weights.orthogonal(1.0, w);
    }

    @Override
    public double nominalStd(int fanIn, int fanOut) {
        return Double.NaN;
    }
}
