#!/usr/bin/env bash
# The whole suite: lint, then every test on SQLite (browser tests included) with the embedded
# defaults, then every storage test again in scale-out mode: a real PostgreSQL server, and a
# real Redis as the shared cache holding the stored pages; the Phorum importer's tests read a
# real MariaDB. Uses the PostgreSQL at 127.0.0.1:5432, the Redis at 127.0.0.1:6379 and the
# MariaDB at 127.0.0.1:3306 when they answer (or NEWSBRIEF_TEST_POSTGRES_URL /
# NEWSBRIEF_TEST_REDIS_URL / NEWSBRIEF_TEST_MYSQL_URL), otherwise installs them with apt-get
# and runs throwaway servers on free loopback ports in temporary directories. Arguments go to
# both pytest runs. Everything it starts or creates is stopped and removed at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

# Whatever this run creates goes at exit, failures and Ctrl-C included (bash runs the EXIT
# trap on those too): the throwaway server and its directory, and RUN_TMP, the run's data
# directory and the tests' TMPDIR, so no temporary file the tests or the browser forget
# outlives the run.
cleanup() {
  if [ -n "${PGTMP:-}" ]; then
    if [ -e "$PGTMP/data/postmaster.pid" ]; then
      run_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null || true
    fi
    rm -rf "$PGTMP"
  fi
  if [ -n "${REDISTMP:-}" ]; then
    if [ -e "$REDISTMP/pid" ]; then kill "$(cat "$REDISTMP/pid")" 2>/dev/null || true; fi
    rm -rf "$REDISTMP"
  fi
  if [ -n "${MYTMP:-}" ]; then
    if [ -e "$MYTMP/pid" ]; then kill "$(cat "$MYTMP/pid")" 2>/dev/null || true; fi
    for _ in $(seq 50); do [ -e "$MYTMP/pid" ] || break; sleep 0.1; done
    rm -rf "$MYTMP"
  fi
  rm -rf "$RUN_TMP"
}
RUN_TMP=$(mktemp -d)
trap cleanup EXIT
export NEWSBRIEF_DATA_DIR="${NEWSBRIEF_DATA_DIR:-$RUN_TMP}"

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
if [ ! -x /usr/sbin/nginx ] || ! command -v wrk >/dev/null; then
  echo "== installing Debian's nginx-light and wrk for the front-server and page-benchmark tests"
  apt_install nginx-light wrk
fi

pg_answers() { $BIN/python - "$1" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception:
    sys.exit(1)
PY
}
# A URL as logs may show it: without its password.
redact() { sed -E 's#^([a-z]+://[^:/@]+):[^@]*@#\1:***@#' <<<"$1"; }

redis_answers() { $BIN/python - "$1" <<'PY'
import sys, redis
try:
    redis.Redis.from_url(sys.argv[1], socket_connect_timeout=3).ping()
except Exception:
    sys.exit(1)
PY
}
free_port() { $BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

PG_URL="${NEWSBRIEF_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
# pytest-django's test database (test_<name>) is one per server: runs from other checkouts
# sharing a server take turns instead of dropping each other's database.
PG_LOCK=/tmp/newsbrief-test-postgres.lock
if ! pg_answers "$PG_URL"; then
  echo "== no PostgreSQL at $(redact "$PG_URL"): starting a throwaway server"
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then apt_install postgresql; fi
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  # In /tmp, not $TMPDIR: the postgres user must reach it and the socket path must be short.
  PGTMP=$(mktemp -d /tmp/newsbrief-pg.XXXXXX)
  PG_LOCK=$PGTMP/lock
  PGPORT=$(free_port)
  if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root: run it as the postgres user, from a directory that
    # user can enter (the checkout may be under /root).
    chown postgres "$PGTMP"
    run_pg() { (cd "$PGTMP" && runuser -u postgres -- "$@"); }
  else
    run_pg() { "$@"; }
  fi
  # C.UTF-8 always exists on Debian (an inherited LANG/LC_ALL may not) and is what the
  # packaged server uses.
  run_pg "$PGBIN/initdb" -D "$PGTMP/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  run_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w \
    -o "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
    || { cat "$PGTMP/log" >&2; exit 1; }
  PG_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres"
fi

REDIS_URL="${NEWSBRIEF_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}"
if ! redis_answers "$REDIS_URL"; then
  echo "== no Redis at $(redact "$REDIS_URL"): starting a throwaway server"
  if ! command -v redis-server >/dev/null; then apt_install redis-server; fi
  REDISTMP=$(mktemp -d /tmp/newsbrief-redis.XXXXXX)
  REDISPORT=$(free_port)
  redis-server --port "$REDISPORT" --bind 127.0.0.1 --save "" --appendonly no \
    --daemonize yes --pidfile "$REDISTMP/pid" --dir "$REDISTMP" --logfile "$REDISTMP/log"
  REDIS_URL="redis://127.0.0.1:$REDISPORT/0"
  for _ in $(seq 50); do redis_answers "$REDIS_URL" && break; sleep 0.1; done
  redis_answers "$REDIS_URL" || { cat "$REDISTMP/log" >&2; exit 1; }
fi

mysql_answers() { $BIN/python - "$1" <<'PY'
import sys
from newsbrief.phorum.source import connect
try:
    connect(sys.argv[1]).close()
except Exception:
    sys.exit(1)
PY
}

MYSQL_URL="${NEWSBRIEF_TEST_MYSQL_URL:-mysql://root@127.0.0.1:3306/}"
if ! mysql_answers "$MYSQL_URL"; then
  echo "== no MariaDB at $(redact "$MYSQL_URL"): starting a throwaway server"
  if ! command -v mariadbd >/dev/null && [ ! -x /usr/sbin/mariadbd ]; then apt_install mariadb-server; fi
  # A data directory of its own, root without a password, on loopback TCP only (the socket
  # stays in the directory); --no-defaults keeps a packaged server's my.cnf out of it.
  MYTMP=$(mktemp -d /tmp/newsbrief-mariadb.XXXXXX)
  MYPORT=$(free_port)
  if [ "$(id -u)" -eq 0 ]; then MYUSER=(--user=root); else MYUSER=(); fi
  mariadb-install-db --no-defaults "${MYUSER[@]}" --datadir="$MYTMP/data" \
    --auth-root-authentication-method=normal --skip-test-db >"$MYTMP/log" 2>&1 \
    || { cat "$MYTMP/log" >&2; exit 1; }
  /usr/sbin/mariadbd --no-defaults "${MYUSER[@]}" --datadir="$MYTMP/data" --skip-networking=0 \
    --bind-address=127.0.0.1 --port="$MYPORT" --socket="$MYTMP/sock" --pid-file="$MYTMP/pid" \
    --innodb-flush-log-at-trx-commit=0 --log-error="$MYTMP/log" &
  MYSQL_URL="mysql://root@127.0.0.1:$MYPORT/mysql"
  for _ in $(seq 100); do mysql_answers "$MYSQL_URL" && break; sleep 0.2; done
  mysql_answers "$MYSQL_URL" || { cat "$MYTMP/log" >&2; exit 1; }
fi
export NEWSBRIEF_TEST_MYSQL_URL="$MYSQL_URL"

# Both runs spread the tests over pytest-xdist workers, a file's tests on one worker (its
# module fixtures, a browser or a served board, start once): each worker has a test database
# and cache keys of its own (tests/settings.py). NEWSBRIEF_TEST_WORKERS sets how many (0: no
# workers, every test in this process); a -n among the arguments wins, being later.
PARALLEL=(-n "${NEWSBRIEF_TEST_WORKERS:-auto}" --dist loadfile)

# The tests the marker expression $1 selects (all when empty): in parallel, then those marked
# `serial` (they measure the served board, so they get the cores to themselves) alone.
# Exit status 5 is "no tests collected" (the arguments selected none there), not a failure.
suite() {
  local only=${1:+($1) and } status=0
  shift
  $BIN/pytest "${PARALLEL[@]}" -m "${only}not serial" "$@" || status=$?
  if [ "$status" -eq 0 ] || [ "$status" -eq 5 ]; then
    status=0
    $BIN/pytest -m "${only}serial" "$@" || status=$?
  fi
  if [ "$status" -eq 5 ]; then status=0; fi
  return "$status"
}

echo "== tests on SQLite"
(
  export TMPDIR=$RUN_TMP DATABASE_URL="sqlite:///$NEWSBRIEF_DATA_DIR/test.sqlite3"
  suite "" "$@"
)

echo "== tests on PostgreSQL ($(redact "$PG_URL")) with Redis ($(redact "$REDIS_URL")) holding the pages"
flock -n "$PG_LOCK" true || echo "(waiting for another test run on this server)"
# Keys under a prefix of this run's own, so that runs sharing the Redis never meet.
(
  flock 9
  export TMPDIR=$RUN_TMP DATABASE_URL="$PG_URL" NEWSBRIEF_CACHE_URL="$REDIS_URL" \
    NEWSBRIEF_CACHE_PREFIX="newsbrief-test-$$-$RANDOM" NEWSBRIEF_PAGES_STORE=cache
  # Browser tests run on SQLite only.
  suite "not browser" "$@"
) 9>"$PG_LOCK"
