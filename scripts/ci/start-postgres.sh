#!/usr/bin/env bash
# scripts/ci/start-postgres.sh: a PostgreSQL server for the backend suite on a hosted runner, on any of the three OSes.
# Exports TEST_DATABASE_URL for later steps through $GITHUB_ENV (or prints it when run by hand).
#   Linux    Debian/Ubuntu's postgresql (scripts/install-system-deps.sh) started by scripts/start-pg.sh
#   Windows  the runner's preinstalled PostgreSQL ($PGBIN, $PGDATA; user postgres, password from $PGPASSWORD)
#   macOS    Homebrew's postgresql@16 in a temp data dir, trust auth on 127.0.0.1 only
set -euo pipefail
cd "$(dirname "$0")/../.."

case "$(uname -s)" in
  Linux)
    url=$(sh scripts/start-pg.sh | sed -n 's/^DATABASE_URL=//p')
    ;;
  MINGW* | MSYS* | CYGWIN*)
    : "${PGBIN:?the Windows runner image sets PGBIN}"
    : "${PGDATA:?the Windows runner image sets PGDATA}"
    "$PGBIN/pg_ctl.exe" start -D "$PGDATA" -w -t 60 >/dev/null
    url="postgres://${PGUSER:-postgres}:${PGPASSWORD:-root}@127.0.0.1:5432/postgres"
    ;;
  Darwin)
    brew install --quiet postgresql@16 >/dev/null
    bin="$(brew --prefix postgresql@16)/bin"
    data="${RUNNER_TEMP:-/tmp}/techpass-pg"
    "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 >/dev/null
    "$bin/pg_ctl" -D "$data" -l "$data.log" -w -t 60 -o "-c listen_addresses=127.0.0.1 -p 5432" start >/dev/null
    url="postgres://postgres@127.0.0.1:5432/postgres"
    ;;
  *)
    echo "start-postgres: unsupported OS $(uname -s)" >&2
    exit 1
    ;;
esac

if [[ -n "${GITHUB_ENV:-}" ]]; then
  echo "TEST_DATABASE_URL=$url" >>"$GITHUB_ENV"
  echo "start-postgres: TEST_DATABASE_URL exported for the next steps"
else
  echo "TEST_DATABASE_URL=$url"
fi
