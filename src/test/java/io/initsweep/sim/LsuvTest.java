package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * LSUV (Mishkin &amp; Matas 2015, Algorithm 1): after the orthogonal start, every layer's
 * pre-activation variance is within tol of 1 unless max_iter rescalings ran out, and the
 * rescalings made are recorded. The checks use the recorded pre_std and pre_mean (Var(A) =
 * E[(A − mean)²]) against the definition, not the code's own loop.
 */
class LsuvTest {
    private static ChainParams lsuv(double tol, int maxIter, Activation act, int depth, double biasStd, Dtype dtype,
            InputDistribution input) {
        Initializer p = Lsuv.SCHEME.bind(Map.of("tol", tol, "max_iter", maxIter), Double.NaN);
        StatsConfig stats = new StatsConfig(new HistogramSpec(act.defaultHistogramLo(), act.defaultHistogramHi(), 30),
                StatsConfig.DEFAULT_LOG_HISTOGRAM, StatsConfig.DEFAULT_SATURATION_THRESHOLD);
        return new ChainParams(5L, 1L, 64, 512, input, p, act, act.defaultParam(), depth, stats, 32, biasStd, dtype, null);
    }

    @Test
    void everyLayerReachesUnitPreActivationVarianceWithinItsTolerance() {
        for (Activation act : new Activation[] {Activation.TANH, Activation.RELU, Activation.SIGMOID}) {
            for (double biasStd : new double[] {0.0, 0.5}) {
                for (Dtype dtype : Dtype.values()) {
                    ChainResult r = new ForwardPass().run(lsuv(0.02, 10, act, 8, biasStd, dtype, InputDistribution.UNIFORM));
                    for (int l = 0; l < 8; l++) {
                        double var = r.preStd[l] * r.preStd[l];
                        assertThat(Math.abs(var - 1.0)).as("%s bias %s %s layer %d: Var(A) = %s after %d rescalings", act.id(),
                                biasStd, dtype.id(), l + 1, var, r.lsuvIterations[l]).isLessThan(0.02);
                        assertThat(r.lsuvIterations[l]).isBetween(0, 10);
                    }
                }
            }
        }
    }

    @Test
    void withoutBiasOneRescalingIsExactSoTheLoopStopsAfterIt() {
        // A = X·W is linear in W: dividing W by √Var(A) gives Var(A) = 1 up to rounding, so each
        // layer needs exactly one rescaling (unless its orthogonal start is already within tol)
        ChainResult r = new ForwardPass().run(lsuv(1e-6, 10, Activation.TANH, 6, 0.0, Dtype.FLOAT64, InputDistribution.NORMAL));
        for (int l = 0; l < 6; l++) {
            assertThat(r.lsuvIterations[l]).as("layer %d", l + 1).isEqualTo(1);
            assertThat(r.preStd[l] * r.preStd[l]).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
        }
    }

    private static ChainParams orthogonal(Activation act, int depth) {
        ChainParams p = lsuv(0.1, 1, act, depth, 0.0, Dtype.FLOAT64, InputDistribution.NORMAL);
        return new ChainParams(p.masterSeed(), p.seed(), p.width(), p.batch(), p.input(), Orthogonal.SCHEME.defaults(
                Double.NaN), act, p.activationParam(), depth, p.stats(), p.inputWidth(), p.biasStd(), p.dtype(), null);
    }

    @Test
    void maxIterBoundsTheRescalings() {
        // with a bias, rescaling W alone cannot make Var(A) exactly 1, so a tiny tol uses every attempt
        ChainResult one = new ForwardPass().run(lsuv(1e-12, 1, Activation.RELU, 4, 0.3, Dtype.FLOAT64, InputDistribution.NORMAL));
        assertThat(one.lsuvIterations).containsOnly(1);
        ChainResult three = new ForwardPass().run(lsuv(1e-12, 3, Activation.RELU, 4, 0.3, Dtype.FLOAT64, InputDistribution.NORMAL));
        assertThat(three.lsuvIterations).containsOnly(3);
    }

    @Test
    void theStartIsOrthogonalWithGainOne() {
        ChainResult start = new ForwardPass().run(orthogonal(Activation.RELU, 2));
        // orthonormal columns of a fan_in × fan_out matrix with fan_in ≥ fan_out: ‖W‖² = fan_out,
        // RMS = 1/√fan_in; with fan_in < fan_out orthonormal rows: ‖W‖² = fan_in, RMS = 1/√fan_out
        assertThat(start.weightRms[0]).isCloseTo(1 / Math.sqrt(64), org.assertj.core.api.Assertions.within(1e-12)); // 32 × 64
        assertThat(start.weightRms[1]).isCloseTo(1 / Math.sqrt(64), org.assertj.core.api.Assertions.within(1e-12)); // 64 × 64
    }

    @Test
    void aLsuvNetworkKeepsItsScaleWhereTheOrthogonalStartDoesNot() {
        // ReLU halves E[A²] per layer under an orthogonal gain-1 start; LSUV restores Var(A) = 1
        ChainResult start = new ForwardPass().run(orthogonal(Activation.RELU, 12));
        ChainResult fitted = new ForwardPass().run(lsuv(0.05, 10, Activation.RELU, 12, 0.0, Dtype.FLOAT64, InputDistribution.NORMAL));
        assertThat(start.preSqMean[11]).isLessThan(0.01);
        assertThat(fitted.preStd[11] * fitted.preStd[11]).isBetween(0.95, 1.05);
    }
}
