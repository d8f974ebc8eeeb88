# Sourced, not run: the Java 17 lookup and the JVM options Spark needs on it, shared by
# bin/initsweep, bin/spark-class, bench/run.sh, notebooks/install-kernel.sh and .ci/run.
#   . "$ROOT/bin/lib/java17.sh"
#   JAVA_HOME="$(find_java17)"            # a Java 17 runtime (java)
#   JAVA_HOME="$(find_java17 javac)"      # a Java 17 JDK (java and javac), e.g. for Maven
#   spark_jvm_opens "$ROOT/pom.xml"       # pom.xml's spark.jvm.opens, one option a line
# Java 17 only: Spark's Parquet writer fails on newer JDKs, and the pom's enforcer rule asks for
# [17,18).

# is_java17 DIR [TOOL]: DIR/bin/java is a Java 17 (and DIR/bin/TOOL exists, if given).
is_java17() {
  [ -x "$1/bin/java" ] || return 1
  if [ -n "${2:-}" ] && [ ! -x "$1/bin/$2" ]; then return 1; fi
  "$1/bin/java" -version 2>&1 | head -1 | grep -q 'version "17[."]'
}

# find_java17 [TOOL]: print the first Java 17 home among $JAVA_HOME, the java on the PATH,
# /usr/lib/jvm/*17*, /opt/java/*17* and /opt/*jdk*17*; exit status 1 when there is none.
find_java17() {
  local c path_java
  path_java="$(command -v java || true)"
  for c in "${JAVA_HOME:-}" ${path_java:+"$(dirname "$(dirname "$(readlink -f "$path_java")")")"} \
           /usr/lib/jvm/*17* /opt/java/*17* /opt/*jdk*17*; do
    if [ -n "$c" ] && is_java17 "$c" "${1:-}"; then readlink -f "$c"; return 0; fi
  done
  return 1
}

# spark_jvm_opens POM: the JVM options Spark needs on Java 17 (plus the Vector API module), one a
# line, read from the pom's <spark.jvm.opens> property: their one source. Surefire's argLine uses
# the property; jobs/submit/conf/spark-defaults.conf repeats it and JvmOptionsTest checks the copy.
spark_jvm_opens() {
  local -a opens
  read -r -a opens <<< "$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' "$1")"
  [ "${#opens[@]}" -gt 0 ] || { echo "no <spark.jvm.opens> property in $1" >&2; return 1; }
  printf '%s\n' "${opens[@]}"
}
