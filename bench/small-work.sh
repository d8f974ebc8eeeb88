#!/usr/bin/env bash
# bench/small-work.sh: how small interactions compare with the fixed cost of any Spark command.
#
#   bench/small-work.sh [--rounds N] [--skip-build] [--json FILE]
#
# The floor is bench's Floor program (src/test/java/io/initsweep/bench/Floor.java): a JVM with
# bin/initsweep's options and jars that starts a local[*] SparkSession, writes one Parquet row,
# reads it back and stops. Each round times, one after another: the floor, `bin/initsweep run
# jobs/seeds.yaml` end to end, the same run while a shell loop keeps one core busy (printed
# against the idle run), `report` of that sweep, one `sql` query, and 10 queries piped into
# `sql`'s prompt (each query's own time, as the prompt prints it). It prints medians over the
# rounds and each figure's ratio to the floor's median (and, with --json, the medians into FILE for
# bench/report.py). The OPENBLAS_* settings of the caller are kept. bin/initsweep's class-data archive is
# made first if it is missing (INITSWEEP_CDS=0: the commands run without it).
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
ROUNDS=3
BUILD=1
JSON=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift ;;
    --skip-build) BUILD=0 ;;
    --json) JSON="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/small-work.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
. "$ROOT/bin/lib/java17.sh"
JAVA_HOME="$(find_java17)" || { echo "bench/small-work.sh: no Java 17 found (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}" SPARK_LOCAL_IP=127.0.0.1
if [ "$BUILD" -eq 1 ]; then
  mvn -q -B -DskipTests package > /tmp/small-work-build.log 2>&1 || { tail -30 /tmp/small-work-build.log >&2; exit 1; }
fi
mapfile -t OPENS < <(spark_jvm_opens "$ROOT/pom.xml")
# bin/initsweep's class-data archive, made before the rounds as its first Spark command would make it
# (once per build), so that no round times its making; the floor runs without it
if [ "${INITSWEEP_CDS:-1}" != 0 ] && [ ! "$ROOT/target/initsweep.jsa" -nt "$ROOT/target/initsweep-0.1.0.jar" ]; then
  bin/initsweep cds
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/small-work.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
now() { date +%s.%N; }
floor() {
  "$JAVA_HOME/bin/java" "${OPENS[@]}" -Xmx2g "-Dlog4j2.configurationFile=$ROOT/jobs/submit/conf/log4j2.properties" \
    -cp "$ROOT/target/test-classes:$ROOT/target/initsweep-0.1.0.jar:$ROOT/target/spark-home/jars/*" \
    io.initsweep.bench.Floor "$WORK/floor" > "$WORK/floor.log" 2>&1
}
QUERIES="$WORK/queries.sql"
for i in 1 2 3 4 5 6 7 8 9 10; do
  echo "SELECT init, activation, avg(act_std) AS s FROM layers WHERE layer = $((i % 5 + 1)) GROUP BY init, activation ORDER BY s;" >> "$QUERIES"
done
declare -A T
add() { T[$1]="${T[$1]:-} $2"; }
for r in $(seq 1 "$ROUNDS"); do
  t0=$(now); floor; add floor "$(echo "$(now) - $t0" | bc)"
  t0=$(now); bin/initsweep run jobs/seeds.yaml --out "$WORK/seeds" --overwrite --quiet --summary-rows 0 > "$WORK/run.log" 2>&1
  add run "$(echo "$(now) - $t0" | bc)"
  # the same with another process keeping one core busy (a shell loop at normal priority)
  bash -c 'while :; do :; done' & BUSY=$!
  t0=$(now); bin/initsweep run jobs/seeds.yaml --out "$WORK/seeds" --overwrite --quiet --summary-rows 0 > "$WORK/run_busy.log" 2>&1
  add run_busy "$(echo "$(now) - $t0" | bc)"
  kill "$BUSY"; wait "$BUSY" 2>/dev/null || true
  t0=$(now); bin/initsweep report "$WORK/seeds" --overwrite > "$WORK/report.log" 2>&1; add report "$(echo "$(now) - $t0" | bc)"
  t0=$(now); bin/initsweep sql --out "$WORK/seeds" "SELECT count(*) FROM runs" > "$WORK/sql.log" 2>&1
  add sql "$(echo "$(now) - $t0" | bc)"
  bin/initsweep sql --out "$WORK/seeds" < "$QUERIES" > "$WORK/prompt.log" 2>&1
  # the prompt's per-query times, without the first (the session's first query compiles its code paths)
  for s in $(grep -oE '^\(([0-9.]+) s\)$' "$WORK/prompt.log" | tr -d '()s ' | tail -n +2); do add prompt_query "$s"; done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
F=$(echo "${T[floor]}" | median)
printf '%-28s %9s %9s\n' "small work ($ROUNDS rounds)" "median s" "/ floor"
for k in floor run report sql prompt_query; do
  m=$(echo "${T[$k]:-}" | median)
  printf '%-28s %9.2f %9.2f\n' "$k" "$m" "$(echo "$m / $F" | bc -l)"
done
RUN=$(echo "${T[run]}" | median); RUN_BUSY=$(echo "${T[run_busy]}" | median)
printf '%-28s %9.2f %9.2f  (/ run on the idle machine)\n' "run, one core busy" "$RUN_BUSY" "$(echo "$RUN_BUSY / $RUN" | bc -l)"
echo "(floor: local[*] session start, one Parquet row written and read back, stop; prompt_query: one of 10 queries at sql's prompt)"
if [ -n "$JSON" ]; then
  {
    printf '{"rounds": %d' "$ROUNDS"
    for k in floor run run_busy report sql prompt_query; do
      m=$(echo "${T[$k]:-}" | median)
      [ -n "$m" ] && printf ', "%s": %s' "$k" "$m"
    done
    printf '}\n'
  } > "$JSON"
fi
