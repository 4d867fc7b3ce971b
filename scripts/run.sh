#!/usr/bin/env bash
# make run: the embedded set-up — SQLite (WAL) under var/, local files, the task worker, the demo province.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-true}" MOTCUA_DEMO="${MOTCUA_DEMO:-true}" PYTHONUNBUFFERED=1
PORT="${PORT:-8000}"
M=.venv/bin/motcua

$M compile_translations >/dev/null
$M migrate --no-input -v0
$M load_demo

$M db_worker --queue-name '*' --no-reload --no-startup-delay &
WORKER=$!

# The periodic jobs (deadline reminders, …) every 10 minutes, as a systemd timer or cron does in production.
scheduled_jobs() {
  local pause=""
  trap '[ -n "$pause" ] && kill "$pause" 2>/dev/null; exit 0' TERM
  while true; do
    $M run_scheduled_jobs || echo "run_scheduled_jobs thất bại; chạy lại sau 10 phút." >&2
    sleep 600 & pause=$!
    wait "$pause"
  done
}
scheduled_jobs &
JOBS=$!
cleanup() {
  kill "$WORKER" "$JOBS" 2>/dev/null || true
  wait "$WORKER" "$JOBS" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

echo
echo "Một Cửa đang chạy tại http://127.0.0.1:${PORT}/  (khu vực cán bộ: /can-bo/, quản trị: /quan-tri/)"
echo "Nhấn Ctrl-C để dừng cả máy chủ web và bộ xử lý tác vụ nền."
$M runserver "127.0.0.1:${PORT}" --noreload
