#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster on loopback for the tests and print its URL.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
DIR=${1:-/tmp/fupin-test-pg}
PORT=${FUPIN_TEST_PG_PORT:-55432}
RUN_AS=()
if [ "$(id -u)" = 0 ]; then RUN_AS=(runuser -u postgres --); fi
if [ -d "$DIR" ]; then "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$DIR" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$DIR"; fi
mkdir -p "$DIR"
[ "$(id -u)" = 0 ] && chown postgres "$DIR"
"${RUN_AS[@]}" "$PGBIN/initdb" -D "$DIR" -A trust -U fupin -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$DIR" -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" \
  -l "$DIR/log" -w start >/dev/null
"${RUN_AS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U fupin fupin_test
echo "postgresql+psycopg://fupin@127.0.0.1:$PORT/fupin_test"
