#!/usr/bin/env bash
# bench/run.sh: the performance targets, measured side by side in one run on this machine.
#
#   bench/run.sh [--quick] [--results DIR] [--no-wait] [--skip-build]
#
# Builds what it needs (mvn -DskipTests package, which compiles the JMH benchmarks under
# src/test/java/io/initsweep/bench), then measures and prints, with PASS/FAIL per target:
#   blas      every sweep's executors ran the OpenBLAS the jar carries; the BLAS and kernel of each side
#   stats     JMH: the statistics pass over 1000 x 100 float64 entries       (need <= 1.2 ns per entry)
#   seed      the seed notebook loop, numpy on one core vs the Java kernel on one thread
#                                                                          (need >= 2.5x f64, 4x f32)
#   sweep     bin/initsweep run jobs/bench.yaml on local[2] vs numpy on 2 processes over the same points
#                                                                          (need >= 3x)
#   small     bench/small-work.sh: run jobs/seeds.yaml, report, one sql query and a query at sql's prompt
#             against the floor of any Spark command           (need <= 1.0, 1.2, 1.0 and 0.1 x the floor)
#   scaling   local[2] vs local[1] on the bench sweep (need >= 1.8x); sweep wall vs kernel seconds / cores
#   cheap     jobs/catalogue.yaml (many cheap points) end to end   (need <= 2 x kernel / cores + the floor)
#   training  the training step over its GEMMs, alternated call by call    (need <= 1.3x)
# and, against their own thresholds: one layer over its GEMM (JMH, <= 1.3), depth sharing ({5,10,20,50}
# vs {50} alone, <= 1.1x) and skew (jobs/bench-skew.yaml: the simulate stage's makespan vs its task
# time / cores, from Spark's event log, <= 1.2x).
#
# --quick: short JMH (GEMM, layer and statistics at width 100), shorter seed-loop rounds, the bench grid
#          with 4 seeds instead of 16, one small-work round.
# --results DIR: where logs and figures go (default /tmp/initsweep-bench); bench/report.py DIR
#          prints the summary again from them.
# --no-wait: do not wait for a quiet machine before each timed step (it still records the load).
# Every timed step first waits (polling every 30 s, at most 15 min) until no other java/mvn process
# runs and the CPUs are mostly idle; a step that had to start anyway is marked LOADED in the summary.
# Environment: PYTHON (a python3 with numpy), JAVA_HOME (a Java 17).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
QUICK=0
WAIT=1
BUILD=1
RES=/tmp/initsweep-bench
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-wait) WAIT=0 ;;
    --skip-build) BUILD=0 ;;
    --results) RES="$2"; shift ;;
    --results=*) RES="${1#*=}" ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# One core per BLAS call everywhere: JMH forks, the Java driver, Spark's local executors, numpy.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
# Both sides at their own best:
# - where the machine sets OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) to keep older OpenBLAS builds
#   on kernels that are safe on this CPU, this script's commands run without both, Java and numpy
#   alike: both carry a current OpenBLAS (0.3.31), which then picks its own kernels (the summary
#   names each side's);
# - glibc keeps the memory numpy frees (mmap and trim thresholds raised) instead of returning it to
#   the kernel: the loop allocates a fresh 800 KB array per operation, and on a VM whose first touch
#   of a page costs ~10 us (this one) faulting them in again took 80% of its time.
# Target 2 also runs numpy once as the machine leaves it (NUMPY_PLAIN), printed for reference.
NUMPY_PLAIN=(env)
[ -n "${OPENBLAS_CORETYPE:-}" ] && NUMPY_PLAIN+=("OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE")
[ -n "${OPENBLAS_L2_SIZE:-}" ] && NUMPY_PLAIN+=("OPENBLAS_L2_SIZE=$OPENBLAS_L2_SIZE")
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
NUMPY_ENV=(env "GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967296")
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

. "$ROOT/bin/lib/java17.sh"   # find_java17
JAVA_HOME="$(find_java17)" || { echo "bench/run.sh: no Java 17 found (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"

find_python() {
  local c
  for c in "${PYTHON:-}" python3 /root/.pyenv/shims/python3 /usr/bin/python3; do
    if [ -n "$c" ] && command -v "$c" >/dev/null && "$c" -c 'import numpy' 2>/dev/null; then command -v "$c"; return 0; fi
  done
  return 1
}
PY="$(find_python)" || { echo "bench/run.sh: no python3 with numpy found (set PYTHON, or apt-get install python3-numpy)" >&2; exit 1; }

mkdir -p "$RES"
rm -rf "$RES"/jmh.json "$RES"/seed_*.json "$RES"/grid_numpy.json "$RES"/plan.txt "$RES"/sweep_* "$RES"/hygiene.log "$RES"/points.jsonl
say() { printf '%s\n' "$*"; }
elapsed() { "$PY" -c "import sys; print('%.3f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$2"; }

# --- measurement hygiene ------------------------------------------------------------------------
# CPU busy share (all CPUs, %) and steal share over a 3 s window, from /proc/stat.
cpu_sample() {
  local a b
  a=($(head -1 /proc/stat)); sleep 3; b=($(head -1 /proc/stat))
  local tot=0 idle i
  for i in 1 2 3 4 5 6 7 8; do tot=$(( tot + b[i] - a[i] )); done
  idle=$(( b[4] - a[4] + b[5] - a[5] ))
  local steal=$(( b[8] - a[8] ))
  [ "$tot" -gt 0 ] || tot=1
  echo "$(( 100 * (tot - idle) / tot )) $(( 100 * steal / tot ))"
}
other_jvms() { ps aux | grep -c '[j]ava' || true; }
# wait_quiet STEP: wait until no java/mvn process runs and the CPUs are < 25% busy; log the state.
wait_quiet() {
  local step="$1" waited=0 busy steal jvms state="quiet"
  while :; do
    jvms=$(other_jvms)
    read -r busy steal < <(cpu_sample)
    if [ "$jvms" -eq 0 ] && [ "$busy" -lt 25 ]; then break; fi
    if [ "$WAIT" -eq 0 ] || [ "$waited" -ge 900 ]; then state="LOADED"; break; fi
    [ "$waited" -eq 0 ] && say "   (waiting for a quiet machine before $step: $jvms java processes, CPU ${busy}% busy)"
    sleep 27; waited=$(( waited + 30 ))
  done
  printf '%-26s %-6s waited %4ss; java processes %s, CPU busy %s%% (steal %s%%), load average %s\n' \
    "$step" "$state" "$waited" "$jvms" "$busy" "$steal" "$(cut -d' ' -f1-3 /proc/loadavg)" >> "$RES/hygiene.log"
  [ "$state" = quiet ] || say "   WARNING: $step starts under load ($jvms java processes, CPU ${busy}% busy)"
}

# --- build --------------------------------------------------------------------------------------
cd "$ROOT"
wait_quiet "build"   # another mvn in this tree would race ours for target/
say "== initsweep benchmarks ($( [ "$QUICK" -eq 1 ] && echo quick || echo full )); results in $RES"
say "   machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') (family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')),"\
" $(getconf _NPROCESSORS_ONLN) CPUs; $(grep -qw avx512f /proc/cpuinfo && echo AVX-512 || echo AVX2); Java $("$JAVA" -version 2>&1 | head -1 | cut -d'"' -f2); $("$PY" -c 'import numpy; print("numpy", numpy.__version__)')"
NUMPY_BLAS="$("${NUMPY_ENV[@]}" "$PY" -c 'import sys; sys.argv = ["x"]; sys.path.insert(0, "bench"); import seed_loop; print(seed_loop.blas_name())')"
if [ "$BUILD" -eq 1 ]; then
  say "== build: mvn -q -B -DskipTests package (application jar, Spark jars, test classes with the JMH benchmarks)"
  t0=$(date +%s)
  if ! mvn -q -B -DskipTests package > "$RES/build.log" 2>&1; then
    tail -40 "$RES/build.log" >&2; echo "bench/run.sh: build failed (log: $RES/build.log)" >&2; exit 1
  fi
  mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$RES/classpath.txt" \
    >> "$RES/build.log" 2>&1 || { tail -20 "$RES/build.log" >&2; exit 1; }
  say "   built in $(( $(date +%s) - t0 )) s"
fi
[ -f "$RES/classpath.txt" ] || { echo "bench/run.sh: $RES/classpath.txt missing: run without --skip-build" >&2; exit 1; }
[ -f target/test-classes/META-INF/BenchmarkList ] || { echo "bench/run.sh: no JMH BenchmarkList in target/test-classes" >&2; exit 1; }

# Snapshot the build: every step measures these classes and this jar, even if target/ is rebuilt
# meanwhile, and the snapshot's bin/initsweep (the same script) never rebuilds in a timed step (it
# sees no src/main beside it). Spark's jars are linked, not copied.
SNAP="$RES/snapshot"
rm -rf "$SNAP"; mkdir -p "$SNAP/bin/lib" "$SNAP/target/spark-home" "$SNAP/jobs/submit/conf"
cp -r target/classes target/test-classes "$SNAP/"
cp -p pom.xml "$SNAP/"   # bin/initsweep reads its spark.jvm.opens; copied before the jar, so not newer
cp target/initsweep-0.1.0.jar "$SNAP/target/"
ln -s "$ROOT/target/spark-home/jars" "$SNAP/target/spark-home/jars"
cp bin/initsweep "$SNAP/bin/"
cp bin/lib/java17.sh "$SNAP/bin/lib/"
cp jobs/submit/conf/log4j2.properties jobs/submit/conf/jit-directives.json "$SNAP/jobs/submit/conf/"
cp jobs/seeds.yaml "$SNAP/jobs/"
INITSWEEP="$SNAP/bin/initsweep"
# The sweeps start from a class-data archive of the snapshot's own jars (bin/initsweep cds, as
# docs/spark-and-clusters.md recommends for repeated local runs); its one-time cost is reported, not timed.
t0=$(date +%s)
"$INITSWEEP" cds > "$RES/cds.log" 2>&1 || { cat "$RES/cds.log" >&2; exit 1; }
say "   class-data archive for the sweeps written in $(( $(date +%s) - t0 )) s ($(du -m "$SNAP/target/initsweep.jsa" | cut -f1) MB)"
CP="$SNAP/test-classes:$SNAP/classes:$(cat "$RES/classpath.txt")"
{
  echo "commit $(git rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "uncommitted changes under src/main and pom.xml: $(git status --short -- src/main pom.xml 2>/dev/null | wc -l)"
  git status --short -- src/main pom.xml 2>/dev/null | sed 's/^/  /' || true
} > "$RES/code.txt"
say "   measuring $(head -1 "$RES/code.txt"), $(sed -n 2p "$RES/code.txt" | sed 's/.*: //') uncommitted file(s) under src/main and pom.xml"
JOPTS=(--add-modules=jdk.incubator.vector,jdk.incubator.foreign -XX:PerMethodTrapLimit=100000 --enable-native-access=ALL-UNNAMED -Xmx2g -Djava.io.tmpdir="${TMPDIR:-/tmp}")
# the BLAS each side runs on, as the libraries themselves report it (BlasTest's main prints Blas.info())
say "   BLAS: Java $("$JAVA" "${JOPTS[@]}" -cp "$CP" io.initsweep.blas.BlasTest 2>/dev/null | sed -n 's/^describe=//p'); numpy $NUMPY_BLAS"

# --- JMH: layer, GEMM, statistics ------------------------------------------------------------------------------
if [ "$QUICK" -eq 1 ]; then
  JMH_ARGS=('^io\.initsweep\.bench\.(GemmBenchmark\.gemm|LayerBenchmark\.(layer|statistics))$' -p width=100 -wi 2 -w 1 -i 3 -r 1 -f 1)
else
  JMH_ARGS=('^io\.initsweep\.bench\.(GemmBenchmark\.|LayerBenchmark\.(layer|activation|statistics)$|ForwardPassBenchmark\.)')
fi
wait_quiet "JMH"
say "== JMH: layer, GEMM and statistics pass (log: $RES/jmh.log)"
t0=$(date +%s)
"$JAVA" "${JOPTS[@]}" -cp "$CP" org.openjdk.jmh.Main "${JMH_ARGS[@]}" -foe true -rf json -rff "$RES/jmh.json" \
  > "$RES/jmh.log" 2>&1 || { tail -30 "$RES/jmh.log" >&2; echo "bench/run.sh: JMH failed" >&2; exit 1; }
say "   JMH took $(( $(date +%s) - t0 )) s"
"$PY" bench/report.py "$RES" --section stats
"$PY" bench/report.py "$RES" --section layer

# --- the seed loop, one core ---------------------------------------------------------------
if [ "$QUICK" -eq 1 ]; then ROUNDS=(--rounds 3 --round-seconds 1); else ROUNDS=(--rounds 5 --round-seconds 2); fi
say "== the seed notebook loop on one core"
wait_quiet "seed loop numpy"
"${NUMPY_ENV[@]}" "$PY" bench/seed_loop.py --seed-config "${ROUNDS[@]}" --json "$RES/seed_numpy.json" | sed 's/^/   /'
wait_quiet "seed loop numpy as is"
"${NUMPY_PLAIN[@]}" "$PY" bench/seed_loop.py --seed-config "${ROUNDS[@]}" --json "$RES/seed_numpy_plain.json" \
  | sed 's/^/   (machine defaults) /'
for dtype in f64 f32; do
  wait_quiet "seed loop java $dtype"
  rc=0
  "$JAVA" "${JOPTS[@]}" -cp "$CP" io.initsweep.bench.SeedLoopBench --dtype "$dtype" "${ROUNDS[@]}" \
    --json "$RES/seed_java_$dtype.json" 2> "$RES/seed_java_$dtype.log" | sed 's/^/   /' || rc=$?  # pipefail: java's status
  [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || { cat "$RES/seed_java_$dtype.log" >&2; exit 1; }
done
"$PY" bench/report.py "$RES" --section seed

# --- whole sweeps ----------------------------------------------------------------------------------
SPEC="$RES/bench.yaml"
SPEC50="$RES/bench-depth50.yaml"
if [ "$QUICK" -eq 1 ]; then
  sed -E 's/^(  seed:[[:space:]]*).*/\1[0, 1, 2, 3]/' jobs/bench.yaml > "$SPEC"
else
  cp jobs/bench.yaml "$SPEC"
fi
sed -E 's/^(  depth:[[:space:]]*).*/\1[50]/' "$SPEC" > "$SPEC50"
grep -q '^  depth: \[50\]$' "$SPEC50" || { echo "bench/run.sh: could not set depth [50] in $SPEC50" >&2; exit 1; }

"$JAVA" -cp "$CP" io.initsweep.bench.GridPointsJson "$SPEC" "$RES/points.jsonl" | sed 's/^/   /'
# the matrix products the sweep needs (the whole-sweep floor in the report)
"$INITSWEEP" plan --no-calibrate "$SPEC" > "$RES/plan.txt" 2> "$RES/plan.log" || { cat "$RES/plan.log" >&2; exit 1; }

# run_sweep NAME SPEC MASTER [RUN ARGS...]: bin/initsweep run, end-to-end seconds into sweep_NAME.time
run_sweep() {
  local name="$1" spec="$2" master="$3" t0 t1
  shift 3
  wait_quiet "sweep $name ($master)"
  t0=$(date +%s.%N)
  if ! "$INITSWEEP" run "$spec" --out "$RES/sweep_$name" --master "$master" --overwrite "$@" \
      > "$RES/sweep_$name.log" 2>&1; then
    tail -30 "$RES/sweep_$name.log" >&2; echo "bench/run.sh: sweep $name failed" >&2; exit 1
  fi
  t1=$(date +%s.%N)
  elapsed "$t0" "$t1" > "$RES/sweep_$name.time"
  say "   $(grep -m1 '^sweep ' "$RES/sweep_$name.log") [$master, end to end $(cat "$RES/sweep_$name.time") s]"
}

say "== whole sweep: $(basename "$SPEC") on local[2] vs numpy on 2 processes"
run_sweep l2 "$SPEC" 'local[2]'
wait_quiet "whole sweep numpy"
"${NUMPY_ENV[@]}" "$PY" bench/seed_loop.py --points "$RES/points.jsonl" --procs 2 --json "$RES/grid_numpy.json" | sed 's/^/   /'
"$PY" bench/report.py "$RES" --section sweep
say "== depth sharing: depth {50} alone on local[2]"
run_sweep d50 "$SPEC50" 'local[2]'
"$PY" bench/report.py "$RES" --section depth
say "== scaling: the same sweep on local[1]"
run_sweep l1 "$SPEC" 'local[1]'
"$PY" bench/report.py "$RES" --section scaling
say "== skew: jobs/bench-skew.yaml (width 100 and width 1000 chains) on local[2]"
rm -rf "$RES/events_skew"; mkdir -p "$RES/events_skew"
run_sweep skew jobs/bench-skew.yaml 'local[2]' --conf spark.eventLog.enabled=true \
  --conf spark.eventLog.compress=false --conf "spark.eventLog.dir=file://$RES/events_skew"
"$PY" bench/report.py "$RES" --section skew

# --- small work, many cheap points, the training step -------------------------------------------
say "== small work against the floor (bench/small-work.sh)"
wait_quiet "small work"
bench/small-work.sh --skip-build --rounds "$( [ "$QUICK" -eq 1 ] && echo 1 || echo 3)" --json "$RES/small_work.json" \
  2> "$RES/small_work.log" | sed 's/^/   /' || { tail -20 "$RES/small_work.log" >&2; exit 1; }
"$PY" bench/report.py "$RES" --section small
say "== many cheap points: jobs/catalogue.yaml on local[2]"
run_sweep catalogue jobs/catalogue.yaml 'local[2]'
"$PY" bench/report.py "$RES" --section cheap
say "== the training step over its GEMMs (width 100)"
wait_quiet "training step"
"$JAVA" "${JOPTS[@]}" -cp "$CP" io.initsweep.bench.TrainingStepRatio 100 "$( [ "$QUICK" -eq 1 ] && echo 1000 || echo 3000)" \
  2> "$RES/training_ratio.log" | tee "$RES/training_ratio.txt" | sed 's/^/   /'
"$PY" bench/report.py "$RES" --section training

say
say "================================ summary ================================"
"$PY" bench/report.py "$RES" | tee "$RES/summary.txt"
say "(reproduce: bench/run.sh$( [ "$QUICK" -eq 1 ] && echo ' --quick'); figures in $RES, summary in $RES/summary.txt)"
