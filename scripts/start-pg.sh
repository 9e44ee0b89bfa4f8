#!/bin/sh
# scripts/start-pg.sh [datadir]
# Starts a throw-away PostgreSQL cluster on 127.0.0.1 and prints PGDATA=, PGBIN=, PGPORT= and DATABASE_URL= lines.
# As root it runs the server as the 'postgres' user. Stop it with: scripts/stop-pg.sh <PGDATA>
set -eu
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "start-pg: PostgreSQL server binaries not found. Install them: sudo apt-get install postgresql (or run scripts/install-system-deps.sh)" >&2
  exit 127
fi
PGPORT=${PGPORT:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
DATA=${1:-$(mktemp -d /tmp/techpass-pg.XXXXXX)}
mkdir -p "$DATA"
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$DATA"; chmod 700 "$DATA"
  RUN="su postgres -s /bin/sh -c"
else
  chmod 700 "$DATA"
  RUN="sh -c"
fi
# Redirections happen on this side: the postgres user cannot write into root-owned folders.
$RUN "$PGBIN/initdb -D '$DATA' -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8" >"$DATA.initdb.log" 2>&1
$RUN "$PGBIN/pg_ctl -D '$DATA' -l '$DATA/server.log' -w -t 30 -o \"-c listen_addresses=127.0.0.1 -p $PGPORT -k '$DATA' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start" >/dev/null
$RUN "$PGBIN/psql -h 127.0.0.1 -p $PGPORT -U postgres -qAtc \"CREATE ROLE techpass LOGIN CREATEDB PASSWORD 'techpass'\" -c \"CREATE DATABASE techpass OWNER techpass\"" >/dev/null
echo "PGDATA=$DATA"
echo "PGBIN=$PGBIN"
echo "PGPORT=$PGPORT"
echo "DATABASE_URL=postgres://techpass:techpass@127.0.0.1:$PGPORT/techpass"
