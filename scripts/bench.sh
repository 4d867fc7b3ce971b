#!/usr/bin/env bash
# make bench: run every tests/bench/bench_*.py with the project's Python, one after another (one core each).
# Record the figures in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export SECRET_KEY="${SECRET_KEY:-benchmark-only}"
status=0
shopt -s nullglob
for bench in tests/bench/bench_*.py; do
  echo "== $bench"
  .venv/bin/python "$bench" || status=1
done
exit "$status"
