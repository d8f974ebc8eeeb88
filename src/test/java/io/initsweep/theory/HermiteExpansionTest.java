package io.initsweep.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.initsweep.sim.Activation;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Mehler's series for the correlation map's cross moment against closed forms (sin, cos and erf
 * have them at every q and c) and against the two-dimensional quadrature for every registered
 * activation; the positively homogeneous closed forms against the quadrature too.
 */
class HermiteExpansionTest {
    private static final double[] NO_KINKS = {};

    /** E[erf(a₁)erf(a₂)] = (2/π)·arcsin(2qc/(1 + 2q)) (Williams 1997, "Computing with infinite networks"). */
    private static double erfProduct(double q, double c) {
        return 2 / Math.PI * Math.asin(2 * q * c / (1 + 2 * q));
    }

    private static double erf(double x) {
        return org.apache.commons.numbers.gamma.Erf.value(x);
    }

    @Test
    void theSeriesIsTheClosedFormWhereOneIsKnown() {
        for (double q : new double[] {1e-4, 0.3, 1.0, 3.0}) {
            HermiteExpansion sin = HermiteExpansion.of(Math::sin, q, NO_KINKS);
            HermiteExpansion cos = HermiteExpansion.of(Math::cos, q, NO_KINKS);
            HermiteExpansion erf = HermiteExpansion.of(HermiteExpansionTest::erf, q, NO_KINKS);
            // Parseval: E[sin²] = (1 − e^{−2q})/2, E[cos²] = (1 + e^{−2q})/2
            assertEquals((1 - Math.exp(-2 * q)) / 2, sin.meanSquare(), 1e-15, "E[sin²] at q=" + q);
            assertEquals((1 + Math.exp(-2 * q)) / 2, cos.meanSquare(), 1e-15, "E[cos²] at q=" + q);
            for (double c : new double[] {-0.99, -0.6, 0.0, 0.2, 0.5, 0.9, 0.99}) {
                // E[sin a₁ sin a₂] = e^{−q}·sinh(qc), E[cos a₁ cos a₂] = e^{−q}·cosh(qc)
                assertEquals(Math.exp(-q) * Math.sinh(q * c), sin.product(c), 1e-15, "sin q=" + q + " c=" + c);
                assertEquals(Math.exp(-q) * Math.cosh(q * c), cos.product(c), 1e-15, "cos q=" + q + " c=" + c);
                double e = erf.product(c);
                if (!Double.isNaN(e)) {
                    assertEquals(erfProduct(q, c), e, 1e-14, "erf q=" + q + " c=" + c);
                }
            }
            // erf's b_k² fall like (2q/(1 + 2q))^k (the Taylor series of the arcsine): at q ≤ 1 fast enough for c = 0.9
            if (q <= 1) {
                assertFalse(Double.isNaN(erf.product(0.9)), "erf at q=" + q + " c=0.9 fell back");
            }
        }
    }

    @Test
    void theSeriesIsTheQuadratureForEveryRegisteredActivationWhereItIsUsed() {
        int used = 0;
        int total = 0;
        for (Activation a : Activation.values()) {
            double param = a.defaultParam();
            DoubleUnaryOperator phi = x -> a.value(x, param);
            double[] kinks = a.kinks(param);
            for (double q : new double[] {1e-4, 0.3, 1.0, 3.0, 30.0, 400.0}) {
                HermiteExpansion e = HermiteExpansion.of(phi, q, kinks);
                double m2 = GaussianQuadrature.expect(x -> phi.applyAsDouble(x) * phi.applyAsDouble(x), q, kinks);
                // the series' rule is finer than the standard one, which is good to some 10⁻¹¹ (E[φ²] at q = 1: tanh's
                // 3.8·10⁻¹² low against mpmath's 0.39429449039784117, softsign's 1.7·10⁻¹¹ against 0.18301402126654750;
                // the fine rule meets both to 10⁻¹⁶)
                assertEquals(m2, e.meanSquare(), 1e-10 * m2, a.id() + " E[φ²] at q=" + q);
                for (double c : new double[] {-0.9, -0.5, 0.0, 0.3, 0.6, 0.9, 0.99}) {
                    total++;
                    double series = e.product(c);
                    if (Double.isNaN(series)) {
                        continue;
                    }
                    used++;
                    double rule = GaussianQuadrature.expectProduct(phi, q, c, kinks);
                    assertEquals(rule, series, 1e-10 * m2, a.id() + " q=" + q + " c=" + c);
                }
            }
        }
        // the series must carry most of these points, or it saves nothing
        assertTrue(used > total / 2, "series used at " + used + " of " + total + " points");
    }

    /** mpmath's quad at 30 digits, split at the kinks: the fine rule to 10⁻¹⁵ where the standard one is off by 10⁻¹¹. */
    @Test
    void theFineRuleMeetsMpmath() {
        assertEquals(0.39429449039784117, HermiteExpansion.of(Math::tanh, 1.0, NO_KINKS).meanSquare(), 1e-15);
        Activation softsign = Activation.byId("softsign");
        assertEquals(0.18301402126654750, HermiteExpansion.of(x -> softsign.value(x, Double.NaN), 1.0,
                softsign.kinks(Double.NaN)).meanSquare(), 1e-15);
    }

    @Test
    void theSeriesCarriesTanhAtModerateVarianceAndFallsBackForKinksNearOne() {
        HermiteExpansion tanh = HermiteExpansion.of(Math::tanh, 1.0, NO_KINKS);
        for (double c : new double[] {-0.6, 0.0, 0.5, 0.6}) {
            assertFalse(Double.isNaN(tanh.product(c)), "tanh q=1 c=" + c);
        }
        // its tail beyond degree 64 is about 10⁻¹⁰ of E[φ²]: at c = 0.9, 0.9^65 of it is above 10⁻¹⁴
        assertTrue(Double.isNaN(tanh.product(0.9)));
        // hardtanh's kinks at ±1: b_k² falls like k^{-3/2}, so 0.99^65 of its tail is far above 10⁻¹⁴
        Activation hardtanh = Activation.byId("hardtanh");
        double p = hardtanh.defaultParam();
        HermiteExpansion kinked = HermiteExpansion.of(x -> hardtanh.value(x, p), 1.0, hardtanh.kinks(p));
        assertTrue(Double.isNaN(kinked.product(0.99)));
        assertTrue(kinked.tail() > 1e-6 * kinked.meanSquare(), "hardtanh's tail " + kinked.tail());
    }

    @Test
    void thePointMassIsPhiOfZeroSquared() {
        HermiteExpansion e = HermiteExpansion.of(x -> 0.5 + x, 0.0, NO_KINKS);
        assertEquals(0.25, e.product(0.3));
        assertEquals(0.25, e.meanSquare());
    }

    @Test
    void homogeneousActivationsUseClosedFormsThatMatchTheQuadrature() {
        for (Activation a : new Activation[] {Activation.RELU, Activation.LEAKY_RELU, Activation.LINEAR}) {
            for (double param : a == Activation.LEAKY_RELU ? new double[] {0.01, 0.2, 0.5, 1.0}
                    : new double[] {Double.NaN}) {
                MeanField mf = new MeanField(a, param, 1.7, 0.0);
                DoubleUnaryOperator phi = x -> a.value(x, param);
                DoubleUnaryOperator dphi = x -> a.derivative(x, param);
                for (double q : new double[] {1e-3, 0.7, 5.0, 1e4}) {
                    for (double c : new double[] {-0.99, -0.5, 0.0, 0.3, 0.9, 0.999}) {
                        String at = a.id() + "(" + param + ") q=" + q + " c=" + c;
                        double rule = GaussianQuadrature.expectProduct(phi, q, c, a.kinks(param));
                        assertEquals(rule, mf.crossMoment(q, c), 1e-12 * q, at);
                        double chiC = 1.7 * GaussianQuadrature.expectProduct(dphi, q, c, a.kinks(param));
                        assertEquals(chiC, mf.chiC(q, c), 1e-12, "χ_c " + at);
                    }
                }
            }
        }
    }
}
