package io.initsweep.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * He et al. (2015) as PyTorch's kaiming_normal_ and kaiming_uniform_(a, mode, nonlinearity):
 * s = gain/√fan_mode (variance scaling with scale gain²), gain default √2 (PyTorch's default a = 0
 * with nonlinearity leaky_relu: calculate_gain = √(2/(1 + 0²))), mode fan_in. A spec gives the
 * gain, or PyTorch's {@code a} and {@code nonlinearity}, which become the gain ({@link #gainOf}).
 */
sealed interface Kaiming extends GainScaled permits KaimingNormal, KaimingUniform {
    /** PyTorch's {@code nn.init.calculate_gain} names that give 1 (linear and the convolutions) besides sigmoid. */
    List<String> LINEAR_FNS = List.of("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
            "conv_transpose3d");

    /** The parameters both declare. */
    List<InitParam> PARAMS = List.of(
            InitParam.gain(Math.sqrt(2.0), "s = gain/√fan"),
            InitParam.choice("mode", "fan_in", List.of("fan_in", "fan_out"), "which fan (PyTorch has no fan_avg here)"),
            InitParam.real("a", 0.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                    "PyTorch's negative slope: gain = calculate_gain(nonlinearity, a)").settingGain(),
            InitParam.choice("nonlinearity", "leaky_relu", nonlinearities(), "PyTorch's calculate_gain argument")
                    .settingGain());

    @Override
    default double varianceScalingStd(int fanIn, int fanOut) {
        return gain() / Math.sqrt(mode().fan(fanIn, fanOut));
    }

    /** calculate_gain's names: {@link #LINEAR_FNS} and the activations it has a gain for. */
    private static List<String> nonlinearities() {
        List<String> names = new ArrayList<>(LINEAR_FNS);
        for (Activation act : Activation.values()) {
            if (!Double.isNaN(act.gain(act.defaultParam())) && !names.contains(act.id())) {
                names.add(act.id());
            }
        }
        return List.copyOf(names);
    }

    /**
     * The bound gain: the one given, or PyTorch's {@code calculate_gain(nonlinearity, a)} when
     * {@code a} or {@code nonlinearity} is given (defaults 0 and leaky_relu, as in
     * {@code kaiming_normal_(a=0, mode='fan_in', nonlinearity='leaky_relu')}): 1 for linear, the
     * convolutions and sigmoid, 5/3 tanh, √2 relu, √(2/(1 + a²)) leaky_relu, 3/4 selu. So
     * {@code a = √5} (nn.Linear's reset_parameters) gives gain √(1/3) and U(±1/√fan_in).
     */
    static double gainOf(InitScheme.Args p) {
        if (!p.given("a") && !p.given("nonlinearity")) {
            return p.real("gain");
        }
        Check.argument(!p.given("gain"), "%s: give gain, or PyTorch's a and nonlinearity, not both", p.scheme().id());
        String nonlinearity = p.text("nonlinearity");
        return LINEAR_FNS.contains(nonlinearity) ? 1.0 : Activation.byId(nonlinearity).gain(p.real("a"));
    }
}
