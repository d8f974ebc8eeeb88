#!/usr/bin/env bash
# The backward-pass, training and Jacobian benchmarks side by side with the GEMMs they are held to,
# and their ratios. Usage:
#
#   bench/jmh.sh                 # BackwardBenchmark, TrainingBenchmark, JacobianBenchmark (about 10 minutes)
#   bench/jmh.sh REGEX [ARGS]    # any JMH benchmarks (regex), with extra JMH arguments
#   bench/jmh.sh --skip-build …  # reuse the last build's classes
#
# One BLAS thread, one JMH fork per benchmark, the machine's OPENBLAS_* settings kept. Results go
# to out/bench-jmh/jmh.json; the summary prints each benchmark's time over its GEMMs' sum, measured
# in the same run (compare ratios, not times, across machines).
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
BUILD=1
if [ "${1:-}" = "--skip-build" ]; then BUILD=0; shift; fi
REGEX="${1:-^io\.initsweep\.bench\.(BackwardBenchmark|TrainingBenchmark|JacobianBenchmark)\.}"
[ $# -gt 0 ] && shift
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
. "$ROOT/bin/lib/java17.sh"
JAVA_HOME="$(find_java17)" || { echo "bench/jmh.sh: no Java 17 found (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME
RES="$ROOT/out/bench-jmh"
mkdir -p "$RES"
if [ "$BUILD" -eq 1 ]; then
  mvn -q -B -DskipTests package > "$RES/build.log" 2>&1 || { tail -40 "$RES/build.log" >&2; exit 1; }
  mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$RES/classpath.txt" \
    >> "$RES/build.log" 2>&1 || { tail -20 "$RES/build.log" >&2; exit 1; }
fi
SNAP="$RES/snapshot"
rm -rf "$SNAP"; mkdir -p "$SNAP"
cp -r target/classes target/test-classes "$SNAP/"
"$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -XX:PerMethodTrapLimit=100000 -Xmx2g -cp "$SNAP/test-classes:$SNAP/classes:$(cat "$RES/classpath.txt")" \
  org.openjdk.jmh.Main "$REGEX" -foe true -rf json -rff "$RES/jmh.json" "$@" > "$RES/jmh.log" 2>&1 \
  || { tail -30 "$RES/jmh.log" >&2; echo "bench/jmh.sh: JMH failed (log: $RES/jmh.log)" >&2; exit 1; }
grep -E "^Benchmark|^[A-Z][A-Za-z]+Benchmark\." "$RES/jmh.log" || true
python3 - "$RES/jmh.json" <<'PY'
import json, sys, collections
rows = json.load(open(sys.argv[1]))
by = collections.defaultdict(dict)
for r in rows:
    cls, name = r["benchmark"].rsplit(".", 2)[-2:]
    key = (cls,) + tuple(sorted(r.get("params", {}).items()))
    by[key][name] = r["primaryMetric"]["score"]
print("\nratios (same run):")
for key, m in sorted(by.items()):
    cls, params = key[0], ", ".join(f"{k}={v}" for k, v in key[1:])
    if cls == "BackwardBenchmark" and {"layer", "gemmDeltaWt", "gemmXtDelta"} <= m.keys():
        print(f"  backward layer / (δ·Wᵀ + Xᵀ·δ)            {params}: {m['layer'] / (m['gemmDeltaWt'] + m['gemmXtDelta']):.2f}")
    if cls == "TrainingBenchmark" and {"step", "gemmForward", "gemmDeltaWt", "gemmXtDelta"} <= m.keys():
        g = 2 * m["gemmForward"] + m["gemmDeltaWt"] + 2 * m["gemmXtDelta"]
        print(f"  training step / (2 X·W + δ·Wᵀ + 2 Xᵀ·δ)    {params}: {m['step'] / g:.2f}")
    if cls == "LayerBenchmark" and {"activation", "activationScalar"} <= m.keys():
        print(f"  activation, plain-Java loop / vector kernel   {params}: {m['activationScalar'] / m['activation']:.2f}")
    if cls == "JacobianBenchmark" and {"accumulate", "accumulateAndSvd", "gemmForward"} <= m.keys():
        carry = (2 * m["accumulate"] - m["accumulateAndSvd"]) / 4
        svd = m["accumulateAndSvd"] - m["accumulate"]
        print(f"  Jacobian, one layer / forward X·W          {params}: {carry / m['gemmForward']:.2f}")
        print(f"  Jacobian, one depth's SVDs / forward X·W    {params}: {svd / m['gemmForward']:.2f}")
PY
