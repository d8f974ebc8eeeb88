package io.initsweep.sim;

import java.io.Serializable;
import java.util.List;

/**
 * A weight initializer with every parameter resolved: one record per scheme, each holding its
 * parameter values and declaring, in its {@code SCHEME} constant ({@link InitScheme}), its spec
 * name and aliases, its parameters with defaults and ranges, and its documentation; the record
 * gives its family of base draws, its nominal std and how it fills a layer. Related schemes share
 * a sealed sub-interface with their common code ({@code StdAxisScaled}, {@code ConstantWeights},
 * {@link VarianceScalingFamily} and in it {@code Xavier} and {@code Kaiming}). The {@code permits}
 * clauses are the registry: {@link #values()} lists the schemes in their order (sub-interfaces
 * expanded in place), and nothing else in the code lists initializers. Adding one is one record
 * here and its name in a {@code permits} clause.
 *
 * <p>Names follow the frameworks: PyTorch names ({@code xavier_*}, {@code kaiming_*},
 * {@code trunc_normal_}, {@code sparse_}, {@code eye_}, {@code orthogonal_}) mean PyTorch's
 * definitions; Keras/JAX names ({@code glorot_*}, {@code he_*}, {@code lecun_*},
 * {@code variance_scaling}) mean Keras's and JAX's. Shapes follow PyTorch: a layer maps fan_in
 * inputs to fan_out outputs; its PyTorch weight is (fan_out, fan_in) and the matrix W that
 * {@link Weights} fills is that weight transposed, fan_in rows × fan_out columns, so that A = X·W.
 * Every random scheme draws unit-scale base numbers of its {@link Family} from a keyed stream
 * and scales them (DESIGN §4), so schemes of one family share their draws.
 */
public sealed interface Initializer extends Serializable
        permits StdAxisScaled, TruncatedNormal, Sparse, ConstantWeights, VarianceScalingFamily, Orthogonal, Identity,
                Lsuv {

    /** Kind of unit-scale base draws G, shared by the schemes of a family (common random numbers). */
    enum Family {
        /** G ~ N(0, 1). */
        GAUSSIAN,
        /** G ~ U(−√3, √3), variance 1. */
        UNIFORM,
        /** No draws: constants and the identity. */
        NONE,
        /** G = Z/0.87962566103423978 with Z ~ N(0, 1) restricted to (−2, 2): variance 1 (Keras/JAX). */
        TRUNCATED_GAUSSIAN,
        /** N(0, std²) restricted to absolute cutoffs [a, b]: drawn directly, in its own stream. */
        TRUNCATED_ABSOLUTE
    }

    /** The scheme this initializer is an instance of: its class's {@code SCHEME}. */
    default InitScheme scheme() {
        return InitRegistry.schemeOf(getClass());
    }

    /** The scheme's name, used in job specs and output columns. */
    default String id() {
        return scheme().id();
    }

    /** See {@link InitScheme#label}. */
    default String label() {
        return scheme().label(this);
    }

    /** The grid's std axis value for {@link InitScheme#usesStdAxis()} schemes; NaN for the others. */
    default double std() {
        return Double.NaN;
    }

    /** The resolved gain of xavier_*, kaiming_* and orthogonal, LSUV's 1 (its orthogonal start); NaN otherwise. */
    default double gain() {
        return Double.NaN;
    }

    /** The value of constant and ones, the factor of identity; NaN otherwise (the {@code init_value} column). */
    default double value() {
        return Double.NaN;
    }

    /** The one value every weight has under a constant scheme (zeros, ones, constant); NaN otherwise. */
    default double constantWeight() {
        return Double.NaN;
    }

    /** The kind of base draws this initializer scales (schemes of one family share them). */
    Family family();

    /**
     * Fills the layer {@code weights} is drawing ({@link Weights#fill}): {@code w[0 .. fanIn·fanOut)},
     * by the helpers of {@link Weights} (scaled base draws, truncated sampler, QR).
     */
    void fill(Weights weights, double[] w);

    /**
     * The factor s of a layer whose weights are W = s · G, G the unit-scale base draws of
     * {@link #family()} for this layer's stream: normal and uniform (s = std) and the
     * variance-scaling schemes (s from the fans); NaN for every other scheme.
     */
    default double baseScale(int fanIn, int fanOut) {
        return Double.NaN;
    }

    /**
     * The std of one weight's distribution by formula (each scheme's javadoc says which): for
     * the schemes whose entries are not identically distributed (orthogonal, identity) the entry
     * RMS; 0 for constants; NaN for LSUV, whose weights depend on the data.
     */
    double nominalStd(int fanIn, int fanOut);

    /**
     * Whether mean-field theory describes chains of this initializer: i.i.d. zero-mean weights
     * (or orthogonal ones, whose forward second moments are the same); not constants, sparse,
     * identity, LSUV or an asymmetric truncation.
     */
    default boolean meanFieldApplies() {
        return false;
    }

    /** Every scheme, in the order of the {@code permits} clauses. */
    static List<InitScheme> values() {
        return InitRegistry.schemes();
    }

    /** The scheme named {@code id}; null if none is (aliases are not names: see {@link #byName}). */
    static InitScheme byId(String id) {
        return InitRegistry.byId(id);
    }

    /** The scheme a spec names, by its name or one of its aliases; null if none. */
    static InitScheme byName(String name) {
        return InitRegistry.byName(name);
    }

    /** The spec names, comma-separated, for error messages. */
    static String ids() {
        return String.join(", ", values().stream().map(InitScheme::id).toList());
    }
}
