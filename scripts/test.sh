#!/usr/bin/env bash
# The whole suite: lint, then every test on SQLite (browser tests included), then every
# storage test again on a real PostgreSQL server. Uses the PostgreSQL at 127.0.0.1:5432 when
# it answers (or NEWSBRIEF_TEST_POSTGRES_URL), otherwise installs one with apt-get and runs a
# throwaway server on a free loopback port in a temporary data directory.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export NEWSBRIEF_DATA_DIR="${NEWSBRIEF_DATA_DIR:-$(mktemp -d)}"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
    || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}

echo "== lint"
$BIN/ruff check .
$BIN/ruff format --check .

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian's chromium for the browser tests"
  apt_install chromium
fi

pg_answers() { $BIN/python - "$1" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception:
    sys.exit(1)
PY
}

PG_URL="${NEWSBRIEF_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
if ! pg_answers "$PG_URL"; then
  echo "== no PostgreSQL at $PG_URL: starting a throwaway server"
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then apt_install postgresql; fi
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PGTMP=$(mktemp -d)
  PGPORT=$($BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" -eq 0 ] && chown postgres "$PGTMP"
  run_pg "$PGBIN/initdb" -D "$PGTMP/data" -A trust -U postgres -E UTF8 >/dev/null
  run_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w \
    -o "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  trap 'run_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null; rm -rf "$PGTMP"' EXIT
  PG_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres"
fi

echo "== tests on SQLite"
DATABASE_URL="sqlite:///$NEWSBRIEF_DATA_DIR/test.sqlite3" $BIN/pytest "$@"
echo "== tests on PostgreSQL ($PG_URL)"
DATABASE_URL="$PG_URL" $BIN/pytest -m "not browser" "$@"
