#!/usr/bin/env bash
# make test: the whole suite. Locally on SQLite; under CI=true on PostgreSQL, with the browser test executed.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

# Debian's Chromium for the browser tests (never a downloaded browser).
if ! command -v chromium >/dev/null 2>&1; then
  echo "Cài Chromium của Debian cho kiểm thử trình duyệt (installing Debian's chromium)…"
  as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
fi
export MOTCUA_CHROMIUM="${MOTCUA_CHROMIUM:-$(command -v chromium)}"

# The official forms (PDF): set in Liberation Serif 2 (Times metrics, Vietnamese glyphs); the tests read their
# text with poppler's pdftotext/pdffonts/pdftoppm and their QR code with zbarimg.
form_packages=()
[ -d /usr/share/fonts/truetype/liberation2 ] || form_packages+=(fonts-liberation2)
command -v pdftotext >/dev/null 2>&1 || form_packages+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || form_packages+=(zbar-tools)
if [ "${#form_packages[@]}" -gt 0 ]; then
  echo "Cài ${form_packages[*]} cho kiểm thử biểu mẫu PDF (installing ${form_packages[*]})…"
  as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${form_packages[@]}" >/dev/null
fi

pg_answers() { "$BIN/python" - "$1" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception:
    sys.exit(1)
PY
}

if [ "${CI:-}" = "true" ] && [ -z "${DATABASE_URL:-}" ]; then
  ADMIN_URL="postgres://postgres@127.0.0.1:5432/postgres"
  if ! pg_answers "$ADMIN_URL"; then
    echo "Không có PostgreSQL ở 127.0.0.1:5432: khởi động một cụm tạm (starting a throwaway cluster)…"
    PGDIR="$(mktemp -d /tmp/motcua-pg.XXXXXX)"
    scripts/pg-throwaway.sh start 5432 "$PGDIR"
    trap 'scripts/pg-throwaway.sh stop "$PGDIR"' EXIT
  fi
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/motcua"
fi

export SECRET_KEY="${SECRET_KEY:-motcua-test-only-secret-key}"
"$BIN/motcua" compile_translations >/dev/null
set +e
"$BIN/pytest" "$@"
status=$?
set -e
if [ "$status" = 5 ]; then echo "Không có kiểm thử nào được chạy (no tests collected)."; fi
exit "$status"
