package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Activation#saturationBand} against the definition φ'(a) &lt; τ·max φ'. The cuts are
 * recomputed here in a cancellation-free closed form (see {@link Reference#tanhCut}) and φ' is
 * evaluated both by {@link Activation#derivative} and by the independent forms in {@link Reference}.
 */
class SaturationBandTest {
    /**
     * The code's cut carries the rounding of 1 − √(1−τ): about ε/τ absolute, ≤ 2.2·10⁻¹³ for
     * τ ≥ 10⁻³; φ' at the cut then moves by |d ln φ'/da| ≤ 2 times that, relatively.
     */
    private static final double CUT_TOL = 1e-12;

    /** Relative error of φ'(cut) against τ·max φ': the cut's error above times 2, plus a few ulps. */
    private static final double ENDPOINT_TOL = 1e-12;

    /**
     * Grid points this close to a cut (in a), or whose φ' is within ENDPOINT_TOL of τ·max φ', are
     * skipped: classification there is a rounding question, not a definition one.
     */
    private static final double MARGIN = 1e-9;

    private static final double[] TAUS = {1.0, 0.5, 0.25, 0.1, 0.05, 0.01, 0.001};

    private static DoubleUnaryOperator independentDerivative(Activation act) {
        if (act.hasParam()) {
            throw new IllegalArgumentException("parameterised");
        }
        return a -> Reference.derivative(act, Double.NaN, a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIGMOID", "TANH"})
    void cutsMatchTheClosedForm(String name) {
        Activation act = Activation.valueOf(name);
        for (double tau : TAUS) {
            double[] band = act.saturationBand(tau, Double.NaN);
            double cut = act == Activation.SIGMOID ? Reference.sigmoidCut(tau) : Reference.tanhCut(tau);
            assertThat(band[0]).as("lower cut, tau=" + tau).isCloseTo(-cut, within(CUT_TOL * Math.max(1, cut)));
            assertThat(band[1]).as("upper cut, tau=" + tau).isCloseTo(cut, within(CUT_TOL * Math.max(1, cut)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIGMOID", "TANH"})
    void derivativeAtTheCutIsTauTimesMax(String name) {
        Activation act = Activation.valueOf(name);
        DoubleUnaryOperator d = independentDerivative(act);
        double max = act.maxDerivative(Double.NaN);
        for (double tau : TAUS) {
            double[] band = act.saturationBand(tau, Double.NaN);
            for (double edge : band) {
                double target = tau * max;
                assertThat(d.applyAsDouble(edge)).as("independent φ'(%s), tau=%s", edge, tau)
                        .isCloseTo(target, within(ENDPOINT_TOL * target));
                assertThat(act.derivative(edge, Double.NaN)).as("Activation.derivative(%s), tau=%s", edge, tau)
                        .isCloseTo(target, within(ENDPOINT_TOL * target));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIGMOID", "TANH"})
    void maxDerivativeIsTheMaximumOverAGrid(String name) {
        Activation act = Activation.valueOf(name);
        DoubleUnaryOperator d = independentDerivative(act);
        double best = 0;
        for (int i = -40_000; i <= 40_000; i++) {
            best = Math.max(best, d.applyAsDouble(i * 1e-3));
        }
        assertThat(act.maxDerivative(Double.NaN)).isEqualTo(best);
        assertThat(best).isEqualTo(act == Activation.SIGMOID ? 0.25 : 1.0);
    }

    /**
     * Over a = −40..40 in steps of 10⁻³ (plus the cuts ± 10·MARGIN and extremes), a is outside
     * the band iff φ'(a) &lt; τ·max φ', for both derivatives. Returns how many points were saturated.
     */
    private static int assertBandAgreesWithDefinition(Activation act, double param, double tau, DoubleUnaryOperator d) {
        double[] band = act.saturationBand(tau, param);
        double threshold = tau * act.maxDerivative(param);
        int checked = 0;
        int saturatedCount = 0;
        double[] extra = {band[0] - 10 * MARGIN, band[0] + 10 * MARGIN, band[1] - 10 * MARGIN, band[1] + 10 * MARGIN,
            0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, -1e-300, 1e300, -1e300};
        for (int i = -40_000; i <= 40_000 + extra.length; i++) {
            double a = i <= 40_000 ? i * 1e-3 : extra[i - 40_001];
            boolean smooth = act == Activation.SIGMOID || act == Activation.TANH;
            if (!Double.isFinite(a) || Math.abs(a - band[0]) < MARGIN || Math.abs(a - band[1]) < MARGIN
                    || (smooth && Math.abs(d.applyAsDouble(a) - threshold) <= ENDPOINT_TOL * threshold)) {
                // too close to the cut in a, or in a rounded φ' (at τ = 1 the cut is φ's flat
                // maximum: φ'(10⁻⁸) rounds to max φ' although mathematically below it)
                continue;
            }
            boolean outside = a < band[0] || a > band[1];
            boolean byDefinition = d.applyAsDouble(a) < threshold;
            boolean byActivation = act.derivative(a, param) < threshold;
            assertThat(outside).as("%s(param=%s) tau=%s a=%s: band %s vs independent φ'", act, param, tau, a,
                    java.util.Arrays.toString(band)).isEqualTo(byDefinition);
            assertThat(outside).as("%s(param=%s) tau=%s a=%s: band vs Activation.derivative", act, param, tau, a)
                    .isEqualTo(byActivation);
            checked++;
            saturatedCount += outside ? 1 : 0;
        }
        assertThat(checked).isGreaterThan(80_000);
        return saturatedCount;
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIGMOID", "TANH", "RELU"})
    void bandAgreesWithTheDefinitionOnAGrid(String name) {
        Activation act = Activation.valueOf(name);
        for (double tau : TAUS) {
            int saturated = assertBandAgreesWithDefinition(act, Double.NaN, tau, independentDerivative(act));
            assertThat(saturated).as("grid points saturated at tau=" + tau).isPositive();
        }
    }

    @Test
    void reluBandIsTheNonPositiveHalfLine() {
        // PyTorch's relu'(0) = 0: a = 0 and a = −0 are saturated, the smallest positive a is not.
        for (double tau : TAUS) {
            double[] band = Activation.RELU.saturationBand(tau, Double.NaN);
            for (double a : new double[] {0.0, -0.0, -Double.MIN_VALUE, -1e300}) {
                assertThat(a < band[0] || a > band[1]).as("a=%s tau=%s", a, tau).isTrue();
            }
            for (double a : new double[] {Double.MIN_VALUE, 1e-300, 1.0, 1e300, Double.POSITIVE_INFINITY}) {
                assertThat(a < band[0] || a > band[1]).as("a=%s tau=%s", a, tau).isFalse();
            }
        }
    }

    @Test
    void leakyReluBandFollowsTheSlope() {
        double[][] slopeTau = {{0.01, 0.05}, {0.2, 0.05}, {0.05, 0.05}, {0.0, 0.5}, {1.0, 1.0}, {2.0, 0.9}, {0.3, 1.0}};
        for (double[] st : slopeTau) {
            double slope = st[0];
            double tau = st[1];
            DoubleUnaryOperator d = a -> a > 0 ? 1.0 : slope;
            assertBandAgreesWithDefinition(Activation.LEAKY_RELU, slope, tau, d);
            assertThat(Activation.LEAKY_RELU.maxDerivative(slope)).isEqualTo(Math.max(1.0, slope));
        }
        // slope 0.01 < τ = 0.05: exactly the non-positive half line; slope 0.2: nothing
        double[] low = Activation.LEAKY_RELU.saturationBand(0.05, 0.01);
        assertThat(0.0 < low[0]).isTrue();
        assertThat(Double.MIN_VALUE < low[0]).isFalse();
        double[] high = Activation.LEAKY_RELU.saturationBand(0.05, 0.2);
        assertThat(high).containsExactly(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }
}
