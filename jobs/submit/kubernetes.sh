#!/usr/bin/env bash
# EXAMPLE ONLY — not run here (this machine has no Kubernetes). The settings a Kubernetes
# submission of the seeds sweep needs:
# - An image with Java 17, Spark 4.2 (Scala 2.13) and the app jar (it carries its OpenBLAS), e.g.
#   FROM apache/spark:4.2.0-scala2.13-java17-ubuntu, then COPY target/initsweep-0.1.0.jar and
#   jobs/seeds.yaml to /opt/initsweep/.
#   (Java 17: Parquet writes fail on newer JDKs.)
# - A service account allowed to create pods (spark.kubernetes.authenticate.driver.serviceAccountName).
# - --out on storage every pod sees: a PersistentVolumeClaim mounted at the same path in driver
#   and executors (ReadWriteMany), or an object store (s3a://, with hadoop-aws in the image).
#   Executors write the Parquet files; the driver writes manifest.json and commits.
# - The module options below (the list in jobs/submit/conf/spark-defaults.conf).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
echo "kubernetes.sh is an example, not run on this machine; read it and adapt it." >&2
[ "${1:-}" = "--i-have-kubernetes" ] || exit 2
shift

OPENS="$(sed -n 's/^spark.executor.extraJavaOptions *//p' jobs/submit/conf/spark-defaults.conf)"
K8S_API="${K8S_API:?set K8S_API to the API server, e.g. https://10.0.0.1:6443}"
IMAGE="${IMAGE:?set IMAGE to an image built as described above}"
exec "${SPARK_SUBMIT:-spark-submit}" \
  --master "k8s://$K8S_API" \
  --deploy-mode cluster \
  --name initsweep-seeds \
  --conf spark.kubernetes.container.image="$IMAGE" \
  --conf spark.kubernetes.authenticate.driver.serviceAccountName=spark \
  --conf spark.executor.instances=4 --conf spark.executor.cores=2 \
  --conf spark.executor.memory=2g --conf spark.driver.memory=2g \
  --conf spark.executorEnv.OPENBLAS_NUM_THREADS=1 \
  --conf spark.kubernetes.driverEnv.OPENBLAS_NUM_THREADS=1 \
  --conf "spark.driver.extraJavaOptions=$OPENS" \
  --conf "spark.executor.extraJavaOptions=$OPENS" \
  --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.results.options.claimName=initsweep-results \
  --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.results.mount.path=/results \
  --conf spark.kubernetes.executor.volumes.persistentVolumeClaim.results.options.claimName=initsweep-results \
  --conf spark.kubernetes.executor.volumes.persistentVolumeClaim.results.mount.path=/results \
  local:///opt/initsweep/initsweep-0.1.0.jar \
  run /opt/initsweep/seeds.yaml --out "${OUT:-/results/seeds}" "$@"
