#!/usr/bin/env bash
# EXAMPLE ONLY — not run here (this machine has no Hadoop/YARN). The settings a YARN submission
# of the seeds sweep needs, for a machine with a Hadoop client configured:
#   HADOOP_CONF_DIR (or YARN_CONF_DIR) pointing at the cluster's core-site.xml/yarn-site.xml,
#   and a real Spark 4.1 distribution (Scala 2.13) with YARN support, or bin/spark-submit here
#   after adding spark-yarn_2.13 to target/spark-home/jars.
# - --out must be on the shared file system (hdfs:// or another path every node sees): executors
#   write the Parquet files, the driver writes manifest.json and commits.
# - Every NodeManager host needs Java 17 (Parquet writes fail on newer JDKs); native BLAS comes
#   with the jar, and the manifest records the BLAS each executor used.
# - The module options: spark-defaults.conf here is not read on the cluster unless
#   SPARK_CONF_DIR points at it, so pass them (the same list as jobs/submit/conf/spark-defaults.conf).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
echo "yarn.sh is an example, not run on this machine; read it and adapt it." >&2
[ "${1:-}" = "--i-have-yarn" ] || exit 2
shift

OPENS="$(sed -n 's/^spark.executor.extraJavaOptions *//p' jobs/submit/conf/spark-defaults.conf)"
# Cluster mode: the driver runs in the ApplicationMaster, and the spec travels with --files.
exec "${SPARK_SUBMIT:-bin/spark-submit}" \
  --master yarn \
  --deploy-mode cluster \
  --name initsweep-seeds \
  --num-executors 4 --executor-cores 2 --executor-memory 2g --driver-memory 2g \
  --conf spark.executorEnv.OPENBLAS_NUM_THREADS=1 \
  --conf spark.yarn.appMasterEnv.OPENBLAS_NUM_THREADS=1 \
  --conf spark.executorEnv.JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 \
  --conf spark.yarn.appMasterEnv.JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 \
  --conf "spark.driver.extraJavaOptions=$OPENS" \
  --conf "spark.executor.extraJavaOptions=$OPENS" \
  --files jobs/seeds.yaml \
  target/initsweep-0.1.0.jar \
  run seeds.yaml --out "${OUT:-hdfs:///user/$USER/initsweep/seeds}" "$@"
