package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The activation kernels: the Vector API route ({@link Kernels#apply}), the scalar route and
 * the reference {@link Activation#value} give the same bits everywhere, including signed zeros,
 * infinities and NaN (any NaN); {@link Activation#derivative} agrees with central differences.
 */
class KernelsTest {
    /** Ulps for identities of the functions (σ(a) + σ(−a) = 1), not of the code. */
    private static final int ULPS = 4;

    /**
     * Central differences with h = 10⁻⁵·max(1, |a|): truncation h²·|φ'''|/6 ≲ 10⁻¹⁰ and
     * rounding ε·|φ|/h ≲ 10⁻¹¹ relative, so 10⁻⁸ (relative to max(1, |φ'|)) has wide margin.
     */
    private static final double FD_TOL = 1e-8;

    /** Every activation at its default parameter, and the parameterised ones at a few more. */
    private static final Object[][] CASES = cases();

    private static Object[][] cases() {
        java.util.List<Object[]> c = new java.util.ArrayList<>();
        for (Activation act : Activation.values()) {
            c.add(new Object[] {act, act.defaultParam()});
        }
        c.add(new Object[] {Activation.LEAKY_RELU, 0.2});
        c.add(new Object[] {Activation.ELU, 0.5});
        c.add(new Object[] {Activation.ELU, 2.0});
        c.add(new Object[] {Activation.ELU, 0.0});
        Activation swish = Activation.byId("swish");
        for (double beta : new double[] {0.01, 0.5, 2.0, 3.7, 100.0}) { // its range is [0.01, 100]
            c.add(new Object[] {swish, beta});
        }
        return c.toArray(new Object[0][]);
    }

    /** Between the routes and {@link Activation#value}: none, all are built from exactly rounded operations. */
    private static final int ROUTE_ULPS = 0;

    /** Where φ' jumps (or, for softsign, φ''): no derivative, or no second-order central difference, within 2h. */
    private static double[] kinks(Activation act) {
        return ActivationTolerances.of(act).kinks();
    }

    private static double[] inputs() {
        Random random = new Random(345);
        double[] special = {
            0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL, 1e-300, -1e-300,
            1e-8, -1e-8, 0.5, -0.5, 1, -1, 18.5, -18.5, 20, -20, 36.7, -36.7, 40, -40, 709, -709, 709.78, -709.78,
            710, -710, 745, -745, 746, -746, 800, -800, 1e10, -1e10, 1e300, -1e300, Double.MAX_VALUE,
            -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
            // the kinks of relu6, hardsigmoid and hardswish, either side, and hardswish's minimum
            -3, 3, 6, -6, Math.nextDown(-3.0), Math.nextUp(-3.0), Math.nextDown(3.0), Math.nextUp(3.0),
            Math.nextDown(6.0), Math.nextUp(6.0), -1.5, -3 + 1e-300, 3 - 1e-15,
        };
        int n = 5003; // not a multiple of any vector length: the scalar tail runs too
        double[] a = Arrays.copyOf(special, n);
        for (int i = special.length; i < n; i++) {
            a[i] = switch (i % 3) {
                case 0 -> 60 * (random.nextDouble() - 0.5);
                case 1 -> random.nextGaussian() * 3;
                default -> (random.nextBoolean() ? 1 : -1) * Math.pow(10, 600 * random.nextDouble() - 300);
            };
        }
        return a;
    }

    private static void assertClose(double actual, double expected, String what) {
        assertClose(actual, expected, what, ULPS);
    }

    private static void assertClose(double actual, double expected, String what, int ulps) {
        if (Double.isNaN(expected)) {
            assertThat(actual).as(what).isNaN();
            return;
        }
        if (expected == 0.0) {
            // signed zero: the routes must agree on the sign as well
            assertThat(Double.doubleToRawLongBits(actual)).as(what + " (signed zero)")
                    .isEqualTo(Double.doubleToRawLongBits(expected));
            return;
        }
        if (Double.isInfinite(expected)) {
            assertThat(actual).as(what).isEqualTo(expected);
            return;
        }
        assertThat(actual).as(what).isCloseTo(expected, within(ulps * Math.ulp(expected)));
    }

    @Test
    void vectorRouteIsInUse() {
        // surefire adds jdk.incubator.vector; without it this suite would only test the scalar route twice
        assertThat(Kernels.VECTOR_API).as("Vector API module present in the test JVM").isTrue();
        assertThat(Kernels.route()).startsWith("vector-api");
    }

    @Test
    void vectorScalarAndReferenceAgree() {
        double[] a = inputs();
        double[] before = a.clone();
        for (Object[] c : CASES) {
            Activation act = (Activation) c[0];
            double param = (Double) c[1];
            double[] vector = new double[a.length];
            double[] scalar = new double[a.length];
            Kernels.applyVectorIfPresent(act, param, a, vector, a.length); // every activation's vector code
            Kernels.applyScalar(act, param, a, scalar, a.length);
            for (int i = 0; i < a.length; i++) {
                double ref = act.value(a[i], param);
                String what = act + "(" + param + ") at a=" + a[i];
                assertClose(vector[i], ref, what + " vector vs value", ROUTE_ULPS);
                assertClose(scalar[i], ref, what + " scalar vs value", ROUTE_ULPS);
            }
            assertThat(a).as("input not modified").isEqualTo(before);
        }
    }

    @Test
    void everyLengthAndNothingBeyondN() {
        double[] a = inputs();
        for (Object[] c : CASES) {
            Activation act = (Activation) c[0];
            double param = (Double) c[1];
            for (int n = 0; n <= 37; n++) {
                double[] z = new double[40];
                Arrays.fill(z, 12345.0);
                Kernels.apply(act, param, Arrays.copyOfRange(a, 100, 140), z, n);
                for (int i = 0; i < n; i++) {
                    assertClose(z[i], act.value(a[100 + i], param), act + " n=" + n + " i=" + i, ROUTE_ULPS);
                }
                for (int i = n; i < z.length; i++) {
                    assertThat(z[i]).as("z[%d] beyond n=%d untouched", i, n).isEqualTo(12345.0);
                }
            }
        }
    }

    @Test
    void valuesAtZeroAndInfinityAreTheMathematicalLimits() {
        assertThat(Activation.SIGMOID.value(0.0, Double.NaN)).isEqualTo(0.5);
        assertThat(Activation.SIGMOID.value(Double.POSITIVE_INFINITY, Double.NaN)).isEqualTo(1.0);
        assertThat(Activation.SIGMOID.value(Double.NEGATIVE_INFINITY, Double.NaN)).isEqualTo(0.0);
        assertThat(Activation.TANH.value(Double.POSITIVE_INFINITY, Double.NaN)).isEqualTo(1.0);
        assertThat(Activation.TANH.value(Double.NEGATIVE_INFINITY, Double.NaN)).isEqualTo(-1.0);
        assertThat(Activation.RELU.value(Double.NEGATIVE_INFINITY, Double.NaN)).isEqualTo(0.0);
        assertThat(Activation.RELU.value(Double.POSITIVE_INFINITY, Double.NaN)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Activation.LEAKY_RELU.value(Double.NEGATIVE_INFINITY, 0.01)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Activation.LEAKY_RELU.value(-2.0, 0.01)).isEqualTo(-0.02);
        for (Object[] c : CASES) {
            assertThat(((Activation) c[0]).value(Double.NaN, (Double) c[1])).isNaN();
        }
        double inf = Double.POSITIVE_INFINITY;
        double selu = Reference.SELU_SCALE * Reference.SELU_ALPHA;
        // {activation, param, φ(−∞), φ(0), φ(+∞)}: the x·gate(x) family tends to −0 at −∞ (the
        // literal −∞·0 would be NaN), elu to −α, selu to −λα
        Object[][] limits = {
            {Activation.ELU, 1.0, -1.0, 0.0, inf},
            {Activation.ELU, 0.5, -0.5, 0.0, inf},
            {Activation.SELU, Double.NaN, -selu, 0.0, inf},
            {Activation.GELU, Double.NaN, -0.0, 0.0, inf},
            {Activation.GELU_TANH, Double.NaN, -0.0, 0.0, inf},
            {Activation.SILU, Double.NaN, -0.0, 0.0, inf},
            {Activation.MISH, Double.NaN, -0.0, 0.0, inf},
            {Activation.SOFTPLUS, Double.NaN, 0.0, Math.log(2), inf},
            {Activation.SOFTSIGN, Double.NaN, -1.0, 0.0, 1.0},
            {Activation.HARDTANH, Double.NaN, -1.0, 0.0, 1.0},
            {Activation.LINEAR, Double.NaN, -inf, 0.0, inf},
            {Activation.byId("swish"), 2.0, -0.0, 0.0, inf},
            {Activation.byId("swish"), 0.01, -0.0, 0.0, inf},
            {Activation.byId("hardsigmoid"), Double.NaN, 0.0, 0.5, 1.0},
            {Activation.byId("hardswish"), Double.NaN, -0.0, 0.0, inf},
            {Activation.byId("relu6"), Double.NaN, 0.0, 0.0, 6.0},
        };
        for (Object[] l : limits) {
            Activation act = (Activation) l[0];
            double param = (Double) l[1];
            double[] a = {Double.NEGATIVE_INFINITY, 0.0, inf, Double.NEGATIVE_INFINITY, 0.0, inf};
            double[] vector = new double[a.length];
            Kernels.applyVectorIfPresent(act, param, a, vector, a.length); // every activation's vector code
            for (int k = 0; k < 3; k++) {
                double expected = (Double) l[2 + k];
                assertClose(act.value(a[k], param), expected, act + " value at " + a[k]);
                assertClose(vector[k], expected, act + " vector route at " + a[k]);
            }
        }
    }

    /**
     * relu6, hardsigmoid and hardswish at and beside their kinks, on both routes: the values of
     * their definitions (PyTorch's), min(max(a, 0), 6), relu6(a + 3)/6 and a·relu6(a + 3)/6, which
     * are exact there (a·k/6 with k ∈ {0, 6}, or a + 3 exact), signs of zero included: −3·0 = −0.
     */
    @Test
    void piecewiseLinearActivationsAtTheirKinks() {
        Activation relu6 = Activation.byId("relu6");
        Activation hardsigmoid = Activation.byId("hardsigmoid");
        Activation hardswish = Activation.byId("hardswish");
        double below3 = Math.nextDown(3.0);
        // {activation, a, φ(a)}
        Object[][] points = {
            {relu6, -0.0, 0.0}, {relu6, 0.0, 0.0}, {relu6, -1.0, 0.0}, {relu6, 6.0, 6.0}, {relu6, 7.0, 6.0},
            {relu6, Math.nextDown(6.0), Math.nextDown(6.0)}, {relu6, Double.MIN_VALUE, Double.MIN_VALUE},
            {hardsigmoid, -3.0, 0.0}, {hardsigmoid, -4.0, 0.0}, {hardsigmoid, 3.0, 1.0}, {hardsigmoid, 4.0, 1.0},
            {hardsigmoid, 0.0, 0.5}, {hardsigmoid, -0.0, 0.5}, {hardsigmoid, Double.NEGATIVE_INFINITY, 0.0},
            {hardswish, -3.0, -0.0}, {hardswish, -4.0, -0.0}, {hardswish, 3.0, 3.0}, {hardswish, 4.0, 4.0},
            {hardswish, 0.0, 0.0}, {hardswish, -0.0, -0.0}, {hardswish, -1.5, -0.375}, {hardswish, 1.0, 2.0 / 3.0},
            // 3 − 2⁻⁵¹ + 3 is a tie that rounds to 6 (even): a·6 = 18 − 3·2⁻⁵⁰ rounds to 18 − 2⁻⁴⁸, /6 to a
            {hardswish, below3, below3},
        };
        double[] a = new double[points.length];
        for (Object[] p : points) {
            Activation act = (Activation) p[0];
            double x = (Double) p[1];
            double expected = (Double) p[2];
            // alone, and as every lane of a tile plus a tail
            Arrays.fill(a, x);
            double[] vector = new double[a.length];
            Kernels.applyVectorIfPresent(act, Double.NaN, a, vector, a.length);
            String what = act + " at " + x;
            assertThat(Double.doubleToRawLongBits(act.value(x, Double.NaN))).as(what + " value")
                    .isEqualTo(Double.doubleToRawLongBits(expected));
            for (double v : vector) {
                assertThat(Double.doubleToRawLongBits(v)).as(what + " vector route").isEqualTo(Double.doubleToRawLongBits(expected));
            }
        }
    }

    @Test
    void sigmoidIsSymmetricAndTanhIsOdd() {
        // σ(−a) = 1 − σ(a); tanh(−a) = −tanh(a): identities of the functions, not of the code
        double[] a = inputs();
        double[] z = new double[a.length];
        double[] zNeg = new double[a.length];
        double[] neg = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            neg[i] = -a[i];
        }
        Kernels.apply(Activation.SIGMOID, Double.NaN, a, z, a.length);
        Kernels.apply(Activation.SIGMOID, Double.NaN, neg, zNeg, a.length);
        for (int i = 0; i < a.length; i++) {
            if (Double.isFinite(a[i])) {
                assertThat(z[i] + zNeg[i]).as("σ(a) + σ(−a) at a=%s", a[i]).isCloseTo(1.0, within(ULPS * Math.ulp(1.0)));
            }
        }
        Kernels.apply(Activation.TANH, Double.NaN, a, z, a.length);
        Kernels.apply(Activation.TANH, Double.NaN, neg, zNeg, a.length);
        for (int i = 0; i < a.length; i++) {
            if (!Double.isNaN(a[i])) {
                assertThat(zNeg[i]).as("tanh(−a) at a=%s", a[i]).isEqualTo(-z[i]);
            }
        }
    }

    @Test
    void derivativeMatchesCentralDifferences() {
        Random random = new Random(345);
        for (Object[] c : CASES) {
            Activation act = (Activation) c[0];
            double param = (Double) c[1];
            for (int i = 0; i < 2000; i++) {
                double a = 40 * (random.nextDouble() - 0.5);
                // swish varies on the scale 1/β (φ(a) = silu(βa)/β): the step shrinks with it
                double scale = act == Activation.byId("swish") ? Math.max(1.0, param) : 1.0;
                double h = 1e-5 * Math.max(1.0, Math.abs(a)) / scale;
                boolean nearKink = false;
                for (double k : kinks(act)) {
                    nearKink |= Math.abs(a - k) < 2 * h;
                }
                if (nearKink) {
                    continue; // no derivative to difference
                }
                double fd = (act.value(a + h, param) - act.value(a - h, param)) / (2 * h);
                double d = act.derivative(a, param);
                assertThat(d).as("%s(%s)'(%s)", act, param, a).isCloseTo(fd, within(FD_TOL * Math.max(1.0, Math.abs(d))));
            }
        }
        // at the kinks: PyTorch's conventions, relu'(0) = 0, leaky'(0) = slope, elu'(0) = α
        // (elu_backward's x <= 0 branch), selu'(0) = λα, hardtanh'(±1) = 0 (hardtanh_backward)
        assertThat(Activation.RELU.derivative(0.0, Double.NaN)).isEqualTo(0.0);
        assertThat(Activation.LEAKY_RELU.derivative(0.0, 0.01)).isEqualTo(0.01);
        assertThat(Activation.ELU.derivative(0.0, 0.5)).isEqualTo(0.5);
        assertThat(Activation.ELU.derivative(-0.0, 2.0)).isEqualTo(2.0);
        assertThat(Activation.ELU.derivative(Double.MIN_VALUE, 2.0)).isEqualTo(1.0);
        assertThat(Activation.SELU.derivative(0.0, Double.NaN)).isEqualTo(Reference.SELU_SCALE * Reference.SELU_ALPHA);
        assertThat(Activation.SELU.derivative(Double.MIN_VALUE, Double.NaN)).isEqualTo(Reference.SELU_SCALE);
        for (double edge : new double[] {-1.0, 1.0}) {
            assertThat(Activation.HARDTANH.derivative(edge, Double.NaN)).isEqualTo(0.0);
            assertThat(Activation.HARDTANH.derivative(edge * 0.999, Double.NaN)).isEqualTo(1.0);
        }
    }

    @Test
    void derivativeMatchesIndependentClosedForms() {
        // σ' and tanh' against forms without cancellation: σ(1−σ) and 1 − tanh² lose relative
        // accuracy for large |a| but stay within ~2ε absolute, hence 1e-15 absolute
        for (int i = -2000; i <= 2000; i++) {
            double a = i * 0.01;
            assertThat(Activation.SIGMOID.derivative(a, Double.NaN))
                    .isCloseTo(Reference.sigmoidDerivative(a), within(1e-15 + 1e-9 * Reference.sigmoidDerivative(a)));
            assertThat(Activation.TANH.derivative(a, Double.NaN))
                    .isCloseTo(Reference.tanhDerivative(a), within(1e-15 + 1e-9 * Reference.tanhDerivative(a)));
        }
    }

    /**
     * The float32 route's conversions are Java's casts, bit for bit, on both routes: normal,
     * subnormal, huge (overflowing float32 to ±∞), halfway cases, signed zeros, ±∞ and NaN, at
     * lengths that are and are not multiples of the vector width.
     */
    @Test
    void floatConversionsAreJavasCasts() {
        Random random = new Random(11);
        for (int n : new int[] {0, 1, 7, 8, 9, 64, 1003}) {
            double[] z = new double[n];
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                z[i] = switch (i % 9) {
                    case 0 -> random.nextGaussian();
                    case 1 -> random.nextGaussian() * 1e-42; // float32 subnormal range
                    case 2 -> random.nextGaussian() * 1e39; // beyond float32's largest
                    case 3 -> (double) Math.nextUp(1.0f) * 0.5 + 0.5; // exactly halfway between two floats
                    case 4 -> i % 2 == 0 ? 0.0 : -0.0;
                    case 5 -> i % 2 == 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                    case 6 -> Double.NaN;
                    default -> random.nextDouble() * 3 - 1;
                };
                f[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(70) - 35));
            }
            double[] widened = new double[n];
            Kernels.widen(f, widened, n);
            float[] rounded = new float[n];
            double[] back = z.clone();
            Kernels.roundToFloat(back, rounded, n);
            for (int i = 0; i < n; i++) {
                assertThat(Double.doubleToLongBits(widened[i])).as("widen %s", f[i]).isEqualTo(Double.doubleToLongBits(f[i]));
                float cast = (float) z[i];
                assertThat(Float.floatToIntBits(rounded[i])).as("round %s", z[i]).isEqualTo(Float.floatToIntBits(cast));
                assertThat(Double.doubleToLongBits(back[i])).as("round trip %s", z[i]).isEqualTo(Double.doubleToLongBits(cast));
            }
        }
    }

    /**
     * The float32 trainer's column sums (acc[j] += src[from + j] widened): the scalar loop's bits
     * over many rows, every width from 0 to 40 (whole tiles and tails) and an offset into the source.
     */
    @Test
    void addWidenedGivesTheScalarLoopsSums() {
        Random r = new Random(11);
        for (int n = 0; n <= 40; n++) {
            float[] src = new float[3 + 50 * n];
            for (int i = 0; i < src.length; i++) {
                src[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(16) - 8));
            }
            double[] acc = new double[n];
            double[] expected = new double[n];
            for (int row = 0; row < 50; row++) {
                Kernels.addWidened(src, 3 + row * n, acc, n);
                for (int j = 0; j < n; j++) {
                    expected[j] += src[3 + row * n + j];
                }
            }
            for (int j = 0; j < n; j++) {
                assertThat(Double.doubleToRawLongBits(acc[j])).as("width %d column %d", n, j)
                        .isEqualTo(Double.doubleToRawLongBits(expected[j]));
            }
        }
    }

    /** The softmax's exp in place, as the training loss uses it: DetMath.exp's bits, every length, tails included. */
    @Test
    void expInPlaceGivesDetMathsBits() {
        Random r = new Random(7);
        for (int n : new int[] {0, 1, 3, 10, 17, 1000, 1003}) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = switch (i % 7) {
                    case 0 -> -r.nextDouble() * 50;          // y − max ≤ 0, the loss's range
                    case 1 -> -r.nextDouble() * 800;         // underflows to 0 below −745
                    case 2 -> r.nextGaussian();
                    case 3 -> -0.0;
                    case 4 -> Double.NEGATIVE_INFINITY;
                    case 5 -> Double.NaN;
                    default -> r.nextDouble() * 720 - 10;    // past the one-factor range and overflow
                };
            }
            double[] z = a.clone();
            Kernels.exp(z, n);
            for (int i = 0; i < n; i++) {
                assertThat(Double.doubleToRawLongBits(z[i])).as("exp(%s), n %s", a[i], n)
                        .isEqualTo(Double.doubleToRawLongBits(DetMath.exp(a[i])));
            }
        }
    }
}
