#!/usr/bin/env bash
# Submit a sweep to a Spark standalone master, the driver in this process (client mode).
#   jobs/submit/cluster.sh start                  # a loopback cluster: master + 2 workers
#   jobs/submit/standalone.sh                     # jobs/seeds.yaml → out/seeds-standalone/
#   jobs/submit/standalone.sh --spec jobs/bench.yaml --out out/bench --conf spark.eventLog.enabled=true
#   jobs/submit/standalone.sh --master spark://host:7077 --out /shared/seeds -- --partitions 8
# Options: --master URL (default: the cluster.sh cluster's, from target/cluster/master.url),
#          --spec FILE (jobs/seeds.yaml), --out DIR (out/seeds-standalone), --conf K=V (repeatable,
#          passed to spark-submit); after `--`, arguments go to `initsweep run`.
# Environment: DRIVER_HOST (address executors reach the driver on; default 127.0.0.1, right for a
#              loopback cluster only), EXECUTOR_MEMORY (default 1g: must fit in a worker's --memory),
#              DRIVER_MEMORY (default 1g).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."   # the repository root

master="" spec=jobs/seeds.yaml out=out/seeds-standalone confs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --master) master="$2"; shift 2 ;;
    --spec) spec="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --conf) confs+=(--conf "$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "standalone.sh: unknown option '$1' (allowed: --master, --spec, --out, --conf, then -- and initsweep run options)" >&2; exit 2 ;;
  esac
done
if [ -z "$master" ]; then
  master="$(cat target/cluster/master.url 2>/dev/null)" || {
    echo "standalone.sh: no --master given and no cluster in target/cluster (start one: jobs/submit/cluster.sh start)" >&2; exit 2; }
fi
case "$master" in spark://*) ;; *) echo "standalone.sh: --master must be spark://host:port, found '$master'" >&2; exit 2 ;; esac

# bin/spark-submit builds target/spark-home/jars if missing, but not the app jar: build it here.
[ -f target/initsweep-0.1.0.jar ] || mvn -q -B -DskipTests package

# - Executors write the Parquet files themselves: --out must be one path that the driver and
#   every executor see (here the same disk; on a real cluster a shared file system or hdfs://).
#   Absolute, as executors run in their worker's work directory.
# - spark.driver.host: executors connect back to the driver there (this machine's hostname does
#   not resolve to a reachable address, so name loopback; on a real cluster an address the
#   workers can reach).
# - Module options for driver and executors, and OPENBLAS_NUM_THREADS=1 for executors, come from
#   jobs/submit/conf/spark-defaults.conf; repeated here where a cluster needs them.
exec bin/spark-submit \
  --master "$master" \
  --deploy-mode client \
  --name "initsweep-$(basename "$spec" .yaml)" \
  --driver-memory "${DRIVER_MEMORY:-1g}" \
  --executor-memory "${EXECUTOR_MEMORY:-1g}" \
  --conf spark.driver.host="${DRIVER_HOST:-127.0.0.1}" \
  --conf spark.driver.bindAddress="${DRIVER_HOST:-127.0.0.1}" \
  --conf spark.executorEnv.OPENBLAS_NUM_THREADS=1 \
  ${confs[@]+"${confs[@]}"} \
  target/initsweep-0.1.0.jar \
  run "$spec" --out "$(readlink -m "$out")" "$@"
