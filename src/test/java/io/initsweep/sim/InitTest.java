package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.initsweep.sim.InitParams.Distribution;
import io.initsweep.sim.InitParams.FanMode;
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

    private static InitParams params(Init init, double std, Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return InitParams.of(init, std, m);
    }

    // ---------------------------------------------------------------- defaults

    @Test
    void defaultsAreTheFrameworksDefaults() {
        // PyTorch kaiming_normal_(a=0, mode='fan_in', nonlinearity='leaky_relu'): gain √(2/(1 + 0²))
        InitParams kaiming = InitParams.defaults(Init.KAIMING_NORMAL, NAN);
        assertThat(kaiming).isEqualTo(new InitParams(Init.KAIMING_NORMAL, NAN, NAN, Math.sqrt(2.0), Math.sqrt(2.0) * Math.sqrt(2.0),
                FanMode.FAN_IN, Distribution.NORMAL, NAN, NAN, NAN, NAN, 0));
        assertThat(InitParams.defaults(Init.KAIMING_UNIFORM, NAN).distribution()).isEqualTo(Distribution.UNIFORM);
        // PyTorch xavier_*(gain=1): std = gain·√(2/(fan_in + fan_out)), i.e. scale 1 over fan_avg
        assertThat(InitParams.defaults(Init.XAVIER_NORMAL, NAN)).isEqualTo(new InitParams(Init.XAVIER_NORMAL, NAN, NAN, 1.0,
                1.0, FanMode.FAN_AVG, Distribution.NORMAL, NAN, NAN, NAN, NAN, 0));
        assertThat(InitParams.defaults(Init.XAVIER_UNIFORM, NAN).distribution()).isEqualTo(Distribution.UNIFORM);
        // Keras VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal")
        assertThat(InitParams.defaults(Init.VARIANCE_SCALING, NAN)).isEqualTo(new InitParams(Init.VARIANCE_SCALING, NAN, NAN,
                NAN, 1.0, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL, NAN, NAN, NAN, NAN, 0));
        // Keras/JAX members: (scale, mode, distribution)
        Object[][] keras = {
            {Init.GLOROT_NORMAL, 1.0, FanMode.FAN_AVG, Distribution.TRUNCATED_NORMAL},
            {Init.GLOROT_UNIFORM, 1.0, FanMode.FAN_AVG, Distribution.UNIFORM},
            {Init.HE_NORMAL, 2.0, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL},
            {Init.HE_UNIFORM, 2.0, FanMode.FAN_IN, Distribution.UNIFORM},
            {Init.LECUN_NORMAL, 1.0, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL},
            {Init.LECUN_UNIFORM, 1.0, FanMode.FAN_IN, Distribution.UNIFORM},
        };
        for (Object[] k : keras) {
            Init init = (Init) k[0];
            assertThat(InitParams.defaults(init, NAN)).as(init.id()).isEqualTo(new InitParams(init, NAN, NAN, NAN,
                    (double) k[1], (FanMode) k[2], (Distribution) k[3], NAN, NAN, NAN, NAN, 0));
        }
        // PyTorch trunc_normal_(mean=0, std, a=-2, b=2); std from the axis
        assertThat(InitParams.defaults(Init.TRUNCATED_NORMAL, 0.5)).isEqualTo(new InitParams(Init.TRUNCATED_NORMAL, 0.5, NAN,
                NAN, NAN, null, null, -2.0, 2.0, NAN, NAN, 0));
        // PyTorch orthogonal_(gain=1); eye_ (factor 1); ones_ (1)
        assertThat(InitParams.defaults(Init.ORTHOGONAL, NAN).gain()).isEqualTo(1.0);
        assertThat(InitParams.defaults(Init.IDENTITY, NAN).value()).isEqualTo(1.0);
        assertThat(InitParams.defaults(Init.ONES, NAN).value()).isEqualTo(1.0);
        // LSUV (Mishkin & Matas; the authors' LSUV-pytorch: std_tol=0.1, max_attempts=10), orthonormal start
        assertThat(InitParams.defaults(Init.LSUV, NAN)).isEqualTo(new InitParams(Init.LSUV, NAN, NAN, 1.0, NAN, null, null,
                NAN, NAN, NAN, 0.1, 10));
        assertThat(InitParams.defaults(Init.NORMAL, 0.01)).isEqualTo(new InitParams(Init.NORMAL, 0.01, NAN, NAN, NAN, null,
                null, NAN, NAN, NAN, NAN, 0));
        assertThat(InitParams.defaults(Init.ZEROS, NAN).value()).isNaN();
    }

    @Test
    void requiredParametersHaveNoDefault() {
        // PyTorch constant_(tensor, val) and sparse_(tensor, sparsity, std=0.01): val, sparsity required
        assertThatThrownBy(() -> InitParams.defaults(Init.CONSTANT, NAN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("constant needs value");
        assertThatThrownBy(() -> InitParams.defaults(Init.SPARSE, 0.01)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sparse needs sparsity");
        assertThat(params(Init.SPARSE, 0.01, "sparsity", 0.1).sparsity()).isEqualTo(0.1);
        assertThat(params(Init.CONSTANT, NAN, "value", -0.5).value()).isEqualTo(-0.5);
        for (Init init : Init.values()) {
            for (Init.Param p : init.params()) {
                assertThat(p.required()).as(init.id() + "." + p.name())
                        .isEqualTo(init == Init.CONSTANT || init == Init.SPARSE);
            }
        }
    }

    /** The default text a parser would show parses to the values {@link InitParams#defaults} fills. */
    @Test
    void defaultTextAgreesWithDefaults() {
        for (Init init : Init.values()) {
            if (init == Init.CONSTANT || init == Init.SPARSE) {
                continue;
            }
            double std = init.usesStdAxis() ? 0.3 : NAN;
            Map<String, Object> given = new HashMap<>();
            Map<String, Object> intoGain = new HashMap<>();
            for (Init.Param p : init.params()) {
                String text = p.defaultValue();
                Object v = switch (p.name()) {
                    case "mode", "distribution", "nonlinearity" -> text;
                    case "max_iter" -> Integer.parseInt(text);
                    default -> Double.parseDouble(text);
                };
                // PyTorch's a and nonlinearity are the other way to give kaiming's gain: not with it
                (p.intoGain() ? intoGain : given).put(p.name(), v);
            }
            assertThat(InitParams.of(init, std, given)).as(init.id()).isEqualTo(InitParams.defaults(init, std));
            if (!intoGain.isEmpty()) {
                assertThat(InitParams.of(init, std, intoGain)).as(init.id() + " by a and nonlinearity")
                        .isEqualTo(InitParams.defaults(init, std));
            }
        }
    }

    @Test
    void paramNamesPerInit() {
        assertThat(Init.NORMAL.paramNames()).isEmpty();
        assertThat(Init.UNIFORM.paramNames()).isEmpty();
        assertThat(Init.TRUNCATED_NORMAL.paramNames()).containsExactly("a", "b");
        assertThat(Init.SPARSE.paramNames()).containsExactly("sparsity");
        assertThat(Init.ZEROS.paramNames()).isEmpty();
        assertThat(Init.ONES.paramNames()).isEmpty();
        assertThat(Init.CONSTANT.paramNames()).containsExactly("value");
        assertThat(Init.VARIANCE_SCALING.paramNames()).containsExactly("scale", "mode", "distribution");
        assertThat(Init.XAVIER_NORMAL.paramNames()).containsExactly("gain");
        assertThat(Init.XAVIER_UNIFORM.paramNames()).containsExactly("gain");
        assertThat(Init.KAIMING_NORMAL.paramNames()).containsExactly("gain", "mode", "a", "nonlinearity");
        assertThat(Init.KAIMING_UNIFORM.paramNames()).containsExactly("gain", "mode", "a", "nonlinearity");
        for (Init init : List.of(Init.GLOROT_NORMAL, Init.GLOROT_UNIFORM, Init.HE_NORMAL, Init.HE_UNIFORM, Init.LECUN_NORMAL,
                Init.LECUN_UNIFORM)) {
            assertThat(init.paramNames()).as(init.id()).isEmpty();
        }
        assertThat(Init.ORTHOGONAL.paramNames()).containsExactly("gain");
        assertThat(Init.IDENTITY.paramNames()).containsExactly("factor");
        assertThat(Init.LSUV.paramNames()).containsExactly("tol", "max_iter");
    }

    // ---------------------------------------------------------------- spec parameters and validation

    @Test
    void givenParametersOverrideDefaults() {
        InitParams k = params(Init.KAIMING_UNIFORM, NAN, "gain", 1.0, "mode", "fan_out");
        assertThat(k.gain()).isEqualTo(1.0);
        assertThat(k.scale()).isEqualTo(1.0);
        assertThat(k.mode()).isEqualTo(FanMode.FAN_OUT);
        InitParams v = params(Init.VARIANCE_SCALING, NAN, "scale", 0.5, "mode", FanMode.FAN_AVG, "distribution", "uniform");
        assertThat(v.scale()).isEqualTo(0.5);
        assertThat(v.mode()).isEqualTo(FanMode.FAN_AVG);
        assertThat(v.distribution()).isEqualTo(Distribution.UNIFORM);
        InitParams t = params(Init.TRUNCATED_NORMAL, 1.0, "a", -1, "b", 3.5);
        assertThat(t.lo()).isEqualTo(-1.0);
        assertThat(t.hi()).isEqualTo(3.5);
        InitParams l = params(Init.LSUV, NAN, "tol", 0.05, "max_iter", 20);
        assertThat(l.lsuvTol()).isEqualTo(0.05);
        assertThat(l.lsuvMaxIter()).isEqualTo(20);
        assertThat(params(Init.IDENTITY, NAN, "factor", 0.5).value()).isEqualTo(0.5);
        assertThat(params(Init.XAVIER_NORMAL, NAN, "gain", 5.0 / 3).scale()).isEqualTo((5.0 / 3) * (5.0 / 3));
    }

    @Test
    void badParametersAreRejectedWithTheirName() {
        assertThatThrownBy(() -> params(Init.KAIMING_NORMAL, NAN, "slope", 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kaiming_normal takes gain, mode, a, nonlinearity, found 'slope'");
        assertThatThrownBy(() -> params(Init.HE_NORMAL, NAN, "gain", 2)).hasMessage("he_normal takes no parameters, found 'gain'");
        assertThatThrownBy(() -> params(Init.XAVIER_NORMAL, NAN, "gain", "auto"))
                .hasMessage("xavier_normal.gain must be a number, found 'auto'");
        assertThatThrownBy(() -> params(Init.KAIMING_NORMAL, NAN, "mode", "fan_avg"))
                .hasMessageContaining("mode must be fan_in or fan_out");
        assertThatThrownBy(() -> params(Init.VARIANCE_SCALING, NAN, "mode", "fan_sum"))
                .hasMessage("variance_scaling.mode must be one of fan_in, fan_out, fan_avg, found 'fan_sum'");
        assertThatThrownBy(() -> params(Init.VARIANCE_SCALING, NAN, "distribution", "untruncated_normal"))
                .hasMessage("variance_scaling.distribution must be one of normal, truncated_normal, uniform, found 'untruncated_normal'");
        assertThatThrownBy(() -> params(Init.VARIANCE_SCALING, NAN, "scale", 0.0)).hasMessage("variance_scaling: scale must be finite and > 0, found 0.0");
        assertThatThrownBy(() -> params(Init.LSUV, NAN, "max_iter", 2.5)).hasMessage("lsuv.max_iter must be an integer, found 2.5");
        assertThatThrownBy(() -> params(Init.LSUV, NAN, "max_iter", 0)).hasMessage("lsuv: max_iter must be >= 1, found 0");
        assertThatThrownBy(() -> params(Init.LSUV, NAN, "tol", -0.1)).hasMessageContaining("tol must be finite and > 0");
        assertThatThrownBy(() -> params(Init.SPARSE, 0.1, "sparsity", 1.5)).hasMessage("sparse: sparsity must be in [0, 1], found 1.5");
        assertThatThrownBy(() -> params(Init.TRUNCATED_NORMAL, 1.0, "a", 2, "b", 1)).hasMessageContaining("cutoff a must be < b");
        assertThatThrownBy(() -> params(Init.TRUNCATED_NORMAL, 1.0, "a", 100, "b", 101)).hasMessageContaining("no probability mass");
        assertThatThrownBy(() -> params(Init.ORTHOGONAL, NAN, "gain", -1)).hasMessageContaining("gain must be finite and > 0");
        assertThatThrownBy(() -> params(Init.CONSTANT, NAN, "value", Double.POSITIVE_INFINITY)).hasMessageContaining("value must be finite");
        assertThatThrownBy(() -> InitParams.defaults(Init.NORMAL, NAN)).hasMessage("normal: std must be finite and > 0, found NaN");
        assertThatThrownBy(() -> InitParams.defaults(Init.XAVIER_NORMAL, 0.5))
                .hasMessage("xavier_normal: std must be NaN (the init does not use the std axis), found 0.5");
    }

    @Test
    void theConstructorRejectsInconsistentCombinations() {
        // PyTorch members: scale is gain², distribution and mode are the function's own
        assertThatThrownBy(() -> new InitParams(Init.XAVIER_NORMAL, NAN, NAN, 2.0, 1.0, FanMode.FAN_AVG, Distribution.NORMAL,
                NAN, NAN, NAN, NAN, 0)).hasMessage("xavier_normal: scale must be gain² = 4.0, found 1.0");
        assertThatThrownBy(() -> new InitParams(Init.XAVIER_NORMAL, NAN, NAN, 1.0, 1.0, FanMode.FAN_IN, Distribution.NORMAL,
                NAN, NAN, NAN, NAN, 0)).hasMessage("xavier_normal: mode must be fan_avg, found fan_in");
        assertThatThrownBy(() -> new InitParams(Init.KAIMING_NORMAL, NAN, NAN, 1.0, 1.0, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL,
                NAN, NAN, NAN, NAN, 0)).hasMessage("kaiming_normal: distribution must be normal, found truncated_normal");
        // Keras members are fixed
        assertThatThrownBy(() -> new InitParams(Init.HE_NORMAL, NAN, NAN, NAN, 1.0, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL,
                NAN, NAN, NAN, NAN, 0)).hasMessage("he_normal: scale must be 2.0, found 1.0");
        assertThatThrownBy(() -> new InitParams(Init.GLOROT_UNIFORM, NAN, NAN, NAN, 1.0, FanMode.FAN_IN, Distribution.UNIFORM,
                NAN, NAN, NAN, NAN, 0)).hasMessage("glorot_uniform: mode must be fan_avg, found fan_in");
        assertThatThrownBy(() -> new InitParams(Init.LECUN_NORMAL, NAN, NAN, NAN, 1.0, FanMode.FAN_IN, null, NAN, NAN, NAN,
                NAN, 0)).hasMessageContaining("distribution must be one of");
        // fields an init does not use stay empty
        assertThatThrownBy(() -> new InitParams(Init.NORMAL, 1.0, NAN, 1.0, NAN, null, null, NAN, NAN, NAN, NAN, 0))
                .hasMessage("normal: gain must be NaN, found 1.0");
        assertThatThrownBy(() -> new InitParams(Init.ORTHOGONAL, NAN, NAN, 1.0, 1.0, null, null, NAN, NAN, NAN, NAN, 0))
                .hasMessage("orthogonal: scale must be NaN, found 1.0");
        assertThatThrownBy(() -> new InitParams(Init.ZEROS, NAN, NAN, NAN, NAN, FanMode.FAN_IN, null, NAN, NAN, NAN, NAN, 0))
                .hasMessage("zeros: mode must be null, found FAN_IN");
        assertThatThrownBy(() -> new InitParams(Init.NORMAL, 1.0, NAN, NAN, NAN, null, null, -2, 2, NAN, NAN, 0))
                .hasMessageContaining("normal: cutoffs must be NaN");
        assertThatThrownBy(() -> new InitParams(Init.NORMAL, 1.0, NAN, NAN, NAN, null, null, NAN, NAN, 0.5, NAN, 0))
                .hasMessageContaining("normal: sparsity must be NaN");
        assertThatThrownBy(() -> new InitParams(Init.NORMAL, 1.0, NAN, NAN, NAN, null, null, NAN, NAN, NAN, NAN, 3))
                .hasMessage("normal: max_iter must be 0, found 3");
        assertThatThrownBy(() -> new InitParams(Init.ONES, NAN, 2.0, NAN, NAN, null, null, NAN, NAN, NAN, NAN, 0))
                .hasMessage("ones: value must be 1, found 2.0");
        assertThatThrownBy(() -> new InitParams(Init.LSUV, NAN, NAN, 2.0, NAN, null, null, NAN, NAN, NAN, 0.1, 10))
                .hasMessageContaining("lsuv: gain must be 1");
        assertThatThrownBy(() -> new InitParams(null, NAN, NAN, NAN, NAN, null, null, NAN, NAN, NAN, NAN, 0))
                .isInstanceOf(NullPointerException.class);
    }

    // ---------------------------------------------------------------- labels

    @Test
    void labelsAreStableText() {
        assertThat(InitParams.defaults(Init.KAIMING_NORMAL, NAN).label()).isEqualTo("kaiming_normal(gain=1.4142135623730951, mode=fan_in)");
        assertThat(InitParams.defaults(Init.XAVIER_UNIFORM, NAN).label()).isEqualTo("xavier_uniform(gain=1)");
        assertThat(InitParams.defaults(Init.NORMAL, 0.01).label()).isEqualTo("normal(std=0.01)");
        assertThat(InitParams.defaults(Init.UNIFORM, 1.0).label()).isEqualTo("uniform(std=1)");
        assertThat(InitParams.defaults(Init.TRUNCATED_NORMAL, 0.02).label()).isEqualTo("truncated_normal(std=0.02, a=-2, b=2)");
        assertThat(params(Init.SPARSE, 0.01, "sparsity", 0.1).label()).isEqualTo("sparse(std=0.01, sparsity=0.1)");
        assertThat(InitParams.defaults(Init.ZEROS, NAN).label()).isEqualTo("zeros");
        assertThat(InitParams.defaults(Init.ONES, NAN).label()).isEqualTo("ones");
        assertThat(params(Init.CONSTANT, NAN, "value", 0.5).label()).isEqualTo("constant(value=0.5)");
        assertThat(InitParams.defaults(Init.VARIANCE_SCALING, NAN).label())
                .isEqualTo("variance_scaling(scale=1, mode=fan_in, distribution=truncated_normal)");
        assertThat(InitParams.defaults(Init.HE_NORMAL, NAN).label()).isEqualTo("he_normal");
        assertThat(InitParams.defaults(Init.GLOROT_UNIFORM, NAN).label()).isEqualTo("glorot_uniform");
        assertThat(InitParams.defaults(Init.ORTHOGONAL, NAN).label()).isEqualTo("orthogonal(gain=1)");
        assertThat(params(Init.IDENTITY, NAN, "factor", 0.25).label()).isEqualTo("identity(factor=0.25)");
        assertThat(InitParams.defaults(Init.LSUV, NAN).label()).isEqualTo("lsuv(tol=0.1, max_iter=10)");
        assertThat(params(Init.KAIMING_NORMAL, NAN, "gain", 5.0 / 3, "mode", "fan_out").label())
                .isEqualTo("kaiming_normal(gain=1.6666666666666667, mode=fan_out)");
    }

    @Test
    void labelNumbersAreTheShortestTextThatReadsBack() {
        assertThat(InitParams.number(0.1)).isEqualTo("0.1");
        assertThat(InitParams.number(-2.0)).isEqualTo("-2");
        assertThat(InitParams.number(1e-7)).isEqualTo("1e-7");
        assertThat(InitParams.number(2.5e20)).isEqualTo("2.5e+20");
        assertThat(InitParams.number(1.0 / 3)).isEqualTo("0.3333333333333333");
        assertThat(InitParams.number(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        Random random = new Random(345);
        for (int i = 0; i < 10_000; i++) {
            double x = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(x)) {
                continue;
            }
            String text = InitParams.number(x);
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
        assertRel(InitParams.defaults(Init.XAVIER_NORMAL, NAN).nominalStd(FAN_IN, FAN_OUT), Math.sqrt(2.0 / 400), "xavier_normal");
        assertRel(params(Init.XAVIER_UNIFORM, NAN, "gain", 2.0).nominalStd(FAN_IN, FAN_OUT), 2 * Math.sqrt(2.0 / 400), "xavier_uniform");
        assertRel(InitParams.defaults(Init.KAIMING_NORMAL, NAN).nominalStd(FAN_IN, FAN_OUT), Math.sqrt(2.0 / FAN_IN), "kaiming_normal");
        assertRel(params(Init.KAIMING_UNIFORM, NAN, "mode", "fan_out").nominalStd(FAN_IN, FAN_OUT), Math.sqrt(2.0 / FAN_OUT),
                "kaiming_uniform fan_out");
        // Keras/JAX: √(scale/n), n = fan_in, fan_out or (fan_in + fan_out)/2
        assertRel(InitParams.defaults(Init.GLOROT_NORMAL, NAN).nominalStd(FAN_IN, FAN_OUT), Math.sqrt(1.0 / 200), "glorot_normal");
        assertRel(InitParams.defaults(Init.GLOROT_UNIFORM, NAN).nominalStd(FAN_IN, FAN_OUT), Math.sqrt(1.0 / 200), "glorot_uniform");
        assertRel(InitParams.defaults(Init.HE_NORMAL, NAN).nominalStd(FAN_IN, FAN_OUT), Math.sqrt(2.0 / FAN_IN), "he_normal");
        assertRel(InitParams.defaults(Init.HE_UNIFORM, NAN).nominalStd(FAN_IN, FAN_OUT), Math.sqrt(2.0 / FAN_IN), "he_uniform");
        assertRel(InitParams.defaults(Init.LECUN_NORMAL, NAN).nominalStd(FAN_IN, FAN_OUT), Math.sqrt(1.0 / FAN_IN), "lecun_normal");
        assertRel(InitParams.defaults(Init.LECUN_UNIFORM, NAN).nominalStd(FAN_IN, FAN_OUT), Math.sqrt(1.0 / FAN_IN), "lecun_uniform");
        assertRel(params(Init.VARIANCE_SCALING, NAN, "scale", 3.0, "mode", "fan_out").nominalStd(FAN_IN, FAN_OUT),
                Math.sqrt(3.0 / FAN_OUT), "variance_scaling fan_out");
        // fixed-scale schemes take the std axis as is; truncation lowers the std
        assertThat(InitParams.defaults(Init.NORMAL, 0.37).nominalStd(FAN_IN, FAN_OUT)).isEqualTo(0.37);
        assertThat(InitParams.defaults(Init.UNIFORM, 0.37).nominalStd(7, 9)).isEqualTo(0.37);
        assertThat(InitParams.defaults(Init.TRUNCATED_NORMAL, 1.3).nominalStd(FAN_IN, FAN_OUT))
                .isCloseTo(truncatedStd(1.3, 2.0), within(1e-12));
        // sparse: 10 of 100 entries per input unit zero, the rest N(0, std²)
        assertRel(params(Init.SPARSE, 0.5, "sparsity", 0.1).nominalStd(FAN_IN, FAN_OUT), 0.5 * Math.sqrt(0.9), "sparse");
        // orthogonal and identity: Σw² = factor²·min(fan_in, fan_out) over fan_in·fan_out entries
        assertRel(params(Init.ORTHOGONAL, NAN, "gain", 2.0).nominalStd(FAN_IN, FAN_OUT), 2.0 * Math.sqrt(100.0 / 30_000), "orthogonal");
        assertRel(params(Init.IDENTITY, NAN, "factor", -0.5).nominalStd(FAN_IN, FAN_OUT), 0.5 * Math.sqrt(100.0 / 30_000), "identity");
        assertThat(InitParams.defaults(Init.LSUV, NAN).nominalStd(FAN_IN, FAN_OUT)).isNaN();
        assertThat(InitParams.defaults(Init.ZEROS, NAN).nominalStd(FAN_IN, FAN_OUT)).isZero();
        assertThat(InitParams.defaults(Init.ONES, NAN).nominalStd(FAN_IN, FAN_OUT)).isZero();
        assertThat(params(Init.CONSTANT, NAN, "value", 3.0).nominalStd(FAN_IN, FAN_OUT)).isZero();
    }

    @Test
    void sparseZerosFollowPyTorchsCeiling() {
        // num_zeros = int(math.ceil(sparsity * rows)), rows = fan_out of PyTorch's (fan_out, fan_in)
        assertThat(params(Init.SPARSE, 0.1, "sparsity", 0.1).sparseZeros(64)).isEqualTo(7);
        assertThat(params(Init.SPARSE, 0.1, "sparsity", 0.1).sparseZeros(100)).isEqualTo(10);
        assertThat(params(Init.SPARSE, 0.1, "sparsity", 0.0).sparseZeros(100)).isZero();
        assertThat(params(Init.SPARSE, 0.1, "sparsity", 1.0).sparseZeros(100)).isEqualTo(100);
        assertThat(params(Init.SPARSE, 0.1, "sparsity", 0.001).sparseZeros(64)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- families and ids

    @Test
    void familiesShareBaseDraws() {
        Map<Init, Init.Family> expected = new HashMap<>();
        for (Init i : List.of(Init.NORMAL, Init.XAVIER_NORMAL, Init.KAIMING_NORMAL, Init.ORTHOGONAL, Init.LSUV)) {
            expected.put(i, Init.Family.GAUSSIAN);
        }
        for (Init i : List.of(Init.UNIFORM, Init.XAVIER_UNIFORM, Init.KAIMING_UNIFORM, Init.GLOROT_UNIFORM, Init.HE_UNIFORM,
                Init.LECUN_UNIFORM)) {
            expected.put(i, Init.Family.UNIFORM);
        }
        for (Init i : List.of(Init.GLOROT_NORMAL, Init.HE_NORMAL, Init.LECUN_NORMAL, Init.VARIANCE_SCALING)) {
            expected.put(i, Init.Family.TRUNCATED_GAUSSIAN);
        }
        for (Init i : List.of(Init.ZEROS, Init.ONES, Init.IDENTITY)) {
            expected.put(i, Init.Family.NONE);
        }
        expected.put(Init.TRUNCATED_NORMAL, Init.Family.TRUNCATED_ABSOLUTE);
        expected.forEach((init, family) -> assertThat(InitParams.defaults(init, init.usesStdAxis() ? 1.0 : NAN).family())
                .as(init.id()).isEqualTo(family));
        assertThat(params(Init.SPARSE, 1.0, "sparsity", 0.5).family()).isEqualTo(Init.Family.GAUSSIAN);
        assertThat(params(Init.CONSTANT, NAN, "value", 0.5).family()).isEqualTo(Init.Family.NONE);
        assertThat(params(Init.VARIANCE_SCALING, NAN, "distribution", "normal").family()).isEqualTo(Init.Family.GAUSSIAN);
        assertThat(params(Init.VARIANCE_SCALING, NAN, "distribution", "uniform").family()).isEqualTo(Init.Family.UNIFORM);
        // the std axis: fixed-scale schemes only
        for (Init init : Init.values()) {
            assertThat(init.usesStdAxis()).as(init.id())
                    .isEqualTo(List.of(Init.NORMAL, Init.UNIFORM, Init.TRUNCATED_NORMAL, Init.SPARSE).contains(init));
        }
        assertThat(Init.CONSTANT.takesValue()).isTrue();
        assertThat(Init.IDENTITY.takesValue()).isFalse();
    }

    @Test
    void idsRoundTrip() {
        for (Init init : Init.values()) {
            assertThat(Init.byId(init.id())).isSameAs(init);
            assertThat(Init.ids()).contains(init.id());
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
        assertThat(Init.byId("glorot")).isNull();
        assertThat(Init.byId("he_normal")).isSameAs(Init.HE_NORMAL);
        assertThat(Init.byId("kaiming_normal")).isSameAs(Init.KAIMING_NORMAL);
        assertThat(FanMode.byId("fan_sum")).isNull();
        assertThat(Activation.byId("swiglu")).isNull();
    }
}
