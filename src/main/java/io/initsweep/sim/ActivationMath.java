package io.initsweep.sim;

/**
 * Scalar values and derivatives of the activations that need more than a line: the normal cdf
 * (the JDK has no erf), GELU in both forms, SiLU, swish, Mish, softplus, softsign, and the
 * piecewise-linear relu6, hardsigmoid and hardswish. {@link Activation} and the scalar route of
 * {@link Kernels} call these; {@link VectorKernels} evaluates the same formulas in the same order
 * lane by lane, with {@link DetMath}'s exp, so the two routes give the same bits.
 *
 * <p>Conventions at ±∞: the mathematical limits, so φ(−∞) = −0 for the x·gate(x) activations
 * (GELU, SiLU, swish, Mish, hardswish), where the literal product would be −∞·0 = NaN (PyTorch returns NaN there).
 */
final class ActivationMath {
    /** 1/√2. */
    static final double INV_SQRT2 = 0.7071067811865476;
    /** 1/√(2π). */
    static final double INV_SQRT_2PI = 0.3989422804014327;
    /** √(2/π), the constant of the tanh form of GELU (PyTorch {@code M_SQRT2 * M_2_SQRTPI * 0.5}). */
    static final double GELU_TANH_C = 0.7978845608028654;
    /** The cubic coefficient of the tanh form of GELU (Hendrycks &amp; Gimpel 2016). */
    static final double GELU_TANH_K = 0.044715;
    /** SELU's α (Klambauer et al. 2017; PyTorch {@code torch.nn.SELU}). */
    static final double SELU_ALPHA = 1.6732632423543772848;
    /** SELU's scale λ. */
    static final double SELU_SCALE = 1.0507009873554804934;
    /** λ·α, SELU's slope at 0⁻ and its largest derivative. */
    static final double SELU_SCALE_ALPHA = SELU_SCALE * SELU_ALPHA;

    /** |x| beyond which Φ(x) is 0 or 1 in double precision (Φ(−40) ≈ 4·10⁻³⁵⁰). */
    static final double NORMAL_CDF_CLAMP = 40.0;
    /** Cody's first range: erf by R1 for |x|/√2 ≤ 0.46875. */
    static final double CODY_THRESH = 0.46875;
    /** Cody's second range ends at |x|/√2 = 4; beyond, erfc by the asymptotic R3. */
    static final double CODY_FOUR = 4.0;
    /** 1/√π. */
    static final double INV_SQRT_PI = 0.56418958354775628695;
    /** Veltkamp's splitting constant 2²⁷ + 1. */
    private static final double SPLIT = 134217729.0;

    /*
     * W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23
     * (1969) 631-637, as tabulated in his CALERF (SPECFUN, 1985): erf(y) = y·A(y²)/B(y²) for
     * y ≤ 0.46875; erfc(y) = e^(−y²)·C(y)/D(y) for y ≤ 4; erfc(y) = e^(−y²)/y·(1/√π −
     * z·P(z)/Q(z)), z = 1/y², beyond. Relative error of each rational form below 6·10⁻¹⁹.
     */
    static final double A0 = 3.16112374387056560e00;
    static final double A1 = 1.13864154151050156e02;
    static final double A2 = 3.77485237685302021e02;
    static final double A3 = 3.20937758913846947e03;
    static final double A4 = 1.85777706184603153e-1;
    static final double B0 = 2.36012909523441209e01;
    static final double B1 = 2.44024637934444173e02;
    static final double B2 = 1.28261652607737228e03;
    static final double B3 = 2.84423683343917062e03;
    static final double C0 = 5.64188496988670089e-1;
    static final double C1 = 8.88314979438837594e00;
    static final double C2 = 6.61191906371416295e01;
    static final double C3 = 2.98635138197400131e02;
    static final double C4 = 8.81952221241769090e02;
    static final double C5 = 1.71204761263407058e03;
    static final double C6 = 2.05107837782607147e03;
    static final double C7 = 1.23033935479799725e03;
    static final double C8 = 2.15311535474403846e-8;
    static final double D0 = 1.57449261107098347e01;
    static final double D1 = 1.17693950891312499e02;
    static final double D2 = 5.37181101862009858e02;
    static final double D3 = 1.62138957456669019e03;
    static final double D4 = 3.29079923573345963e03;
    static final double D5 = 4.36261909014324716e03;
    static final double D6 = 3.43936767414372164e03;
    static final double D7 = 1.23033935480374942e03;
    static final double P0 = 3.05326634961232344e-1;
    static final double P1 = 3.60344899949804439e-1;
    static final double P2 = 1.25781726111229246e-1;
    static final double P3 = 1.60837851487422766e-2;
    static final double P4 = 6.58749161529837803e-4;
    static final double P5 = 1.63153871373020978e-2;
    static final double Q0 = 2.56852019228982242e00;
    static final double Q1 = 1.87295284992346047e00;
    static final double Q2 = 5.27905102951428412e-1;
    static final double Q3 = 6.05183413124413191e-2;
    static final double Q4 = 2.33520497626869185e-3;

    private ActivationMath() {}

    /**
     * e^(−x²/2) without the rounding of x² in the exponent: x² = p + e exactly (Dekker's product
     * by Veltkamp splitting, valid for |x| &lt; 2⁹⁹⁵), then e^(−p/2)·(1 − e/2) (|e/2| ≤ 2⁻⁵⁴·p, so
     * the neglected e²/8 is far below an ulp). The exponent p/2 is exact, so the result keeps
     * exp's accuracy where the direct e^(−x·x/2) would lose x²·2⁻⁵³ relative (10⁻¹³ at x = 30).
     */
    static double expMinusHalfSquare(double x) {
        double p = x * x;
        double t = SPLIT * x;
        double hi = t - (t - x);
        double lo = x - hi;
        double e = ((hi * hi - p) + 2.0 * hi * lo) + lo * lo;
        return DetMath.exp(-0.5 * p) * (1.0 - 0.5 * e);
    }

    /**
     * The standard normal cdf Φ(x) = erfc(−x/√2)/2, by Cody's approximations (see the
     * constants) with e^(−x²/2) from {@link #expMinusHalfSquare}; relative error a few ulps on
     * the whole line, lower tail included (down to the subnormal range near x = −37.5).
     */
    static double normalCdf(double x) {
        double ax = Math.min(Math.abs(x), NORMAL_CDF_CLAMP);
        double y = ax * INV_SQRT2;
        if (y <= CODY_THRESH) {
            double t = x * INV_SQRT2;
            return 0.5 + 0.5 * (t * codyCentral(t * t));
        }
        double r = y <= CODY_FOUR ? codyMiddle(y) : codyTail(y);
        double halfErfc = 0.5 * expMinusHalfSquare(ax) * r;
        return x > 0 ? 1.0 - halfErfc : halfErfc;
    }

    /** erf(t)/t for t² = z ≤ 0.46875² (Cody's A/B). */
    static double codyCentral(double z) {
        double num = (((A4 * z + A0) * z + A1) * z + A2) * z + A3;
        double den = (((z + B0) * z + B1) * z + B2) * z + B3;
        return num / den;
    }

    /** erfc(y)·e^(y²) for 0.46875 &lt; y ≤ 4 (Cody's C/D). */
    static double codyMiddle(double y) {
        double num = (((((((C8 * y + C0) * y + C1) * y + C2) * y + C3) * y + C4) * y + C5) * y + C6) * y + C7;
        double den = (((((((y + D0) * y + D1) * y + D2) * y + D3) * y + D4) * y + D5) * y + D6) * y + D7;
        return num / den;
    }

    /** erfc(y)·e^(y²) for y &gt; 4 (Cody's P/Q). */
    static double codyTail(double y) {
        double z = 1.0 / (y * y);
        double num = ((((P5 * z + P0) * z + P1) * z + P2) * z + P3) * z + P4;
        double den = ((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4;
        return (INV_SQRT_PI - z * num / den) / y;
    }

    /** GELU, x·Φ(x) (Hendrycks &amp; Gimpel 2016; PyTorch {@code nn.GELU(approximate='none')}). */
    static double gelu(double x) {
        return x == Double.NEGATIVE_INFINITY ? -0.0 : x * normalCdf(x);
    }

    /** Φ(x) + x·φ(x), with x clamped to ±40 (beyond, φ underflows and the product would be ∞·0). */
    static double geluDerivative(double x) {
        double c = Math.max(-NORMAL_CDF_CLAMP, Math.min(x, NORMAL_CDF_CLAMP));
        return normalCdf(x) + c * (INV_SQRT_2PI * expMinusHalfSquare(c));
    }

    /** 2u = 2·√(2/π)·(x + 0.044715·x³), so that 0.5·x·(1 + tanh u) = x·σ(2u). */
    static double geluTanhArgument(double x) {
        return 2.0 * GELU_TANH_C * (x + GELU_TANH_K * (x * x * x));
    }

    /**
     * The tanh form of GELU, 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))), evaluated as x·σ(2u):
     * the same function, without the cancellation of 1 + tanh u for negative u.
     */
    static double geluTanh(double x) {
        if (x == Double.NEGATIVE_INFINITY) {
            return -0.0;
        }
        return x / (1.0 + DetMath.exp(-geluTanhArgument(x)));
    }

    /** σ(2u) + x·2σ(2u)σ(−2u)·u', u' = √(2/π)(1 + 3·0.044715x²). */
    static double geluTanhDerivative(double x) {
        double t = geluTanhArgument(x);
        double e = DetMath.exp(-Math.abs(t));
        double s = t >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        double ss = e / ((1.0 + e) * (1.0 + e));
        if (ss == 0.0) {
            return s; // |t| > 745: the second term is 0 (and x·u' may be ∞)
        }
        return s + x * (2.0 * ss) * (GELU_TANH_C * (1.0 + 3.0 * GELU_TANH_K * (x * x)));
    }

    /** SiLU (swish), x·σ(x) = x/(1 + e^(−x)). */
    static double silu(double x) {
        return x == Double.NEGATIVE_INFINITY ? -0.0 : x / (1.0 + DetMath.exp(-x));
    }

    /** Swish, x·σ(βx) = x/(1 + e^(−βx)); −0 at −∞ like {@link #silu}, which is β = 1. */
    static double swish(double x, double beta) {
        return x == Double.NEGATIVE_INFINITY ? -0.0 : x / (1.0 + DetMath.exp(-(beta * x)));
    }

    /** σ(x)·(1 + x·σ(−x)), both σ from one e^(−|x|) so neither is formed as 1 − σ. */
    static double siluDerivative(double x) {
        double e = DetMath.exp(-Math.abs(x));
        double big = 1.0 / (1.0 + e);
        double small = e / (1.0 + e);
        double s = x >= 0 ? big : small;
        double sNeg = x >= 0 ? small : big;
        if (Double.isInfinite(x)) {
            return x > 0 ? 1.0 : 0.0; // the limits; x·σ(−x) would be ∞·0
        }
        return s * (1.0 + x * sNeg);
    }

    /**
     * tanh(softplus(x)) from m = e^(−|x|) without overflow: with n = e^x(e^x + 2),
     * tanh(ln(1 + e^x)) = n/(n + 2); for x ≥ 0 divide through by e^(2x):
     * (1 + 2m)/(1 + 2m + 2m²); for x &lt; 0, n = m(m + 2).
     */
    static double tanhSoftplus(double x) {
        double m = DetMath.exp(-Math.abs(x));
        if (x >= 0) {
            double num = 1.0 + 2.0 * m;
            return num / (num + 2.0 * (m * m));
        }
        double num = m * (m + 2.0);
        return num / (num + 2.0);
    }

    /** Mish, x·tanh(softplus(x)) (Misra 2019; PyTorch {@code nn.Mish}). */
    static double mish(double x) {
        return x == Double.NEGATIVE_INFINITY ? -0.0 : x * tanhSoftplus(x);
    }

    /**
     * tanh(sp) + x·sech²(sp)·σ(x), sp = softplus(x); with n as in {@link #tanhSoftplus},
     * sech²(sp) = 4(n + 1)/(n + 2)², written in m = e^(−|x|) on each side.
     */
    static double mishDerivative(double x) {
        if (Double.isInfinite(x)) {
            return x > 0 ? 1.0 : 0.0; // the limits; x·sech² would be ∞·0
        }
        double m = DetMath.exp(-Math.abs(x));
        double tanhSp;
        double sech2;
        double sigma;
        if (x >= 0) {
            double num = 1.0 + 2.0 * m;
            double den = num + 2.0 * (m * m);
            tanhSp = num / den;
            double onePlusM = 1.0 + m;
            sech2 = 4.0 * (m * onePlusM) * (m * onePlusM) / (den * den);
            sigma = 1.0 / onePlusM;
        } else {
            double n = m * (m + 2.0);
            double den = n + 2.0;
            tanhSp = n / den;
            sech2 = 4.0 * (n + 1.0) / (den * den);
            sigma = m / (1.0 + m);
        }
        return tanhSp + x * sech2 * sigma;
    }

    /** softplus(x) = ln(1 + e^x) = max(x, 0) + ln(1 + e^(−|x|)), which neither overflows nor cancels. */
    static double softplus(double x) {
        return Math.max(x, 0.0) + DetMath.log1p(DetMath.exp(-Math.abs(x)));
    }

    /** σ(x), the derivative of softplus. */
    static double sigmoid(double x) {
        return 1.0 / (1.0 + DetMath.exp(-x));
    }

    /** relu6(x) = min(max(x, 0), 6) (PyTorch {@code nn.ReLU6}); NaN stays NaN. */
    static double relu6(double x) {
        return Math.min(Math.max(x, 0.0), 6.0);
    }

    /** hardsigmoid(x) = relu6(x + 3)/6, in PyTorch's order: min(max(x + 3, 0), 6)/6. */
    static double hardsigmoid(double x) {
        return Math.min(Math.max(x + 3.0, 0.0), 6.0) / 6.0;
    }

    /**
     * hardswish(x) = x·relu6(x + 3)/6, in PyTorch's order: (x·min(max(x + 3, 0), 6))/6; −0 at −∞,
     * the limit, where the product is −∞·0 = NaN.
     */
    static double hardswish(double x) {
        return x == Double.NEGATIVE_INFINITY ? -0.0 : x * Math.min(Math.max(x + 3.0, 0.0), 6.0) / 6.0;
    }

    /** softsign(x) = x/(1 + |x|), ±1 at ±∞. */
    static double softsign(double x) {
        return Double.isInfinite(x) ? Math.signum(x) : x / (1.0 + Math.abs(x));
    }

    /** 1/(1 + |x|)², as r·r with r = 1/(1 + |x|) so that it underflows only where the result does. */
    static double softsignDerivative(double x) {
        double r = 1.0 / (1.0 + Math.abs(x));
        return r * r;
    }
}
