package io.initsweep.sim;

import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * What the activation classes share: their metadata, the registry built from
 * {@link Activation}'s {@code permits} clause, singleton identity across serialization, the
 * plain-Java loop over {@link #value}, and the bisection helpers of bands found numerically.
 * Each subclass is one final class with a public static final {@code INSTANCE}.
 */
abstract class ActivationBase implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final SchemeParam parameter;
    private final double histogramLo;
    private final double histogramHi;
    private final String formula;
    private final String frameworks;
    private final java.util.List<String> aliases;

    ActivationBase(String id, SchemeParam parameter, double histogramLo, double histogramHi, String formula,
            String frameworks) {
        this(id, java.util.List.of(), parameter, histogramLo, histogramHi, formula, frameworks);
    }

    /** With aliases: other names a spec may use (other libraries' spellings); rows use {@code id}. */
    ActivationBase(String id, java.util.List<String> aliases, SchemeParam parameter, double histogramLo,
            double histogramHi, String formula, String frameworks) {
        this.id = id;
        this.aliases = java.util.List.copyOf(aliases);
        this.parameter = parameter;
        this.histogramLo = histogramLo;
        this.histogramHi = histogramHi;
        this.formula = formula;
        this.frameworks = frameworks;
    }

    /** The registry: one instance per class of {@link Activation}'s {@code permits} clause, in its order. */
    static Activation[] registry() {
        return Registry.ALL;
    }

    private static final class Registry {
        static final Activation[] ALL = build();

        private static Activation[] build() {
            Class<?>[] classes = Activation.class.getPermittedSubclasses();
            Activation[] all = new Activation[classes.length];
            for (int i = 0; i < classes.length; i++) {
                try {
                    Field f = classes[i].getField("INSTANCE");
                    Check.state(Modifier.isStatic(f.getModifiers()), "%s.INSTANCE must be static", classes[i]);
                    all[i] = (Activation) f.get(null);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(classes[i] + " needs a public static final INSTANCE", e);
                }
            }
            java.util.Set<String> names = new java.util.HashSet<>();
            for (Activation a : all) {
                Check.state(names.add(a.id()), "two activations are named '%s'", a.id());
            }
            for (Activation a : all) {
                for (String alias : a.aliases()) {
                    Check.state(names.add(alias), "alias '%s' of %s is already a name", alias, a.id());
                }
            }
            return all;
        }
    }

    public String id() {
        return id;
    }

    public int ordinal() {
        Activation[] all = registry();
        for (int i = 0; i < all.length; i++) {
            if (all[i] == this) {
                return i;
            }
        }
        throw new IllegalStateException(id + " is not registered");
    }

    /** The bare name: see {@code Activation.catalogue()}. */
    public java.util.List<String> catalogue() {
        return java.util.List.of(id());
    }

    public java.util.List<String> aliases() {
        return aliases;
    }

    public SchemeParam parameter() {
        return parameter;
    }

    public boolean hasParam() {
        return parameter != null;
    }

    public String paramName() {
        return parameter == null ? null : parameter.name();
    }

    public double defaultParam() {
        return parameter == null ? Double.NaN : parameter.defaultValue();
    }

    public double paramMin() {
        return parameter == null ? Double.NaN : parameter.min();
    }

    public double paramMax() {
        return parameter == null ? Double.NaN : parameter.max();
    }

    public boolean acceptsParam(double param) {
        return parameter == null ? Double.isNaN(param) : parameter.accepts(param);
    }

    public boolean positivelyHomogeneous() {
        return false;
    }

    public double defaultHistogramLo() {
        return histogramLo;
    }

    public double defaultHistogramLo(double param) {
        return histogramLo;
    }

    public double defaultHistogramHi() {
        return histogramHi;
    }

    /** NaN: calculate_gain has no value for most activations. */
    public double gain(double param) {
        return Double.NaN;
    }

    public double[] kinks(double param) {
        return new double[0];
    }

    public double zeroBelow(double param) {
        return Double.NEGATIVE_INFINITY;
    }

    public String formula() {
        return formula;
    }

    public String frameworks() {
        return frameworks;
    }

    public abstract double value(double a, double param);

    public abstract double derivative(double a, double param);

    /** z[i] = {@link #value}(a[i]). */
    public void applyScalar(double param, double[] a, double[] z, int n) {
        for (int i = 0; i < n; i++) {
            z[i] = value(a[i], param);
        }
    }

    /**
     * The plain-Java loop, for a scheme without a vector kernel of its own; every registered one
     * has its own ({@code KernelDeterminismTest} checks), so this serves only while one is written.
     */
    public void applyVector(double param, double[] a, double[] z, int n) {
        applyScalar(param, a, z, n);
    }

    /** d[i] *= {@link #derivative}(a[i]); {@code z} is not read. */
    public void multiplyDerivative(double param, double[] a, double[] z, double[] d, int n) {
        for (int i = 0; i < n; i++) {
            d[i] *= derivative(a[i], param);
        }
    }

    /** Not exact in float32 unless the scheme says so. */
    public boolean exactInFloat32(double param) {
        return false;
    }

    public void applyFloat32(double param, float[] a, float[] x, int n) {
        throw new UnsupportedOperationException(id + ": φ is not exact in float32");
    }

    public void multiplyDerivativeFloat32(double param, float[] x, float[] p, float[] d, int n) {
        throw new UnsupportedOperationException(id + ": φ' is not exact in float32");
    }

    /** The registered instance, so that {@code ==} and switches keep working after deserialization. */
    protected final Object readResolve() {
        return Activation.byId(id);
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass();
    }

    @Override
    public final int hashCode() {
        return id.hashCode();
    }

    @Override
    public final String toString() {
        return id;
    }

    // ---------------------------------------------------------------- bands found numerically

    /**
     * The smallest double a in (lo, hi] with derivative(a) ≥ t, given derivative(lo) &lt; t ≤
     * derivative(hi), φ' rising: bisection over the doubles (64 steps on their bit patterns), so
     * the cut is the double where the computed φ' crosses the threshold.
     */
    final double firstAtLeast(double lo, double hi, double t, double param) {
        long l = order(lo);
        long h = order(hi);
        // h − l counts doubles and may exceed Long.MAX_VALUE across zero: unsigned arithmetic
        while (Long.compareUnsigned(h - l, 1) > 0) {
            long mid = l + ((h - l) >>> 1);
            if (derivative(unorder(mid), param) >= t) {
                h = mid;
            } else {
                l = mid;
            }
        }
        return unorder(h);
    }

    /** The largest double a in [lo, hi) with derivative(a) ≥ t, given derivative(lo) ≥ t &gt; derivative(hi), φ' falling. */
    final double lastAtLeast(double lo, double hi, double t, double param) {
        long l = order(lo);
        long h = order(hi);
        while (Long.compareUnsigned(h - l, 1) > 0) {
            long mid = l + ((h - l) >>> 1);
            if (derivative(unorder(mid), param) >= t) {
                l = mid;
            } else {
                h = mid;
            }
        }
        return unorder(l);
    }

    /** Doubles as longs in the same order (−0 just below +0), so bisection can halve the count of doubles between. */
    private static long order(double d) {
        long bits = Double.doubleToRawLongBits(d);
        return bits < 0 ? bits ^ Long.MAX_VALUE : bits;
    }

    private static double unorder(long key) {
        return Double.longBitsToDouble(key < 0 ? key ^ Long.MAX_VALUE : key);
    }

    /**
     * The band of an x·gate(x) activation: φ' is negative on (−∞, m), rises on [m, M] to its
     * maximum and falls on [M, ∞) towards 1 (m, M the arg min and arg max of φ'). The lower cut is
     * the crossing of τ·max φ' on [m, M]; the upper cut exists only when τ·max φ' &gt; 1, where φ'
     * falls below it again beyond M. Both by bisection on {@link #derivative}.
     */
    final double[] humpBand(double tau, double param, Hump h) {
        double threshold = tau * h.max;
        double lo = firstAtLeast(h.argMin, h.argMax, threshold, param);
        // beyond the arg max φ' falls towards its limit 1 from above: below the threshold only if that is above 1
        double hi = threshold <= 1.0 ? Double.POSITIVE_INFINITY : lastAtLeast(h.argMax, h.far, threshold, param);
        return new double[] {lo, hi};
    }

    /**
     * Where the derivative of an x·gate(x) activation has its minimum (negative) and maximum, and
     * the maximum itself, found by golden-section search on the computed derivative; the maximum
     * is the largest value of {@link #derivative} seen, so the band at τ = 1 is never empty.
     * {@code scale} stretches the search window (swish's β: φ'(a) = silu'(βa)).
     */
    static final class Hump {
        final double argMin;
        final double argMax;
        final double max;
        /** A point far right where φ' has fallen to 1 (below any threshold above 1). */
        final double far;

        Hump(ActivationBase act, double param, double scale) {
            this.far = 40.0 * scale;
            this.argMin = goldenSection(act, param, -6.0 * scale, 0.0, -1.0, 1e-12 * scale);
            double x = goldenSection(act, param, 0.0, 4.0 * scale, 1.0, 1e-12 * scale);
            double best = act.derivative(x, param);
            double bestX = x;
            // the top is flat to about √ε: take the largest computed value near it
            for (int k = -64; k <= 64; k++) {
                double xi = x + k * (1e-9 * scale);
                double d = act.derivative(xi, param);
                if (d > best) {
                    best = d;
                    bestX = xi;
                }
            }
            this.argMax = bestX;
            this.max = best;
        }

        /** The arg max of sign·φ' on [lo, hi] (φ' unimodal there), to {@code bracket}. */
        private static double goldenSection(ActivationBase act, double param, double lo, double hi, double sign,
                double bracket) {
            final double r = (Math.sqrt(5.0) - 1.0) / 2.0;
            double a = lo;
            double b = hi;
            double c = b - r * (b - a);
            double d = a + r * (b - a);
            double fc = sign * act.derivative(c, param);
            double fd = sign * act.derivative(d, param);
            while (b - a > bracket) {
                if (fc > fd) {
                    b = d;
                    d = c;
                    fd = fc;
                    c = b - r * (b - a);
                    fc = sign * act.derivative(c, param);
                } else {
                    a = c;
                    c = d;
                    fc = fd;
                    d = a + r * (b - a);
                    fd = sign * act.derivative(d, param);
                }
            }
            return 0.5 * (a + b);
        }
    }
}
