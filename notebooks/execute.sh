#!/usr/bin/env bash
# Executes a notebook with Jupyter and writes the executed copy, outputs included, elsewhere (the
# notebooks in the repository stay without outputs):
#   notebooks/execute.sh                                   # notebooks/seed-figures.ipynb → out/notebooks/
#   INITSWEEP_OUT=out/other notebooks/execute.sh notebooks/seed-figures.ipynb /tmp/nb [nbconvert options]
# It runs, from the repository root:
#   jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
#     --ExecutePreprocessor.startup_timeout=30 --output-dir OUTPUT_DIR [nbconvert options] NOTEBOOK
# The notebook's kernel (initsweep-java17 for the Java notebook: notebooks/install-kernel.sh) runs in
# notebooks/; the sweep is $INITSWEEP_OUT (default out/seeds, relative to the repository root).
#
# rapaio-jupyter-kernel 3.0.1 now and then never answers Jupyter's first request (a channel's loop
# thread can read its running flag before start() sets it, and then ends); nbconvert then stops with
# "Kernel didn't respond in 30 seconds" (otherwise it answers within a few seconds). That failure,
# and only that one, is retried (5 attempts): seen here in about one start of five.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
NOTEBOOK="${1:-$ROOT/notebooks/seed-figures.ipynb}"
OUTPUT_DIR="${2:-$ROOT/out/notebooks}"
shift $(( $# < 2 ? $# : 2 ))
ATTEMPTS=5

command -v jupyter >/dev/null || {
  echo "execute: jupyter not found (Debian: apt-get install jupyter-notebook jupyter-nbconvert jupyter-client" \
       "python3-nbclient python3-ipykernel python3-nbformat; then notebooks/install-kernel.sh)" >&2
  exit 1
}
[ -f "$NOTEBOOK" ] || { echo "execute: no notebook $NOTEBOOK" >&2; exit 1; }
mkdir -p "$OUTPUT_DIR"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cd "$ROOT"
for attempt in $(seq 1 "$ATTEMPTS"); do
  rc=0
  jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
    --ExecutePreprocessor.startup_timeout=30 --output-dir "$OUTPUT_DIR" "$@" "$NOTEBOOK" > "$log" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then
    grep -F '[NbConvertApp]' "$log" >&2 || true
    exit 0
  fi
  if ! grep -q "Kernel didn't respond" "$log" || [ "$attempt" -eq "$ATTEMPTS" ]; then
    cat "$log" >&2
    exit "$rc"
  fi
  echo "execute: the kernel did not answer at start (attempt $attempt of $ATTEMPTS); starting it again" >&2
done
