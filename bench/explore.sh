#!/usr/bin/env bash
# bench/explore.sh: how long the explorer page of a 10,000-point sweep takes to open.
#
#   bench/explore.sh [--rounds N] [--max-layer-rows N] [--skip-build] [--fresh]
#
# Writes (once; --fresh writes it again) a synthetic output directory of 10,000 grid points × 50
# layers × 30 bins in the tables' schema under out/bench-explore/sweep, builds its explorer page
# (out/bench-explore/explore.html) and opens it from disk in Debian's headless Chromium N times
# (default 5), printing for each the seconds from navigation start until every panel is drawn and
# the median (src/test/java/io/initsweep/bench/ExploreLoadBench.java). The page carries at most
# --max-layer-rows layer rows (default: the explorer's); beyond, it samples and says what it kept.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
BUILD=1
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds|--max-layer-rows) ARGS+=("$1" "$2"); shift ;;
    --skip-build) BUILD=0 ;;
    --fresh) rm -rf out/bench-explore/sweep ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/explore.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
. "$ROOT/bin/lib/java17.sh"
JAVA_HOME="$(find_java17)" || { echo "bench/explore.sh: no Java 17 found (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME SPARK_LOCAL_IP=127.0.0.1
RES="$ROOT/out/bench-explore"
mkdir -p "$RES"
if [ "$BUILD" -eq 1 ] || [ ! -f "$RES/classpath.txt" ]; then
  mvn -q -B -DskipTests package > "$RES/build.log" 2>&1 || { tail -40 "$RES/build.log" >&2; exit 1; }
  mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$RES/classpath.txt" \
    >> "$RES/build.log" 2>&1 || { tail -20 "$RES/build.log" >&2; exit 1; }
fi
mapfile -t OPENS < <(spark_jvm_opens "$ROOT/pom.xml")
"$JAVA_HOME/bin/java" "${OPENS[@]}" -Xmx4g -Dlog4j2.configurationFile="$ROOT/jobs/submit/conf/log4j2.properties" \
  -cp "target/test-classes:target/classes:$(cat "$RES/classpath.txt")" \
  io.initsweep.bench.ExploreLoadBench "$RES" "${ARGS[@]}"
