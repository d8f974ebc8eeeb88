package io.initsweep.sim;

import static io.initsweep.sim.Reference.K_SIGMA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TruncatedNormalDistribution;
import org.apache.commons.statistics.distribution.UniformContinuousDistribution;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The weights {@link Weights} draws, against the frameworks' definitions written out here
 * (PyTorch torch/nn/init.py, Keras VarianceScaling and its members, JAX
 * jax.nn.initializers) and against numbers computed elsewhere: truncated-normal moments by
 * 40-digit quadrature in src/test/python/golden_init_moments.py, CDFs from Commons Statistics.
 * Every random check uses fixed seeds; bounds are K_SIGMA standard errors of the sample
 * statistic, from the distribution's own second and fourth moments, and Kolmogorov–Smirnov
 * tests pass at p &gt; {@value #KS_ALPHA}.
 */
class InitCatalogueTest {
    private static final long MASTER = 20240601L;
    private static final long SEED = 3;
    private static final int LAYER = 2;
    /** fan_in × fan_out: square, fan_in &gt; fan_out, fan_in &lt; fan_out. */
    private static final int[][] SHAPES = {{100, 100}, {256, 64}, {64, 256}};
    private static final double KS_ALPHA = 1e-3;
    /** Keras and JAX's literal: the std of N(0, 1) truncated to (−2, 2). */
    private static final double KERAS_TRUNCATED_STD = 0.87962566103423978;
    /** QR in double precision on matrices of side ≤ 256: orthogonality to ~10⁻¹⁴, checked at 10⁻¹⁰. */
    private static final double ORTHO_TOL = 1e-10;
    private static final double NAN = Double.NaN;

    private static double[] draw(Initializer p, int fanIn, int fanOut) {
        return draw(new Weights(), p, MASTER, SEED, LAYER, fanIn, fanOut);
    }

    private static double[] draw(Weights weights, Initializer p, long master, long seed, int layer, int fanIn, int fanOut) {
        double[] w = new double[fanIn * fanOut];
        weights.fill(p, master, seed, layer, fanIn, fanOut, w);
        return w;
    }

    private static Initializer params(InitScheme init, double std, Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return init.bind(m, std);
    }

    // ---------------------------------------------------------------- the intended distributions

    /**
     * What one weight should follow: its CDF and raw moments E[w], E[w²], E[w⁴].
     */
    record Law(String what, DoubleUnaryOperator cdf, double m1, double m2, double m4, double lo, double hi) {
        static Law normal(double s) {
            NormalDistribution d = NormalDistribution.of(0, s);
            return new Law("N(0, " + s + "²)", d::cumulativeProbability, 0, s * s, 3 * s * s * s * s,
                    Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }

        /** U(−√3·s, √3·s): E[w²] = s², E[w⁴] = 9s⁴/5. */
        static Law uniform(double s) {
            double b = Math.sqrt(3.0) * s;
            UniformContinuousDistribution d = UniformContinuousDistribution.of(-b, b);
            return new Law("U(±" + b + ")", d::cumulativeProbability, 0, s * s, 9.0 / 5 * s * s * s * s, -b, b);
        }

        /**
         * Keras/JAX: s·Z/0.8796…, Z ~ N(0, 1) on (−2, 2). With Z₂ = Φ(2) − Φ(−2):
         * E[Z²] = 1 − 4φ(2)/Z₂ and E[Z⁴] = 3E[Z²] − 16φ(2)/Z₂ (integration by parts).
         */
        static Law kerasTruncated(double s) {
            double mass = 1.0 - Reference.twoSidedNormalTail(2.0);
            double phi2 = Reference.normalPdf(2.0);
            double ez2 = 1.0 - 4.0 * phi2 / mass;
            double ez4 = 3.0 * ez2 - 16.0 * phi2 / mass;
            double c = KERAS_TRUNCATED_STD;
            double parent = s / c;
            TruncatedNormalDistribution d = TruncatedNormalDistribution.of(0, parent, -2 * parent, 2 * parent);
            return new Law("keras truncated s=" + s, d::cumulativeProbability, 0, s * s * ez2 / (c * c),
                    s * s * s * s * ez4 / (c * c * c * c), -2 * parent, 2 * parent);
        }

        /** trunc_normal_: N(0, std²) on [a, b], moments from the quadrature golden file. */
        static Law absoluteTruncated(Golden g) {
            TruncatedNormalDistribution d = TruncatedNormalDistribution.of(0, g.std, g.a, g.b);
            return new Law("trunc_normal_ " + g.name, d::cumulativeProbability, g.mean, g.m2, g.m4, g.a, g.b);
        }
    }

    /** A row of golden/init_moments.csv. */
    record Golden(String name, double std, double a, double b, double mean, double var, double m2, double m4, double sd) {}

    private static List<Golden> golden() {
        try (InputStream in = InitCatalogueTest.class.getResourceAsStream("/golden/init_moments.csv")) {
            assertThat(in).as("golden/init_moments.csv on the test classpath").isNotNull();
            List<Golden> rows = new ArrayList<>();
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            assertThat(lines[0]).isEqualTo("case,std,a,b,mean,var,m2,m4,sd");
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split(",");
                rows.add(new Golden(f[0], num(f[1]), num(f[2]), num(f[3]), num(f[4]), num(f[5]), num(f[6]), num(f[7]),
                        num(f[8])));
            }
            return rows;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static double num(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /** An initializer and the law of its weights at a shape, from the frameworks' formulas. */
    interface Expected {
        Law at(int fanIn, int fanOut);
    }

    private static Arguments scheme(Initializer p, Expected e) {
        return Arguments.of(p.label(), p, e);
    }

    static Stream<Arguments> randomSchemes() {
        List<Arguments> a = new ArrayList<>();
        // fixed scale: the std axis
        a.add(scheme(Normal.SCHEME.defaults(0.37), (fi, fo) -> Law.normal(0.37)));
        a.add(scheme(Uniform.SCHEME.defaults(0.37), (fi, fo) -> Law.uniform(0.37)));
        for (Golden g : golden()) {
            a.add(Arguments.of("truncated_normal " + g.name(), params(TruncatedNormal.SCHEME, g.std(), "a", g.a(), "b", g.b()),
                    (Expected) (fi, fo) -> Law.absoluteTruncated(g)));
        }
        // PyTorch: xavier_* std = gain·√(2/(fan_in + fan_out)); kaiming_* std = gain/√fan_mode
        a.add(scheme(XavierNormal.SCHEME.defaults(NAN), (fi, fo) -> Law.normal(Math.sqrt(2.0 / (fi + fo)))));
        a.add(scheme(params(XavierNormal.SCHEME, NAN, "gain", 5.0 / 3),
                (fi, fo) -> Law.normal(5.0 / 3 * Math.sqrt(2.0 / (fi + fo)))));
        a.add(scheme(XavierUniform.SCHEME.defaults(NAN), (fi, fo) -> Law.uniform(Math.sqrt(2.0 / (fi + fo)))));
        a.add(scheme(KaimingNormal.SCHEME.defaults(NAN), (fi, fo) -> Law.normal(Math.sqrt(2.0) / Math.sqrt(fi))));
        a.add(scheme(params(KaimingNormal.SCHEME, NAN, "gain", 1.0, "mode", "fan_out"), (fi, fo) -> Law.normal(1 / Math.sqrt(fo))));
        a.add(scheme(KaimingUniform.SCHEME.defaults(NAN), (fi, fo) -> Law.uniform(Math.sqrt(2.0) / Math.sqrt(fi))));
        a.add(scheme(params(KaimingUniform.SCHEME, NAN, "gain", 5.0 / 3, "mode", "fan_out"),
                (fi, fo) -> Law.uniform(5.0 / 3 / Math.sqrt(fo))));
        // Keras/JAX: std² = scale/n
        a.add(scheme(VarianceScaling.SCHEME.defaults(NAN), (fi, fo) -> Law.kerasTruncated(Math.sqrt(1.0 / fi))));
        a.add(scheme(params(VarianceScaling.SCHEME, NAN, "scale", 0.5, "mode", "fan_out", "distribution", "normal"),
                (fi, fo) -> Law.normal(Math.sqrt(0.5 / fo))));
        a.add(scheme(params(VarianceScaling.SCHEME, NAN, "scale", 3.0, "mode", "fan_avg", "distribution", "uniform"),
                (fi, fo) -> Law.uniform(Math.sqrt(3.0 / ((fi + fo) / 2.0)))));
        a.add(scheme(GlorotNormal.SCHEME.defaults(NAN), (fi, fo) -> Law.kerasTruncated(Math.sqrt(2.0 / (fi + fo)))));
        a.add(scheme(GlorotUniform.SCHEME.defaults(NAN), (fi, fo) -> Law.uniform(Math.sqrt(2.0 / (fi + fo)))));
        a.add(scheme(HeNormal.SCHEME.defaults(NAN), (fi, fo) -> Law.kerasTruncated(Math.sqrt(2.0 / fi))));
        a.add(scheme(HeUniform.SCHEME.defaults(NAN), (fi, fo) -> Law.uniform(Math.sqrt(2.0 / fi))));
        a.add(scheme(LecunNormal.SCHEME.defaults(NAN), (fi, fo) -> Law.kerasTruncated(Math.sqrt(1.0 / fi))));
        a.add(scheme(LecunUniform.SCHEME.defaults(NAN), (fi, fo) -> Law.uniform(Math.sqrt(1.0 / fi))));
        return a.stream();
    }

    // ---------------------------------------------------------------- moments and KS, every random scheme × shape

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomSchemes")
    void momentsMatchTheFormulas(String name, Initializer p, Expected expected) {
        for (int[] shape : SHAPES) {
            int fi = shape[0];
            int fo = shape[1];
            Law law = expected.at(fi, fo);
            double[] w = draw(p, fi, fo);
            int n = w.length;
            double s1 = 0;
            double s2 = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : w) {
                s1 += v;
                s2 += v * v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            String at = name + " at " + fi + "×" + fo + ", " + law.what();
            // sampling sd of the mean: √(Var w / n); of the mean square: √(Var w² / n) = √((E w⁴ − (E w²)²)/n)
            double sdMean = Math.sqrt((law.m2() - law.m1() * law.m1()) / n);
            double sdSquare = Math.sqrt((law.m4() - law.m2() * law.m2()) / n);
            assertThat(s1 / n).as(at + ": mean").isCloseTo(law.m1(), within(K_SIGMA * sdMean));
            assertThat(s2 / n).as(at + ": E[w²]").isCloseTo(law.m2(), within(K_SIGMA * sdSquare));
            assertThat(min).as(at + ": min").isGreaterThanOrEqualTo(law.lo());
            assertThat(max).as(at + ": max").isLessThanOrEqualTo(law.hi());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomSchemes")
    void kolmogorovSmirnovAgainstTheIntendedDistribution(String name, Initializer p, Expected expected) {
        for (int[] shape : SHAPES) {
            Law law = expected.at(shape[0], shape[1]);
            double[] w = draw(p, shape[0], shape[1]);
            double pValue = KolmogorovSmirnovTest.withDefaults().test(w, law.cdf()).getPValue();
            assertThat(pValue).as("%s at %d×%d vs %s: KS p-value", name, shape[0], shape[1], law.what())
                    .isGreaterThan(KS_ALPHA);
        }
    }

    // ---------------------------------------------------------------- the truncated-normal constant

    @Test
    void kerasTruncatedConstantIsTheStdOfTheTruncatedStandardNormal() {
        // std of N(0, 1) on (−2, 2): √(1 − 2·2·φ(2)/(Φ(2) − Φ(−2))), Φ by quadrature (Reference)
        double mass = 1.0 - Reference.twoSidedNormalTail(2.0);
        double sd = Math.sqrt(1.0 - 2.0 * 2.0 * Reference.normalPdf(2.0) / mass);
        assertThat(sd).isCloseTo(KERAS_TRUNCATED_STD, within(1e-12));
        assertThat(RandomStreams.TRUNCATED_UNIT_STD).isEqualTo(KERAS_TRUNCATED_STD);
        // the 40-digit quadrature rounds to the same double
        Golden unit = golden().get(0);
        assertThat(unit.name()).isEqualTo("keras_unit");
        assertThat(unit.sd()).isEqualTo(KERAS_TRUNCATED_STD);
    }

    @Test
    void truncatedNormalNominalStdIsTheStdOfTheTruncatedDistribution() {
        for (Golden g : golden()) {
            double nominal = params(TruncatedNormal.SCHEME, g.std(), "a", g.a(), "b", g.b()).nominalStd(10, 10);
            assertThat(nominal).as(g.name()).isCloseTo(g.sd(), within(1e-9 * g.sd()));
        }
    }

    // ---------------------------------------------------------------- structured schemes

    /** B = WᵀW (fan_out²) when fan_in ≥ fan_out, else WWᵀ (fan_in²): the smaller Gram matrix. */
    private static double[] smallGram(double[] w, int fi, int fo) {
        if (fi >= fo) {
            double[] g = new double[fo * fo];
            for (int a = 0; a < fo; a++) {
                for (int b = 0; b < fo; b++) {
                    double s = 0;
                    for (int i = 0; i < fi; i++) {
                        s += w[i * fo + a] * w[i * fo + b];
                    }
                    g[a * fo + b] = s;
                }
            }
            return g;
        }
        double[] g = new double[fi * fi];
        for (int a = 0; a < fi; a++) {
            for (int b = 0; b < fi; b++) {
                double s = 0;
                for (int j = 0; j < fo; j++) {
                    s += w[a * fo + j] * w[b * fo + j];
                }
                g[a * fi + b] = s;
            }
        }
        return g;
    }

    @Test
    void orthogonalHasOrthonormalRowsOrColumnsTimesGain() {
        for (double gain : new double[] {1.0, 2.5}) {
            for (int[] shape : new int[][] {{100, 100}, {256, 64}, {64, 256}, {3, 5}, {5, 3}, {1, 7}}) {
                int fi = shape[0];
                int fo = shape[1];
                double[] w = draw(params(Orthogonal.SCHEME, NAN, "gain", gain), fi, fo);
                double[] g = smallGram(w, fi, fo);
                int k = Math.min(fi, fo);
                double worst = 0;
                for (int a = 0; a < k; a++) {
                    for (int b = 0; b < k; b++) {
                        worst = Math.max(worst, Math.abs(g[a * k + b] - (a == b ? gain * gain : 0.0)));
                    }
                }
                assertThat(worst).as("gain %s, %d×%d: max |Gram − gain²·I|", gain, fi, fo).isLessThan(ORTHO_TOL * gain * gain);
            }
        }
    }

    /**
     * PyTorch's orthogonal_ factors M (fan_out, fan_in), or Mᵀ when fan_out &lt; fan_in, as QR and
     * keeps Q·sign(diag R). M is normal's Gaussian matrix at the same key (common random numbers):
     * our normal(std = 1) W is Mᵀ. So R = Qᵀ·(the factored matrix) must be upper triangular with
     * a positive diagonal: for fan_out ≥ fan_in, Q = Wᵀ and R = W·Wₙᵀ… written out below.
     */
    @Test
    void orthogonalIsTheQOfNormalsGaussianMatrixWithAPositiveRDiagonal() {
        for (int[] shape : SHAPES) {
            int fi = shape[0];
            int fo = shape[1];
            double[] q = draw(Orthogonal.SCHEME.defaults(NAN), fi, fo);
            double[] gauss = draw(Normal.SCHEME.defaults(1.0), fi, fo); // Wₙ = Mᵀ, fan_in × fan_out
            int k = Math.min(fi, fo);
            double[] r = new double[k * k];
            if (fo >= fi) {
                // M = Wₙᵀ (fo × fi) = Q_M R with Q_M = Wᵀ: R = Q_Mᵀ M = W · Wₙᵀ (fi × fi)
                for (int a = 0; a < fi; a++) {
                    for (int b = 0; b < fi; b++) {
                        double s = 0;
                        for (int j = 0; j < fo; j++) {
                            s += q[a * fo + j] * gauss[b * fo + j];
                        }
                        r[a * k + b] = s;
                    }
                }
            } else {
                // Mᵀ = Wₙ (fi × fo) = Q R with Q = W: R = Wᵀ · Wₙ (fo × fo)
                for (int a = 0; a < fo; a++) {
                    for (int b = 0; b < fo; b++) {
                        double s = 0;
                        for (int i = 0; i < fi; i++) {
                            s += q[i * fo + a] * gauss[i * fo + b];
                        }
                        r[a * k + b] = s;
                    }
                }
            }
            double scale = Math.sqrt(Math.max(fi, fo)); // |R_jj| ~ √(rows) for a Gaussian matrix
            for (int a = 0; a < k; a++) {
                assertThat(r[a * k + a]).as("%d×%d: R[%d][%d] > 0", fi, fo, a, a).isGreaterThan(0.0);
                for (int b = 0; b < a; b++) {
                    assertThat(Math.abs(r[a * k + b])).as("%d×%d: R[%d][%d] below the diagonal", fi, fo, a, b)
                            .isLessThan(ORTHO_TOL * scale);
                }
            }
        }
    }

    @Test
    void lsuvStartsFromTheOrthogonalMatrixAndGainScalesIt() {
        for (int[] shape : SHAPES) {
            double[] ortho = draw(Orthogonal.SCHEME.defaults(NAN), shape[0], shape[1]);
            double[] lsuv = draw(Lsuv.SCHEME.defaults(NAN), shape[0], shape[1]);
            assertThat(lsuv).isEqualTo(ortho);
            double[] twice = draw(params(Orthogonal.SCHEME, NAN, "gain", 2.0), shape[0], shape[1]);
            for (int i = 0; i < ortho.length; i++) {
                assertThat(twice[i]).isEqualTo(2.0 * ortho[i]); // a power of two: exact
            }
        }
    }

    @Test
    void identityIsExactAlsoWhenNotSquare() {
        for (double factor : new double[] {1.0, -0.5}) {
            for (int[] shape : new int[][] {{100, 100}, {256, 64}, {64, 256}, {3, 5}, {5, 3}}) {
                int fi = shape[0];
                int fo = shape[1];
                Initializer p = factor == 1.0 ? Identity.SCHEME.defaults(NAN) : params(Identity.SCHEME, NAN, "factor", factor);
                double[] w = draw(p, fi, fo);
                // torch.eye(out, in): 1 where row == column; W = its transpose, so W[i][j] = 1 iff i == j
                for (int i = 0; i < fi; i++) {
                    for (int j = 0; j < fo; j++) {
                        assertThat(w[i * fo + j]).as("%d×%d [%d][%d]", fi, fo, i, j).isEqualTo(i == j ? factor : 0.0);
                    }
                }
            }
        }
    }

    @Test
    void constantsAreExact() {
        for (int[] shape : SHAPES) {
            int n = shape[0] * shape[1];
            double[] expectedZeros = new double[n];
            double[] expectedOnes = new double[n];
            double[] expectedConstant = new double[n];
            Arrays.fill(expectedOnes, 1.0);
            Arrays.fill(expectedConstant, -0.7);
            assertThat(draw(Zeros.SCHEME.defaults(NAN), shape[0], shape[1])).isEqualTo(expectedZeros);
            assertThat(draw(Ones.SCHEME.defaults(NAN), shape[0], shape[1])).isEqualTo(expectedOnes);
            assertThat(draw(params(Constant.SCHEME, NAN, "value", -0.7), shape[0], shape[1])).isEqualTo(expectedConstant);
        }
    }

    @Test
    void sparseZeroesExactlyCeilSparsityTimesFanOutPerInputUnit() {
        double std = 0.5;
        for (double sparsity : new double[] {0.0, 0.1, 0.3, 0.9, 1.0}) {
            for (int[] shape : SHAPES) {
                int fi = shape[0];
                int fo = shape[1];
                // PyTorch: rows = fan_out of its (fan_out, fan_in) weight; num_zeros = ceil(sparsity · rows) per column
                int zeros = (int) Math.ceil(sparsity * fo);
                double[] w = draw(params(Sparse.SCHEME, std, "sparsity", sparsity), fi, fo);
                double[] gauss = draw(Normal.SCHEME.defaults(1.0), fi, fo);
                Set<String> patterns = new HashSet<>();
                long[] perColumn = new long[fo];
                for (int i = 0; i < fi; i++) {
                    int count = 0;
                    StringBuilder pattern = new StringBuilder();
                    for (int j = 0; j < fo; j++) {
                        double v = w[i * fo + j];
                        if (v == 0.0) {
                            count++;
                            perColumn[j]++;
                            pattern.append(j).append(',');
                        } else {
                            // the values are normal's draws at the same key, times std
                            assertThat(v).isEqualTo(std * gauss[i * fo + j]);
                        }
                    }
                    assertThat(count).as("sparsity %s, %d×%d, input unit %d: zeros", sparsity, fi, fo, i).isEqualTo(zeros);
                    patterns.add(pattern.toString());
                }
                if (zeros > 0 && zeros < fo) {
                    assertThat(patterns.size()).as("zero positions differ between input units").isGreaterThan(fi / 2);
                    // every output position is zeroed with probability zeros/fo, independently per input unit
                    double p = (double) zeros / fo;
                    for (int j = 0; j < fo; j++) {
                        assertThat((double) perColumn[j]).as("sparsity %s, %d×%d: zeros in output %d", sparsity, fi, fo, j)
                                .isCloseTo(fi * p, within(K_SIGMA * Math.sqrt(fi * p * (1 - p)) + 1e-9));
                    }
                }
            }
        }
        // ceil, not round: 0.1 · 64 = 6.4 → 7
        double[] w = draw(params(Sparse.SCHEME, std, "sparsity", 0.1), 10, 64);
        assertThat(Arrays.stream(w, 0, 64).filter(v -> v == 0.0).count()).isEqualTo(7);
    }

    @Test
    void sparseNonZerosAreNormal() {
        for (int[] shape : SHAPES) {
            double[] w = draw(params(Sparse.SCHEME, 0.5, "sparsity", 0.3), shape[0], shape[1]);
            double[] nonZero = Arrays.stream(w).filter(v -> v != 0.0).toArray();
            NormalDistribution d = NormalDistribution.of(0, 0.5);
            assertThat(KolmogorovSmirnovTest.withDefaults().test(nonZero, d::cumulativeProbability).getPValue())
                    .as("%d×%d", shape[0], shape[1]).isGreaterThan(KS_ALPHA);
        }
    }

    // ---------------------------------------------------------------- common random numbers and determinism

    /** w[i] == s·base[i] bit for bit: one correctly rounded product per weight. */
    private static void assertExactMultiple(double[] w, double s, double[] base, String what) {
        for (int i = 0; i < w.length; i++) {
            if (w[i] != s * base[i]) {
                throw new AssertionError(what + ": w[" + i + "] = " + w[i] + " is not " + s + " · " + base[i]);
            }
        }
    }

    @Test
    void schemesOfAFamilyAreExactMultiplesOfOneBaseDraw() {
        for (int[] shape : SHAPES) {
            int fi = shape[0];
            int fo = shape[1];
            String at = " at " + fi + "×" + fo;
            // Gaussian: normal(std = 1) is the base itself
            double[] g = draw(Normal.SCHEME.defaults(1.0), fi, fo);
            assertExactMultiple(draw(Normal.SCHEME.defaults(0.37), fi, fo), 0.37, g, "normal" + at);
            assertExactMultiple(draw(XavierNormal.SCHEME.defaults(NAN), fi, fo), Math.sqrt(2.0 / (fi + fo)), g,
                    "xavier_normal" + at);
            assertExactMultiple(draw(KaimingNormal.SCHEME.defaults(NAN), fi, fo), Math.sqrt(2.0) / Math.sqrt(fi), g,
                    "kaiming_normal" + at);
            assertExactMultiple(draw(params(VarianceScaling.SCHEME, NAN, "scale", 2.0, "distribution", "normal"), fi, fo),
                    Math.sqrt(2.0 / fi), g, "variance_scaling normal" + at);
            // uniform: uniform(std = 1) is the base
            double[] u = draw(Uniform.SCHEME.defaults(1.0), fi, fo);
            assertExactMultiple(draw(XavierUniform.SCHEME.defaults(NAN), fi, fo), Math.sqrt(2.0 / (fi + fo)), u,
                    "xavier_uniform" + at);
            assertExactMultiple(draw(KaimingUniform.SCHEME.defaults(NAN), fi, fo), Math.sqrt(2.0) / Math.sqrt(fi), u,
                    "kaiming_uniform" + at);
            assertExactMultiple(draw(GlorotUniform.SCHEME.defaults(NAN), fi, fo), Math.sqrt(1.0 / ((fi + fo) / 2.0)), u,
                    "glorot_uniform" + at);
            assertExactMultiple(draw(HeUniform.SCHEME.defaults(NAN), fi, fo), Math.sqrt(2.0 / fi), u, "he_uniform" + at);
            assertExactMultiple(draw(LecunUniform.SCHEME.defaults(NAN), fi, fo), Math.sqrt(1.0 / fi), u,
                    "lecun_uniform" + at);
            // truncated: variance_scaling with scale = fan_in, mode fan_in has s = 1, the base itself
            double[] t = draw(params(VarianceScaling.SCHEME, NAN, "scale", (double) fi), fi, fo);
            assertExactMultiple(draw(GlorotNormal.SCHEME.defaults(NAN), fi, fo), Math.sqrt(1.0 / ((fi + fo) / 2.0)), t,
                    "glorot_normal" + at);
            assertExactMultiple(draw(HeNormal.SCHEME.defaults(NAN), fi, fo), Math.sqrt(2.0 / fi), t, "he_normal" + at);
            assertExactMultiple(draw(LecunNormal.SCHEME.defaults(NAN), fi, fo), Math.sqrt(1.0 / fi), t,
                    "lecun_normal" + at);
            // the three families draw different numbers
            assertThat(g).isNotEqualTo(u);
            int same = 0;
            for (int i = 0; i < g.length; i++) {
                same += g[i] == t[i] ? 1 : 0;
            }
            assertThat(same).as("Gaussian and truncated bases share no draw").isZero();
        }
    }

    private static List<Initializer> everyScheme() {
        List<Initializer> all = new ArrayList<>();
        for (InitScheme init : Initializer.values()) {
            switch (init.id()) {
                case "constant" -> all.add(params(init, NAN, "value", 0.25));
                case "sparse" -> all.add(params(init, 0.5, "sparsity", 0.2));
                default -> all.add(init.defaults(init.usesStdAxis() ? 0.5 : NAN));
            }
        }
        return all;
    }

    @Test
    void theSameKeyGivesBitIdenticalWeightsWhateverRanBefore() {
        Weights reused = new Weights();
        for (Initializer p : everyScheme()) {
            for (int[] shape : SHAPES) {
                double[] fresh = draw(new Weights(), p, MASTER, SEED, LAYER, shape[0], shape[1]);
                // other schemes, shapes and keys through the same instance first
                for (Initializer other : everyScheme()) {
                    draw(reused, other, MASTER + 1, SEED, 1, 17, 9);
                }
                draw(reused, p, MASTER, SEED, LAYER + 1, shape[1], shape[0]);
                assertThat(draw(reused, p, MASTER, SEED, LAYER, shape[0], shape[1])).as(p.label()).isEqualTo(fresh);
            }
        }
    }

    @Test
    void layersSeedsAndMasterSeedsDrawDifferentWeights() {
        for (Initializer p : everyScheme()) {
            if (p.family() == Initializer.Family.NONE) {
                continue;
            }
            double[] base = draw(new Weights(), p, MASTER, SEED, LAYER, 64, 64);
            double[][] others = {
                draw(new Weights(), p, MASTER, SEED, LAYER + 1, 64, 64),
                draw(new Weights(), p, MASTER, SEED + 1, LAYER, 64, 64),
                draw(new Weights(), p, MASTER + 1, SEED, LAYER, 64, 64),
            };
            for (double[] o : others) {
                int same = 0;
                for (int i = 0; i < base.length; i++) {
                    same += base[i] == o[i] && base[i] != 0.0 ? 1 : 0;
                }
                assertThat(same).as(p.label() + ": equal non-zero weights under another key").isZero();
            }
        }
    }

    @Test
    void fillWritesOnlyTheLayersEntriesAndChecksItsArguments() {
        for (Initializer p : everyScheme()) {
            double[] w = new double[40];
            Arrays.fill(w, 9.0);
            new Weights().fill(p, MASTER, SEED, 1, 5, 7, w);
            for (int i = 35; i < 40; i++) {
                assertThat(w[i]).as(p.label()).isEqualTo(9.0);
            }
        }
        Weights weights = new Weights();
        Initializer normal = Normal.SCHEME.defaults(1.0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> weights.fill(normal, 0, 0, 1, 10, 10, new double[99]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> weights.fill(normal, 0, 0, 0, 10, 10, new double[100]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> weights.fill(normal, 0, 0, 1, 0, 10, new double[100]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fan_in");
    }

    /** One Weights per task, no allocation per layer: after a warm-up layer a shape's next layers allocate nothing. */
    @Test
    void aLayerAfterTheFirstAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean threads) || !threads.isThreadAllocatedMemorySupported()) {
            return;
        }
        long thread = Thread.currentThread().getId();
        Map<String, Long> allocated = new HashMap<>();
        for (Initializer p : everyScheme()) {
            for (int[] shape : SHAPES) {
                Weights weights = new Weights();
                double[] w = new double[shape[0] * shape[1]];
                weights.fill(p, MASTER, SEED, 1, shape[0], shape[1], w); // warm-up: buffers grow here
                weights.fill(p, MASTER, SEED, 2, shape[0], shape[1], w);
                // the median of five windows of five layers: a layer that allocates shows in every
                // window, while the JVM's own allocations on this thread around a C2 compilation
                // land in one. (A sparse fill measured alone: 0 bytes in 15 000 fills under -Xint
                // and under C1 alone; with C2, 4 328 bytes in all, up to 3 128 in one window of 3 000.)
                long[] windows = new long[5];
                for (int k = 0; k < windows.length; k++) {
                    long before = threads.getThreadAllocatedBytes(thread);
                    for (int layer = 3; layer < 8; layer++) {
                        weights.fill(p, MASTER, SEED, layer, shape[0], shape[1], w);
                    }
                    windows[k] = threads.getThreadAllocatedBytes(thread) - before;
                }
                java.util.Arrays.sort(windows);
                allocated.merge(p.label(), windows[2], Math::max);
            }
        }
        // the QR runs on netlib's pure-Java LAPACK, which allocates temporaries inside each QR (about 20 KB at 100 × 100)
        assertThat(Weights.lapackImplementation()).doesNotEndWith("JNILAPACK");
        allocated.remove(Orthogonal.SCHEME.defaults(NAN).label());
        allocated.remove(Lsuv.SCHEME.defaults(NAN).label());
        assertThat(allocated).as("bytes allocated by five layers (median of five windows), by scheme").allSatisfy((label, bytes) -> assertThat(bytes)
                .as(label).isZero());
    }
}
