package io.initsweep.spec;

import io.initsweep.sim.Activation;
import java.io.Serializable;

/**
 * One entry of the grid's activation axis.
 *
 * @param param the activation's parameter (leaky slope); NaN when it has none
 */
public record ActivationChoice(Activation activation, double param) implements Serializable {
    /** The label used in summaries: {@code relu}, {@code leaky_relu(slope=0.01)}. */
    public String label() {
        return activation.hasParam() ? activation.id() + "(" + activation.paramName() + "=" + param + ")" : activation.id();
    }
}
