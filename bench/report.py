#!/usr/bin/env python3
"""Figures, ratios and PASS/FAIL for the performance targets from the files bench/run.sh wrote.

    bench/report.py RESULTS_DIR [--section blas|stats|seed|sweep|small|scaling|training|layer|depth|skew|all]

The targets (docs/performance.md): native BLAS with no install step; the statistics pass <= 1.2 ns
per entry; the seed loop >= 2.5x (f64) / 4x (f32) numpy on one core; jobs/bench.yaml on local[2]
>= 3x numpy on two processes; small work against the floor of any Spark command; local[2] >= 1.8x
local[1] and a sweep of many cheap points not write-bound; the training step's overhead over its
GEMMs. Also printed against their own thresholds: a layer over its GEMM, Spark's overhead, depth
sharing and skew.

Reads (whatever is present; a target whose inputs are missing prints "not measured"):
  jmh.json                       JMH results (GemmBenchmark, LayerBenchmark, ForwardPassBenchmark)
  seed_numpy.json                bench/seed_loop.py --seed-config
  seed_java_<dtype>.json         io.initsweep.bench.SeedLoopBench --dtype <dtype>
  grid_numpy.json                bench/seed_loop.py --points ... --procs 2
  sweep_<name>/manifest.json     bin/initsweep run output; sweep_<name>.time holds the end-to-end seconds
  events_skew/                   Spark event log of the skew sweep
  small_work.json                bench/small-work.sh --json
  training_ratio.txt             io.initsweep.bench.TrainingStepRatio
  hygiene.log                    one line per timed step: quiet or loaded
Thresholds are the targets'; nothing here is a measured figure.
"""

import json
import os
import sys

DTYPES = ("f64", "f32")
STATS_NS_MAX = 1.2                # statistics pass, ns per entry (1000 x 100 float64)
T1_MAX = 1.3                      # layer / GEMM
T2_MIN = {"f64": 2.5, "f32": 4.0}  # java points/s / numpy points/s, one core
T3_MIN = 3.0                      # numpy 2 processes / initsweep local[2], end to end
T4_OVERHEAD_MAX = 1.25            # sweep wall / (kernel / cores)
T4_SCALING_MIN = 1.8              # local[1] wall / local[2] wall
T5_MAX = 1.1                      # depths {5,10,20,50} / depth {50}
T6_MAX = 1.2                      # simulate stage makespan / (sum of task run times / cores)
SMALL_MAX = {"run": 1.0, "report": 1.2, "sql": 1.0, "prompt_query": 0.1}  # small work / floor
SMALL_BUSY_MAX = 2.0              # run jobs/seeds.yaml with one core kept busy / the same run idle
CHEAP_WALL_FACTOR = 2.0           # many cheap points: end to end <= 2 x kernel / cores + the floor
TRAINING_MAX = 1.3                # training step / its GEMMs

verdicts = []


def load(res, name):
    path = os.path.join(res, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        text = f.read().strip()
    return json.loads(text) if text else None


def verdict(target, ok, detail):
    word = "PASS" if ok else "FAIL"
    verdicts.append((target, word, detail))
    print("  => target %s: %s  (%s)" % (target, word, detail))


def jmh_table(res):
    data = load(res, "jmh.json") or []
    table = {}
    for r in data:
        name = r["benchmark"].rsplit(".", 2)
        key = (name[-2], name[-1], r["params"].get("dtype"), r["params"].get("activation"),
               int(r["params"]["width"]), int(r["params"].get("depth", 0)))
        table[key] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"], r["primaryMetric"]["scoreUnit"])
    return table


def section1(res):
    print("Layer: a layer (weight draw + GEMM + activation + fused statistics) <= %.1fx its GEMM alone,"
          " batch 1000 (JMH, us per op, single thread)" % T1_MAX)
    t = jmh_table(res)
    if not t:
        print("  not measured (no jmh.json)")
        verdict("layer", False, "not measured")
        return
    failures, checked, missing = [], 0, []
    for dtype in DTYPES:
        gemms = {k[4]: v for k, v in t.items() if k[0] == "GemmBenchmark" and k[1] == "gemm" and k[2] == dtype}
        if not gemms:
            print("  %s: not available" % ("float32" if dtype == "f32" else dtype))
            missing.append(dtype)
            continue
        for width in sorted(gemms):
            g = gemms[width][0]
            gflops = 2 * 1000 * width * width / (g * 1e-6) / 1e9
            w = t.get(("GemmBenchmark", "weights", dtype, None, width, 0))
            print("  %s width %d: GEMM %.1f us (%.1f GFLOP/s)%s" % (
                dtype, width, g, gflops, "" if w is None else "; weight draw alone %.1f us" % w[0]))
            for (cls, meth, d, act, wd, _), v in sorted(t.items(), key=lambda kv: str(kv[0])):
                if cls != "LayerBenchmark" or meth != "layer" or d != dtype or wd != width:
                    continue
                ratio = v[0] / g
                checked += 1
                parts = []
                a = t.get(("LayerBenchmark", "activation", dtype, act, width, 0))
                s = t.get(("LayerBenchmark", "statistics", dtype, act, width, 0))
                if a:
                    parts.append("activation %.1f" % a[0])
                if s:
                    parts.append("statistics %.1f" % s[0])
                c1 = t.get(("ForwardPassBenchmark", "chain", dtype, act, width, 1))
                c11 = t.get(("ForwardPassBenchmark", "chain", dtype, act, width, 11))
                if c1 and c11:
                    parts.append("ForwardPass marginal layer %.1f" % ((c11[0] - c1[0]) / 10))
                ok = ratio <= T1_MAX
                if not ok:
                    failures.append("%s/%s/%d %.2fx" % (dtype, act, width, ratio))
                print("    %-10s layer %8.1f us (+-%.1f)  layer/GEMM %.2f  %s%s" % (
                    act, v[0], v[1], ratio, "ok" if ok else "over",
                    ("   [" + ", ".join(parts) + " us]") if parts else ""))
    detail = []
    if failures:
        detail.append("over %.1fx: %s" % (T1_MAX, "; ".join(failures)))
    elif checked:
        detail.append("all %d layer/GEMM ratios <= %.1f" % (checked, T1_MAX))
    if missing:
        detail.append("%s not available" % ", ".join("float32" if m == "f32" else m for m in missing))
    verdict("layer", checked > 0 and not failures and not missing, "; ".join(detail))


def section2(res):
    print("Seed loop: the seed notebook loop (1000x100, depth 5, sigmoid, 30-bin histogram), one core:"
          " Java kernel vs numpy >= %.1fx (f64), >= %.1fx (f32)" % (T2_MIN["f64"], T2_MIN["f32"]))
    npy = load(res, "seed_numpy.json")
    if not npy:
        print("  numpy side not measured")
        verdict("seed", False, "not measured")
        return
    plain = load(res, "seed_numpy_plain.json")
    print("  numpy %s (%s; own OpenBLAS kernels, glibc keeps freed memory), one process: %.1f points/s"
          " (%.2f ms/point)" % (npy["numpy"], npy["blas"], npy["points_per_s"], 1000 / npy["points_per_s"]))
    if plain:
        print("  numpy as the machine leaves it (%s): %.1f points/s (%.2f ms/point)" % (
            plain["blas"], plain["points_per_s"], 1000 / plain["points_per_s"]))
        if plain["points_per_s"] > npy["points_per_s"]:
            npy = plain
        print("  the ratios below use the faster of the two")
    detail, ok_all = [], True
    for dtype in DTYPES:
        j = load(res, "seed_java_%s.json" % dtype)
        if not j or not j.get("available"):
            print("  %s: not available" % ("float32" if dtype == "f32" else dtype))
            detail.append("%s not available" % ("float32" if dtype == "f32" else dtype))
            ok_all = False
            continue
        ratio = j["points_per_s"] / npy["points_per_s"]
        ok = ratio >= T2_MIN[dtype]
        ok_all &= ok
        print("  java %s, one thread: %.1f points/s (%.2f ms/point; thread CPU/wall %.2f): %.2fx numpy (need %.1fx) %s" % (
            dtype, j["points_per_s"], 1000 / j["points_per_s"], j["cpu_wall"], ratio, T2_MIN[dtype],
            "ok" if ok else "short"))
        detail.append("%s %.2fx" % (dtype, ratio))
    gemm = {k[2]: v[0] for k, v in jmh_table(res).items() if k[0] == "GemmBenchmark" and k[1] == "gemm" and k[4] == 100}
    if gemm:
        print("  ceiling: a Java point that did nothing but its 5 GEMMs (JMH) would be %s numpy" % "; ".join(
            "%s %.2fx" % (d, (1000 / npy["points_per_s"]) / (5 * gemm[d] / 1000)) for d in sorted(gemm)))
    verdict("seed", ok_all, "; ".join(detail))


def sweep(res, name):
    m = load(res, "sweep_%s/manifest.json" % name)
    if not m:
        return None
    e2e = None
    p = os.path.join(res, "sweep_%s.time" % name)
    if os.path.exists(p):
        with open(p) as f:
            e2e = float(f.read().strip())
    return {"wall": m["times"]["wall_seconds"], "kernel": m["times"]["kernel_seconds"],
            "cores": m["engine"]["default_parallelism"], "master": m["engine"]["master"], "e2e": e2e,
            "points": m["counts"]["grid_points"], "chains": m["counts"]["chains"],
            "layers_rows": m["counts"]["layers_rows"], "blas": m["engine"]["blas"],
            "route": m["engine"].get("kernel_route", [])}


def describe(s):
    return ("%s: %d grid points (%d chains, %d layers rows): end to end %.1f s, sweep %.1f s (manifest),"
            " kernel %.1f core-s" % (s["master"], s["points"], s["chains"], s["layers_rows"],
                                     s["e2e"] if s["e2e"] is not None else float("nan"), s["wall"], s["kernel"]))


def section3(res):
    print("Whole sweep: jobs/bench.yaml end to end with bin/initsweep run on local[2] vs the numpy loop over the"
          " same grid points on 2 processes: >= %.0fx (f64)" % T3_MIN)
    s = sweep(res, "l2")
    g = load(res, "grid_numpy.json")
    if s:
        print("  initsweep " + describe(s))
    if g:
        est = "" if g["scale"] == 1 else " (estimated: ran %d of %d points, scaled x%.2f by layers)" % (
            g["points_run"], g["points"], g["scale"])
        print("  numpy on %d processes: %d grid points, %d layers (no depth sharing) in %.1f s%s" % (
            g["procs"], g["points"], g["layers"], g["seconds"], est))
    if not s or not g or s["e2e"] is None:
        verdict("sweep", False, "not measured")
        return
    if g["points"] != s["points"]:
        print("  warning: numpy ran %d points, the sweep %d" % (g["points"], s["points"]))
    ratio = g["seconds"] / s["e2e"]
    print("  numpy / initsweep end to end = %.2fx (need >= %.0fx)" % (ratio, T3_MIN))
    floor3(res, s, g)
    verdict("sweep", ratio >= T3_MIN and g["points"] == s["points"], "%.3fx%s" % (ratio, " (numpy estimated)" if g["scale"] != 1 else ""))


def products(res):
    """The sweep's matrix products after depth sharing and unit networks, from `initsweep plan` (plan.txt)."""
    p = os.path.join(res, "plan.txt")
    if not os.path.exists(p):
        return None
    with open(p) as f:
        for line in f:
            if line.startswith("products:"):
                return int(line.split()[1])
    return None


def gemm_f64_w100(res):
    """This run's width-100 float64 GEMM alone: (Java's from JMH, numpy's own from the seed-loop run), us."""
    t = jmh_table(res)
    java = next((v[0] for k, v in t.items() if k[0] == "GemmBenchmark" and k[1] == "gemm" and k[2] == "f64"
                 and k[4] == 100), None)
    seed = load(res, "seed_numpy.json") or {}
    return java, (seed.get("gemm_us") or {}).get("f64")


def floor3(res, s, g):
    """What the whole-sweep target would need against what the products alone cost in this run: the sweep cannot end
    before its GEMMs are done on its cores, plus the time outside the sweep."""
    n = products(res)
    java, numpy_gemm = gemm_f64_w100(res)
    if n is None or java is None or s["e2e"] is None:
        print("  floor: not measured (needs plan.txt, the JMH GEMM and the sweep's end-to-end time)")
        return
    budget = g["seconds"] / T3_MIN
    outside = s["e2e"] - s["wall"]
    gemms = n * java / 1e6 / s["cores"]
    line = "  floor: %d matrix products (plan) x %.0f us (JMH GEMM, BLAS as the machine sets it) / %d cores = %.1f s" % (
        n, java, s["cores"], gemms)
    if numpy_gemm:
        line += " (%.1f s at numpy's own %.0f us)" % (n * numpy_gemm / 1e6 / s["cores"], numpy_gemm)
    print(line)
    print("         + %.1f s outside the sweep (JVM, session, summary) = %.1f s end to end before any activation or"
          " statistics, against %.2f s for %.0fx: %s" % (
              outside, gemms + outside, budget, T3_MIN,
              "out of reach on this machine" if gemms + outside > budget else "within reach"))


def section4(res):
    print("Spark overhead and scaling: sweep wall <= %.2f x (task kernel time / cores), session start excluded;"
          " local[2] >= %.1fx local[1]" % (T4_OVERHEAD_MAX, T4_SCALING_MIN))
    s2, s1 = sweep(res, "l2"), sweep(res, "l1")
    detail, ok_all = [], True
    if s2:
        ideal = s2["kernel"] / s2["cores"]
        ratio = s2["wall"] / ideal
        outside = (s2["e2e"] - s2["wall"]) if s2["e2e"] is not None else float("nan")
        ok = ratio <= T4_OVERHEAD_MAX
        ok_all &= ok
        print("  local[2]: sweep %.1f s vs kernel %.1f s / %d cores = %.1f s: %.2fx (need <= %.2f) %s;"
              " outside the sweep (JVM, session start, summary, stop) %.1f s" % (
                  s2["wall"], s2["kernel"], s2["cores"], ideal, ratio, T4_OVERHEAD_MAX, "ok" if ok else "over", outside))
        detail.append("overhead %.3fx" % ratio)
    else:
        ok_all = False
        detail.append("local[2] not measured")
    if s1 and s2:
        speed = s1["wall"] / s2["wall"]
        e2e = (s1["e2e"] / s2["e2e"]) if s1["e2e"] and s2["e2e"] else float("nan")
        ok = speed >= T4_SCALING_MIN
        ok_all &= ok
        print("  local[1]: sweep %.1f s (end to end %.1f s, kernel %.1f s); local[1]/local[2] sweep %.2fx"
              " (need >= %.1f) %s, end to end %.2fx" % (s1["wall"], s1["e2e"] or float("nan"), s1["kernel"], speed,
                                                        T4_SCALING_MIN, "ok" if ok else "short", e2e))
        detail.append("scaling %.3fx" % speed)
    else:
        ok_all = False
        detail.append("local[1] not measured")
    verdict("scaling", ok_all, "; ".join(detail))


def section5(res):
    print("Depth sharing: depths {5,10,20,50} <= %.1fx depth {50} alone (local[2], sweep wall)" % T5_MAX)
    a, b = sweep(res, "l2"), sweep(res, "d50")
    if not a or not b:
        verdict("depth", False, "not measured")
        return
    ratio = a["wall"] / b["wall"]
    print("  depths {5,10,20,50}: sweep %.1f s, kernel %.1f s, %d layers rows" % (a["wall"], a["kernel"], a["layers_rows"]))
    print("  depth {50} alone:    sweep %.1f s, kernel %.1f s, %d layers rows" % (b["wall"], b["kernel"], b["layers_rows"]))
    print("  ratio: sweep %.3fx (need <= %.1f), kernel %.3fx, end to end %.3fx" % (
        ratio, T5_MAX, a["kernel"] / b["kernel"],
        (a["e2e"] / b["e2e"]) if a["e2e"] and b["e2e"] else float("nan")))
    verdict("depth", ratio <= T5_MAX, "sweep %.3fx, kernel %.3fx" % (ratio, a["kernel"] / b["kernel"]))


def section6(res):
    print("Skew: a grid of width 100 and width 1000 chains: the simulate stage's makespan <= %.1fx"
          " (sum of its task run times / cores) (local[2], Spark event log)" % T6_MAX)
    s = sweep(res, "skew")
    d = os.path.join(res, "events_skew")
    logs = [os.path.join(d, f) for f in os.listdir(d)] if os.path.isdir(d) else []
    if not s or not logs:
        verdict("skew", False, "not measured")
        return
    stages, submitted, completed, run_ms, tasks = set(), {}, {}, {}, {}
    # one file per application, or (Spark's rolling event log) a directory of events_N_* files
    files = sorted(os.path.join(logs[0], f) for f in os.listdir(logs[0]) if f.startswith("events")) \
        if os.path.isdir(logs[0]) else [logs[0]]
    events = []
    for path in files:
        with open(path) as f:
            events += [json.loads(line) for line in f if line.strip()]
    for e in events:
        kind = e.get("Event")
        if kind == "SparkListenerJobStart":
            group = (e.get("Properties") or {}).get("spark.jobGroup.id", "")
            if "-wave-" in group:
                stages.update(e.get("Stage IDs", []))
        elif kind == "SparkListenerStageCompleted":
            info = e["Stage Info"]
            submitted[info["Stage ID"]] = info.get("Submission Time")
            completed[info["Stage ID"]] = info.get("Completion Time")
        elif kind == "SparkListenerTaskEnd" and e.get("Task End Reason", {}).get("Reason") == "Success":
            sid = e["Stage ID"]
            run_ms[sid] = run_ms.get(sid, 0) + e["Task Metrics"]["Executor Run Time"]
            tasks[sid] = tasks.get(sid, 0) + 1
    measured = [sid for sid in stages if sid in completed and sid in run_ms]
    if not measured:
        verdict("skew", False, "no simulate stage in the event log")
        return
    makespan = sum(completed[sid] - submitted[sid] for sid in measured) / 1000.0
    busy = sum(run_ms[sid] for sid in measured) / 1000.0
    ideal = busy / s["cores"]
    ratio = makespan / ideal
    print("  %s" % describe(s))
    print("  simulate stage: %d tasks, makespan %.2f s; task run time %.2f s / %d cores = %.2f s; kernel %.2f s / %d = %.2f s"
          % (sum(tasks[sid] for sid in measured), makespan, busy, s["cores"], ideal, s["kernel"], s["cores"],
             s["kernel"] / s["cores"]))
    print("  makespan / ideal = %.3fx (need <= %.1f)" % (ratio, T6_MAX))
    verdict("skew", ratio <= T6_MAX, "%.3fx" % ratio)


def section_stats(res):
    print("Statistics pass: <= %.1f ns per entry (JMH LayerBenchmark.statistics, 1000 x 100 float64: moments,"
          " extremes, saturation and dead units, zeros, both histograms)" % STATS_NS_MAX)
    t = jmh_table(res)
    rows = {k[3]: v for k, v in t.items() if k[0] == "LayerBenchmark" and k[1] == "statistics" and k[2] == "f64"
            and k[4] == 100}
    if not rows:
        print("  not measured (no LayerBenchmark.statistics in jmh.json)")
        verdict("stats", False, "not measured")
        return
    worst = None
    for act in sorted(rows):
        us, err, unit = rows[act]
        ns = us * 1000.0 / (1000 * 100)
        worst = ns if worst is None else max(worst, ns)
        print("  %-10s %.1f us (+-%.1f) = %.2f ns per entry %s" % (act, us, err, ns, "ok" if ns <= STATS_NS_MAX else "over"))
    verdict("stats", worst <= STATS_NS_MAX, "slowest %.2f ns per entry" % worst)


def section_small(res):
    print("Small work against the floor (a local[*] session, one Parquet row written and read, stop): run"
          " jobs/seeds.yaml <= %.1f, report <= %.1f, one sql query <= %.1f, a query at sql's prompt <= %.1f;"
          " run with one core kept busy <= %.1f x the idle run"
          % (SMALL_MAX["run"], SMALL_MAX["report"], SMALL_MAX["sql"], SMALL_MAX["prompt_query"], SMALL_BUSY_MAX))
    w = load(res, "small_work.json")
    if not w:
        print("  not measured (no small_work.json)")
        verdict("small", False, "not measured")
        return
    floor = w["floor"]
    detail, ok_all = [], True
    print("  floor %.2f s (median of %d rounds)" % (floor, w["rounds"]))
    for k in ("run", "report", "sql", "prompt_query"):
        if k not in w:
            ok_all = False
            detail.append("%s not measured" % k)
            continue
        ratio = w[k] / floor
        ok = ratio <= SMALL_MAX[k]
        ok_all &= ok
        print("  %-12s %6.2f s  / floor %.2f (need <= %.1f) %s" % (k, w[k], ratio, SMALL_MAX[k], "ok" if ok else "over"))
        detail.append("%s %.2f" % (k, ratio))
    if "run_busy" in w and "run" in w:
        ratio = w["run_busy"] / w["run"]
        ok = ratio <= SMALL_BUSY_MAX
        ok_all &= ok
        print("  run with one core busy %6.2f s  / run idle %.2f (need <= %.1f) %s"
              % (w["run_busy"], ratio, SMALL_BUSY_MAX, "ok" if ok else "over"))
        detail.append("run busy/idle %.2f" % ratio)
    else:
        ok_all = False
        detail.append("run with one core busy not measured")
    verdict("small", ok_all, "; ".join(detail))


def section_cheap(res):
    print("Many cheap points: jobs/catalogue.yaml on local[2], end to end <= %.0f x (kernel / cores) + the floor"
          % CHEAP_WALL_FACTOR)
    s = sweep(res, "catalogue")
    w = load(res, "small_work.json")
    if not s or s["e2e"] is None or not w:
        print("  not measured (needs sweep_catalogue and small_work.json's floor)")
        verdict("cheap", False, "not measured")
        return
    bound = CHEAP_WALL_FACTOR * s["kernel"] / s["cores"] + w["floor"]
    print("  " + describe(s))
    print("  bound %.0f x %.2f s / %d cores + floor %.2f s = %.2f s; end to end %.2f s = %.2fx the bound" % (
        CHEAP_WALL_FACTOR, s["kernel"], s["cores"], w["floor"], bound, s["e2e"], s["e2e"] / bound))
    verdict("cheap", s["e2e"] <= bound, "%.2fx the bound" % (s["e2e"] / bound))


def section_training(res):
    print("Training step: <= %.1fx its GEMMs per layer (TrainingStepRatio: the two alternated call by call,"
          " median of the rounds)" % TRAINING_MAX)
    p = os.path.join(res, "training_ratio.txt")
    if not os.path.exists(p):
        print("  not measured (no training_ratio.txt)")
        verdict("training", False, "not measured")
        return
    worst, detail = None, []
    with open(p) as f:
        for line in f:
            print("  " + line.rstrip())
            parts = line.split()
            if "median" in parts:
                m = float(parts[parts.index("median") + 1])
                worst = m if worst is None else max(worst, m)
                detail.append("%s %s %.2f" % (parts[0], parts[1], m))
    verdict("training", worst is not None and worst <= TRAINING_MAX, "; ".join(detail) or "no figures")


def section_blas(res):
    print("BLAS and kernels in use (native BLAS with no install step: the sweeps ran the bundled OpenBLAS):")
    bundled = None
    for name in ("l2", "d50", "l1", "catalogue"):
        s = sweep(res, name)
        if s:
            print("  sweep %-9s (%s): BLAS %s; kernels %s" % (name, s["master"], ", ".join(s["blas"]), ", ".join(s["route"])))
            ok = all("(bundled)" in b for b in s["blas"])
            bundled = ok if bundled is None else bundled and ok
    for dtype in DTYPES:
        j = load(res, "seed_java_%s.json" % dtype)
        if j and j.get("available"):
            print("  SeedLoopBench %s: BLAS %s; kernels %s" % (dtype, j["blas"], j["kernel_route"]))
    n = load(res, "seed_numpy.json") or load(res, "grid_numpy.json")
    if n:
        print("  numpy %s: %s, %s BLAS thread(s) per process" % (n["numpy"], n["blas"], n.get("blas_threads", "?")))
    p = os.path.join(res, "jmh.log")
    if os.path.exists(p):
        with open(p) as f:
            for line in f:
                if line.startswith("# VM version") or line.startswith("# VM options"):
                    print("  JMH fork " + line[2:].strip())
                    break
    verdict("blas", bool(bundled), "every sweep's executors on the bundled OpenBLAS" if bundled else "not measured"
            if bundled is None else "an executor ran another BLAS")


def code(res):
    p = os.path.join(res, "code.txt")
    if os.path.exists(p):
        with open(p) as f:
            print("Code measured: " + f.read().rstrip().replace("\n", "\n  "))


def hygiene(res):
    p = os.path.join(res, "hygiene.log")
    if not os.path.exists(p):
        return
    with open(p) as f:
        lines = [l.rstrip() for l in f if l.strip()]
    loaded = [l for l in lines if " LOADED " in l]
    print("Measurement hygiene: %d timed steps, %d started under load" % (len(lines), len(loaded)))
    for l in lines:
        print("  " + l)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    res = sys.argv[1]
    section = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--section" else "all"
    sections = {"blas": section_blas, "stats": section_stats, "seed": section2, "sweep": section3,
                "small": section_small, "scaling": section4, "cheap": section_cheap, "training": section_training,
                "layer": section1, "depth": section5, "skew": section6}
    if section != "all":
        sections[section](res)
        return
    for k in ("blas", "stats", "seed", "sweep", "small", "scaling", "cheap", "training", "layer", "depth", "skew"):
        sections[k](res)
        print()
    code(res)
    hygiene(res)
    print()
    print("Summary (on this machine):")
    for target, word, detail in verdicts:
        print("  %-9s %s  %s" % (target, word, detail))
    print("  memory: not a timing; checked by MemoryBudgetTest and `plan` (see docs/spark-and-clusters.md)")


if __name__ == "__main__":
    main()
