package io.initsweep.sim;

import java.io.Serializable;
import java.util.Arrays;

/**
 * An activation function a sweep can use: one final class per scheme (this interface's permitted
 * subclasses), each holding its name, its parameter with default and range, its value and
 * derivative, its saturation band, its default histogram window, PyTorch's recommended init gain
 * and its kernels, and the aliases a spec may use for it (other libraries' spellings, resolved to
 * its name when a spec is read). The {@code permits} clause is the registry: {@link #values()}
 * lists its classes in that order, and nothing else in the code lists activations. Adding one is
 * one file here, its name in {@code permits}, and its line in the reference script's data.
 *
 * <p>Saturation follows the project definition: a pre-activation {@code a} is saturated when
 * {@code φ'(a) < τ · max φ'}. For every activation here that set is {@code a < lo} or
 * {@code a > hi} for two thresholds computed once by {@link #saturationBand} (in closed form
 * where one exists, by bisection otherwise), so the statistics pass compares {@code a} with two
 * numbers instead of evaluating φ'.
 *
 * <p>Derivatives at kinks follow PyTorch autograd: relu'(0) = 0, leaky_relu'(0) = slope,
 * elu'(0) = α and selu'(0) = λα (its {@code elu_backward} takes the x ≤ 0 branch at 0),
 * hardtanh'(±1) = 0.
 *
 * <p>Default histogram windows of φ(a) ({@link #defaultHistogramLo}, {@link #defaultHistogramHi})
 * are the range of a bounded activation and a documented window otherwise (each scheme's javadoc
 * says which); outputs outside the window are counted as underflow or overflow, so the counts
 * always sum.
 *
 * <p>The interface declares no default methods, so loading a scheme class never initializes this
 * interface (JVMS §5.5): the constants below and the registry can be built from any thread first.
 * Instances are singletons, kept so across serialization.
 */
public sealed interface Activation extends SpecName, Serializable
        permits Sigmoid, Tanh, Relu, LeakyRelu, Elu, Selu, Gelu, GeluTanh, Silu, Mish, Softplus, Softsign, Hardtanh,
                Linear,
                Swish,
                Hardsigmoid,
                Hardswish,
                Relu6 {

    /** The activations that callers name directly; every other one is reached through {@link #byId}. */
    Activation SIGMOID = Sigmoid.INSTANCE;
    Activation TANH = Tanh.INSTANCE;
    Activation RELU = Relu.INSTANCE;
    Activation LEAKY_RELU = LeakyRelu.INSTANCE;
    Activation ELU = Elu.INSTANCE;
    Activation SELU = Selu.INSTANCE;
    Activation GELU = Gelu.INSTANCE;
    Activation GELU_TANH = GeluTanh.INSTANCE;
    Activation SILU = Silu.INSTANCE;
    Activation MISH = Mish.INSTANCE;
    Activation SOFTPLUS = Softplus.INSTANCE;
    Activation SOFTSIGN = Softsign.INSTANCE;
    Activation HARDTANH = Hardtanh.INSTANCE;
    Activation LINEAR = Linear.INSTANCE;

    /** The name used in job specs and output columns. */
    @Override
    String id();

    /** Other names a spec may use for it (other libraries' spellings); rows use {@link #id()}. */
    java.util.List<String> aliases();

    /**
     * This activation's entries in the catalogue sweep ({@code jobs/catalogue.yaml}, generated):
     * spec texts, its bare name unless a parameter value shows more, e.g. {@code {swish: {beta: 2}}}.
     */
    java.util.List<String> catalogue();

    /** The position of this activation in {@link #values()}. */
    int ordinal();

    /** Its parameter (leaky_relu's slope, elu's α, swish's β), or null when it has none. */
    SchemeParam parameter();

    /** Whether this activation takes a parameter. */
    boolean hasParam();

    /** The parameter's name in specs, or null. */
    String paramName();

    /** The default parameter (NaN when the activation has none). */
    double defaultParam();

    /** Smallest allowed parameter (NaN when there is none). */
    double paramMin();

    /** Largest allowed parameter (NaN when there is none). */
    double paramMax();

    /** Whether {@code param} is an allowed parameter: in [paramMin, paramMax], or NaN for an activation without one. */
    boolean acceptsParam(double param);

    /**
     * Whether φ(c·a) = c·φ(a) for every c &gt; 0 (relu, leaky_relu, linear): a bias-free network of
     * such layers scales exactly with its weights, layer l by the product of the first l scales.
     */
    boolean positivelyHomogeneous();

    /** Default lower edge of the histogram of φ(a) at the default parameter. */
    double defaultHistogramLo();

    /** Default lower edge for a given parameter (elu: −α). */
    double defaultHistogramLo(double param);

    /** Default upper edge of the histogram of φ(a). */
    double defaultHistogramHi();

    /**
     * PyTorch's recommended gain, {@code torch.nn.init.calculate_gain}; NaN for the activations
     * calculate_gain does not support (it raises "Unsupported nonlinearity"), so that a spec
     * asking for {@code gain: auto} with one of those is refused rather than given a number
     * PyTorch would not give.
     */
    double gain(double param);

    /** Reference value φ(a) (scalar). */
    double value(double a, double param);

    /** Reference derivative φ'(a), with PyTorch's choices at the kinks. */
    double derivative(double a, double param);

    /** sup over a of φ'(a). */
    double maxDerivative(double param);

    /**
     * The set {a : φ'(a) &lt; τ · max φ'} as {@code a < band[0] || a > band[1]}.
     *
     * @param tau the threshold τ in (0, 1]
     */
    double[] saturationBand(double tau, double param);

    /** z[0..n) = φ(a[0..n)) in plain Java, the bits of {@link #value}. {@code z} may not alias {@code a}. */
    void applyScalar(double param, double[] a, double[] z, int n);

    /**
     * z[0..n) = φ(a[0..n)) by the activation's Vector API kernel in {@link VectorKernels} (needs
     * the incubator module); the same bits as {@link #applyScalar}.
     */
    void applyVector(double param, double[] a, double[] z, int n);

    /**
     * d[i] *= φ'(a[i]) for i in [0, n), given z[i] = φ(a[i]) (the bits of {@link #value}), which an
     * activation whose derivative is a function of its value (tanh, sigmoid) uses instead of
     * evaluating φ again; the same bits as multiplying by {@link #derivative} either way.
     */
    void multiplyDerivative(double param, double[] a, double[] z, double[] d, int n);

    /**
     * Whether φ and φ' are exact in float32: φ of a float32 value is that value or another float32
     * constant, and φ' is 0 or 1 and can be told from φ (relu). A float32 route then computes them
     * in float32 ({@link #applyFloat32}, {@link #multiplyDerivativeFloat32}) and gets the bits of
     * the float64 route rounded once, without widening.
     */
    boolean exactInFloat32(double param);

    /** x[0..n) = φ(a[0..n)) in float32; only where {@link #exactInFloat32}. */
    void applyFloat32(double param, float[] a, float[] x, int n);

    /**
     * d[i] = p[i]·φ'(a[i]) in float32 from x[i] = φ(a[i]) ({@code d} may be {@code p}); only where
     * {@link #exactInFloat32}: the bits of {@link #multiplyDerivative} on p widened and rounded back.
     */
    void multiplyDerivativeFloat32(double param, float[] x, float[] p, float[] d, int n);

    /**
     * Where φ' jumps or φ'' does (relu's 0, hardtanh's ±1, softsign's 0), in increasing order;
     * empty for an activation smooth everywhere. Quadrature over Gaussian pre-activations splits
     * its intervals there, so that it converges as fast as on a smooth function.
     */
    double[] kinks(double param);

    /**
     * The largest u with φ(a) = 0 for every a ≤ u (relu's 0, hardsigmoid's −3), or −∞ when φ has no
     * such zero half-line: a Gaussian pre-activation a ~ N(0, q) gives φ(a) = 0 with probability
     * Φ(u/√q) (isolated zeros, such as hardswish's at 0, have probability 0).
     */
    double zeroBelow(double param);

    /** φ(a) as a formula, for the documentation table. */
    String formula();

    /** The matching PyTorch / Keras / JAX functions, for the documentation table. */
    String frameworks();

    /** Every activation, in the order of the {@code permits} clause. */
    static Activation[] values() {
        return ActivationBase.registry().clone();
    }

    /** Looks up an activation by its spec name; null if unknown. */
    static Activation byId(String id) {
        return SpecName.byId(ActivationBase.registry(), id);
    }

    /** The activation a spec names, by its name or one of its aliases; null if none. */
    static Activation byName(String name) {
        for (Activation a : ActivationBase.registry()) {
            if (a.id().equals(name) || a.aliases().contains(name)) {
                return a;
            }
        }
        return null;
    }

    /** The spec names, for error messages. */
    static String ids() {
        return SpecName.ids(ActivationBase.registry());
    }

    /** The spec names as a list. */
    static java.util.List<String> idList() {
        return Arrays.stream(ActivationBase.registry()).map(Activation::id).toList();
    }
}
