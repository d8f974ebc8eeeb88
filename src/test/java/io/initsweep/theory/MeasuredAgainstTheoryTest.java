package io.initsweep.theory;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.sim.Activation;
import io.initsweep.sim.ChainParams;
import io.initsweep.sim.ChainResult;
import io.initsweep.sim.Dtype;
import io.initsweep.sim.ForwardPass;
import io.initsweep.sim.HistogramSpec;
import io.initsweep.sim.InitScheme;
import io.initsweep.sim.InputDistribution;
import io.initsweep.sim.KaimingNormal;
import io.initsweep.sim.StatsConfig;
import io.initsweep.sim.VarianceScaling;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulation against mean-field theory at width 1000 and batch 1000, near criticality: tanh at
 * σ_b² = 0.05, σ_w² = 1.76 (the edge of chaos) and ReLU under He (σ_w² = 2). The per-layer relative
 * error of E[A²] must stay inside a bound derived from finite width:
 *
 * <p>Given layer l−1's outputs, the columns of A_l are i.i.d. Gaussian over the weights, with the
 * batch's kernel K (K_ab = q·c_ab), so the sample mean of A² over batch × width has relative variance
 * v_l = (2/W)·mean_ab(c_ab²) = (2/W)·(1/B + (1 − 1/B)·E[c²]) with E[c²] = pre_corr_mean² +
 * pre_corr_spread² measured at that layer. Errors of earlier layers pass through the length map with
 * slope s_l = f'(q^(l−1))·q^(l−1)/q^l, so Var e_l = s_l²·Var e_(l−1) + v_l. The bound is 5 sd plus 2/W
 * for the O(1/W) bias of a layer whose columns have slightly different variances (the weight columns'
 * squared norms vary by √(2/n)), which mean-field theory leaves out.
 */
class MeasuredAgainstTheoryTest {
    private static final int WIDTH = 1000;
    private static final int BATCH = 1000;
    private static final int DEPTH = 8;

    private static void check(String name, InitScheme init, Map<String, Object> params, Activation act, double biasStd) {
        StatsConfig stats = new StatsConfig(new HistogramSpec(-2, 2, 30), StatsConfig.DEFAULT_LOG_HISTOGRAM,
                StatsConfig.DEFAULT_SATURATION_THRESHOLD);
        ChainParams p = new ChainParams(3L, 0L, WIDTH, BATCH, InputDistribution.NORMAL, init.bind(params, Double.NaN),
                act, Double.NaN, DEPTH, stats, WIDTH, biasStd, Dtype.FLOAT64, null);
        ChainResult r = new ForwardPass().run(p);
        ChainTheory t = ChainTheory.of(p, r.inputSqMean, r.inputCorrMean);
        MeanField hidden = new MeanField(act, Double.NaN, ChainTheory.sigmaW2(p, 2), biasStd * biasStd);
        double var = 0;
        for (int l = 0; l < DEPTH; l++) {
            double c2 = r.preCorrMean[l] * r.preCorrMean[l] + r.preCorrSpread[l] * r.preCorrSpread[l];
            double v = 2.0 / WIDTH * (1.0 / BATCH + (1 - 1.0 / BATCH) * c2);
            double slope = l == 0 ? 0 : hidden.lengthSlope(t.q()[l - 1]) * t.q()[l - 1] / t.q()[l];
            var = slope * slope * var + v;
            double tol = 5 * Math.sqrt(var) + 2.0 / WIDTH;
            double e = t.qRelError(l, r.preSqMean[l]);
            System.out.printf("%s layer %d: q %.6f theory %.6f q_rel_error %+.5f (bound %.5f); c %.4f theory %.4f%n", name,
                    l + 1, r.preSqMean[l], t.q()[l], e, tol, r.preCorrMean[l], t.c()[l]);
            assertThat(Math.abs(e)).as("%s layer %d", name, l + 1).isLessThanOrEqualTo(tol);
        }
    }

    @Test
    void tanhAtTheEdgeOfChaos() {
        check("tanh", VarianceScaling.SCHEME, Map.of("scale", 1.76, "mode", "fan_in", "distribution", "normal"),
                Activation.TANH, Math.sqrt(0.05));
    }

    @Test
    void reluUnderHe() {
        check("relu", KaimingNormal.SCHEME, Map.of(), Activation.RELU, 0.0);
    }
}
