package io.initsweep.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.initsweep.sim.Activation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The mean-field theory against numbers from elsewhere: {@code src/test/python/mean_field_reference.py}
 * (scipy's adaptive quadrature, finite differences, brentq) for every registered activation at
 * three (σ_w², σ_b²), closed forms for the ReLU family and linear, and the tanh edge of chaos of
 * Poole et al. 2016.
 */
class MeanFieldTest {
    /** The agreement with the independent reference: 10⁻⁶ relative. */
    private static final double REL = 1e-6;

    private static List<String[]> csv(String name) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                MeanFieldTest.class.getResourceAsStream("/golden/" + name), StandardCharsets.UTF_8))) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                rows.add(line.split(","));
            }
        }
        return rows;
    }

    private static double d(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "nan", "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static void close(double expected, double actual, double rel, String what) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            assertEquals(expected, actual, what);
            return;
        }
        assertEquals(expected, actual, rel * Math.abs(expected) + 1e-13, what);
    }

    @Test
    void agreesWithTheIndependentReferenceForEveryRegisteredActivation() throws IOException {
        Set<String> seen = new HashSet<>();
        for (String[] r : csv("mean_field_reference.csv")) {
            Activation act = Activation.byId(r[0]);
            assertTrue(act != null, "unknown activation in the reference: " + r[0]);
            seen.add(act.id());
            double param = d(r[1]);
            double sw2 = d(r[2]);
            double sb2 = d(r[3]);
            String at = act.id() + "(" + r[1] + ") σw²=" + sw2 + " σb²=" + sb2 + ": ";
            MeanField mf = new MeanField(act, param, sw2, sb2);
            MeanField.FixedPoint fp = mf.fixedPoint(sw2 + sb2);
            close(d(r[4]), fp.qStar(), REL, at + "q*");
            if (!Double.isFinite(fp.qStar())) {
                continue;
            }
            close(d(r[5]), fp.chi1(), REL, at + "χ₁");
            // ξ_q: the reference takes the slope by a central difference; compare the slope e^(−1/ξ)
            double slopeRef = Math.exp(-1 / d(r[6]));
            close(slopeRef, Math.exp(-1 / fp.xiQ()), REL, at + "dq/dq (ξ_q = " + r[6] + ")");
            close(d(r[7]), fp.cStar(), REL, at + "c*");
            close(d(r[8]), fp.chiC(), REL, at + "χ_c");
            close(d(r[9]), fp.xiC(), REL, at + "ξ_c");
        }
        for (Activation a : Activation.values()) {
            assertTrue(seen.contains(a.id()), "the reference has no rows for " + a.id() + ": rerun mean_field_reference.py");
        }
    }

    @Test
    void perLayerTracesAgreeWithTheReference() throws IOException {
        for (String[] r : csv("mean_field_trace.csv")) {
            Activation act = Activation.byId(r[0]);
            MeanField mf = new MeanField(act, d(r[1]), d(r[2]), d(r[3]));
            int layer = Integer.parseInt(r[4]);
            MeanField.Trace t = mf.trace(1.0, 0.5, layer);
            close(d(r[5]), t.q()[layer - 1], 1e-9, r[0] + " q at layer " + layer);
            close(d(r[6]), t.c()[layer - 1], 1e-8, r[0] + " c at layer " + layer);
        }
    }

    @Test
    void reluFamilyAndLinearHaveClosedForms() {
        for (double sw2 : new double[] {0.5, 1.0, 2.0, 3.0}) {
            for (double sb2 : new double[] {0.0, 0.1}) {
                MeanField relu = new MeanField(Activation.RELU, Double.NaN, sw2, sb2);
                for (double q : new double[] {1e-3, 0.7, 5.0, 1e4}) {
                    assertEquals(sw2 / 2 * q + sb2, relu.lengthMap(q), 1e-12 * (sw2 * q + sb2), "relu q-map");
                    assertEquals(sw2 / 2, relu.chi1(q), 1e-12, "relu χ₁");
                    assertEquals(sw2 / 2, relu.lengthSlope(q), 1e-12, "relu dq/dq");
                    for (double c : new double[] {-0.5, 0.0, 0.3, 0.9, 0.999}) {
                        double cross = q / (2 * Math.PI) * (Math.sqrt(1 - c * c) + (Math.PI - Math.acos(c)) * c);
                        double expected = (sw2 * cross + sb2) / (sw2 * q / 2 + sb2);
                        assertEquals(expected, relu.correlationMap(q, c), 1e-11, "relu c-map at c = " + c);
                        // E[relu'(a1) relu'(a2)] = P(a1 > 0, a2 > 0) = (π − arccos c)/(2π)
                        assertEquals(sw2 * (Math.PI - Math.acos(c)) / (2 * Math.PI), relu.chiC(q, c), 1e-11, "relu χ_c");
                    }
                }
                for (double slope : new double[] {0.01, 0.2}) {
                    MeanField leaky = new MeanField(Activation.LEAKY_RELU, slope, sw2, sb2);
                    assertEquals(sw2 * (1 + slope * slope) / 2, leaky.chi1(0.8), 1e-12, "leaky χ₁");
                    assertEquals(sw2 * (1 + slope * slope) / 2 * 0.8 + sb2, leaky.lengthMap(0.8), 1e-12, "leaky q-map");
                }
                MeanField linear = new MeanField(Activation.LINEAR, Double.NaN, sw2, sb2);
                assertEquals(sw2 * 0.8 + sb2, linear.lengthMap(0.8), 1e-12, "linear q-map");
                assertEquals(sw2, linear.chi1(0.8), 1e-12, "linear χ₁");
            }
        }
        // ReLU with He (σ_w² = 2), no bias: every q is fixed, χ₁ = 1, critical, c* = 1
        MeanField he = new MeanField(Activation.RELU, Double.NaN, 2.0, 0.0);
        MeanField.FixedPoint fp = he.fixedPoint(2.0);
        assertEquals(2.0, fp.qStar(), 1e-12);
        assertEquals(MeanField.Phase.CRITICAL, fp.phase());
        assertEquals(1.0, fp.cStar());
        assertEquals(Double.POSITIVE_INFINITY, fp.xiC());
        // ordered relu: q* = σ_b²/(1 − σ_w²/2)
        assertEquals(0.1 / (1 - 0.75), new MeanField(Activation.RELU, Double.NaN, 1.5, 0.1).qStar(1.0), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, new MeanField(Activation.RELU, Double.NaN, 2.5, 0.1).qStar(1.0));
        // near-critical: iterates shrink by 0.99 a step, so q* comes from the bracket, from either side
        assertEquals(0.1 / (1 - 0.99), new MeanField(Activation.RELU, Double.NaN, 1.98, 0.1).qStar(1.0), 1e-12);
        assertEquals(0.1 / (1 - 0.99), new MeanField(Activation.RELU, Double.NaN, 1.98, 0.1).qStar(1e6), 1e-12);
        // He with a bias: q grows by σ_b² a layer without end (no fixed point, though each step is small)
        assertEquals(Double.POSITIVE_INFINITY, new MeanField(Activation.RELU, Double.NaN, 2.0, 0.1).qStar(1.0));
        assertEquals(0.0, new MeanField(Activation.TANH, Double.NaN, 0.5, 0.0).qStar(1.0));
        // collapsed and divergent relu keep χ₁ = σ_w²/2 (homogeneous): ordered with c* = 1, chaotic
        MeanField.FixedPoint collapsed = new MeanField(Activation.RELU, Double.NaN, 1.0, 0.0).fixedPoint(1.0);
        assertEquals(0.0, collapsed.qStar());
        assertEquals(0.5, collapsed.chi1(), 1e-15);
        assertEquals(MeanField.Phase.ORDERED, collapsed.phase());
        assertEquals(1.0, collapsed.cStar());
        assertEquals(-1 / Math.log(0.5), collapsed.xiC(), 1e-12);
        MeanField.FixedPoint diverged = new MeanField(Activation.RELU, Double.NaN, 100.0, 0.0).fixedPoint(1.0);
        assertEquals(Double.POSITIVE_INFINITY, diverged.qStar());
        assertEquals(50.0, diverged.chi1(), 1e-12);
        assertEquals(MeanField.Phase.CHAOTIC, diverged.phase());
        // tanh, σ_w² < 1, no bias: q collapses, χ₁ → σ_w²·tanh'(0)² = 0.5
        assertEquals(0.5, new MeanField(Activation.TANH, Double.NaN, 0.5, 0.0).fixedPoint(1.0).chi1(), 1e-12);
    }

    @Test
    void saturationAndZeroRatesAreGaussianTailsOfTheBand() {
        // relu: zero set a ≤ 0, probability 1/2 at any q; hardsigmoid: a ≤ −3, Φ(−3/√q)
        MeanField relu = new MeanField(Activation.RELU, Double.NaN, 2.0, 0.0);
        assertEquals(0.5, relu.zeroRate(0.7), 1e-15);
        MeanField hs = new MeanField(Activation.byId("hardsigmoid"), Double.NaN, 2.0, 0.0);
        // Φ(−3/2) = 0.066807201268858057 (tables; erfc(1.5/√2)/2)
        assertEquals(0.066807201268858057, hs.zeroRate(4.0), 1e-15);
        assertEquals(0.0, new MeanField(Activation.TANH, Double.NaN, 1.0, 0.0).zeroRate(1.0));
        // hardtanh saturates outside [−1, 1] for any τ: P(|a| > 1) at q = 1 is 2Φ(−1) = 0.31731050786291410
        MeanField ht = new MeanField(Activation.HARDTANH, Double.NaN, 1.0, 0.0);
        assertEquals(0.31731050786291410, ht.saturationRate(1.0, 0.5), 1e-14);
        // tanh at τ = 0.05: φ' = 1 − tanh² < 0.05 iff |a| > atanh(√0.95) = 2.1807807...; q = 4: 2Φ(−1.09039...)
        double cut = 0.5 * Math.log((1 + Math.sqrt(0.95)) / (1 - Math.sqrt(0.95)));
        double expected = org.apache.commons.statistics.distribution.NormalDistribution.of(0, 1)
                .cumulativeProbability(-cut / 2) * 2;
        assertEquals(expected, new MeanField(Activation.TANH, Double.NaN, 1.0, 0.0).saturationRate(4.0, 0.05), 1e-9);
    }

    @Test
    void theTanhEdgeOfChaosIsPooleEtAlsAndTheReferences() throws IOException {
        for (String[] r : csv("mean_field_critical.csv")) {
            double sb2 = d(r[1]);
            if (sb2 == 0) {
                continue; // σ_b = 0: q* = 0 below σ_w² = 1, χ₁ → σ_w²: the line meets σ_w² = 1 only as a limit
            }
            double sw2 = MeanField.criticalSigmaW2(Activation.TANH, Double.NaN, sb2, 1.0, 1.0 + 1e-9, 4.0);
            close(d(r[2]), sw2, 1e-8, "tanh critical σ_w² at σ_b² = " + sb2);
            if (sb2 == 0.05) {
                // Poole et al. 2016, Fig. 2's region: the line passes σ_b² = 0.05 at σ_w² ≈ 1.76
                assertEquals(1.76, sw2, 0.005);
            }
        }
    }

    /**
     * A trace stops evaluating the maps once (q, c) repeats to the last bit; the layers after are the
     * maps iterated one by one, bit for bit.
     */
    @Test
    void aTraceIsTheMapsIteratedLayerByLayer() {
        for (Activation act : new Activation[] {Activation.TANH, Activation.SIGMOID, Activation.RELU, Activation.GELU}) {
            for (double sw2 : new double[] {0.5, 2.5}) {
                MeanField mf = new MeanField(act, act.defaultParam(), sw2, 0.05);
                int depth = 120;
                MeanField.Trace t = mf.trace(1.0, 0.2, depth);
                double q = sw2 + 0.05;
                double c = (sw2 * 0.2 + 0.05) / q;
                for (int l = 0; l < depth; l++) {
                    if (l > 0) {
                        double next = mf.lengthMap(q);
                        c = mf.correlationMap(q, c);
                        q = next;
                    }
                    String at = act.id() + " σ_w²=" + sw2 + " layer " + (l + 1);
                    assertEquals(q, t.q()[l], 0.0, at);
                    assertEquals(c, t.c()[l], 0.0, at);
                    assertEquals(mf.chi1(q), t.chi1()[l], 0.0, at);
                }
            }
        }
    }

    /** The product form takes g(a₁) out of the inner sum: the same nodes, so rounding apart the same sum. */
    @Test
    void theProductFormIsTheTwoDimensionalExpectation() {
        for (Activation a : Activation.values()) {
            double param = a.defaultParam();
            for (double q : new double[] {0.01, 1.0, 30.0}) {
                for (double c : new double[] {-0.7, 0.0, 0.3, 0.999}) {
                    double product = GaussianQuadrature.expectProduct(x -> a.value(x, param), q, c, a.kinks(param));
                    double general = GaussianQuadrature.expect2((x, y) -> a.value(x, param) * a.value(y, param), q, c,
                            a.kinks(param));
                    // rounding is relative to the sum of the terms' magnitudes (the sum itself is 0 for an odd φ at c = 0)
                    double magnitude = GaussianQuadrature.expect2((x, y) -> Math.abs(a.value(x, param) * a.value(y, param)),
                            q, c, a.kinks(param));
                    assertEquals(general, product, 1e-14 * magnitude, a.id() + " q=" + q + " c=" + c);
                }
            }
        }
    }

    @Test
    void theQuadratureConvergesToTheRuleTwiceAsFine() {
        // a rule with four times the nodes per unit length agrees (smooth and kinked, small and huge q)
        for (Activation act : Activation.values()) {
            double param = act.defaultParam();
            for (double q : new double[] {1e-4, 0.3, 3.0, 400.0}) {
                double coarse = GaussianQuadrature.expect(a -> act.value(a, param) * act.value(a, param), q,
                        act.kinks(param));
                double sd = Math.sqrt(q);
                double fine = 0;
                // 4 sub-rules on quarters of the mass: shift the mean by the kinks is not needed; split the range instead
                GaussianQuadrature.Rule r = GaussianQuadrature.rule(0, sd, refine(act.kinks(param), sd));
                fine = r.expect(a -> act.value(a, param) * act.value(a, param));
                assertEquals(fine, coarse, 1e-10 * Math.max(1e-300, Math.abs(fine)), act.id() + " at q = " + q);
            }
        }
    }

    /** Extra cut points every sd/4 over ±9 sd and every 1/8 over ±8: panels four times narrower. */
    private static double[] refine(double[] kinks, double sd) {
        List<Double> cuts = new ArrayList<>();
        for (double k : kinks) {
            cuts.add(k);
        }
        for (int i = -36; i <= 36; i++) {
            cuts.add(i * sd / 4);
        }
        for (int i = -64; i <= 64; i++) {
            cuts.add(i / 8.0);
        }
        return cuts.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }
}
