#!/bin/sh
# A throw-away PostgreSQL 15 cluster for the indicators benchmark, under /tmp, on a loopback port.
# usage: bench/indicators/pg.sh start|stop     (prints the DATABASE_URL to use)
set -e
BIN=/usr/lib/postgresql/15/bin
DIR=${GMMP_BENCH_PGDATA:-/tmp/gmmp-bench-pg}
PORT=${GMMP_BENCH_PGPORT:-55432}
run() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sh -c "$*"; fi; }
case "$1" in
  start)
    if [ ! -d "$DIR/data" ]; then
      mkdir -p "$DIR"; [ "$(id -u)" = 0 ] && chown postgres "$DIR"
      run "$BIN/initdb -D $DIR/data -U gmmp --auth=trust -E UTF8 >/dev/null"
    fi
    run "$BIN/pg_ctl -D $DIR/data -l $DIR/log -o '-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c shared_buffers=2GB -c work_mem=64MB -c maintenance_work_mem=1GB -c max_wal_size=8GB -c fsync=off -c synchronous_commit=off -c full_page_writes=off' -w start >/dev/null"
    run "$BIN/createdb -h 127.0.0.1 -p $PORT -U gmmp gmmp_bench 2>/dev/null || true"
    echo "postgres://gmmp@127.0.0.1:$PORT/gmmp_bench"
    ;;
  stop)
    run "$BIN/pg_ctl -D $DIR/data -m fast stop"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
