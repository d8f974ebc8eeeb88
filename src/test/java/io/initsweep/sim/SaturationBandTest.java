package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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
        Activation act = Activation.byId(name.toLowerCase(java.util.Locale.ROOT));
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
        Activation act = Activation.byId(name.toLowerCase(java.util.Locale.ROOT));
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
        Activation act = Activation.byId(name.toLowerCase(java.util.Locale.ROOT));
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
        Activation act = Activation.byId(name.toLowerCase(java.util.Locale.ROOT));
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

    // ---------------------------------------------------------------- every activation

    /** The τ of the dense checks: the defaults' neighbourhood, a flat-top τ = 1 and a τ above 1/max φ' of the humps. */
    private static final double[] BAND_TAUS = {0.001, 0.01, 0.05, 0.1, 0.3, 0.5, 0.9, 0.95, 1.0};

    /**
     * How far (in doubles) a cut may sit from where the code's own φ' crosses τ·max φ'. Cuts found
     * by bisection on φ' are the crossing itself (0); closed forms (ln, √, logit) carry a few
     * roundings, so 4 is allowed (0 observed at every τ here); the piecewise-constant derivatives
     * have exact cuts. Sigmoid's and tanh's cuts
     * carry the rounding of 1 − √(1−τ), about ε/τ absolute (see {@link #CUT_TOL}), and their
     * φ' is σ(1 − σ), 1 − tanh², which round to a few ε absolute: up to ~10³ ulps at τ = 10⁻³.
     */
    private static int edgeUlps(Activation act) {
        return ActivationTolerances.of(act).bandUlps();
    }

    /**
     * Independent φ' ({@link Reference#derivative}) has absolute error up to ~10⁻¹⁵ (Marsaglia's Φ
     * for gelu, 1 − tanh² for gelu_tanh); points where it is this close to τ·max φ' are not
     * classified by it.
     */
    private static final double REFERENCE_MARGIN = 1e-13;

    static Stream<Arguments> everyActivation() {
        List<Arguments> cases = new ArrayList<>();
        for (Activation act : Activation.values()) {
            cases.add(Arguments.of(act, act.defaultParam()));
        }
        for (double slope : new double[] {0.0, 0.2, 1.0}) {
            cases.add(Arguments.of(Activation.LEAKY_RELU, slope));
        }
        for (double alpha : new double[] {0.0, 0.05, 0.5, 2.0}) {
            cases.add(Arguments.of(Activation.ELU, alpha));
        }
        return cases.stream();
    }

    private static long ulpsBetween(double x, double y) {
        if (Double.isInfinite(x) != Double.isInfinite(y) || Double.isNaN(x) || Double.isNaN(y)) {
            return Long.MAX_VALUE;
        }
        long ox = ordered(x);
        long oy = ordered(y);
        long diff = ox > oy ? ox - oy : oy - ox; // as unsigned: the count of doubles between
        return diff < 0 ? Long.MAX_VALUE : diff;
    }

    private static long ordered(double d) {
        long bits = Double.doubleToRawLongBits(d);
        return bits < 0 ? bits ^ Long.MAX_VALUE : bits;
    }

    private static double stepUlps(double d, long k) {
        long key = ordered(d) + k;
        return Double.longBitsToDouble(key < 0 ? key ^ Long.MAX_VALUE : key);
    }

    /** −40..40 in steps of 10⁻³, the extremes of the doubles, and the kinks with their neighbours. */
    private static double[] denseGrid() {
        double[] special = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, -1e-300, 1e300, -1e300,
            Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0, Math.nextUp(1.0), Math.nextDown(1.0), Math.nextUp(-1.0),
            Math.nextDown(-1.0), 100, -100, 745, -745, 1e10, -1e10};
        double[] g = Arrays.copyOf(special, special.length + 80_001);
        for (int i = 0; i <= 80_000; i++) {
            g[special.length + i] = (i - 40_000) * 1e-3;
        }
        return g;
    }

    /** Each finite cut and the doubles within 2⁰..2⁴⁰ ulps of it on both sides. */
    private static double[] edgeProbes(double[] band) {
        List<Double> probes = new ArrayList<>();
        for (double edge : band) {
            if (Double.isInfinite(edge)) {
                continue;
            }
            for (long k = -3; k <= 3; k++) {
                probes.add(stepUlps(edge, k));
            }
            for (int j = 2; j <= 40; j++) {
                probes.add(stepUlps(edge, 1L << j));
                probes.add(stepUlps(edge, -(1L << j)));
            }
        }
        return probes.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
    }

    /**
     * The definition, point by point: a is outside the band iff φ'(a) &lt; τ·max φ', with φ' the
     * code's {@link Activation#derivative} (disagreement allowed only within {@link #edgeUlps} of a
     * cut, or where that φ' rounds to the threshold itself, e.g. softplus' σ(a) = 1.0 for a &gt; 37
     * at τ = 1) and the independent {@link Reference#derivative} (disagreement allowed only within
     * {@link #REFERENCE_MARGIN} of the threshold, or within {@link #edgeUlps} of a cut).
     */
    /** The independent φ' where {@link Reference} has one, else the code's (checked against the golden CSV). */
    private static double independent(Activation act, double param, double a, double byCode) {
        return Reference.hasDerivative(act) ? Reference.derivative(act, param, a) : byCode;
    }

    @ParameterizedTest(name = "{0}({1})")
    @MethodSource("everyActivation")
    void bandEqualsTheSaturatedSetOnADenseGrid(Activation act, double param) {
        double[] grid = denseGrid();
        double[] byCode = new double[grid.length];
        double[] byReference = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            byCode[i] = act.derivative(grid[i], param);
            byReference[i] = independent(act, param, grid[i], byCode[i]);
        }
        double max = act.maxDerivative(param);
        int everSaturated = 0;
        for (double tau : BAND_TAUS) {
            double[] band = act.saturationBand(tau, param);
            double threshold = tau * max;
            assertThat(band[0] <= band[1] || band[0] == Double.MIN_VALUE || band[0] == Double.POSITIVE_INFINITY)
                    .as("%s(%s) tau=%s band %s is an interval or a whole-side marker", act, param, tau, Arrays.toString(band))
                    .isTrue();
            double[] probes = edgeProbes(band);
            int saturated = 0;
            for (int i = 0; i < grid.length + probes.length; i++) {
                double a = i < grid.length ? grid[i] : probes[i - grid.length];
                double code = i < grid.length ? byCode[i] : act.derivative(a, param);
                double ref = i < grid.length ? byReference[i] : independent(act, param, a, code);
                boolean outside = a < band[0] || a > band[1];
                saturated += outside ? 1 : 0;
                long fromEdge = Math.min(ulpsBetween(a, band[0]), ulpsBetween(a, band[1]));
                boolean nearEdge = fromEdge <= edgeUlps(act);
                if (outside != (code < threshold)) {
                    assertThat(nearEdge || Math.abs(code - threshold) <= 2 * Math.ulp(threshold))
                            .as("%s(%s) tau=%s a=%s: band %s says %s, φ'(a) = %s vs threshold %s (%d ulps from a cut)",
                                    act, param, tau, a, Arrays.toString(band), outside ? "saturated" : "not saturated",
                                    code, threshold, fromEdge)
                            .isTrue();
                }
                if (outside != (ref < threshold)) {
                    assertThat(nearEdge || Math.abs(ref - threshold) <= REFERENCE_MARGIN)
                            .as("%s(%s) tau=%s a=%s: band %s says %s, independent φ'(a) = %s vs threshold %s",
                                    act, param, tau, a, Arrays.toString(band), outside ? "saturated" : "not saturated",
                                    ref, threshold)
                            .isTrue();
                }
            }
            everSaturated += saturated;
        }
        if (act == Activation.LINEAR || (act == Activation.LEAKY_RELU && param == 1.0)) {
            assertThat(everSaturated).as("the identity never saturates").isZero();
        } else {
            assertThat(everSaturated).as("some grid point saturated at some tau").isPositive();
        }
    }

    /** Bisection cuts are exact for the code's φ': φ'(cut) ≥ τ·max and the next double outward is below. */
    @ParameterizedTest
    @ValueSource(strings = {"GELU", "GELU_TANH", "SILU", "MISH"})
    void humpCutsAreTheLastDoublesAtOrAboveTheThreshold(String name) {
        Activation act = Activation.byId(name.toLowerCase(java.util.Locale.ROOT));
        double max = act.maxDerivative(Double.NaN);
        for (double tau : BAND_TAUS) {
            double[] band = act.saturationBand(tau, Double.NaN);
            double threshold = tau * max;
            assertThat(act.derivative(band[0], Double.NaN)).as("φ'(lo), tau=%s", tau).isGreaterThanOrEqualTo(threshold);
            assertThat(act.derivative(Math.nextDown(band[0]), Double.NaN)).as("φ'(nextDown(lo)), tau=%s", tau)
                    .isLessThan(threshold);
            if (threshold > 1.0) {
                assertThat(band[1]).as("upper cut, tau=%s", tau).isFinite();
                assertThat(act.derivative(band[1], Double.NaN)).as("φ'(hi), tau=%s", tau).isGreaterThanOrEqualTo(threshold);
                assertThat(act.derivative(Math.nextUp(band[1]), Double.NaN)).as("φ'(nextUp(hi)), tau=%s", tau)
                        .isLessThan(threshold);
            } else {
                // φ' falls towards 1 from above beyond its maximum: never below a threshold ≤ 1
                assertThat(band[1]).as("upper cut, tau=%s", tau).isEqualTo(Double.POSITIVE_INFINITY);
            }
        }
        // the default τ: the lower tail saturated, a unit at 0 (φ'(0) = 1/2 or 0.6) live, the right side live
        double[] band = act.saturationBand(0.05, Double.NaN);
        assertThat(band[0]).isNegative();
        assertThat(band[1]).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void geluUpperCutAppearsExactlyWhenTauTimesMaxExceedsOne() {
        double max = Activation.GELU.maxDerivative(Double.NaN);
        double tauStar = 1.0 / max; // ≈ 0.8858
        assertThat(Activation.GELU.saturationBand(Math.nextDown(tauStar) * 0.999, Double.NaN)[1]).isInfinite();
        assertThat(Activation.GELU.saturationBand(tauStar * 1.001, Double.NaN)[1]).isFinite().isGreaterThan(Math.sqrt(2));
    }

    @Test
    void closedFormCutsOfTheSmoothMonotoneDerivatives() {
        for (double tau : BAND_TAUS) {
            // softsign: (1 + |a|)^−2 < τ ⇔ |a| > τ^−1/2 − 1
            double c = 1 / Math.sqrt(tau) - 1;
            assertThat(Activation.SOFTSIGN.saturationBand(tau, Double.NaN))
                    .containsExactly(new double[] {-c, c}, within(CUT_TOL * Math.max(1, c)));
            // softplus: σ(a) < τ ⇔ a < ln(τ/(1 − τ))
            double logit = Math.log(tau / (1 - tau));
            double[] sp = Activation.SOFTPLUS.saturationBand(tau, Double.NaN);
            if (tau < 1) {
                assertThat(sp[0]).as("softplus cut, tau=%s", tau).isCloseTo(logit, within(CUT_TOL * Math.max(1, Math.abs(logit))));
            } else {
                assertThat(sp[0]).as("softplus at tau = 1: σ < 1 everywhere").isEqualTo(Double.POSITIVE_INFINITY);
            }
            assertThat(sp[1]).isEqualTo(Double.POSITIVE_INFINITY);
            // selu: λα·e^a < τ·λα ⇔ a < ln τ; the positive side λ < τ·λα ⇔ τ > 1/α
            double[] selu = Activation.SELU.saturationBand(tau, Double.NaN);
            assertThat(selu[0]).isCloseTo(Math.log(tau), within(CUT_TOL));
            assertThat(selu[1]).isEqualTo(tau > 1 / Reference.SELU_ALPHA ? 0.0 : Double.POSITIVE_INFINITY);
        }
    }

    @Test
    void eluBandFollowsAlpha() {
        // α = 1, τ = 0.05: e^a < 0.05 ⇔ a < ln 0.05
        assertThat(Activation.ELU.saturationBand(0.05, 1.0)[0]).isCloseTo(Math.log(0.05), within(CUT_TOL));
        assertThat(Activation.ELU.saturationBand(0.05, 1.0)[1]).isEqualTo(Double.POSITIVE_INFINITY);
        // α = 0.01 < τ·max = 0.05: the whole non-positive half line, −0 and 0 included (elu'(0) = α)
        double[] small = Activation.ELU.saturationBand(0.05, 0.01);
        for (double a : new double[] {0.0, -0.0, -1e-300, -5}) {
            assertThat(a < small[0] || a > small[1]).as("a=%s", a).isTrue();
        }
        assertThat(Double.MIN_VALUE < small[0] || Double.MIN_VALUE > small[1]).isFalse();
        // α = 2: max φ' = 2 at 0; τ = 0.9: 2e^a < 1.8 ⇔ a < ln 0.9, and the positive side (1 < 1.8) saturated
        double[] big = Activation.ELU.saturationBand(0.9, 2.0);
        assertThat(big[0]).isCloseTo(Math.log(0.9), within(CUT_TOL));
        assertThat(big[1]).isEqualTo(0.0);
        assertThat(Activation.ELU.maxDerivative(2.0)).isEqualTo(2.0);
        assertThat(Activation.ELU.maxDerivative(0.5)).isEqualTo(1.0);
    }

    @Test
    void hardtanhAndLinearBandsAreExact() {
        for (double tau : BAND_TAUS) {
            double[] h = Activation.HARDTANH.saturationBand(tau, Double.NaN);
            // PyTorch's hardtanh'(±1) = 0: ±1 saturated, the doubles just inside not
            for (double a : new double[] {-1.0, 1.0, -2.0, 2.0, -1e300, 1e300}) {
                assertThat(a < h[0] || a > h[1]).as("hardtanh a=%s tau=%s", a, tau).isTrue();
            }
            for (double a : new double[] {Math.nextUp(-1.0), Math.nextDown(1.0), 0.0, -0.0, 0.5}) {
                assertThat(a < h[0] || a > h[1]).as("hardtanh a=%s tau=%s", a, tau).isFalse();
            }
            double[] l = Activation.LINEAR.saturationBand(tau, Double.NaN);
            assertThat(l).containsExactly(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
    }
}
