package io.initsweep.spec;

import io.initsweep.sim.ChainParams;
import java.io.Serializable;
import java.util.List;

/**
 * Grid points that differ only in depth: simulated once, to the largest depth, and read by
 * every point. Small and immutable: this is what travels to executors.
 *
 * @param chainId 16 hex digits
 * @param input the {@code input} column's value ({@link InputChoice#label})
 * @param params the simulation parameters (maxDepth = largest depth of the points)
 * @param points the grid points, ascending depth
 */
public record Chain(String chainId, String input, ChainParams params, List<GridPoint> points) implements Serializable {
    /** Estimated cost, see {@link ChainParams#cost()}. */
    public double cost() {
        return params.cost();
    }
}
