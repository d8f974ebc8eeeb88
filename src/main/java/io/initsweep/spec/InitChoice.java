package io.initsweep.spec;

import io.initsweep.sim.Activation;
import io.initsweep.sim.Init;
import io.initsweep.sim.InitParams;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of the grid's init axis: a scheme and the parameters the spec gave it (by their spec
 * names; numbers as Double, {@code mode}/{@code distribution} as ids). {@code gain: auto} is kept
 * as {@code gainAuto} and resolved per activation by {@link #params}.
 *
 * @param init the scheme
 * @param given the spec's parameters, without an {@code auto} gain
 * @param gainAuto whether the gain is PyTorch's calculate_gain of the point's activation
 */
public record InitChoice(Init init, Map<String, Object> given, boolean gainAuto) implements Serializable {
    public InitChoice {
        given = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(given));
    }

    /** A scheme with its framework defaults. */
    public static InitChoice of(Init init) {
        return new InitChoice(init, Map.of(), false);
    }

    /** The full parameters at one std axis value (NaN for inits without it) and activation. */
    public InitParams params(double std, Activation activation, double activationParam) {
        Map<String, Object> p = new LinkedHashMap<>(given);
        if (gainAuto) {
            p.put("gain", activation.gain(activationParam));
        }
        return InitParams.of(init, std, p);
    }

    /** The label used in summaries: {@code kaiming_normal}, {@code constant(value=0.5)}, {@code xavier_normal(gain=auto)}. */
    public String label() {
        if (given.isEmpty() && !gainAuto) {
            return init.id();
        }
        StringBuilder sb = new StringBuilder(init.id()).append('(');
        String sep = "";
        for (Map.Entry<String, Object> e : given.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ", ";
        }
        if (gainAuto) {
            sb.append(sep).append("gain=auto");
        }
        return sb.append(')').toString();
    }
}
