package io.initsweep.spec;

import io.initsweep.sim.Activation;
import io.initsweep.sim.InitScheme;
import io.initsweep.sim.Initializer;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of the grid's init axis: a scheme and the parameters the spec gave it (by their spec
 * names; numbers as Double, choices as their texts). {@code gain: auto} is kept as
 * {@code gainAuto} and resolved per activation by {@link #params}.
 *
 * @param scheme the scheme (the canonical one when the spec used an alias)
 * @param given the spec's parameters, without an {@code auto} gain
 * @param gainAuto whether the gain is PyTorch's calculate_gain of the point's activation
 */
public record InitChoice(InitScheme scheme, Map<String, Object> given, boolean gainAuto) implements Serializable {
    public InitChoice {
        given = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(given));
    }

    /** A scheme with its defaults. */
    public static InitChoice of(InitScheme scheme) {
        return new InitChoice(scheme, Map.of(), false);
    }

    /** The resolved initializer at one std axis value (NaN for schemes without it) and activation. */
    public Initializer params(double std, Activation activation, double activationParam) {
        Map<String, Object> p = new LinkedHashMap<>(given);
        if (gainAuto) {
            p.put("gain", activation.gain(activationParam));
        }
        return scheme.bind(p, std);
    }

    /** The label used in summaries: {@code kaiming_normal}, {@code constant(value=0.5)}, {@code xavier_normal(gain=auto)}. */
    public String label() {
        if (given.isEmpty() && !gainAuto) {
            return scheme.id();
        }
        StringBuilder sb = new StringBuilder(scheme.id()).append('(');
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
