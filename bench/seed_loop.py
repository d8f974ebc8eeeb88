#!/usr/bin/env python3
"""The seed notebook's numpy loop, point by point: the baseline of the seed-loop and whole-sweep benchmarks.

One grid point is what the notebook did for one configuration:

    x = np.random.randn(1000, 100)                  # input, N(0, 1)
    for i in range(depth):                          # 5 layers of width 100 in the notebook
        w = np.random.randn(100, 100) * std         # the init's scale (normal: std; xavier/he: from fan-in)
        a = np.dot(x, w)
        z = sigmoid(a)                              # or any other activation of phi() below
        activations[i] = z
        x = z
    for i, z in activations.items():                # per layer: 30-bin histogram, mean and std
        np.histogram(z.flatten(), 30, range=(lo, hi)); z.mean(); z.std()

No depth sharing: a depth-20 point computes its own 20 layers, as the notebook would.

Usage (run from anywhere; numpy only):

    bench/seed_loop.py --seed-config [--procs 1] [--rounds 5] [--round-seconds 2]
        seed loop: the notebook's own configuration (normal std 1, sigmoid, depth 5, 1000x100),
        repeated for a few seconds per round; prints the median points/s.
    bench/seed_loop.py --points FILE.jsonl [--procs 2] [--sample K]
        whole sweep: every grid point of a sweep (JSON lines as written by
        io.initsweep.bench.GridPointsJson, one object per point with init, weight_std,
        activation, activation_param, depth, width, batch, hist_lo, hist_hi, bins), spread over
        --procs worker processes, heaviest points first; --sample K runs only every K-th chain
        and scales the time by the layers computed (printed as an estimate).
    --json FILE writes the figures for bench/run.sh.

Each worker runs BLAS single-threaded: OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and
MKL_NUM_THREADS are set to 1 before numpy is imported (override with --blas-threads).
"""

import argparse
import json
import os
import statistics
import sys
import time


def _blas_threads_from_argv():
    for i, a in enumerate(sys.argv):
        if a == "--blas-threads" and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if a.startswith("--blas-threads="):
            return a.split("=", 1)[1]
    return "1"


_THREADS = _blas_threads_from_argv()
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = _THREADS

import multiprocessing as mp  # noqa: E402

import numpy as np  # noqa: E402

SEED_CONFIG = {"init": "normal", "weight_std": 1.0, "activation": "sigmoid", "activation_param": None,
               "depth": 5, "width": 100, "batch": 1000, "hist_lo": 0.0, "hist_hi": 1.0, "bins": 30}


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def phi(name, a, param):
    if name == "sigmoid":
        return sigmoid(a)
    if name == "tanh":
        return np.tanh(a)
    if name == "relu":
        return np.maximum(0, a)
    if name == "leaky_relu":
        return np.where(a > 0, a, (0.01 if param is None else param) * a)
    if name == "elu":
        return np.where(a > 0, a, (1.0 if param is None else param) * np.expm1(np.minimum(a, 0)))
    if name == "selu":
        return 1.0507009873554804934 * np.where(a > 0, a, 1.6732632423543772848 * np.expm1(np.minimum(a, 0)))
    if name == "gelu":
        from scipy.special import erf  # numpy has no erf; only this activation needs scipy
        return 0.5 * a * (1.0 + erf(a / np.sqrt(2.0)))
    if name == "gelu_tanh":
        return 0.5 * a * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (a + 0.044715 * a ** 3)))
    if name == "silu":
        return a * sigmoid(a)
    if name == "mish":
        return a * np.tanh(np.logaddexp(0, a))
    if name == "softplus":
        return np.logaddexp(0, a)
    if name == "softsign":
        return a / (1.0 + np.abs(a))
    if name == "hardtanh":
        return np.clip(a, -1.0, 1.0)
    if name == "linear":
        return a
    raise ValueError("unknown activation " + name)


def registered(kind):
    """The scheme names of `kind` (init or activation) in docs/schemes.csv, the registry's export."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "schemes.csv")
    with open(path) as f:
        rows = [line.rstrip("\n").split(",") for line in f][1:]
    return {r[1] for r in rows if r[0] == kind}


# How numpy draws each initializer's weights here, as the notebook would: W = draw * scale. Every
# name must be registered (docs/schemes.csv); a registered one missing here is refused, never
# drawn some other way.
DRAWS = {
    "normal": "randn", "truncated_normal": "randn", "sparse": "randn", "variance_scaling": "randn",
    "xavier_normal": "randn", "kaiming_normal": "randn", "glorot_normal": "randn", "he_normal": "randn",
    "lecun_normal": "randn", "orthogonal": "randn", "identity": "randn", "lsuv": "randn",
    "glorot_uniform": "randn", "he_uniform": "randn", "lecun_uniform": "randn",
    "uniform": "uniform", "xavier_uniform": "uniform", "kaiming_uniform": "uniform",
    "zeros": "zeros", "ones": "ones", "constant": "constant",
}


def check_schemes(points):
    """Every init and activation the points name is registered and has a numpy form here."""
    inits, activations = registered("init"), registered("activation")
    unknown = set(DRAWS) - inits
    if unknown:
        raise ValueError("seed_loop.DRAWS names unregistered inits: %s" % sorted(unknown))
    for p in points:
        if p["init"] not in inits:
            raise ValueError("unknown init %r (registered: %s)" % (p["init"], ", ".join(sorted(inits))))
        if p["init"] not in DRAWS:
            raise ValueError("seed_loop has no numpy draw for init %r" % p["init"])
        if p["activation"] not in activations:
            raise ValueError("unknown activation %r (registered: %s)" % (p["activation"], ", ".join(sorted(activations))))


def weights(p, width):
    """The notebook's W = randn * scale; the other init families drawn the same way numpy would."""
    init, s = p["init"], p["weight_std"]
    draw = DRAWS.get(init)
    if draw == "uniform":
        b = np.sqrt(3.0) * s
        return np.random.uniform(-b, b, (width, width))
    if draw == "zeros":
        return np.zeros((width, width))
    if draw == "ones":
        return np.ones((width, width))
    if draw == "constant":
        return np.full((width, width), p.get("init_value") or 0.0)
    if draw == "randn":
        return np.random.randn(width, width) * s
    raise ValueError("seed_loop has no numpy draw for init %r" % init)


def run_point(p, seed):
    """One grid point, exactly the notebook's loop; returns the last layer's std (a checksum)."""
    np.random.seed(seed % (2 ** 32))
    width, batch = p["width"], p["batch"]
    x = np.random.randn(batch, width)
    activations = {}
    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(p["depth"]):
            if i != 0:
                x = activations[i - 1]
            w = weights(p, width)
            a = np.dot(x, w)
            z = phi(p["activation"], a, p.get("activation_param"))
            activations[i] = z
        last = 0.0
        for i, z in activations.items():
            np.histogram(z.flatten(), p["bins"], range=(p["hist_lo"], p["hist_hi"]))
            z.mean()
            last = z.std()
    return float(last)


def _work(task):
    index, p = task
    t0 = time.perf_counter()
    run_point(p, index)
    return p["depth"], time.perf_counter() - t0


def _warm(_):
    run_point(dict(SEED_CONFIG, depth=1), 0)
    return os.getpid()


def run_points(points, procs):
    """All points on `procs` processes (heaviest first, one point per task). Returns (seconds, cpu_seconds)."""
    tasks = sorted(enumerate(points), key=lambda t: -t[1]["depth"] * t[1]["batch"] * t[1]["width"] ** 2)
    t0 = time.perf_counter()
    if procs == 1:
        cpu0 = time.process_time()
        busy = sum(_work(t)[1] for t in tasks)
        cpu = time.process_time() - cpu0
    else:
        with mp.get_context("fork").Pool(procs) as pool:
            pool.map(_warm, range(procs), chunksize=1)
            t0 = time.perf_counter()  # pool up and warm: time the points only
            busy = sum(r[1] for r in pool.imap_unordered(_work, tasks, chunksize=1))
            cpu = busy  # per-task wall inside the workers, a proxy for their CPU time
    return time.perf_counter() - t0, cpu, busy


def seed_config(args):
    p = dict(SEED_CONFIG)
    run_point(p, 0)  # first-call overheads out of the way
    rates = []
    cpu_shares = []
    seed = 1
    for _ in range(args.rounds):
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        n = 0
        while True:
            run_point(p, seed)
            seed += 1
            n += 1
            t = time.perf_counter()
            if t - t0 >= args.round_seconds:
                break
        rates.append(n / (t - t0))
        cpu_shares.append((time.process_time() - cpu0) / (t - t0))
    med = statistics.median(rates)
    gemm = gemm_us()
    print("numpy seed loop, one process: normal sigmoid std 1 depth 5, 1000x100: %.1f points/s (%.2f ms/point;"
          " median of %d rounds, min %.1f max %.1f; process CPU/wall %.2f); numpy %s"
          % (med, 1000 / med, args.rounds, min(rates), max(rates), statistics.median(cpu_shares), np.__version__))
    return {"mode": "seed-config", "procs": 1, "points_per_s": med, "points_per_s_rounds": rates,
            "cpu_wall": statistics.median(cpu_shares), "numpy": np.__version__, "blas": blas_name(),
            "gemm_us": gemm}


def gemm_us(batch=1000, width=100, repeats=2000):
    """numpy's own GEMM alone at the seed shape, X (batch x width) @ W (width x width) in float64 and
    float32 into a kept output: microseconds per product, the median of 7 rounds of `repeats`."""
    rng = np.random.default_rng(0)
    out = {}
    for name, dt in (("f64", np.float64), ("f32", np.float32)):
        x = rng.standard_normal((batch, width)).astype(dt)
        w = rng.standard_normal((width, width)).astype(dt)
        z = np.empty((batch, width), dt)
        rounds = []
        for _ in range(7):
            t0 = time.perf_counter()
            for _ in range(repeats):
                np.matmul(x, w, out=z)
            rounds.append((time.perf_counter() - t0) / repeats * 1e6)
        out[name] = statistics.median(rounds)
    print("numpy GEMM alone, %dx%d . %dx%d: f64 %.1f us, f32 %.1f us" % (batch, width, width, width, out["f64"], out["f32"]))
    return out


def grid(args):
    with open(args.points) as f:
        points = [json.loads(line) for line in f if line.strip()]
    check_schemes(points)
    total_layers = sum(p["depth"] for p in points)
    chosen = points
    if args.sample > 1:
        chains = sorted({p["chain_id"] for p in points})
        keep = set(chains[::args.sample])
        chosen = [p for p in points if p["chain_id"] in keep]
    layers = sum(p["depth"] for p in chosen)
    seconds, cpu, busy = run_points(chosen, args.procs)
    scale = total_layers / layers
    est = seconds * scale
    label = "" if scale == 1 else " (estimated from %d of %d points, x%.2f by layers)" % (len(chosen), len(points), scale)
    print("numpy seed loop on %d processes: %d grid points (%d layers, no depth sharing) in %.1f s%s: %.1f points/s;"
          " worker busy %.1f s (%.0f%% of %d x wall)"
          % (args.procs, len(points), total_layers, est, label, len(points) / est, busy,
             100 * busy / (args.procs * seconds), args.procs))
    return {"mode": "grid", "procs": args.procs, "points": len(points), "points_run": len(chosen),
            "layers": total_layers, "seconds": est, "seconds_measured": seconds, "scale": scale,
            "points_per_s": len(points) / est, "worker_busy_seconds": busy, "numpy": np.__version__,
            "blas": blas_name()}


def blas_name():
    try:
        cfg = np.show_config(mode="dicts")
        b = cfg["Build Dependencies"]["blas"]
        name = "%s %s" % (b.get("name"), b.get("version"))
    except Exception:  # older numpy
        name = "unknown"
    core = openblas_corename()
    return name if core is None else "%s, %s kernels" % (name, core)


def openblas_corename():
    """The kernel set numpy's bundled OpenBLAS chose at load (e.g. Haswell, SkylakeX), or None."""
    import ctypes
    import glob
    libs = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libs, "*openblas*.so*"))):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for sym in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename64_",
                    "openblas_get_corename"):
            f = getattr(lib, sym, None)
            if f is not None:
                f.restype = ctypes.c_char_p
                return f().decode()
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--seed-config", action="store_true", help="the notebook's configuration, repeated (the seed loop)")
    mode.add_argument("--points", metavar="FILE", help="grid points as JSON lines (the whole sweep)")
    ap.add_argument("--procs", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--round-seconds", type=float, default=2.0)
    ap.add_argument("--sample", type=int, default=1, help="run every K-th chain only and scale (default 1: all)")
    ap.add_argument("--blas-threads", default="1", help="BLAS threads per process (default 1)")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args()
    if args.seed_config and args.procs != 1:
        ap.error("--seed-config measures one process")
    result = seed_config(args) if args.seed_config else grid(args)
    result["blas_threads"] = _THREADS
    result["env"] = {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "GLIBC_TUNABLES")}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f)
            f.write("\n")


if __name__ == "__main__":
    main()
