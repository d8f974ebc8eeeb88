package io.initsweep.sim;

import java.util.List;

/**
 * Glorot &amp; Bengio (2010) as PyTorch's xavier_normal_ and xavier_uniform_: s = gain·√(2/(fan_in +
 * fan_out)), gain default 1 (variance scaling with scale gain², fan_avg).
 */
sealed interface Xavier extends GainScaled permits XavierNormal, XavierUniform {
    /** The parameters both declare. */
    List<InitParam> PARAMS = List.of(InitParam.gain(1.0, "multiplier of the std"));

    @Override
    default FanMode mode() {
        return FanMode.FAN_AVG;
    }

    @Override
    default double varianceScalingStd(int fanIn, int fanOut) {
        return gain() * Math.sqrt(2.0 / (fanIn + (double) fanOut));
    }
}
