package io.initsweep.theory;

import io.initsweep.sim.ChainParams;
import io.initsweep.sim.Initializer;

/**
 * The mean-field prediction beside one simulated chain, per layer and at its fixed point.
 *
 * <p>σ_w² of layer l is fan_in·s² with s the init's {@link Initializer#nominalStd nominal weight
 * std} for that layer's shape (so layer 1 differs when input_width ≠ width); σ_b² = bias_std².
 * The trace starts from the input as simulated: q¹ = σ_w²·mean(x²) + σ_b², c¹ from the input
 * rows' mean pairwise correlation c⁰. The fixed point and depth scales are those of the hidden
 * layers' σ_w² (layers 2 on), reached from q¹.
 *
 * <p>Mean-field theory describes weights that are independent, zero-mean and of one variance
 * (orthogonal weights propagate q and c the same way at large width). It is not defined here for
 * zeros, ones, constant and identity (not random), sparse (a fixed count of zeros per unit), LSUV
 * (its scale depends on the data) and truncated_normal with asymmetric cutoffs (non-zero mean):
 * {@link #of} returns null for those.
 *
 * @param q the predicted E[A²] of each layer l = 1..maxDepth (index l − 1)
 * @param c the predicted correlation of two samples' pre-activations per layer
 * @param chi1 χ₁ at each layer's q: σ_w²·E[φ'(a)²]
 * @param saturationRate the Gaussian prediction of each layer's saturation rate
 * @param zeroRate the Gaussian prediction of each layer's share of φ(a) exactly 0
 * @param fixedPoint q*, c*, χ₁, χ_c, ξ_q, ξ_c and the phase of the hidden layers' map
 */
public record ChainTheory(double[] q, double[] c, double[] chi1, double[] saturationRate, double[] zeroRate,
        MeanField.FixedPoint fixedPoint) {

    /** Whether mean-field theory describes chains of this init (see the class comment). */
    public static boolean applies(Initializer init) {
        return init.meanFieldApplies();
    }

    /** σ_w² of a layer: fan_in · (nominal weight std)². */
    public static double sigmaW2(ChainParams p, int layer) {
        int fanIn = p.fanIn(layer);
        double s = p.init().nominalStd(fanIn, p.width());
        return fanIn * s * s;
    }

    /**
     * The theory of a chain, from its input's measured mean square and row correlation; null when
     * {@link #applies} is false.
     */
    public static ChainTheory of(ChainParams p, double inputSqMean, double inputCorrMean) {
        if (!applies(p.init())) {
            return null;
        }
        int depth = p.maxDepth();
        double sb2 = p.biasStd() * p.biasStd();
        double tau = p.stats().saturationThreshold();
        MeanField first = new MeanField(p.activation(), p.activationParam(), sigmaW2(p, 1), sb2);
        // layers 2 on have fan_in = width (also when the chain itself has one layer: the fixed point is the hidden map's)
        MeanField hidden = new MeanField(p.activation(), p.activationParam(), sigmaW2(p, 2), sb2);
        double q1 = first.sigmaW2() * inputSqMean + sb2;
        MeanField.Trace trace = hidden.traceFrom(q1, first.firstCorrelation(q1, inputSqMean, inputCorrMean), depth);
        double[] q = trace.q();
        double[] chi1 = trace.chi1();
        chi1[0] = Double.isFinite(q1) ? first.chi1(q1) : Double.NaN;
        double[] sat = new double[depth];
        double[] zero = new double[depth];
        for (int l = 0; l < depth; l++) {
            MeanField here = l == 0 ? first : hidden;
            boolean finite = Double.isFinite(q[l]);
            sat[l] = finite ? here.saturationRate(q[l], tau) : Double.NaN;
            zero[l] = finite ? here.zeroRate(q[l]) : Double.NaN;
        }
        return new ChainTheory(q, trace.c(), chi1, sat, zero, hidden.fixedPoint(q1));
    }

    /** Measured E[A²] over the theory's q, minus 1 (NaN where q is 0, ∞ or NaN). */
    public double qRelError(int layer, double measuredSqMean) {
        double t = q[layer];
        return t > 0 && Double.isFinite(t) ? measuredSqMean / t - 1 : Double.NaN;
    }

    /** depth / ξ_c: how many correlation depth scales a grid point of this depth spans (0 when ξ_c = ∞). */
    public double depthOverXiC(int depth) {
        double xi = fixedPoint.xiC();
        return Double.isNaN(xi) ? Double.NaN : depth / xi;
    }
}
