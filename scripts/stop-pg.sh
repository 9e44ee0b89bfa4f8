#!/bin/sh
# scripts/stop-pg.sh <PGDATA>: stops and deletes a cluster started by start-pg.sh.
set -u
DATA=$1
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ "$(id -u)" = 0 ]; then RUN="su postgres -s /bin/sh -c"; else RUN="sh -c"; fi
$RUN "$PGBIN/pg_ctl -D '$DATA' -m immediate -w stop" >/dev/null 2>&1 || true
rm -rf "$DATA" "$DATA.initdb.log"
