#!/usr/bin/env python3
"""Golden per-layer statistics of the seed notebook's numpy loop, for GoldenSeedStatsTest.

The loop (one "grid point"): X ~ N(0, 1) of shape 1000 x 100; for each of 5 layers,
W (100 x 100) drawn from the initializer, A = X @ W, Z = phi(A), X <- Z. No bias. For every
configuration below it runs 20 numpy seeds and writes, per (config, layer, statistic), the
mean over seeds and the seed-to-seed standard deviation (ddof=1). GoldenSeedStatsTest runs
the Java kernel (io.initsweep.sim.ForwardPass) on the same configurations with its own seeds
and checks each statistic's mean against these numbers within a tolerance derived from the
seed-to-seed spread. The Java code is never consulted here: every statistic is computed
from its definition (docs/design.md section 3), not from the kernel's shortcuts (for example the
saturation test evaluates phi'(a) < tau * max phi' directly instead of a closed-form band).

Rerun from the repository root (needs python3 and numpy only; about 10 s):

    python3 src/test/python/golden_seed_stats.py

Every init and activation the configurations name must be registered in docs/schemes.csv (the
Java registry's export, read by its header's column names) and have a numpy form here: anything
else is an error before a chain runs, never drawn or applied some other way.

It overwrites src/test/resources/golden/seed_stats.csv. The output depends only on numpy's
PCG64 streams (np.random.default_rng(seed)), so a rerun reproduces the file to the last digit
on any machine with the same numpy BLAS summation order, and to ~1e-12 relative otherwise;
commit the regenerated file together with whatever change made a rerun necessary.

CSV columns: config, init, init_std, activation, hist_lo, hist_hi, bins, layer (1-based),
statistic, mean, sd, seeds. Statistics:
  act_mean, act_std, pre_mean, pre_std, pre_sq_mean   population moments (ddof=0) of Z and A
  saturation_rate      share of entries with phi'(a) < 0.05 * max phi'
  dead_unit_rate       share of columns saturated on every row
  zero_rate            share of z exactly 0
  hist_00..hist_29     share of z in the 30-bin histogram over [hist_lo, hist_hi]
                       (np.histogram: [e_k, e_k+1), last bin closed)
  hist_under, hist_over  share of z below hist_lo / above hist_hi
  log_00..log_31       share of |z| in the log10 histogram over [-12, 4], 32 bins
  log_under, log_over  share of |z| < 1e-12 (zeros included) / > 1e4
"""

import csv
import os
import sys

import numpy as np

BATCH = 1000
WIDTH = 100
DEPTH = 5
SEEDS = list(range(20))
TAU = 0.05
BINS = 30
LOG_RANGE = (-12.0, 4.0)
LOG_BINS = 32

# (config name, init, std axis value or None, activation)
CONFIGS = [
    ("normal_std1_sigmoid", "normal", 1.0, "sigmoid"),
    ("normal_std0.01_sigmoid", "normal", 0.01, "sigmoid"),
    ("xavier_normal_sigmoid", "xavier_normal", None, "sigmoid"),
    ("xavier_normal_relu", "xavier_normal", None, "relu"),
    ("kaiming_normal_relu", "kaiming_normal", None, "relu"),
    ("normal_std1_tanh", "normal", 1.0, "tanh"),
    ("normal_std0.01_tanh", "normal", 0.01, "tanh"),
    ("xavier_normal_tanh", "xavier_normal", None, "tanh"),
]

# Histogram range per activation: the activation's range when bounded, else a documented window.
HIST_RANGE = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 5.0)}


def weight_std(init, std, fan_in, fan_out):
    if init == "normal":
        return std
    if init == "xavier_normal":  # Glorot & Bengio 2010, PyTorch xavier_normal_ (gain 1)
        return np.sqrt(2.0 / (fan_in + fan_out))
    if init == "kaiming_normal":  # He et al. 2015, PyTorch kaiming_normal_ (a=0, fan_in)
        return np.sqrt(2.0 / fan_in)
    raise ValueError(init)


def phi(act, a):
    if act == "sigmoid":
        with np.errstate(over="ignore"):
            return 1.0 / (1.0 + np.exp(-a))
    if act == "tanh":
        return np.tanh(a)
    if act == "relu":
        return np.maximum(a, 0.0)
    raise ValueError(act)


def dphi(act, a):
    if act == "sigmoid":
        s = phi(act, a)
        return s * (1.0 - s)
    if act == "tanh":
        t = np.tanh(a)
        return 1.0 - t * t
    if act == "relu":
        return (a > 0).astype(float)
    raise ValueError(act)


MAX_DPHI = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}


INITS = ("normal", "xavier_normal", "kaiming_normal")


def registered(kind):
    """The scheme names of `kind` (init or activation) in docs/schemes.csv, the registry's export."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    with open(os.path.join(root, "docs", "schemes.csv"), newline="") as f:
        return {r["name"] for r in csv.DictReader(f) if r["kind"] == kind}


def check_schemes():
    """Every init and activation of CONFIGS is registered and has a numpy form here."""
    inits, activations = registered("init"), registered("activation")
    unknown = sorted(set(INITS) - inits) + sorted(set(MAX_DPHI) - activations)
    if unknown:
        sys.exit("golden_seed_stats: numpy forms for unregistered schemes %s (docs/schemes.csv)" % unknown)
    for name, init, _, act in CONFIGS:
        if init not in inits:
            sys.exit("golden_seed_stats: %s: unknown init %r (registered: %s)" % (name, init, ", ".join(sorted(inits))))
        if act not in activations:
            sys.exit("golden_seed_stats: %s: unknown activation %r (registered: %s)"
                     % (name, act, ", ".join(sorted(activations))))
        if init not in INITS or act not in MAX_DPHI or act not in HIST_RANGE:
            sys.exit("golden_seed_stats: %s: no numpy form here for %s with %s" % (name, init, act))


def layer_stats(act, a, z):
    n = a.size
    lo, hi = HIST_RANGE[act]
    saturated = dphi(act, a) < TAU * MAX_DPHI[act]
    s = {
        "act_mean": z.mean(),
        "act_std": z.std(),
        "pre_mean": a.mean(),
        "pre_std": a.std(),
        "pre_sq_mean": np.mean(a * a),
        "saturation_rate": saturated.mean(),
        "dead_unit_rate": saturated.all(axis=0).mean(),
        "zero_rate": np.mean(z == 0.0),
    }
    counts, _ = np.histogram(z, bins=BINS, range=(lo, hi))
    for k in range(BINS):
        s[f"hist_{k:02d}"] = counts[k] / n
    s["hist_under"] = np.count_nonzero(z < lo) / n
    s["hist_over"] = np.count_nonzero(z > hi) / n
    m = np.abs(z)
    nonzero = m[m > 0]
    logs = np.log10(nonzero)
    log_counts, _ = np.histogram(logs, bins=LOG_BINS, range=LOG_RANGE)
    for k in range(LOG_BINS):
        s[f"log_{k:02d}"] = log_counts[k] / n
    s["log_under"] = (np.count_nonzero(m == 0) + np.count_nonzero(logs < LOG_RANGE[0])) / n
    s["log_over"] = np.count_nonzero(logs > LOG_RANGE[1]) / n
    return s


def run_chain(init, std, act, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((BATCH, WIDTH))
    s = weight_std(init, std, WIDTH, WIDTH)
    rows = []
    for _ in range(DEPTH):
        w = rng.standard_normal((WIDTH, WIDTH)) * s
        a = x @ w
        z = phi(act, a)
        rows.append(layer_stats(act, a, z))
        x = z
    return rows


def main():
    check_schemes()
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.normpath(os.path.join(here, "..", "resources", "golden", "seed_stats.csv"))
    lines = [
        "# Generated by src/test/python/golden_seed_stats.py -- do not edit; rerun the script instead.",
        f"# numpy {np.__version__}; batch {BATCH}, width {WIDTH}, depth {DEPTH}, seeds {SEEDS[0]}..{SEEDS[-1]}"
        f" (np.random.default_rng), tau {TAU}, bins {BINS}, log range {LOG_RANGE} in {LOG_BINS} bins.",
        "# mean = mean over seeds, sd = seed-to-seed standard deviation (ddof=1), both to 10 significant digits.",
        "config,init,init_std,activation,hist_lo,hist_hi,bins,layer,statistic,mean,sd,seeds",
    ]
    for name, init, std, act in CONFIGS:
        per_seed = [run_chain(init, std, act, seed) for seed in SEEDS]
        lo, hi = HIST_RANGE[act]
        for layer in range(DEPTH):
            for stat in per_seed[0][layer]:
                values = np.array([per_seed[i][layer][stat] for i in range(len(SEEDS))], dtype=float)
                lines.append(
                    f"{name},{init},{'' if std is None else repr(std)},{act},{lo!r},{hi!r},{BINS},{layer + 1},"
                    f"{stat},{values.mean():.10g},{values.std(ddof=1):.10g},{len(SEEDS)}"
                )
        print(f"{name}: done", file=sys.stderr)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {out} ({len(lines) - 4} rows)", file=sys.stderr)


if __name__ == "__main__":
    main()
