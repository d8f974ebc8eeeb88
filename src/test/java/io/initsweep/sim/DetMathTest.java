package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link DetMath}: accuracy against {@link StrictMath} (fdlibm) over dense sweeps, the special
 * values, and the same bits from its lane-by-lane twin in {@link VectorKernels} and from every
 * activation's vector route, for millions of inputs (in a fresh JVM with C2, where the Vector
 * API compiles to AVX/AVX-512; in this C1-only JVM, where it runs its Java fallback), and at
 * every vector width.
 */
class DetMathTest {
    /** Max ulps against StrictMath, as tested here: exp, expm1 and log1p 1; tanh 3. */
    static final double EXP_ULPS = 1.0;
    static final double EXPM1_ULPS = 1.0;
    static final double LOG1P_ULPS = 1.0;
    static final double TANH_ULPS = 3.0;

    /** Inputs for the bit-identity checks in the child JVM. */
    static final int CHILD_INPUTS = 4_000_000;
    /** Inputs for the bit-identity checks in this (C1, Vector API fallback) JVM. */
    static final int LOCAL_INPUTS = 60_000;

    private static final double[] SPECIAL = {
        0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL,
        Math.nextDown(Double.MIN_NORMAL), -Math.nextDown(Double.MIN_NORMAL), 1e-300, -1e-300, 0x1p-54, -0x1p-54,
        0x1p-53, -0x1p-53, 1e-17, -1e-17, 1e-8, -1e-8, 0.5, -0.5, 1, -1, Math.nextUp(-1.0), Math.nextDown(-1.0),
        Math.nextUp(1.0), Math.nextDown(1.0), 0.34657359027997264, -0.34657359027997264, 2, -2, 18.5, -18.5,
        19.06, -19.06, 20, -20, Math.nextDown(20.0), 36.7, -36.7, 37.5, 40, -40, 60, -60, 61, -61, 708.39, -708.39,
        -708.4, 709, -709, Math.nextUp(709.0), 709.78, 709.782712893384, 709.7827128933841, 709.79, 710, -710,
        -744.44, -745.13, -745.1332191019411, -745.1332191019412, -745.14, 745, -745, 746, -746, 800, -800,
        1e10, -1e10, 1e300, -1e300, Double.MAX_VALUE, -Double.MAX_VALUE,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
        Double.longBitsToDouble(0x7ff0000000000001L), Double.longBitsToDouble(0xfff8000000000123L),
    };

    /** The four functions and their StrictMath counterparts. */
    private static final DoubleUnaryOperator[] DET = {DetMath::exp, DetMath::expm1, DetMath::log1p, DetMath::tanh};
    private static final DoubleUnaryOperator[] STRICT = {StrictMath::exp, StrictMath::expm1, StrictMath::log1p,
        StrictMath::tanh};
    private static final String[] NAMES = {"exp", "expm1", "log1p", "tanh"};

    /**
     * n inputs: the special values, then uniform on [−800, 800], Gaussian·4, log-uniform
     * magnitudes 10^[−320, 308] of either sign, arbitrary bit patterns (NaN payloads and
     * subnormals included), and points within a few thousand ulps of the thresholds.
     */
    static double[] inputs(int n, long seed) {
        Random r = new Random(seed);
        double[] thresholds = {709.782712893384, -745.1332191019411, -708.3964185322641, 709.0, -60.0, -1.0, 1.0,
            -1.0 + 0x1p-53, 20.0, -20.0, 0.0, 0x1p-54, -0x1p-54, 0.34657359027997264, -0.34657359027997264};
        double[] a = Arrays.copyOf(SPECIAL, n);
        for (int i = SPECIAL.length; i < n; i++) {
            a[i] = switch (i % 6) {
                case 0 -> 1600 * (r.nextDouble() - 0.5);
                case 1 -> 4 * r.nextGaussian();
                case 2 -> (r.nextBoolean() ? 1 : -1) * Math.pow(10, 628 * r.nextDouble() - 320);
                case 3 -> Double.longBitsToDouble(r.nextLong());
                case 4 -> {
                    double t = thresholds[r.nextInt(thresholds.length)];
                    long bits = Double.doubleToRawLongBits(t) + r.nextInt(4001) - 2000;
                    yield t == 0.0 ? Double.longBitsToDouble(r.nextInt(4001)) * (r.nextBoolean() ? 1 : -1)
                            : Double.longBitsToDouble(bits);
                }
                default -> 2 * (r.nextDouble() - 0.5);
            };
        }
        return a;
    }

    static boolean sameBits(double x, double y) {
        return Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y) || (Double.isNaN(x) && Double.isNaN(y));
    }

    /** Counts inputs where the lane-by-lane twin (and each activation's vector route) differs from the scalar code in bits. */
    static long[] mismatches(double[] a) {
        int n = a.length;
        long[] bad = new long[4 + Activation.values().length];
        double[] v = new double[n];
        for (int f = 0; f < 4; f++) {
            switch (f) {
                case 0 -> VectorKernels.exp(a, v, n);
                case 1 -> VectorKernels.expm1(a, v, n);
                case 2 -> VectorKernels.log1p(a, v, n);
                default -> VectorKernels.tanh(a, v, n);
            }
            for (int i = 0; i < n; i++) {
                if (!sameBits(v[i], DET[f].applyAsDouble(a[i]))) {
                    bad[f]++;
                }
            }
        }
        double[] s = new double[n];
        for (Activation act : Activation.values()) {
            double param = act.defaultParam();
            Kernels.applyVector(act, param, a, v, n);
            Kernels.applyScalar(act, param, a, s, n);
            for (int i = 0; i < n; i++) {
                if (!sameBits(v[i], s[i]) || !sameBits(s[i], act.value(a[i], param))) {
                    bad[4 + act.ordinal()]++;
                }
            }
        }
        return bad;
    }

    /** Prints, per function and activation, how many of {@link #CHILD_INPUTS} inputs differ between the routes. */
    public static void main(String[] args) {
        long[] bad = new long[4 + Activation.values().length];
        for (int round = 0; round < 4; round++) { // the first round runs mostly cold, the last compiled
            long[] b = mismatches(inputs(CHILD_INPUTS / 4, 1000 + round));
            for (int k = 0; k < bad.length; k++) {
                bad[k] += b[k];
            }
        }
        for (int f = 0; f < 4; f++) {
            System.out.println(NAMES[f] + " " + bad[f]);
        }
        for (Activation act : Activation.values()) {
            System.out.println(act.id() + " " + bad[4 + act.ordinal()]);
        }
    }

    @Test
    void vectorTwinGivesTheScalarBitsForMillionsOfInputsWithC2() throws Exception {
        // DetMath's functions are kept out of their callers, so C2 compiles each on its own and the
        // check below sees it (inlined, it might reach C2 only inside a caller, depending on the profile)
        FreshJvm.Output out = FreshJvm.run(DetMathTest.class, 600, "-Xmx1g", "-XX:CompileCommand=quiet",
                "-XX:CompileCommand=dontinline,io.initsweep.sim.DetMath::*");
        List<String> lines = out.lines();
        // the claim is about C2's code: both twins of each function must have reached it
        out.assertCompiledByC2("DetMath::exp", "DetMath::expm1", "DetMath::log1p", "DetMath::tanh",
                "VectorKernels::expBlock", "VectorKernels::expm1Block", "VectorKernels::log1pBlock", "VectorKernels::tanh");
        assertThat(lines).hasSize(4 + Activation.values().length);
        for (String line : lines) {
            assertThat(line).as("inputs whose bits differ between the routes").endsWith(" 0");
        }
    }

    /**
     * Prints the vector length, the route and, per activation, a hash of the output bits over 200,000
     * inputs, from the last of {@code -Dpasses} passes over them (default 1): enough passes, and C2
     * has compiled the kernels that write them.
     */
    static final class Checksums {
        public static void main(String[] args) {
            int passes = Integer.getInteger("passes", 1);
            int n = 200_000;
            double[] a = inputs(n, 99);
            double[] z = new double[n];
            System.out.println("lanes " + jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.length() + " route "
                    + Kernels.route());
            for (Activation act : Activation.values()) {
                for (int pass = 0; pass < passes; pass++) {
                    Kernels.apply(act, act.defaultParam(), a, z, n);
                }
                long h = 1469598103934665603L; // FNV-1a over the raw bits, any NaN as one
                for (double v : z) {
                    h = (h ^ (Double.isNaN(v) ? 0x7ff8000000000000L : Double.doubleToRawLongBits(v))) * 1099511628211L;
                }
                System.out.println(act.id() + " " + Long.toHexString(h));
            }
        }
    }

    private static List<String> checksums(String... options) throws Exception {
        FreshJvm.Output out = FreshJvm.run(Checksums.class, 300, options);
        List<String> lines = out.lines();
        assertThat(lines).hasSize(1 + Activation.values().length);
        return lines;
    }

    /** Checksums on the vector route with C2, after enough passes; fails unless C2 compiled every activation's kernel. */
    private static List<String> compiledChecksums(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(options));
        command.add("-Dpasses=" + C2_PASSES);
        FreshJvm.Output out = FreshJvm.run(Checksums.class, 300, command.toArray(String[]::new));
        assertThat(out.lines()).hasSize(1 + Activation.values().length);
        out.assertCompiledByC2(KernelDeterminismTest.vectorKernelMethods());
        return out.lines();
    }

    /** Passes over the inputs after which C2 has compiled each activation's vector kernel. */
    static final int C2_PASSES = 20;

    /**
     * The same bits at every vector width (AVX-512's 8 lanes, AVX2's 4, 2), each compiled by C2, on
     * the plain-Java route, and in a JVM that stops at C1 (the Vector API's Java fallback), in fresh
     * JVMs.
     */
    @Test
    void sameBitsAtEveryVectorWidthAndOnThePlainJavaRoute() throws Exception {
        List<String> reference = compiledChecksums();
        for (String[] options : new String[][] {{"-XX:UseAVX=2"}, {"-XX:MaxVectorSize=16"}, {"-Dinitsweep.scalar=true"},
            {"-XX:TieredStopAtLevel=1"}}) {
            List<String> other = options[0].startsWith("-XX:TieredStopAtLevel") || options[0].startsWith("-D")
                    ? checksums(options) : compiledChecksums(options);
            assertThat(other.subList(1, other.size())).as("output hashes with %s (%s)", options[0], other.get(0))
                    .isEqualTo(reference.subList(1, reference.size()));
        }
    }

    @Test
    void vectorTwinGivesTheScalarBitsInThisJvm() {
        assertThat(Kernels.VECTOR_API).as("Vector API module present in the test JVM").isTrue();
        long[] bad = mismatches(inputs(LOCAL_INPUTS, 7));
        assertThat(bad).containsOnly(0L);
    }

    /** Max |det − strict| in ulps of strict (0 when both are the same NaN class or equal; ∞ for an infinity mismatch). */
    private static double ulpError(double det, double strict) {
        if (sameBits(det, strict) || (det == strict)) {
            return 0;
        }
        if (Double.isNaN(det) || Double.isNaN(strict) || Double.isInfinite(det) || Double.isInfinite(strict)) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.abs(det - strict) / Math.ulp(strict);
    }

    private static double maxUlps(int f, double[] xs) {
        double max = 0;
        for (double x : xs) {
            double e = ulpError(DET[f].applyAsDouble(x), STRICT[f].applyAsDouble(x));
            if (!(e <= max)) {
                max = e;
            }
        }
        return max;
    }

    /** n points evenly spaced on [lo, hi], plus n log-spaced magnitudes 10^[−20, 0] of either sign when lo &lt; 0 &lt; hi. */
    private static double[] sweep(double lo, double hi, int n) {
        double[] x = new double[lo < 0 && hi > 0 ? 2 * n : n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * i / (n - 1);
        }
        if (x.length > n) {
            for (int i = 0; i < n; i++) {
                x[n + i] = (i % 2 == 0 ? 1 : -1) * Math.pow(10, -20.0 * i / n);
            }
        }
        return x;
    }

    @Test
    void accuracyAgainstStrictMath() {
        double[] random = inputs(1_000_000, 11);
        double[] exp = sweep(-746, 710, 1_000_001);
        double[] expm1 = sweep(-60, 710, 1_000_001);
        double[] tanh = sweep(-21, 21, 1_000_001);
        double[] log1pNear = sweep(-1, 2, 1_000_001);
        double[] log1pFar = new double[500_000];
        for (int i = 0; i < log1pFar.length; i++) {
            log1pFar[i] = Math.pow(10, -300 + 608.0 * i / log1pFar.length);
        }
        double[] bounds = {EXP_ULPS, EXPM1_ULPS, LOG1P_ULPS, TANH_ULPS};
        double[][][] sets = {{random, exp}, {random, expm1}, {random, log1pNear, log1pFar}, {random, tanh}};
        for (int f = 0; f < 4; f++) {
            for (double[] xs : sets[f]) {
                assertThat(maxUlps(f, xs)).as("%s: max ulps against StrictMath", NAMES[f]).isLessThanOrEqualTo(bounds[f]);
            }
        }
    }

    @Test
    void specialValues() {
        double inf = Double.POSITIVE_INFINITY;
        assertThat(DetMath.exp(0.0)).isEqualTo(1.0);
        assertThat(DetMath.exp(-0.0)).isEqualTo(1.0);
        assertThat(DetMath.exp(inf)).isEqualTo(inf);
        assertThat(DetMath.exp(-inf)).isEqualTo(0.0);
        assertThat(DetMath.exp(709.79)).isEqualTo(inf);
        assertThat(DetMath.exp(709.78)).isFinite();
        assertThat(DetMath.exp(-745.1)).isEqualTo(Double.MIN_VALUE);
        assertThat(DetMath.exp(-745.2)).isEqualTo(0.0);
        assertThat(DetMath.exp(Double.NaN)).isNaN();
        assertThat(DetMath.expm1(-0.0)).isEqualTo(-0.0);
        assertThat(Double.doubleToRawLongBits(DetMath.expm1(-0.0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(DetMath.expm1(Double.MIN_VALUE)).isEqualTo(Double.MIN_VALUE);
        assertThat(DetMath.expm1(-inf)).isEqualTo(-1.0);
        assertThat(DetMath.expm1(inf)).isEqualTo(inf);
        assertThat(DetMath.expm1(Double.NaN)).isNaN();
        assertThat(DetMath.log1p(-1.0)).isEqualTo(-inf);
        assertThat(DetMath.log1p(Math.nextDown(-1.0))).isNaN();
        assertThat(DetMath.log1p(-inf)).isNaN();
        assertThat(DetMath.log1p(inf)).isEqualTo(inf);
        assertThat(DetMath.log1p(Double.NaN)).isNaN();
        assertThat(Double.doubleToRawLongBits(DetMath.log1p(-0.0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(DetMath.log1p(-Double.MIN_VALUE)).isEqualTo(-Double.MIN_VALUE);
        assertThat(DetMath.log1p(Double.MAX_VALUE)).isEqualTo(StrictMath.log1p(Double.MAX_VALUE));
        assertThat(DetMath.tanh(inf)).isEqualTo(1.0);
        assertThat(DetMath.tanh(-inf)).isEqualTo(-1.0);
        assertThat(Double.doubleToRawLongBits(DetMath.tanh(-0.0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(DetMath.tanh(-Double.MIN_VALUE)).isEqualTo(-Double.MIN_VALUE);
        assertThat(DetMath.tanh(Double.NaN)).isNaN();
        for (double x : SPECIAL) {
            for (int f = 0; f < 4; f++) {
                double e = ulpError(DET[f].applyAsDouble(x), STRICT[f].applyAsDouble(x));
                assertThat(e).as("%s(%s) against StrictMath", NAMES[f], x).isLessThanOrEqualTo(3.0);
            }
        }
    }

    @Test
    void tanhIsOdd() {
        for (double x : inputs(200_000, 5)) {
            if (!Double.isNaN(x)) {
                assertThat(sameBits(DetMath.tanh(-x), -DetMath.tanh(x))).as("tanh(−x) at %s", x).isTrue();
            }
        }
    }
}
