#!/usr/bin/env bash
# Installs the Jupyter kernel the Java notebooks run on: the rapaio Java kernel
# (io.github.padreati:rapaio-jupyter-kernel, JShell in the kernel's own JVM) started by a Java 17
# with the JVM options Spark needs. Idempotent: run it again after changing the pom's options.
#   notebooks/install-kernel.sh            # → $(jupyter --data-dir)/kernels/initsweep-java17
# Needs Jupyter (Debian: apt-get install jupyter-notebook jupyter-nbconvert jupyter-client
# python3-nbclient python3-ipykernel python3-nbformat) and Maven, which fetches the kernel's jar
# from Maven Central the first time.
# Environment: JAVA_HOME (used if it is a Java 17), INITSWEEP_DRIVER_MEMORY (the kernel's heap,
#              default 2g), INITSWEEP_KERNEL_DIR (where to install, default as above).
#
# Why not the kernel's own installer (java -jar rapaio-jupyter-kernel-*.jar -i -auto): it writes
# argv ["java", "-jar", ...], i.e. whatever java is first on the PATH and no JVM options. The
# notebook's code runs inside that JVM, so Spark's --add-opens must be on its command line;
# setting the classpath in kernel.json does not work either, hence the %jar/%classpath magics
# in the notebook's first cell.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
KERNEL_NAME=initsweep-java17
RAPAIO_VERSION=3.0.1
RAPAIO_JAR="rapaio-jupyter-kernel-$RAPAIO_VERSION.jar"

# Java 17 only: Parquet fails on newer JDKs (find_java17, as bin/initsweep does).
. "$ROOT/bin/lib/java17.sh"
JAVA17="$(find_java17)" || {
  echo "install-kernel: no Java 17 found (checked \$JAVA_HOME, java on the PATH, /usr/lib/jvm/*17*)." >&2
  exit 1
}

if [ -n "${INITSWEEP_KERNEL_DIR:-}" ]; then
  KDIR="$INITSWEEP_KERNEL_DIR"
else
  command -v jupyter >/dev/null || {
    echo "install-kernel: jupyter not found; install it first (Debian: apt-get install jupyter-notebook" \
         "jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel python3-nbformat)." >&2
    exit 1
  }
  KDIR="$(jupyter --data-dir)/kernels/$KERNEL_NAME"
fi
mkdir -p "$KDIR"

if [ ! -f "$KDIR/$RAPAIO_JAR" ]; then
  command -v mvn >/dev/null || { echo "install-kernel: Maven (mvn) is needed to fetch $RAPAIO_JAR" >&2; exit 1; }
  (cd "$KDIR" && JAVA_HOME="$JAVA17" mvn -B -q -Dstyle.color=never dependency:copy \
     "-Dartifact=io.github.padreati:rapaio-jupyter-kernel:$RAPAIO_VERSION" -DoutputDirectory="$KDIR")
fi

# The JVM options Spark needs on Java 17: one source, the pom's spark.jvm.opens property.
mapfile -t OPENS < <(spark_jvm_opens "$ROOT/pom.xml")
[ "${#OPENS[@]}" -gt 0 ] || { echo "install-kernel: no <spark.jvm.opens> in $ROOT/pom.xml" >&2; exit 1; }

json() {   # a JSON string literal
  local s="${1//\\/\\\\}"
  s="${s//\"/\\\"}"
  printf '"%s"' "$s"
}
{
  echo '{'
  echo '  "argv": ['
  printf '    %s,\n' "$(json "$JAVA17/bin/java")"
  for o in "${OPENS[@]}"; do printf '    %s,\n' "$(json "$o")"; done
  printf '    %s,\n' "$(json "-Xmx${INITSWEEP_DRIVER_MEMORY:-2g}")" '"-Djava.awt.headless=true"' '"-jar"' \
    "$(json "$KDIR/$RAPAIO_JAR")"
  echo '    "{connection_file}"'
  echo '  ],'
  echo '  "display_name": "Java 17 + Spark (initsweep)",'
  echo '  "language": "java",'
  echo '  "interrupt_mode": "message",'
  echo '  "env": {'
  echo '    "SPARK_LOCAL_IP": "127.0.0.1",'
  echo '    "RJK_COMPILER_OPTIONS": "",'
  echo '    "RJK_INIT_SCRIPT": "",'
  echo '    "RJK_TIMEOUT_MILLIS": "-1",'
  printf '    "RJK_MIMA_CACHE": %s\n' "$(json "$KDIR/mima_cache")"
  echo '  }'
  echo '}'
} > "$KDIR/kernel.json.tmp"
mv "$KDIR/kernel.json.tmp" "$KDIR/kernel.json"
echo "installed Jupyter kernel $KERNEL_NAME in $KDIR (Java $JAVA17)" >&2
