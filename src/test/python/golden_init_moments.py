#!/usr/bin/env python3
"""Golden moments of truncated normal weights, for InitCatalogueTest.

Two initializers draw truncated normals:
  * Keras/JAX variance scaling with distribution "truncated_normal": N(0, 1) restricted to
    (-2, 2), divided by 0.87962566103423978 (its std), times sqrt(scale / n);
  * PyTorch trunc_normal_(mean=0, std, a, b): N(0, std^2) restricted to the absolute interval
    [a, b].
For each case below this script computes, from the definition of the truncated density
phi(x/std)/std / (Phi(b/std) - Phi(a/std)) on [a, b], the mean, the variance, the raw moments
E[w^2] and E[w^4], and the std, by mpmath quadrature at 40 significant digits, and checks
them against scipy.stats.truncnorm. The Java code is never consulted. The cases include the
defaults, an asymmetric interval, intervals far in the tail and tiny ones, a half-infinite
one and one so wide relative to std that nothing is truncated.

Rerun from the repository root (needs python3, mpmath and scipy; about a second):

    python3 src/test/python/golden_init_moments.py

The two initializers must be registered inits in docs/schemes.csv (the Java registry's export,
read by its header's column names), and the "default" cases take trunc_normal_'s default a and
b from its parameters there: an unregistered name, or a default missing there, is an error.

It overwrites src/test/resources/golden/init_moments.csv. CSV columns: case, std, a, b, mean,
var, m2, m4, sd (a, b may be -inf/inf). The first row, case keras_unit, is N(0, 1) on (-2, 2):
its sd is the constant Keras and JAX divide by.
"""

import csv
import math
import os
import sys

import mpmath
from scipy.stats import truncnorm

mpmath.mp.dps = 40

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

# The registered inits whose weights are truncated normals: Keras/JAX's variance scaling (its
# "truncated_normal" distribution, the case keras_unit) and PyTorch's trunc_normal_ (the others).
KERAS = "variance_scaling"
TORCH = "truncated_normal"


def registered(kind):
    """{name: parameters} of the schemes of `kind` (init or activation) in docs/schemes.csv, the registry's export."""
    with open(os.path.join(ROOT, "docs", "schemes.csv"), newline="") as f:
        return {r["name"]: r["parameters"] for r in csv.DictReader(f) if r["kind"] == kind}


def defaults(parameters):
    """{name: value} of the defaults in a parameters cell ("a=-2;b=2"); a name without a default maps to None."""
    out = {}
    for item in filter(None, parameters.split(";")):
        name, _, value = item.partition("=")
        out[name] = value or None
    return out


def torch_default_interval():
    """trunc_normal_'s default (a, b), from its registered parameters; an error unless both are there."""
    inits = registered("init")
    for name in (KERAS, TORCH):
        if name not in inits:
            sys.exit("golden_init_moments: %r is not a registered init in docs/schemes.csv (registered: %s)"
                     % (name, ", ".join(sorted(inits))))
    d = defaults(inits[TORCH])
    if d.get("a") is None or d.get("b") is None:
        sys.exit("golden_init_moments: docs/schemes.csv gives %s no default a and b: %r" % (TORCH, inits[TORCH]))
    return float(d["a"]), float(d["b"])


def cases():
    """(case, std, a, b): trunc_normal_'s absolute cutoffs."""
    a, b = torch_default_interval()
    return [
        ("keras_unit", 1.0, -2.0, 2.0),
        ("default_std1.3", 1.3, a, b),
        ("default_std0.37", 0.37, a, b),
        ("asymmetric", 1.0, -1.0, 3.0),
        ("far_tail", 1.0, 5.0, 6.0),
        ("deep_tail", 0.1, 1.0, 1.5),
        ("tiny", 1.0, 1e-3, 2e-3),
        ("tiny_tail", 1.0, 3.0, 3.0001),
        ("half_line", 2.0, -math.inf, 0.0),
        ("untruncated", 0.01, -2.0, 2.0),
    ]


def moments(std, a, b):
    s = mpmath.mpf(std)
    lo = -mpmath.inf if math.isinf(a) else mpmath.mpf(a)
    hi = mpmath.inf if math.isinf(b) else mpmath.mpf(b)

    def density(x):
        return mpmath.npdf(x / s) / s

    # split at the interval's ends and 0 so quadrature sees the peak
    points = [lo] + [p for p in (mpmath.mpf(0),) if lo < p < hi] + [hi]
    z = mpmath.quad(density, points)
    mean, m2, m4 = [mpmath.quad(lambda x, k=k: x ** k * density(x), points) / z for k in (1, 2, 4)]
    # m2 - mean^2 cancels on narrow intervals: integrate the centred square instead
    var = mpmath.quad(lambda x: (x - mean) ** 2 * density(x), points) / z
    return mean, var, m2, m4, mpmath.sqrt(var)


def check_scipy(std, a, b, mean, var, m4):
    """A second opinion. scipy loses digits on tiny intervals (its var is 5% low on [3, 3.0001],
    its 4th moment 0.6% high on [1e-3, 2e-3]), so only gross disagreement fails; the quadrature
    at 40 digits is the reference."""
    d = truncnorm(a / std, b / std, scale=std)
    assert math.isclose(float(d.mean()), float(mean), rel_tol=1e-9, abs_tol=1e-15 * std), (std, a, b, "mean")
    assert math.isclose(float(d.var()), float(var), rel_tol=0.1), (std, a, b, "var", d.var(), var)
    assert math.isclose(float(d.moment(4)), float(m4), rel_tol=0.1), (std, a, b, "m4", d.moment(4), m4)


def fmt(x):
    return repr(float(x))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "resources", "golden", "init_moments.csv")
    rows = ["case,std,a,b,mean,var,m2,m4,sd"]
    all_cases = cases()
    for case, std, a, b in all_cases:
        mean, var, m2, m4, sd = moments(std, a, b)
        check_scipy(std, a, b, mean, var, m4)
        rows.append(",".join([case, fmt(std), fmt(a), fmt(b)] + [mpmath.nstr(v, 17, min_fixed=-30, max_fixed=30)
                                                                  for v in (mean, var, m2, m4, sd)]))
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    print(f"{len(all_cases)} cases -> {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
