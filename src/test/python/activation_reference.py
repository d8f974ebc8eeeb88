#!/usr/bin/env python3
"""Reference values and derivatives of every activation, for ActivationReferenceTest.

Writes src/test/resources/golden/activation_reference.csv with the columns

    activation, param, x, value, derivative

one row per (activation, parameter, x), and src/test/resources/golden/activation_tolerances.csv,
one row per activation: what the Java tests allow it (see scheme() below). Each activation is
one entry of SCHEMES. The Java code is never consulted: values come from
numpy and scipy.special (expit, erfcx, ndtr, logaddexp, expm1, tanh), and every derivative is
written out by hand below in closed form, in a form without cancellation where one exists
(for example sigma(x) * sigma(-x) instead of sigma * (1 - sigma)). param is NaN for the
activations that take none.

Rerun from the repository root (needs python3 with numpy and scipy; about a second):

    python3 src/test/python/activation_reference.py

It overwrites the CSV; commit the regenerated file together with whatever change made a rerun
necessary. The Java build does not run Python: the CSV is committed and this script is kept so
that anyone can reproduce or extend it. Numbers are written with repr(), which round-trips
float64 exactly.

The x grid: a coarse sweep of -40..40 (the tails, where exp underflows and functions
saturate), a fine sweep of -8..8, tiny magnitudes around 0 (including -0.0 and subnormals),
the kinks (0 for relu/leaky/elu/selu, +-1 for hardtanh, each with its neighbouring doubles),
and the points where phi' of gelu, gelu_tanh, silu and mish has its maximum and minimum (found
here with scipy.optimize), so the Java test can check maxDerivative against them.

Accuracy: every function except gelu is evaluated in numpy's longdouble (x87 80-bit on x86-64,
11 more mantissa bits; the script should be run there) and rounded to float64 at the end, so
the float64 rounding of intermediate terms (e.g. of u in gelu_tanh's lower tail, which the
result amplifies by ~2|u|) does not reach the CSV. gelu uses float64 scipy (no longdouble
erf): where ndtr would lose accuracy, deep in the lower tail (it rounds x/sqrt(2) and squares
it, ~x^2 * 1e-16 relative), Phi(x) is erfcx(-x/sqrt(2))/2 * exp(-x^2/2) with exp(-x^2/2) split
as exp(-h^2/2) * exp(-(x-h)(x+h)/2), h = x rounded to a multiple of 1/64, so that no rounding
enters the exponent. A one-off comparison of the generated file with 60-digit mpmath found
every value and derivative within 0.6 ulp, except gelu's values within 4e-16 relative (normal
range) and gelu's derivative within 3e-16 of |Phi| + |x phi| (the terms that cancel near its
zero at x = -0.75).
"""

import math
import os
import sys

import numpy as np
from scipy import optimize, special

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
GELU_TANH_C = math.sqrt(2.0 / math.pi)
GELU_TANH_K = 0.044715
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
# Extended precision (x87 80-bit on x86-64: 11 more mantissa bits) where numpy and scipy have
# it (exp, expm1, tanh, cosh, logaddexp, scipy.special.expit): it keeps the float64 results
# correctly rounded where float64 arithmetic would not be, e.g. gelu_tanh in the lower tail,
# where the rounding of u = c (x + k x^3) is amplified by |d ln phi / d ln u| ~ 2|u|.
# The constants are the float64 ones every framework uses (as are selu's).
L = np.longdouble


def exp_minus_half_square(x):
    """exp(-x^2/2) without the rounding of x*x in the exponent (float64: no erf in longdouble)."""
    h = np.round(x * 64.0) / 64.0          # few significant bits: h*h is exact
    d = (x - h) * (x + h)                  # x - h is exact; |d| <= |x|/32 + 1/4096
    return np.exp(-0.5 * h * h) * np.exp(-0.5 * d)


def normal_cdf(x):
    x = np.asarray(x, dtype=np.float64)
    lower = 0.5 * special.erfcx(-x / math.sqrt(2.0)) * exp_minus_half_square(x)
    return np.where(x < 0, lower, special.ndtr(x))


def normal_pdf(x):
    return INV_SQRT_2PI * exp_minus_half_square(x)


def sigmoid(x):
    return special.expit(x)


def sigmoid_prime(x):
    return special.expit(x) * special.expit(-x)


def softplus(x):
    return np.logaddexp(L(0), x)


def sech2(x):
    with np.errstate(over="ignore"):
        c = np.cosh(x)
    return 1 / (c * c)


def gelu_tanh_t(x):
    """2u = 2c (x + k x^3), the argument of sigma in 0.5 x (1 + tanh u) = x sigma(2u)."""
    return 2 * L(GELU_TANH_C) * (x + L(GELU_TANH_K) * x ** 3)


def scheme(value, derivative, value_ulps, derivative_ulps, scale="abs", params=(None,), condition=False, kinks=(),
           hump=False, band_ulps=0):
    """One activation's line of data.

    value, derivative: functions of (x in longdouble, parameter), derivatives by hand from the
        definition;
    value_ulps, derivative_ulps: what ActivationReferenceTest allows the Java code, in ulps of the
        reference, set from what the code achieves (see the test's class comment);
    scale: what a derivative's error is measured against: "abs" |phi'|, "max" max phi' (absolute;
        sigma(1 - sigma) and 1 - tanh^2), "gate" |g| + |x g'| with g = phi/x (the x gate(x)
        activations, whose phi' crosses zero);
    params: the parameters to tabulate (None: the activation takes none);
    condition: tolerances are times 1 + kappa, kappa = |x phi'/phi| the condition number of phi;
    kinks: where phi' jumps (they and their neighbouring doubles join the x grid; KernelsTest
        skips finite differences there);
    hump: phi' has an interior maximum and minimum (found here, added to the x grid);
    band_ulps: how far (in doubles) SaturationBandTest lets a saturation cut sit from where the
        code's own phi' crosses the threshold.
    """
    return dict(value=value, derivative=derivative, value_ulps=value_ulps, derivative_ulps=derivative_ulps,
                scale=scale, params=list(params), condition=condition, kinks=list(kinks), hump=hump,
                band_ulps=band_ulps)


# The activations, one entry each; the Java registry's list (docs/schemes.csv) must match it.
SCHEMES = {
    "sigmoid": scheme(lambda x, p: sigmoid(x), lambda x, p: sigmoid_prime(x), 2, 4, scale="max", band_ulps=1 << 11),
    "tanh": scheme(lambda x, p: np.tanh(x), lambda x, p: sech2(x), 2, 4, scale="max", band_ulps=1 << 11),
    "relu": scheme(lambda x, p: np.where(x > 0, x, L(0)), lambda x, p: np.where(x > 0, L(1), L(0)), 0, 0,
                   kinks=[0.0]),
    # PyTorch: x > 0 ? x : slope * x, and the gradient at 0 is the slope
    "leaky_relu": scheme(lambda x, p: np.where(x > 0, x, L(p) * x), lambda x, p: np.where(x > 0, L(1), L(p)), 0, 0,
                         params=[0.01, 0.2], kinks=[0.0]),
    # PyTorch elu_backward: x <= 0 -> alpha * exp(x), so elu'(0) = alpha
    "elu": scheme(lambda x, p: np.where(x > 0, x, L(p) * np.expm1(np.minimum(x, L(0)))),
                  lambda x, p: np.where(x > 0, L(1), L(p) * np.exp(np.minimum(x, L(0)))), 2, 2,
                  params=[1.0, 0.5, 2.0], kinks=[0.0], band_ulps=4),
    "selu": scheme(lambda x, p: L(SELU_SCALE) * np.where(x > 0, x, L(SELU_ALPHA) * np.expm1(np.minimum(x, L(0)))),
                   lambda x, p: L(SELU_SCALE) * np.where(x > 0, L(1), L(SELU_ALPHA) * np.exp(np.minimum(x, L(0)))),
                   2, 2, kinks=[0.0], band_ulps=4),
    # x Phi(x); (x Phi)' = Phi + x phi. float64: scipy has no longdouble erf
    "gelu": scheme(lambda x, p: x.astype(np.float64) * normal_cdf(x.astype(np.float64)),
                   lambda x, p: normal_cdf(x.astype(np.float64))
                   + x.astype(np.float64) * normal_pdf(x.astype(np.float64)), 8, 8, scale="gate", hump=True),
    # 0.5 x (1 + tanh u) = x sigma(2u); derivative sigma(2u) + x * 2 sigma(2u) sigma(-2u) u',
    # u' = c (1 + 3 k x^2)
    "gelu_tanh": scheme(
        lambda x, p: x * sigmoid(gelu_tanh_t(x)),
        lambda x, p: sigmoid(gelu_tanh_t(x)) + x * 2 * sigmoid_prime(gelu_tanh_t(x))
        * L(GELU_TANH_C) * (1 + 3 * L(GELU_TANH_K) * x * x), 4, 4, scale="gate", condition=True, hump=True),
    # x sigma(x); sigma(x) (1 + x sigma(-x))
    "silu": scheme(lambda x, p: x * sigmoid(x), lambda x, p: sigmoid(x) * (1 + x * sigmoid(-x)), 4, 4, scale="gate",
                   hump=True),
    # x tanh(sp(x)); tanh(sp) + x sech^2(sp) sigma(x)
    "mish": scheme(lambda x, p: x * np.tanh(softplus(x)),
                   lambda x, p: np.tanh(softplus(x)) + x * sech2(softplus(x)) * sigmoid(x), 4, 4, scale="gate",
                   hump=True),
    "softplus": scheme(lambda x, p: softplus(x), lambda x, p: sigmoid(x), 2, 2, band_ulps=4),
    "softsign": scheme(lambda x, p: x / (1 + np.abs(x)), lambda x, p: 1 / (1 + np.abs(x)) ** 2, 2, 4, kinks=[0.0],
                       band_ulps=4),
    # PyTorch hardtanh_backward: 0 for x <= -1 or x >= 1
    "hardtanh": scheme(lambda x, p: np.clip(x, L(-1), L(1)), lambda x, p: np.where((x > -1) & (x < 1), L(1), L(0)),
                       0, 0, kinks=[-1.0, 1.0]),
    "linear": scheme(lambda x, p: np.array(x, copy=True), lambda x, p: np.ones_like(x), 0, 0),
    # x sigma(beta x); sigma(beta x) (1 + beta x sigma(-beta x))
    "swish": scheme(lambda x, p: x * sigmoid(L(p) * x),
                    lambda x, p: sigmoid(L(p) * x) * (1 + L(p) * x * sigmoid(-L(p) * x)), 4, 4, scale="gate",
                    params=[1.0, 0.5, 2.0], hump=True),
    # PyTorch: relu6(x + 3) / 6; hardsigmoid_backward: 1/6 on (-3, 3), else 0
    "hardsigmoid": scheme(lambda x, p: np.clip(x + 3, L(0), L(6)) / 6,
                          lambda x, p: np.where((x > -3) & (x < 3), L(1) / 6, L(0)), 2, 0, kinks=[-3.0, 3.0]),
    # PyTorch: x relu6(x + 3) / 6; hardswish_backward: 0 below -3, x/3 + 1/2 on [-3, 3], 1 above
    "hardswish": scheme(lambda x, p: x * np.clip(x + 3, L(0), L(6)) / 6,
                        lambda x, p: np.where(x < -3, L(0), np.where(x <= 3, x / 3 + L(0.5), L(1))), 2, 2,
                        scale="gate", kinks=[-3.0, 3.0]),
    # PyTorch: hardtanh(x, 0, 6); hardtanh_backward: 1 on (0, 6), else 0
    "relu6": scheme(lambda x, p: np.clip(x, L(0), L(6)), lambda x, p: np.where((x > 0) & (x < 6), L(1), L(0)), 0, 0,
                    kinks=[0.0, 6.0]),
}


def extremum(name, p, lo, hi, sign):
    """argmax (sign=+1) or argmin (sign=-1) of phi' on [lo, hi], to about 1e-12."""
    d = SCHEMES[name]["derivative"]
    r = optimize.minimize_scalar(lambda t: -sign * float(d(np.array([t], dtype=L), p)[0]), bounds=(lo, hi),
                                 method="bounded", options={"xatol": 1e-12})
    return float(r.x)


def grid():
    xs = set()
    xs.update(np.round(np.arange(-40.0, 40.0 + 1e-9, 0.5), 10).tolist())
    xs.update(np.round(np.arange(-8.0, 8.0 + 1e-9, 0.05), 10).tolist())
    for m in [1e-300, 1e-200, 1e-100, 1e-30, 1e-16, 1e-8, 1e-4, 1e-3, 0.01, 5e-324, 2.2250738585072014e-308]:
        xs.update([m, -m])
    for k in sorted({0.0, 1.0, -1.0}.union(*(s["kinks"] for s in SCHEMES.values()))):
        xs.update([k, float(np.nextafter(k, k + 1.0)), float(np.nextafter(k, k - 1.0))])
    for name, s in SCHEMES.items():
        if s["hump"]:
            for p in s["params"]:
                stretch = 1.0 if p is None else 1.0 / p  # swish: phi'(x) = silu'(beta x)
                xs.add(extremum(name, p, 0.0, 4.0 * stretch, +1))
                xs.add(extremum(name, p, -5.0 * stretch, 0.0, -1))
    xs.discard(0.0)  # a set keeps one of 0.0 and -0.0: write both explicitly
    return [-0.0, 0.0] + sorted(xs)


def registered_activations(root):
    """The activation names of docs/schemes.csv, the Java registry's export (initsweep catalogue --csv)."""
    with open(os.path.join(root, "docs", "schemes.csv")) as f:
        rows = [line.rstrip("\n").split(",") for line in f][1:]
    return [r[1] for r in rows if r[0] == "activation"]


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    registered = registered_activations(root)
    missing = [name for name in registered if name not in SCHEMES]
    unknown = [name for name in SCHEMES if name not in registered]
    if missing or unknown:
        sys.exit("SCHEMES must list exactly the registered activations (docs/schemes.csv): missing %s, unknown %s"
                 % (missing, unknown))
    out = os.path.join(root, "src", "test", "resources", "golden", "activation_reference.csv")
    xs = np.array(grid(), dtype=L)
    rows = 0
    with open(out, "w") as f:
        f.write("activation,param,x,value,derivative\n")
        for name, scheme_data in SCHEMES.items():
            value, derivative = scheme_data["value"], scheme_data["derivative"]
            for p in scheme_data["params"]:
                with np.errstate(over="ignore", under="ignore", invalid="ignore"):
                    v = np.asarray(value(xs, p)).astype(np.float64)
                    d = np.asarray(derivative(xs, p)).astype(np.float64)
                for x, vi, di in zip(xs.astype(np.float64), v, d):
                    if not (np.isfinite(vi) and np.isfinite(di)):
                        sys.exit("non-finite reference %s(%s) at %r: %r %r" % (name, p, x, vi, di))
                    f.write("%s,%s,%r,%r,%r\n" % (name, "NaN" if p is None else repr(float(p)),
                                                   float(x), float(vi), float(di)))
                    rows += 1
    print("wrote %d rows to %s" % (rows, out))
    tolerances = os.path.join(root, "src", "test", "resources", "golden", "activation_tolerances.csv")
    with open(tolerances, "w") as f:
        f.write("activation,value_ulps,derivative_ulps,derivative_scale,condition,band_ulps,kinks\n")
        for name, d in SCHEMES.items():
            f.write("%s,%d,%d,%s,%s,%d,%s\n" % (name, d["value_ulps"], d["derivative_ulps"], d["scale"],
                                               "true" if d["condition"] else "false", d["band_ulps"],
                                               ";".join(repr(float(k)) for k in d["kinks"])))
    print("wrote %d activations to %s" % (len(SCHEMES), tolerances))


if __name__ == "__main__":
    main()
