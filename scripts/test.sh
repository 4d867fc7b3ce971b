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
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
      as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
    fi
    PGBIN="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")"
    PGDIR="$(mktemp -d /tmp/motcua-pg.XXXXXX)"
    RUN=()
    if [ "$(id -u)" = 0 ]; then chown postgres "$PGDIR"; RUN=(runuser -u postgres --); fi
    "${RUN[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
    "${RUN[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
      -o "-c listen_addresses=127.0.0.1 -p 5432 -k $PGDIR -c fsync=off" start >/dev/null
    trap '"${RUN[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true' EXIT
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
