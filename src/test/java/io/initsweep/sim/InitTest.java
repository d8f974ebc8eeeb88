package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.initsweep.sim.VarianceScalingFamily.Distribution;
import io.initsweep.sim.VarianceScalingFamily.FanMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The catalogue's metadata and parameters against the frameworks' sources, written out here:
 * PyTorch {@code torch/nn/init.py} (xavier_*(gain=1), kaiming_*(a=0, mode='fan_in',
 * nonlinearity='leaky_relu'), trunc_normal_(mean=0, std=1, a=-2, b=2), sparse_(sparsity,
 * std=0.01), orthogonal_(gain=1), eye_), Keras {@code keras/src/initializers/random_initializers.py}
 * (VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal"), GlorotNormal
 * (1, fan_avg, truncated_normal), HeNormal (2, fan_in, truncated_normal), LecunNormal (1, fan_in,
 * truncated_normal) and the uniform ones) and JAX {@code jax/_src/nn/initializers.py} (the same
 * members through variance_scaling). A non-square layer tells fan_in from fan_out.
 */
class InitTest {
    /** Each side is one or two correctly rounded operations on the same inputs: a few ulps. */
    private static final double REL_TOL = 4 * Math.ulp(1.0);

    private static final int FAN_IN = 300;
    private static final int FAN_OUT = 100;
    private static final double NAN = Double.NaN;

    private static void assertRel(double actual, double expected, String what) {
        assertThat(actual).as(what).isCloseTo(expected, within(REL_TOL * Math.abs(expected)));
    }

    private static Initializer params(InitScheme init, double std, Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return init.bind(m, std);
    }

    // ---------------------------------------------------------------- defaults

    @Test
    void defaultsAreTheFrameworksDefaults() {
        // PyTorch kaiming_normal_(a=0, mode='fan_in', nonlinearity='leaky_relu'): gain √(2/(1 + 0²))
        Initializer kaiming = KaimingNormal.SCHEME.defaults(NAN);
        assertThat(kaiming).isEqualTo(new KaimingNormal(Math.sqrt(2.0), FanMode.FAN_IN));
        assertThat(((KaimingNormal) kaiming).scale()).isEqualTo(Math.sqrt(2.0) * Math.sqrt(2.0));
        assertThat(((KaimingNormal) kaiming).distribution()).isEqualTo(Distribution.NORMAL);
        assertThat(((KaimingUniform) KaimingUniform.SCHEME.defaults(NAN)).distribution()).isEqualTo(Distribution.UNIFORM);
        // PyTorch xavier_*(gain=1): std = gain·√(2/(fan_in + fan_out)), i.e. scale 1 over fan_avg
        XavierNormal xavier = (XavierNormal) XavierNormal.SCHEME.defaults(NAN);
        assertThat(xavier).isEqualTo(new XavierNormal(1.0));
        assertThat(List.<Object>of(xavier.scale(), xavier.mode(), xavier.distribution()))
                .containsExactly(1.0, FanMode.FAN_AVG, Distribution.NORMAL);
        assertThat(((XavierUniform) XavierUniform.SCHEME.defaults(NAN)).distribution()).isEqualTo(Distribution.UNIFORM);
        // Keras VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal")
        assertThat(VarianceScaling.SCHEME.defaults(NAN))
                .isEqualTo(new VarianceScaling(1.0, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL));
        // Keras/JAX members: (scale, mode, distribution)
        Object[][] keras = {
            {GlorotNormal.SCHEME, 1.0, FanMode.FAN_AVG, Distribution.TRUNCATED_NORMAL},
            {GlorotUniform.SCHEME, 1.0, FanMode.FAN_AVG, Distribution.UNIFORM},
            {HeNormal.SCHEME, 2.0, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL},
            {HeUniform.SCHEME, 2.0, FanMode.FAN_IN, Distribution.UNIFORM},
            {LecunNormal.SCHEME, 1.0, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL},
            {LecunUniform.SCHEME, 1.0, FanMode.FAN_IN, Distribution.UNIFORM},
        };
        for (Object[] k : keras) {
            InitScheme init = (InitScheme) k[0];
            VarianceScalingFamily member = (VarianceScalingFamily) init.defaults(NAN);
            assertThat(List.<Object>of(member.scale(), member.mode(), member.distribution())).as(init.id())
                    .containsExactly(k[1], k[2], k[3]);
            assertThat(member.gain()).as(init.id()).isNaN();
        }
        // PyTorch trunc_normal_(mean=0, std, a=-2, b=2); std from the axis
        assertThat(TruncatedNormal.SCHEME.defaults(0.5)).isEqualTo(new TruncatedNormal(0.5, -2.0, 2.0));
        // PyTorch orthogonal_(gain=1); eye_ (factor 1); ones_ (1)
        assertThat(Orthogonal.SCHEME.defaults(NAN).gain()).isEqualTo(1.0);
        assertThat(Identity.SCHEME.defaults(NAN).value()).isEqualTo(1.0);
        assertThat(Ones.SCHEME.defaults(NAN).value()).isEqualTo(1.0);
        // LSUV (Mishkin & Matas; the authors' LSUV-pytorch: std_tol=0.1, max_attempts=10), orthonormal start
        assertThat(Lsuv.SCHEME.defaults(NAN)).isEqualTo(new Lsuv(0.1, 10));
        assertThat(Lsuv.SCHEME.defaults(NAN).gain()).isEqualTo(1.0);
        assertThat(Normal.SCHEME.defaults(0.01)).isEqualTo(new Normal(0.01));
        assertThat(Zeros.SCHEME.defaults(NAN).value()).isNaN();
    }

    @Test
    void requiredParametersHaveNoDefault() {
        // PyTorch constant_(tensor, val) and sparse_(tensor, sparsity, std=0.01): val, sparsity required
        assertThatThrownBy(() -> Constant.SCHEME.defaults(NAN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("constant needs value");
        assertThatThrownBy(() -> Sparse.SCHEME.defaults(0.01)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sparse needs sparsity");
        assertThat(((Sparse) params(Sparse.SCHEME, 0.01, "sparsity", 0.1)).sparsity()).isEqualTo(0.1);
        assertThat(params(Constant.SCHEME, NAN, "value", -0.5).value()).isEqualTo(-0.5);
        for (InitScheme init : Initializer.values()) {
            for (InitParam p : init.params()) {
                assertThat(p.required()).as(init.id() + "." + p.name())
                        .isEqualTo(init == Constant.SCHEME || init == Sparse.SCHEME);
            }
        }
    }

    /** The default text a parser would show parses to the values {@link Initializer#defaults} fills. */
    @Test
    void defaultTextAgreesWithDefaults() {
        for (InitScheme init : Initializer.values()) {
            if (init == Constant.SCHEME || init == Sparse.SCHEME) {
                continue;
            }
            double std = init.usesStdAxis() ? 0.3 : NAN;
            Map<String, Object> given = new HashMap<>();
            Map<String, Object> intoGain = new HashMap<>();
            for (InitParam p : init.params()) {
                String text = p.defaultText();
                Object v = switch (p.name()) {
                    case "mode", "distribution", "nonlinearity" -> text;
                    case "max_iter" -> Integer.parseInt(text);
                    default -> Double.parseDouble(text);
                };
                // PyTorch's a and nonlinearity are the other way to give kaiming's gain: not with it
                (p.intoGain() ? intoGain : given).put(p.name(), v);
            }
            assertThat(init.bind(given, std)).as(init.id()).isEqualTo(init.defaults(std));
            if (!intoGain.isEmpty()) {
                assertThat(init.bind(intoGain, std)).as(init.id() + " by a and nonlinearity")
                        .isEqualTo(init.defaults(std));
            }
        }
    }

    @Test
    void paramNamesPerInit() {
        assertThat(Normal.SCHEME.paramNames()).isEmpty();
        assertThat(Uniform.SCHEME.paramNames()).isEmpty();
        assertThat(TruncatedNormal.SCHEME.paramNames()).containsExactly("a", "b");
        assertThat(Sparse.SCHEME.paramNames()).containsExactly("sparsity");
        assertThat(Zeros.SCHEME.paramNames()).isEmpty();
        assertThat(Ones.SCHEME.paramNames()).isEmpty();
        assertThat(Constant.SCHEME.paramNames()).containsExactly("value");
        assertThat(VarianceScaling.SCHEME.paramNames()).containsExactly("scale", "mode", "distribution");
        assertThat(XavierNormal.SCHEME.paramNames()).containsExactly("gain");
        assertThat(XavierUniform.SCHEME.paramNames()).containsExactly("gain");
        assertThat(KaimingNormal.SCHEME.paramNames()).containsExactly("gain", "mode", "a", "nonlinearity");
        assertThat(KaimingUniform.SCHEME.paramNames()).containsExactly("gain", "mode", "a", "nonlinearity");
        for (InitScheme init : List.of(GlorotNormal.SCHEME, GlorotUniform.SCHEME, HeNormal.SCHEME, HeUniform.SCHEME, LecunNormal.SCHEME,
                LecunUniform.SCHEME)) {
            assertThat(init.paramNames()).as(init.id()).isEmpty();
        }
        assertThat(Orthogonal.SCHEME.paramNames()).containsExactly("gain");
        assertThat(Identity.SCHEME.paramNames()).containsExactly("factor");
        assertThat(Lsuv.SCHEME.paramNames()).containsExactly("tol", "max_iter");
    }

    // ---------------------------------------------------------------- spec parameters and validation

    @Test
    void givenParametersOverrideDefaults() {
        KaimingUniform k = (KaimingUniform) params(KaimingUniform.SCHEME, NAN, "gain", 1.0, "mode", "fan_out");
        assertThat(k.gain()).isEqualTo(1.0);
        assertThat(k.scale()).isEqualTo(1.0);
        assertThat(k.mode()).isEqualTo(FanMode.FAN_OUT);
        VarianceScaling v = (VarianceScaling) params(VarianceScaling.SCHEME, NAN, "scale", 0.5, "mode", FanMode.FAN_AVG,
                "distribution", "uniform");
        assertThat(v.scale()).isEqualTo(0.5);
        assertThat(v.mode()).isEqualTo(FanMode.FAN_AVG);
        assertThat(v.distribution()).isEqualTo(Distribution.UNIFORM);
        TruncatedNormal t = (TruncatedNormal) params(TruncatedNormal.SCHEME, 1.0, "a", -1, "b", 3.5);
        assertThat(t.a()).isEqualTo(-1.0);
        assertThat(t.b()).isEqualTo(3.5);
        Lsuv l = (Lsuv) params(Lsuv.SCHEME, NAN, "tol", 0.05, "max_iter", 20);
        assertThat(l.tol()).isEqualTo(0.05);
        assertThat(l.maxIter()).isEqualTo(20);
        assertThat(params(Identity.SCHEME, NAN, "factor", 0.5).value()).isEqualTo(0.5);
        assertThat(((XavierNormal) params(XavierNormal.SCHEME, NAN, "gain", 5.0 / 3)).scale()).isEqualTo((5.0 / 3) * (5.0 / 3));
    }

    @Test
    void badParametersAreRejectedWithTheirName() {
        assertThatThrownBy(() -> params(KaimingNormal.SCHEME, NAN, "slope", 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kaiming_normal takes gain, mode, a, nonlinearity, found 'slope'");
        assertThatThrownBy(() -> params(HeNormal.SCHEME, NAN, "gain", 2)).hasMessage("he_normal takes no parameters, found 'gain'");
        assertThatThrownBy(() -> params(XavierNormal.SCHEME, NAN, "gain", "auto"))
                .hasMessage("xavier_normal.gain must be a number, found 'auto'");
        assertThatThrownBy(() -> params(KaimingNormal.SCHEME, NAN, "mode", "fan_avg"))
                .hasMessage("kaiming_normal.mode must be one of fan_in, fan_out, found 'fan_avg'");
        assertThatThrownBy(() -> params(VarianceScaling.SCHEME, NAN, "mode", "fan_sum"))
                .hasMessage("variance_scaling.mode must be one of fan_in, fan_out, fan_avg, found 'fan_sum'");
        assertThatThrownBy(() -> params(VarianceScaling.SCHEME, NAN, "distribution", "untruncated_normal"))
                .hasMessage("variance_scaling.distribution must be one of normal, truncated_normal, uniform, found 'untruncated_normal'");
        assertThatThrownBy(() -> params(VarianceScaling.SCHEME, NAN, "scale", 0.0))
                .hasMessage("variance_scaling.scale must be finite and > 0, found 0.0");
        assertThatThrownBy(() -> params(Lsuv.SCHEME, NAN, "max_iter", 2.5))
                .hasMessage("lsuv.max_iter must be an integer in [1, 1000], found 2.5");
        assertThatThrownBy(() -> params(Lsuv.SCHEME, NAN, "max_iter", 0))
                .hasMessage("lsuv.max_iter must be an integer in [1, 1000], found 0");
        assertThatThrownBy(() -> params(Lsuv.SCHEME, NAN, "tol", -0.1)).hasMessageContaining("tol must be finite and > 0");
        assertThatThrownBy(() -> params(Sparse.SCHEME, 0.1, "sparsity", 1.5)).hasMessage("sparse.sparsity must be in [0, 1], found 1.5");
        assertThatThrownBy(() -> params(TruncatedNormal.SCHEME, 1.0, "a", 2, "b", 1)).hasMessageContaining("cutoff a must be < b");
        assertThatThrownBy(() -> params(TruncatedNormal.SCHEME, 1.0, "a", 100, "b", 101)).hasMessageContaining("no probability mass");
        assertThatThrownBy(() -> params(Orthogonal.SCHEME, NAN, "gain", -1)).hasMessageContaining("gain must be finite and > 0");
        assertThatThrownBy(() -> params(Constant.SCHEME, NAN, "value", Double.POSITIVE_INFINITY)).hasMessageContaining("value must be finite");
        assertThatThrownBy(() -> Normal.SCHEME.defaults(NAN)).hasMessage("normal: std must be finite and > 0, found NaN");
        // a scheme without the std axis has no std: the axis value is not read
        assertThat(XavierNormal.SCHEME.defaults(0.5)).isEqualTo(XavierNormal.SCHEME.defaults(NAN));
    }

    @Test
    void theConstructorsCheckTheDeclaredRanges() {
        // the same declaration as the spec's: a resolved initializer cannot hold a value a spec could not give
        assertThatThrownBy(() -> new XavierNormal(-1.0)).hasMessage("xavier_normal.gain must be finite and > 0, found -1.0");
        assertThatThrownBy(() -> new KaimingNormal(1.0, FanMode.FAN_AVG))
                .hasMessage("kaiming_normal.mode must be one of fan_in, fan_out, found 'fan_avg'");
        assertThatThrownBy(() -> new VarianceScaling(1.0, FanMode.FAN_IN, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Normal(Double.NaN)).hasMessage("normal: std must be finite and > 0, found NaN");
        assertThatThrownBy(() -> new Sparse(1.0, -0.5)).hasMessage("sparse.sparsity must be in [0, 1], found -0.5");
        assertThatThrownBy(() -> new Lsuv(0.1, 0)).hasMessage("lsuv.max_iter must be an integer in [1, 1000], found 0.0");
        assertThatThrownBy(() -> new Constant(Double.NaN)).hasMessageContaining("constant.value must be finite");
        assertThatThrownBy(() -> new TruncatedNormal(1.0, 2, 1)).hasMessageContaining("cutoff a must be < b");
    }

    // ---------------------------------------------------------------- labels

    @Test
    void labelsAreStableText() {
        assertThat(KaimingNormal.SCHEME.defaults(NAN).label()).isEqualTo("kaiming_normal(gain=1.4142135623730951, mode=fan_in)");
        assertThat(XavierUniform.SCHEME.defaults(NAN).label()).isEqualTo("xavier_uniform(gain=1)");
        assertThat(Normal.SCHEME.defaults(0.01).label()).isEqualTo("normal(std=0.01)");
        assertThat(Uniform.SCHEME.defaults(1.0).label()).isEqualTo("uniform(std=1)");
        assertThat(TruncatedNormal.SCHEME.defaults(0.02).label()).isEqualTo("truncated_normal(std=0.02, a=-2, b=2)");
        assertThat(params(Sparse.SCHEME, 0.01, "sparsity", 0.1).label()).isEqualTo("sparse(std=0.01, sparsity=0.1)");
        assertThat(Zeros.SCHEME.defaults(NAN).label()).isEqualTo("zeros");
        assertThat(Ones.SCHEME.defaults(NAN).label()).isEqualTo("ones");
        assertThat(params(Constant.SCHEME, NAN, "value", 0.5).label()).isEqualTo("constant(value=0.5)");
        assertThat(VarianceScaling.SCHEME.defaults(NAN).label())
                .isEqualTo("variance_scaling(scale=1, mode=fan_in, distribution=truncated_normal)");
        assertThat(HeNormal.SCHEME.defaults(NAN).label()).isEqualTo("he_normal");
        assertThat(GlorotUniform.SCHEME.defaults(NAN).label()).isEqualTo("glorot_uniform");
        assertThat(Orthogonal.SCHEME.defaults(NAN).label()).isEqualTo("orthogonal(gain=1)");
        assertThat(params(Identity.SCHEME, NAN, "factor", 0.25).label()).isEqualTo("identity(factor=0.25)");
        assertThat(Lsuv.SCHEME.defaults(NAN).label()).isEqualTo("lsuv(tol=0.1, max_iter=10)");
        assertThat(params(KaimingNormal.SCHEME, NAN, "gain", 5.0 / 3, "mode", "fan_out").label())
                .isEqualTo("kaiming_normal(gain=1.6666666666666667, mode=fan_out)");
    }

    @Test
    void labelNumbersAreTheShortestTextThatReadsBack() {
        assertThat(InitScheme.number(0.1)).isEqualTo("0.1");
        assertThat(InitScheme.number(-2.0)).isEqualTo("-2");
        assertThat(InitScheme.number(1e-7)).isEqualTo("1e-7");
        assertThat(InitScheme.number(2.5e20)).isEqualTo("2.5e+20");
        assertThat(InitScheme.number(1.0 / 3)).isEqualTo("0.3333333333333333");
        assertThat(InitScheme.number(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        Random random = new Random(345);
        for (int i = 0; i < 10_000; i++) {
            double x = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(x)) {
                continue;
            }
            String text = InitScheme.number(x);
            assertThat(Double.parseDouble(text)).as(text).isEqualTo(x);
            // no shorter text reads back: drop the last significant digit and it no longer does
            String digits = text.replaceFirst("e.*", "").replace("-", "").replace(".", "").replaceFirst("^0+", "");
            assertThat(digits.length()).as(text).isLessThanOrEqualTo(17);
        }
    }

    // ---------------------------------------------------------------- nominal std

    /** Φ(x) − Φ(y) for y ≤ x ≤ 0 or the like, from the two-sided tail quadrature (Reference). */
    private static double truncatedStd(double std, double c) {
        // N(0, std²) on [−c, c]: std·√(1 − 2(c/std)φ(c/std)/(Φ(c/std) − Φ(−c/std)))
        double t = c / std;
        return std * Math.sqrt(1.0 - 2.0 * t * Reference.normalPdf(t) / (1.0 - Reference.twoSidedNormalTail(t)));
    }

    @Test
    void nominalStdFollowsTheFormulas() {
        // PyTorch xavier_*: gain·√(2/(fan_in + fan_out)); kaiming_*: gain/√fan_mode
        assertRel(XavierNormal.SCHEME.defaults(NAN).nominalStd(FAN_IN, FAN_OUT), Math.sqrt(2.0 / 400), "xavier_normal");
        assertRel(params(XavierUniform.SCHEME, NAN, "gain", 2.0).nominalStd(FAN_IN, FAN_OUT), 2 * Math.sqrt(2.0 / 400), "xavier_uniform");
        assertRel(KaimingNormal.SCHEME.defaults(NAN).nominalStd(FAN_IN, FAN_OUT), Math.sqrt(2.0 / FAN_IN), "kaiming_normal");
        assertRel(params(KaimingUniform.SCHEME, NAN, "mode", "fan_out").nominalStd(FAN_IN, FAN_OUT), Math.sqrt(2.0 / FAN_OUT),
                "kaiming_uniform fan_out");
        // Keras/JAX: √(scale/n), n = fan_in, fan_out or (fan_in + fan_out)/2
        assertRel(GlorotNormal.SCHEME.defaults(NAN).nominalStd(FAN_IN, FAN_OUT), Math.sqrt(1.0 / 200), "glorot_normal");
        assertRel(GlorotUniform.SCHEME.defaults(NAN).nominalStd(FAN_IN, FAN_OUT), Math.sqrt(1.0 / 200), "glorot_uniform");
        assertRel(HeNormal.SCHEME.defaults(NAN).nominalStd(FAN_IN, FAN_OUT), Math.sqrt(2.0 / FAN_IN), "he_normal");
        assertRel(HeUniform.SCHEME.defaults(NAN).nominalStd(FAN_IN, FAN_OUT), Math.sqrt(2.0 / FAN_IN), "he_uniform");
        assertRel(LecunNormal.SCHEME.defaults(NAN).nominalStd(FAN_IN, FAN_OUT), Math.sqrt(1.0 / FAN_IN), "lecun_normal");
        assertRel(LecunUniform.SCHEME.defaults(NAN).nominalStd(FAN_IN, FAN_OUT), Math.sqrt(1.0 / FAN_IN), "lecun_uniform");
        assertRel(params(VarianceScaling.SCHEME, NAN, "scale", 3.0, "mode", "fan_out").nominalStd(FAN_IN, FAN_OUT),
                Math.sqrt(3.0 / FAN_OUT), "variance_scaling fan_out");
        // fixed-scale schemes take the std axis as is; truncation lowers the std
        assertThat(Normal.SCHEME.defaults(0.37).nominalStd(FAN_IN, FAN_OUT)).isEqualTo(0.37);
        assertThat(Uniform.SCHEME.defaults(0.37).nominalStd(7, 9)).isEqualTo(0.37);
        assertThat(TruncatedNormal.SCHEME.defaults(1.3).nominalStd(FAN_IN, FAN_OUT))
                .isCloseTo(truncatedStd(1.3, 2.0), within(1e-12));
        // sparse: 10 of 100 entries per input unit zero, the rest N(0, std²)
        assertRel(params(Sparse.SCHEME, 0.5, "sparsity", 0.1).nominalStd(FAN_IN, FAN_OUT), 0.5 * Math.sqrt(0.9), "sparse");
        // orthogonal and identity: Σw² = factor²·min(fan_in, fan_out) over fan_in·fan_out entries
        assertRel(params(Orthogonal.SCHEME, NAN, "gain", 2.0).nominalStd(FAN_IN, FAN_OUT), 2.0 * Math.sqrt(100.0 / 30_000), "orthogonal");
        assertRel(params(Identity.SCHEME, NAN, "factor", -0.5).nominalStd(FAN_IN, FAN_OUT), 0.5 * Math.sqrt(100.0 / 30_000), "identity");
        assertThat(Lsuv.SCHEME.defaults(NAN).nominalStd(FAN_IN, FAN_OUT)).isNaN();
        assertThat(Zeros.SCHEME.defaults(NAN).nominalStd(FAN_IN, FAN_OUT)).isZero();
        assertThat(Ones.SCHEME.defaults(NAN).nominalStd(FAN_IN, FAN_OUT)).isZero();
        assertThat(params(Constant.SCHEME, NAN, "value", 3.0).nominalStd(FAN_IN, FAN_OUT)).isZero();
    }

    @Test
    void sparseZerosFollowPyTorchsCeiling() {
        // num_zeros = int(math.ceil(sparsity * rows)), rows = fan_out of PyTorch's (fan_out, fan_in)
        assertThat(((Sparse) params(Sparse.SCHEME, 0.1, "sparsity", 0.1)).zeros(64)).isEqualTo(7);
        assertThat(((Sparse) params(Sparse.SCHEME, 0.1, "sparsity", 0.1)).zeros(100)).isEqualTo(10);
        assertThat(((Sparse) params(Sparse.SCHEME, 0.1, "sparsity", 0.0)).zeros(100)).isZero();
        assertThat(((Sparse) params(Sparse.SCHEME, 0.1, "sparsity", 1.0)).zeros(100)).isEqualTo(100);
        assertThat(((Sparse) params(Sparse.SCHEME, 0.1, "sparsity", 0.001)).zeros(64)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- families and ids

    @Test
    void familiesShareBaseDraws() {
        Map<InitScheme, Initializer.Family> expected = new HashMap<>();
        for (InitScheme i : List.of(Normal.SCHEME, XavierNormal.SCHEME, KaimingNormal.SCHEME, Orthogonal.SCHEME, Lsuv.SCHEME)) {
            expected.put(i, Initializer.Family.GAUSSIAN);
        }
        for (InitScheme i : List.of(Uniform.SCHEME, XavierUniform.SCHEME, KaimingUniform.SCHEME, GlorotUniform.SCHEME, HeUniform.SCHEME,
                LecunUniform.SCHEME)) {
            expected.put(i, Initializer.Family.UNIFORM);
        }
        for (InitScheme i : List.of(GlorotNormal.SCHEME, HeNormal.SCHEME, LecunNormal.SCHEME, VarianceScaling.SCHEME)) {
            expected.put(i, Initializer.Family.TRUNCATED_GAUSSIAN);
        }
        for (InitScheme i : List.of(Zeros.SCHEME, Ones.SCHEME, Identity.SCHEME)) {
            expected.put(i, Initializer.Family.NONE);
        }
        expected.put(TruncatedNormal.SCHEME, Initializer.Family.TRUNCATED_ABSOLUTE);
        expected.forEach((init, family) -> assertThat(init.defaults(init.usesStdAxis() ? 1.0 : NAN).family())
                .as(init.id()).isEqualTo(family));
        assertThat(params(Sparse.SCHEME, 1.0, "sparsity", 0.5).family()).isEqualTo(Initializer.Family.GAUSSIAN);
        assertThat(params(Constant.SCHEME, NAN, "value", 0.5).family()).isEqualTo(Initializer.Family.NONE);
        assertThat(params(VarianceScaling.SCHEME, NAN, "distribution", "normal").family()).isEqualTo(Initializer.Family.GAUSSIAN);
        assertThat(params(VarianceScaling.SCHEME, NAN, "distribution", "uniform").family()).isEqualTo(Initializer.Family.UNIFORM);
        // the std axis: fixed-scale schemes only
        for (InitScheme init : Initializer.values()) {
            assertThat(init.usesStdAxis()).as(init.id())
                    .isEqualTo(List.of(Normal.SCHEME, Uniform.SCHEME, TruncatedNormal.SCHEME, Sparse.SCHEME).contains(init));
        }
        assertThat(Constant.SCHEME == Constant.SCHEME).isTrue();
        assertThat(Identity.SCHEME == Constant.SCHEME).isFalse();
    }

    @Test
    void idsRoundTrip() {
        for (InitScheme init : Initializer.values()) {
            assertThat(Initializer.byId(init.id())).isSameAs(init);
            assertThat(Initializer.ids()).contains(init.id());
        }
        for (FanMode m : FanMode.values()) {
            assertThat(FanMode.byId(m.id())).isSameAs(m);
        }
        for (Distribution d : Distribution.values()) {
            assertThat(Distribution.byId(d.id())).isSameAs(d);
        }
        assertThat(FanMode.ids()).isEqualTo("fan_in, fan_out, fan_avg");
        assertThat(Distribution.ids()).isEqualTo("normal, truncated_normal, uniform");
        for (Activation act : Activation.values()) {
            assertThat(Activation.byId(act.id())).isSameAs(act);
        }
        assertThat(Initializer.byId("glorot")).isNull();
        assertThat(Initializer.byId("he_normal")).isSameAs(HeNormal.SCHEME);
        assertThat(Initializer.byId("kaiming_normal")).isSameAs(KaimingNormal.SCHEME);
        assertThat(FanMode.byId("fan_sum")).isNull();
        assertThat(Activation.byId("swiglu")).isNull();
    }
}
