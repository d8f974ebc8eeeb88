package io.initsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.initsweep.sim.HeNormal;
import io.initsweep.sim.InitScheme;
import io.initsweep.sim.Initializer;
import io.initsweep.sim.KaimingNormal;
import io.initsweep.sim.KaimingUniform;
import io.initsweep.sim.Lsuv;
import io.initsweep.sim.Sparse;
import io.initsweep.sim.TruncatedNormal;
import io.initsweep.sim.VarianceScaling;
import io.initsweep.sim.VarianceScalingFamily;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Initializer entries in a spec: parameters, gain: auto (PyTorch's calculate_gain), one-line errors. */
class InitSpecTest {
    private static SweepSpec parse(String init, String activation) {
        return SpecParser.parse(("network: {width: 10, batch: 20}\ngrid: {init: " + init + ", activation: " + activation
                + ", std: [0.5], depth: [2]}\n").getBytes(StandardCharsets.UTF_8), "inits");
    }

    private static String rejected(String init, String activation) {
        Throwable t = catchThrowable(() -> parse(init, activation));
        assertThat(t).isExactlyInstanceOf(SpecException.class);
        assertThat(t.getMessage()).doesNotContain("\n");
        return t.getMessage();
    }

    private static Initializer params(Chain c) {
        return c.params().init();
    }

    private static <T extends Initializer> T params(Chain c, Class<T> scheme) {
        return scheme.cast(c.params().init());
    }

    @Test
    void gainAutoIsPytorchsCalculateGainOfEachPointsActivation() {
        List<Chain> chains = Grid.chains(parse("[{kaiming_normal: {gain: auto, mode: fan_out}}]",
                "[sigmoid, tanh, relu, {leaky_relu: {slope: 0.2}}]"));
        // torch.nn.init.calculate_gain: sigmoid 1, tanh 5/3, relu √2, leaky_relu √(2/(1 + 0.2²))
        assertThat(chains.stream().map(c -> params(c).gain()).toList())
                .containsExactly(1.0, 5.0 / 3.0, Math.sqrt(2.0), Math.sqrt(2.0 / 1.04));
        for (Chain c : chains) {
            assertThat(params(c, KaimingNormal.class).mode()).isEqualTo(VarianceScalingFamily.FanMode.FAN_OUT);
            // PyTorch kaiming: std = gain / √fan_mode
            assertThat(c.params().weightStd()).isCloseTo(params(c).gain() / Math.sqrt(10), org.assertj.core.api.Assertions.within(1e-15));
        }
        assertThat(chains.get(1).points().get(0).init().label()).isEqualTo("kaiming_normal(mode=fan_out, gain=auto)");
    }

    /**
     * PyTorch's kaiming_normal_/kaiming_uniform_(a, mode, nonlinearity): gain = calculate_gain(
     * nonlinearity, a), defaults a = 0 and leaky_relu (gain √2, the default here too). nn.Linear's
     * reset_parameters uses kaiming_uniform_(a=√5): gain √(2/(1 + 5)) = √(1/3), bound
     * √3·gain/√fan_in = 1/√fan_in (fan_in 10 here).
     */
    @Test
    void kaimingTakesPytorchsNegativeSlopeAndNonlinearity() {
        List<Chain> chains = Grid.chains(parse("[{kaiming_uniform: {a: 2.23606797749979}}, {kaiming_normal: {a: 0}},"
                + " {kaiming_normal: {nonlinearity: tanh, mode: fan_out}}, {kaiming_uniform: {nonlinearity: relu, a: 3}},"
                + " {kaiming_normal: {nonlinearity: leaky_relu, a: 0.2}}, {kaiming_uniform: {nonlinearity: conv2d}}]",
                "[relu]"));
        KaimingUniform linear = params(chains.get(0), KaimingUniform.class);
        assertThat(linear.gain()).isCloseTo(Math.sqrt(1.0 / 3.0), org.assertj.core.api.Assertions.within(1e-16));
        assertThat(Math.sqrt(3.0) * linear.varianceScalingStd(10, 10))
                .isCloseTo(1.0 / Math.sqrt(10), org.assertj.core.api.Assertions.within(1e-16));
        assertThat(linear.label()).isEqualTo("kaiming_uniform(gain=" + linear.gain() + ", mode=fan_in)");
        assertThat(params(chains.get(1)).gain()).isEqualTo(Math.sqrt(2.0));
        assertThat(params(chains.get(1))).isEqualTo(KaimingNormal.SCHEME.defaults(Double.NaN));
        assertThat(params(chains.get(2)).gain()).isEqualTo(5.0 / 3.0);
        assertThat(params(chains.get(2), KaimingNormal.class).mode()).isEqualTo(VarianceScalingFamily.FanMode.FAN_OUT);
        assertThat(params(chains.get(3)).gain()).isEqualTo(Math.sqrt(2.0)); // relu ignores a, as calculate_gain does
        assertThat(params(chains.get(4)).gain()).isEqualTo(Math.sqrt(2.0 / (1 + 0.2 * 0.2)));
        assertThat(params(chains.get(5)).gain()).isEqualTo(1.0);
    }

    @Test
    void kaimingRefusesGainWithPytorchsArgumentsAndAnUnsupportedNonlinearity() {
        assertThat(rejected("[{kaiming_normal: {gain: 2, a: 0.1}}]", "[relu]"))
                .contains("grid.init[0]", "kaiming_normal", "gain", "not both");
        assertThat(rejected("[{kaiming_normal: {gain: auto, nonlinearity: relu}}]", "[relu]")).contains("not both");
        assertThat(rejected("[{kaiming_uniform: {nonlinearity: gelu}}]", "[relu]"))
                .contains("grid.init[0]", "kaiming_uniform.nonlinearity", "leaky_relu", "'gelu'");
        assertThat(rejected("[{kaiming_uniform: {a: fast}}]", "[relu]")).contains("grid.init[0].kaiming_uniform.a");
    }

    @Test
    void parametersReachTheInitializerAndItsLabel() {
        List<Chain> chains = Grid.chains(parse("[{variance_scaling: {scale: 2, mode: fan_avg, distribution: uniform}},"
                + " {truncated_normal: {a: -1, b: 3}}, {sparse: {sparsity: 0.25}}, {identity: {factor: 0.5}},"
                + " {lsuv: {tol: 0.05, max_iter: 4}}, {xavier_uniform: {gain: 2}}, ones, he_normal]", "[relu]"));
        VarianceScaling vs = params(chains.get(0), VarianceScaling.class);
        assertThat(vs.scale()).isEqualTo(2.0);
        assertThat(vs.mode()).isEqualTo(VarianceScalingFamily.FanMode.FAN_AVG);
        assertThat(vs.distribution()).isEqualTo(VarianceScalingFamily.Distribution.UNIFORM);
        TruncatedNormal tn = params(chains.get(1), TruncatedNormal.class);
        assertThat(new double[] {tn.a(), tn.b(), tn.std()}).containsExactly(-1.0, 3.0, 0.5);
        assertThat(params(chains.get(2), Sparse.class).sparsity()).isEqualTo(0.25);
        assertThat(params(chains.get(2)).std()).isEqualTo(0.5);
        assertThat(params(chains.get(3)).value()).isEqualTo(0.5);
        assertThat(params(chains.get(4), Lsuv.class).tol()).isEqualTo(0.05);
        assertThat(params(chains.get(4), Lsuv.class).maxIter()).isEqualTo(4);
        assertThat(params(chains.get(5)).gain()).isEqualTo(2.0);
        assertThat(params(chains.get(6)).value()).isEqualTo(1.0);
        // Keras/JAX he_normal: scale 2, fan_in, truncated normal
        HeNormal he = params(chains.get(7), HeNormal.class);
        assertThat(he.scale()).isEqualTo(2.0);
        assertThat(he.mode()).isEqualTo(VarianceScalingFamily.FanMode.FAN_IN);
        assertThat(he.distribution()).isEqualTo(VarianceScalingFamily.Distribution.TRUNCATED_NORMAL);
        // fixed-scale inits cross the std axis (1 value here); the others do not
        assertThat(chains).hasSize(8);
        // different parameters are different chains
        assertThat(chains.stream().map(Chain::chainId).distinct()).hasSize(8);
        assertThat(Grid.chains(parse("[orthogonal, {orthogonal: {gain: 2}}]", "[tanh]")).stream().map(Chain::chainId).distinct())
                .hasSize(2);
    }

    @Test
    void badParametersAreOneLineErrorsNamingTheField() {
        assertThat(rejected("[{kaiming_normal: {mode: fan_avg}}]", "[relu]")).contains("grid.init[0]", "mode");
        assertThat(rejected("[{variance_scaling: {mode: sideways}}]", "[relu]"))
                .contains("grid.init[0].variance_scaling.mode", "'sideways'", "fan_in, fan_out, fan_avg");
        assertThat(rejected("[{variance_scaling: {distribution: cauchy}}]", "[relu]"))
                .contains("grid.init[0].variance_scaling.distribution", "'cauchy'", "truncated_normal");
        assertThat(rejected("[{variance_scaling: {scale: -1}}]", "[relu]")).contains("grid.init[0]", "scale");
        assertThat(rejected("[sparse]", "[relu]")).contains("grid.init[0]", "sparse needs sparsity", "{sparse: {sparsity: 0.5}}");
        assertThat(rejected("[{sparse: {sparsity: 1.5}}]", "[relu]")).contains("grid.init[0]", "sparsity", "1.5");
        assertThat(rejected("[{xavier_normal: {gain: lots}}]", "[relu]"))
                .contains("grid.init[0].xavier_normal.gain", "'lots'", "number or auto");
        assertThat(rejected("[{lsuv: {max_iter: 2.5}}]", "[relu]")).contains("grid.init[0].lsuv.max_iter", "integer");
        assertThat(rejected("[{orthogonal: {slope: 1}}]", "[relu]"))
                .contains("grid.init[0].orthogonal.slope", "not a known key", "gain");
        assertThat(rejected("[{truncated_normal: {a: 2, b: 1}}]", "[relu]")).contains("grid.init[0]", "truncated_normal");
        assertThat(rejected("[lecun_magic]", "[relu]")).contains("grid.init[0]", "'lecun_magic'", "lecun_normal");
    }

    @Test
    void gainAutoIsRefusedForActivationsCalculateGainDoesNotKnow() {
        // torch.nn.init.calculate_gain raises "Unsupported nonlinearity" for these
        for (String act : new String[] {"elu", "gelu", "gelu_tanh", "silu", "mish", "softplus", "softsign", "hardtanh"}) {
            assertThat(rejected("[normal, {xavier_normal: {gain: auto}}]", "[tanh, " + act + "]"))
                    .contains("grid.init[1].xavier_normal.gain", "auto", act, "grid.activation[1]", "give a number");
        }
        // and accepted for the ones it knows: linear 1, selu 3/4
        List<Chain> chains = Grid.chains(parse("[{orthogonal: {gain: auto}}]", "[linear, selu]"));
        assertThat(chains.stream().map(c -> params(c).gain()).toList()).containsExactly(1.0, 0.75);
    }

    @Test
    void activationParametersUseTheirOwnRanges() {
        Chain elu = Grid.chains(parse("[kaiming_normal]", "[{elu: {alpha: 2.5}}]")).get(0);
        assertThat(elu.params().activationParam()).isEqualTo(2.5);
        // elu's histogram starts at its lower limit −α
        assertThat(elu.params().stats().histogram().lo()).isEqualTo(-2.5);
        assertThat(rejected("[kaiming_normal]", "[{elu: {alpha: -1}}]")).contains("grid.activation[0].elu.alpha", "[0, 1000]", "-1");
        assertThat(rejected("[kaiming_normal]", "[{leaky_relu: {slope: 1.5}}]"))
                .contains("grid.activation[0].leaky_relu.slope", "[0, 1]", "1.5");
        assertThat(rejected("[kaiming_normal]", "[{gelu: {approximate: tanh}}]")).contains("grid.activation[0].gelu", "no parameters");
    }

    /** An alias is its scheme: the same chains, labels and run ids as the canonical name; both at once are a duplicate. */
    @Test
    void aliasesResolveToTheCanonicalName() {
        List<Chain> aliased = Grid.chains(parse("[xavier_normal_, {kaiming_uniform_: {a: 2.23606797749979}}, eye_,"
                + " {trunc_normal_: {a: -1}}, random_normal]", "[logistic, identity]"));
        List<Chain> canonical = Grid.chains(parse("[xavier_normal, {kaiming_uniform: {a: 2.23606797749979}}, identity,"
                + " {truncated_normal: {a: -1}}, normal]", "[sigmoid, linear]"));
        assertThat(aliased.stream().map(Chain::chainId).toList())
                .isEqualTo(canonical.stream().map(Chain::chainId).toList());
        assertThat(aliased.stream().map(c -> c.params().init().id()).distinct().toList())
                .containsExactly("xavier_normal", "kaiming_uniform", "identity", "truncated_normal", "normal");
        assertThat(aliased.stream().map(c -> c.params().activation().id()).distinct().toList())
                .containsExactly("sigmoid", "linear");
        assertThat(aliased.get(0).points().get(0).init().label()).isEqualTo("xavier_normal");
        assertThat(aliased.stream().flatMap(c -> c.points().stream()).map(GridPoint::runId).toList())
                .isEqualTo(canonical.stream().flatMap(c -> c.points().stream()).map(GridPoint::runId).toList());
        assertThat(rejected("[xavier_normal, xavier_normal_]", "[relu]")).contains("grid.init[1]", "grid.init[0]");
        assertThat(rejected("[{sparse_: {sparsity: 2}}]", "[relu]")).contains("grid.init[0].sparse_.sparsity", "[0, 1]", "2");
    }

    @Test
    void everyInitializerHasASpecName() {
        for (InitScheme init : Initializer.values()) {
            assertThat(Initializer.byId(init.id())).isEqualTo(init);
        }
        assertThat(Initializer.values()).hasSize(21);
    }
}
