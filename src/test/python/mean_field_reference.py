#!/usr/bin/env python3
"""Mean-field reference values for MeanFieldTest, computed independently of the Java code.

Writes src/test/resources/golden/mean_field_reference.csv with one row per (activation, param,
sigma_w2, sigma_b2), the input's mean square being 1 (q1 = sigma_w2 + sigma_b2):

    activation, param, sigma_w2, sigma_b2, q_star, chi1, xi_q, c_star, chi_c, xi_c

and src/test/resources/golden/mean_field_trace.csv, per-layer q and c from c0 = 0.5 for a few
activations (columns activation, param, sigma_w2, sigma_b2, layer, q, c), and
src/test/resources/golden/mean_field_critical.csv, the tanh critical line: the sigma_w2 where
chi1 at q* equals 1, for a few sigma_b2.

Method (different from the Java code's composite Gauss-Legendre rule): scipy.integrate.quad,
adaptive Gauss-Kronrod, on [-12 sd, 12 sd] with the activation's kinks as break points,
relative tolerance 1e-12; two-dimensional expectations nest it (a2 given a1 is normal with mean
c a1 and variance q (1 - c^2)). q* by iterating the length map and then brentq on L(q) - q;
the slope of the length map by a central difference (not Stein's lemma, as the Java code);
c* by brentq on C(c) - c in [0, 1 - 1e-6] when chi1 > 1.01, else 1. Activations (values and
derivatives) come from activation_reference.py, and the list from docs/schemes.csv, so an
activation the registry has and this script lacks is an error.

Rerun from the repository root (needs python3 with numpy and scipy; a few minutes):

    python3 src/test/python/mean_field_reference.py
"""

import math
import os
import sys

import numpy as np
from scipy import integrate, optimize

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import activation_reference as ref  # noqa: E402

CONFIGS = [(0.8, 0.05), (1.8, 0.05), (3.0, 0.3)]
CRITICAL_TOLERANCE = 0.01
INF = float("inf")


def scalar(fn, p):
    def f(a):
        return float(np.asarray(fn(np.array([a], dtype=ref.L), p), dtype=np.float64)[0])
    return f


def gauss(f, mean, sd, kinks):
    """E[f(a)], a ~ N(mean, sd^2)."""
    if sd == 0:
        return f(mean)
    lo, hi = mean - 12 * sd, mean + 12 * sd
    pts = sorted({k for k in kinks if lo < k < hi} | ({mean} if lo < mean < hi else set()))
    dens = lambda a: f(a) * math.exp(-0.5 * ((a - mean) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))
    val, _ = integrate.quad(dens, lo, hi, points=pts or None, limit=500, epsabs=0, epsrel=1e-12)
    return val


def gauss2(f, g, q, c, kinks):
    """E[f(a1) g(a2)], both N(0, q), correlation c."""
    sd = math.sqrt(q)
    inner_sd = math.sqrt(q * max(0.0, (1 - c) * (1 + c)))
    return gauss(lambda a1: f(a1) * gauss(g, c * a1, inner_sd, kinks), 0.0, sd, kinks)


class Field:
    def __init__(self, name, p, sw2, sb2):
        s = ref.SCHEMES[name]
        self.phi = scalar(s["value"], p)
        self.dphi = scalar(s["derivative"], p)
        self.kinks = [float(k) for k in s["kinks"]]
        self.sw2, self.sb2 = sw2, sb2

    def L(self, q):
        return self.sw2 * gauss(lambda a: self.phi(a) ** 2, 0.0, math.sqrt(q), self.kinks) + self.sb2

    def chi1(self, q):
        return self.sw2 * gauss(lambda a: self.dphi(a) ** 2, 0.0, math.sqrt(q), self.kinks)

    def C(self, q, c):
        return (self.sw2 * gauss2(self.phi, self.phi, q, c, self.kinks) + self.sb2) / self.L(q)

    def chic(self, q, c):
        return self.sw2 * gauss2(self.dphi, self.dphi, q, c, self.kinks)

    def q_star(self, q1):
        q = q1
        for _ in range(200):
            n = self.L(q)
            if not math.isfinite(n) or n > 1e200:
                return INF
            if abs(n - q) <= 1e-14 * max(n, 1e-200):
                return n
            if n < 1e-200:
                return 0.0
            q = n
        h = self.L(q) - q
        a = b = q
        while True:
            b = b * 2 if h > 0 else b / 2
            if b > 1e200:
                return INF
            if b < 1e-200:
                return 0.0
            if (self.L(b) - b > 0) != (h > 0):
                break
            a = b
        return optimize.brentq(lambda x: self.L(x) - x, min(a, b), max(a, b), xtol=1e-300, rtol=1e-14)


def depth_scale(x):
    if x >= 1:
        return INF
    return 0.0 if x <= 0 else -1.0 / math.log(x)


def row(name, p, sw2, sb2):
    f = Field(name, p, sw2, sb2)
    q = f.q_star(sw2 + sb2)
    if not (0 < q < INF):
        return [q, float("nan")] * 1 + [float("nan")] * 4
    chi1 = f.chi1(q)
    h = 1e-5 * q
    slope = (f.L(q + h) - f.L(q - h)) / (2 * h)
    if chi1 > 1 + CRITICAL_TOLERANCE:
        g = lambda c: f.C(q, c) - c
        if g(0.0) <= 0:
            c_star = 0.0
        else:
            c_star = optimize.brentq(g, 0.0, 1 - 1e-6, xtol=1e-13, rtol=1e-13)
        chic = f.chic(q, c_star)
    else:
        c_star, chic = 1.0, chi1
    return [q, chi1, depth_scale(slope), c_star, chic, depth_scale(chic)]


def registered_activations(root):
    with open(os.path.join(root, "docs", "schemes.csv")) as fh:
        rows = [line.rstrip("\n").split(",") for line in fh][1:]
    return [r[1] for r in rows if r[0] == "activation"]


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    golden = os.path.join(root, "src", "test", "resources", "golden")
    names = registered_activations(root)
    missing = [n for n in names if n not in ref.SCHEMES]
    if missing:
        sys.exit("activation_reference.SCHEMES lacks registered activations %s" % missing)
    with open(os.path.join(golden, "mean_field_reference.csv"), "w") as out:
        out.write("activation,param,sigma_w2,sigma_b2,q_star,chi1,xi_q,c_star,chi_c,xi_c\n")
        for name in names:
            p = ref.SCHEMES[name]["params"][0]
            for sw2, sb2 in CONFIGS:
                vals = row(name, p, sw2, sb2)
                out.write("%s,%s,%r,%r,%s\n" % (name, "NaN" if p is None else repr(float(p)), sw2, sb2,
                                                ",".join(repr(float(v)) for v in vals)))
                out.flush()
                print(name, p, sw2, sb2, vals, flush=True)
    with open(os.path.join(golden, "mean_field_trace.csv"), "w") as out:
        out.write("activation,param,sigma_w2,sigma_b2,layer,q,c\n")
        for name, sw2, sb2 in [("tanh", 1.8, 0.05), ("relu", 2.0, 0.0), ("gelu", 1.5, 0.1), ("hardtanh", 1.2, 0.05)]:
            p = ref.SCHEMES[name]["params"][0]
            f = Field(name, p, sw2, sb2)
            q = sw2 * 1.0 + sb2
            c = (sw2 * 0.5 * 1.0 + sb2) / q
            for layer in range(1, 7):
                if layer > 1:
                    q, c = f.L(q), f.C(q, c)
                out.write("%s,%s,%r,%r,%d,%r,%r\n" % (name, "NaN" if p is None else repr(float(p)), sw2, sb2,
                                                      layer, q, c))
    with open(os.path.join(golden, "mean_field_critical.csv"), "w") as out:
        out.write("activation,sigma_b2,sigma_w2_critical\n")
        for sb2 in [0.0, 0.05, 0.3]:
            def excess(sw2):
                f = Field("tanh", None, sw2, sb2)
                return f.chi1(f.q_star(sw2 + sb2)) - 1.0
            sw2 = optimize.brentq(excess, 1.0 + 1e-9 if sb2 > 0 else 0.5, 4.0, xtol=1e-12) if sb2 > 0 else 1.0
            out.write("tanh,%r,%r\n" % (sb2, sw2))
            print("critical", sb2, sw2, flush=True)


if __name__ == "__main__":
    main()
