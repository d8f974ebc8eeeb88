package io.initsweep.spec;

import java.io.Serializable;

/**
 * One point of the Cartesian grid.
 *
 * @param runId 16 hex digits, a hash of every coordinate that determines the point's rows
 * @param chainId the chain it reads its layers from (same coordinates but depth)
 * @param init initializer
 * @param activation activation
 * @param initStd the std axis value, or null for schemes that do not use it
 * @param weightStd the effective weight std-dev used
 * @param depth number of layers
 * @param seed seed axis value
 * @param width layer width
 * @param batch input rows
 */
public record GridPoint(
        String runId,
        String chainId,
        InitChoice init,
        ActivationChoice activation,
        Double initStd,
        double weightStd,
        int depth,
        long seed,
        int width,
        int batch)
        implements Serializable {}
