#!/usr/bin/env bash
# Example: run the seeds sweep through spark-submit on this machine, as a cluster would run it,
# but with a local master (driver and 2 task threads in one JVM).
#   jobs/submit/local.sh                 # writes out/seeds-submit/
#   jobs/submit/local.sh --help          # extra arguments go to `initsweep run`
# For day-to-day local runs bin/initsweep is simpler (no spark-submit involved):
#   bin/initsweep run jobs/seeds.yaml --out out/seeds
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."   # the repository root

# bin/spark-submit builds target/spark-home/jars if missing, but not the app jar: build it here.
[ -f target/initsweep-0.1.0.jar ] || mvn -q -B -DskipTests package

# - Spark defaults (module opens, OPENBLAS_NUM_THREADS=1) and logging come from
#   jobs/submit/conf/ (spark-defaults.conf, log4j2.properties) via SPARK_CONF_DIR.
# - No --class: the jar's manifest names io.initsweep.cli.Main.
# - Everything after the jar goes to the initsweep CLI: `run <spec> --out <dir>`.
# - On a standalone cluster: --master spark://host:7077 --conf spark.driver.host=<reachable ip>
#   and an --out every executor can write to (a shared filesystem).
exec bin/spark-submit \
  --master 'local[2]' \
  --driver-memory 2g \
  --name initsweep-seeds \
  target/initsweep-0.1.0.jar \
  run jobs/seeds.yaml --out out/seeds-submit "$@"
