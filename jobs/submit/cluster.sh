#!/usr/bin/env bash
# A Spark standalone cluster on loopback: one master and N workers on 127.0.0.1, run from the
# Maven-resolved Spark jars (target/spark-home/jars, see bin/spark-class). For trying the job on
# real executor JVMs on one machine; the integration tests start theirs with it too.
#   jobs/submit/cluster.sh start [--workers N] [--cores-per-worker C] [--memory M] [--dir DIR]
#   jobs/submit/cluster.sh status [--dir DIR]
#   jobs/submit/cluster.sh stop [--dir DIR]
# Defaults: 2 workers, 1 core and 1g each, DIR target/cluster. Ports are chosen free by the
# daemons (port 0) and read back from their logs. DIR holds:
#   master.pid master.url master.webui   worker-<i>.pid worker-<i>.webui
#   logs/master.log logs/worker-<i>.log  work/worker-<i>/ (executor stdout/stderr per app)
# `start` on a running cluster changes nothing and prints its status; `stop` stops the
# processes named in DIR's PID files (after checking each still is that daemon), never by name.
# status exits 0 if master and every worker are alive, 3 if only some are, 1 if none.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
die() { echo "cluster: $*" >&2; exit 2; }
usage() { sed -n '5,7s/^# *//p' "${BASH_SOURCE[0]}" >&2; exit 2; }

[ $# -ge 1 ] || usage
cmd="$1"; shift
workers=2 cores=1 memory=1g dir="$ROOT/target/cluster"
while [ $# -gt 0 ]; do
  case "$1" in
    --workers) [ $# -ge 2 ] || die "--workers needs a value"; workers="$2"; shift 2 ;;
    --workers=*) workers="${1#*=}"; shift ;;
    --cores-per-worker) [ $# -ge 2 ] || die "--cores-per-worker needs a value"; cores="$2"; shift 2 ;;
    --cores-per-worker=*) cores="${1#*=}"; shift ;;
    --memory) [ $# -ge 2 ] || die "--memory needs a value"; memory="$2"; shift 2 ;;
    --memory=*) memory="${1#*=}"; shift ;;
    --dir) [ $# -ge 2 ] || die "--dir needs a value"; dir="$2"; shift 2 ;;
    --dir=*) dir="${1#*=}"; shift ;;
    -h|--help) usage ;;
    *) die "unknown option '$1' (allowed: --workers, --cores-per-worker, --memory, --dir)" ;;
  esac
done
[[ "$workers" =~ ^[1-9][0-9]*$ ]] || die "--workers must be a positive integer, found '$workers'"
[[ "$cores" =~ ^[1-9][0-9]*$ ]] || die "--cores-per-worker must be a positive integer, found '$cores'"
[[ "$memory" =~ ^[1-9][0-9]*[mMgG]$ ]] || die "--memory must be like 512m or 1g, found '$memory'"
mkdir -p "$dir" || die "cannot create --dir $dir"
dir="$(cd "$dir" && pwd)"

# The PID in a file, if that process is alive and still the daemon (class) we started there.
live_pid() {  # file class
  local pid
  [ -f "$1" ] || return 1
  pid="$(cat "$1")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$2" || return 1
  echo "$pid"
}
MASTER=org.apache.spark.deploy.master.Master
WORKER=org.apache.spark.deploy.worker.Worker
worker_files() { find "$dir" -maxdepth 1 -name 'worker-*.pid' | sort -V; }

# Waits until a log has a line matching the pattern (prints it) or the process dies / times out.
await_log() {  # pid log pattern what
  local i
  for i in $(seq 1 240); do
    if grep -m1 -oE "$3" "$2" 2>/dev/null; then return 0; fi
    kill -0 "$1" 2>/dev/null || { echo "cluster: $4 (pid $1) exited; last lines of $2:" >&2; tail -20 "$2" >&2; return 1; }
    sleep 0.25
  done
  echo "cluster: $4 (pid $1) not ready after 60 s; last lines of $2:" >&2; tail -20 "$2" >&2; return 1
}

status() {
  local mpid f pid name alive=0 total=1 webui
  if mpid="$(live_pid "$dir/master.pid" "$MASTER")"; then
    alive=1
    echo "master    $(cat "$dir/master.url")  pid $mpid  web UI $(cat "$dir/master.webui")"
  elif [ -f "$dir/master.pid" ]; then
    echo "master    not running (stale $dir/master.pid: $(cat "$dir/master.pid"))"
  else
    echo "master    not running ($dir)"
  fi
  for f in $(worker_files); do
    total=$((total + 1)); name="$(basename "$f" .pid)"
    webui="$(cat "$dir/$name.webui" 2>/dev/null || echo '?')"
    if pid="$(live_pid "$f" "$WORKER")"; then
      alive=$((alive + 1)); echo "$name  pid $pid  web UI $webui  work $dir/work/$name"
    else
      echo "$name  not running (pid $(cat "$f"))"
    fi
  done
  if [ -n "${mpid:-}" ] && command -v curl >/dev/null; then
    local json
    if json="$(curl -sf --max-time 5 "$(cat "$dir/master.webui")/json/")"; then
      echo "master sees: $(grep -oE '"aliveworkers" *: *[0-9]+' <<<"$json" | grep -oE '[0-9]+$') workers alive, $(grep -oE '^  "cores" *: *[0-9]+' <<<"$json" | grep -oE '[0-9]+$') cores, $(grep -oE '"coresused" *: *[0-9]+' <<<"$json" | tail -1 | grep -oE '[0-9]+$') in use"
    fi
  fi
  if [ "$alive" -eq "$total" ] && [ -n "${mpid:-}" ]; then return 0; fi
  if [ "$alive" -eq 0 ]; then return 1; fi
  return 3
}

stop_pid() {  # pid what
  local pid="$1" i children
  children="$(ps -o pid= --ppid "$pid" 2>/dev/null | tr -d ' ' || true)"   # executor JVMs of a worker
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then echo "cluster: $2 (pid $pid) ignored TERM for 15 s, sending KILL" >&2; kill -KILL "$pid" 2>/dev/null || true; fi
  for i in $children; do kill -0 "$i" 2>/dev/null && kill -KILL "$i" 2>/dev/null || true; done
  echo "stopped $2 (pid $pid)"
}

stop() {
  local f pid any=0
  for f in $(worker_files); do
    if pid="$(live_pid "$f" "$WORKER")"; then stop_pid "$pid" "$(basename "$f" .pid)"; any=1; fi
    rm -f "$f"
  done
  if pid="$(live_pid "$dir/master.pid" "$MASTER")"; then stop_pid "$pid" master; any=1; fi
  rm -f "$dir/master.pid" "$dir/master.url" "$dir/master.webui" "$dir"/worker-*.webui
  [ "$any" = 1 ] || echo "cluster: nothing running in $dir"
}

start() {
  local mpid url webui i pid log
  if live_pid "$dir/master.pid" "$MASTER" >/dev/null; then
    echo "cluster: already running in $dir (stop it first to change its shape)" >&2
    status; return $?
  fi
  stop >/dev/null   # workers left from an earlier master, stale PID files
  mkdir -p "$dir/logs" "$dir/work"
  export SPARK_LOCAL_IP=127.0.0.1 SPARK_CONF_DIR="${SPARK_CONF_DIR:-$ROOT/jobs/submit/conf}"
  export SPARK_DAEMON_MEMORY="${SPARK_DAEMON_MEMORY:-512m}"
  # No REST submission server: its fixed port 6066 would clash with a second cluster.
  export SPARK_MASTER_OPTS="-Dspark.master.rest.enabled=false ${SPARK_MASTER_OPTS:-}"
  # Daemons log at INFO (ports, registrations, executor launches and losses) to their log files.
  export SPARK_DAEMON_JAVA_OPTS="-Dlog4j2.configurationFile=$ROOT/jobs/submit/conf/log4j2-daemon.properties ${SPARK_DAEMON_JAVA_OPTS:-}"

  # bin/spark-class execs java, so $! is the daemon's PID.
  log="$dir/logs/master.log"
  "$ROOT/bin/spark-class" "$MASTER" --host 127.0.0.1 --port 0 --webui-port 0 >"$log" 2>&1 </dev/null &
  mpid=$!; echo "$mpid" >"$dir/master.pid"
  url="$(await_log "$mpid" "$log" 'spark://127\.0\.0\.1:[0-9]+' master)" || { stop >/dev/null; exit 1; }
  webui="$(await_log "$mpid" "$log" "service 'MasterUI' on port [0-9]+" master)" || { stop >/dev/null; exit 1; }
  echo "$url" >"$dir/master.url"; echo "http://127.0.0.1:${webui##* }" >"$dir/master.webui"

  for i in $(seq 1 "$workers"); do
    log="$dir/logs/worker-$i.log"; mkdir -p "$dir/work/worker-$i"
    "$ROOT/bin/spark-class" "$WORKER" --host 127.0.0.1 --port 0 --webui-port 0 \
      --cores "$cores" --memory "$memory" --work-dir "$dir/work/worker-$i" "$url" >"$log" 2>&1 </dev/null &
    pid=$!; echo "$pid" >"$dir/worker-$i.pid"
  done
  for i in $(seq 1 "$workers"); do
    log="$dir/logs/worker-$i.log"; pid="$(cat "$dir/worker-$i.pid")"
    await_log "$pid" "$log" 'Successfully registered with master' "worker-$i" >/dev/null || { stop >/dev/null; exit 1; }
    webui="$(await_log "$pid" "$log" "service 'WorkerUI' on port [0-9]+" "worker-$i")" || { stop >/dev/null; exit 1; }
    echo "http://127.0.0.1:${webui##* }" >"$dir/worker-$i.webui"
  done
  status
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "unknown command '$cmd' (allowed: start, stop, status)" ;;
esac
