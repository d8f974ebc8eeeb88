#!/usr/bin/env bash
# Submit a sweep to YARN with bin/spark-submit (Spark's YARN support is in target/spark-home/jars).
#   HADOOP_CONF_DIR=/etc/hadoop/conf jobs/submit/yarn.sh                  # jobs/seeds.yaml → hdfs:///user/$USER/initsweep/seeds
#   HADOOP_CONF_DIR=… jobs/submit/yarn.sh --spec jobs/bench.yaml --out hdfs:///sweeps/bench --executors 8
#   HADOOP_CONF_DIR=… jobs/submit/yarn.sh --deploy-mode cluster --conf spark.yarn.archive=hdfs:///spark/jars.zip
# Options: --spec FILE (jobs/seeds.yaml), --out URI (hdfs:///user/$USER/initsweep/<spec name>),
#          --deploy-mode client|cluster (client: the driver runs here and prints the run's lines),
#          --executors N (2), --executor-cores N (1), --executor-memory SIZE (1g),
#          --driver-memory SIZE (1g), --queue NAME (default), --conf K=V (repeatable, passed to
#          spark-submit); after `--`, arguments go to `initsweep run`.
# Environment: HADOOP_CONF_DIR or YARN_CONF_DIR (required): the cluster's core-site.xml and
#              yarn-site.xml; NODE_JAVA_HOME: a Java 17 on every NodeManager host (default: the
#              Java 17 this script runs).
# - --out must be where the driver and every executor can write: hdfs://, s3a:// or a file system
#   mounted on every node. Executors write the Parquet files, the driver the manifest (the commit).
# - Each submission uploads Spark's jars to the staging directory unless spark.yarn.archive or
#   spark.yarn.jars names a copy on the cluster (hdfs:// once for all, or local: where every node
#   has them at the same path).
# - Native BLAS comes with the application jar; nothing is installed on the nodes.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."   # the repository root
. bin/lib/java17.sh

spec=jobs/seeds.yaml out="" mode=client executors=2 cores=1 memory=1g driver_memory=1g queue=default confs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --spec) spec="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --deploy-mode) mode="$2"; shift 2 ;;
    --executors) executors="$2"; shift 2 ;;
    --executor-cores) cores="$2"; shift 2 ;;
    --executor-memory) memory="$2"; shift 2 ;;
    --driver-memory) driver_memory="$2"; shift 2 ;;
    --queue) queue="$2"; shift 2 ;;
    --conf) confs+=(--conf "$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "yarn.sh: unknown option '$1' (allowed: --spec, --out, --deploy-mode, --executors, --executor-cores, --executor-memory, --driver-memory, --queue, --conf, then -- and initsweep run options)" >&2; exit 2 ;;
  esac
done
conf_dir="${HADOOP_CONF_DIR:-${YARN_CONF_DIR:-}}"
if [ -z "$conf_dir" ] || [ ! -f "$conf_dir/yarn-site.xml" ]; then
  echo "yarn.sh: HADOOP_CONF_DIR (or YARN_CONF_DIR) must name the directory of the cluster's yarn-site.xml, found '${conf_dir}'" >&2; exit 2
fi
case "$mode" in client|cluster) ;; *) echo "yarn.sh: --deploy-mode must be client or cluster, found '$mode'" >&2; exit 2 ;; esac
for n in executors cores; do
  case "${!n}" in ''|*[!0-9]*|0) echo "yarn.sh: --${n/cores/executor-cores} must be a positive integer, found '${!n}'" >&2; exit 2 ;; esac
done
[ -f "$spec" ] || { echo "yarn.sh: --spec '$spec' is not a file" >&2; exit 2; }
out="${out:-hdfs:///user/${USER:-$(id -un)}/initsweep/$(basename "$spec" .yaml)}"
node_java="${NODE_JAVA_HOME:-$(find_java17)}" || { echo "yarn.sh: no Java 17 found here; set NODE_JAVA_HOME to the Java 17 on the NodeManager hosts" >&2; exit 2; }

# bin/spark-submit builds target/spark-home/jars if missing, but not the app jar: build it here.
[ -f target/initsweep-0.1.0.jar ] || mvn -q -B -DskipTests package

# In cluster mode the driver runs in the ApplicationMaster: the spec travels with --files and is
# read from the container's working directory.
spec_arg="$spec"
files=()
am_opts=()
if [ "$mode" = cluster ]; then
  files=(--files "$spec")
  spec_arg="$(basename "$spec")"
fi

# Module options for driver and executors: jobs/submit/conf/spark-defaults.conf (read by
# bin/spark-submit here) holds them; the ApplicationMaster and executors get them explicitly, as
# the cluster does not read that file. The containers run Java 17 (Parquet writes fail on newer JDKs).
OPENS="$(sed -n 's/^spark.executor.extraJavaOptions *//p' jobs/submit/conf/spark-defaults.conf)"
# (in client mode the ApplicationMaster is a JVM of its own; in cluster mode it is the driver's)
if [ "$mode" = client ]; then am_opts=(--conf "spark.yarn.am.extraJavaOptions=$OPENS"); fi
exec "${SPARK_SUBMIT:-bin/spark-submit}" \
  --master yarn \
  --deploy-mode "$mode" \
  --name "initsweep-$(basename "$spec" .yaml)" \
  --queue "$queue" \
  --num-executors "$executors" --executor-cores "$cores" --executor-memory "$memory" \
  --driver-memory "$driver_memory" \
  --conf spark.executorEnv.OPENBLAS_NUM_THREADS=1 \
  --conf spark.yarn.appMasterEnv.OPENBLAS_NUM_THREADS=1 \
  --conf "spark.executorEnv.JAVA_HOME=$node_java" \
  --conf "spark.yarn.appMasterEnv.JAVA_HOME=$node_java" \
  --conf "spark.driver.extraJavaOptions=$OPENS" \
  --conf "spark.executor.extraJavaOptions=$OPENS" \
  ${am_opts[@]+"${am_opts[@]}"} \
  ${files[@]+"${files[@]}"} \
  ${confs[@]+"${confs[@]}"} \
  target/initsweep-0.1.0.jar \
  run "$spec_arg" --out "$out" "$@"
