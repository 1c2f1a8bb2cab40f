#!/bin/sh
# The load benchmark (issue 15): PostgreSQL, 100,000 generated cases, gunicorn (3 workers), 8 clients.
# usage: bench/load/run.sh [CASES] [SECONDS] [CLIENTS]      (defaults 100000 30 8)
# Ports: PostgreSQL 55440, gunicorn 8140 (override GMMP_BENCH_PGPORT, GMMP_LOAD_PORT); data in
# /tmp/gmmp-load-pg and /tmp/gmmp-load-data (override GMMP_BENCH_PGDATA, GMMP_LOAD_DATA). Not in the test
# suite: it loads the machine for SECONDS. The data stays for a second run; `bench/load/run.sh clean`
# stops PostgreSQL and removes it.
set -e
cd "$(dirname "$0")/../.."
export GMMP_BENCH_PGDATA=${GMMP_BENCH_PGDATA:-/tmp/gmmp-load-pg}
export GMMP_BENCH_PGPORT=${GMMP_BENCH_PGPORT:-55440}
PORT=${GMMP_LOAD_PORT:-8140}
if [ "$1" = clean ]; then
  bench/indicators/pg.sh stop || true
  rm -rf "$GMMP_BENCH_PGDATA" "${GMMP_LOAD_DATA:-/tmp/gmmp-load-data}"
  exit 0
fi
CASES=${1:-100000}; SECONDS_=${2:-30}; CLIENTS=${3:-8}
export DATABASE_URL=$(bench/indicators/pg.sh start 2>/dev/null || true)
[ -n "$DATABASE_URL" ] || export DATABASE_URL="postgres://gmmp@127.0.0.1:$GMMP_BENCH_PGPORT/gmmp_bench"
export GMMP_DATA_DIR=${GMMP_LOAD_DATA:-/tmp/gmmp-load-data} GMMP_LOG_LEVEL=WARNING
mkdir -p "$GMMP_DATA_DIR"
.venv/bin/python bench/load/generate.py --cases "$CASES"
GMMP_BIND=127.0.0.1:$PORT GMMP_WORKERS=3 .venv/bin/gunicorn -c deploy/gunicorn.conf.py \
  --access-logfile /dev/null --pid "$GMMP_DATA_DIR/gunicorn.pid" gmmp.wsgi >"$GMMP_DATA_DIR/gunicorn.log" 2>&1 &
trap 'kill $(cat "$GMMP_DATA_DIR/gunicorn.pid") 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
echo "PostgreSQL $(psql "$DATABASE_URL" -Atc 'show server_version' 2>/dev/null), gunicorn 3 sync workers on 127.0.0.1:$PORT"
.venv/bin/python bench/load/load.py --url "http://127.0.0.1:$PORT" --callers "$GMMP_DATA_DIR/load-callers.json" \
  --clients "$CLIENTS" --seconds "$SECONDS_" --cases "$CASES" \
  --gunicorn-pid "$GMMP_DATA_DIR/gunicorn.pid" --postgres-pid "$GMMP_BENCH_PGDATA/data/postmaster.pid"
