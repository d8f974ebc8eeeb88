package io.initsweep.spec;

import io.initsweep.sim.Init;
import java.io.Serializable;

/**
 * One entry of the grid's init axis: a scheme and, for {@code constant}, its value.
 *
 * @param value the constant's value; NaN for other schemes
 */
public record InitChoice(Init init, double value) implements Serializable {
    /** The label used in summaries: {@code kaiming_normal}, {@code constant(value=0.5)}. */
    public String label() {
        return init.takesValue() ? init.id() + "(value=" + value + ")" : init.id();
    }
}
