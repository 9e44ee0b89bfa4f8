#!/usr/bin/env bash
# scripts/ci/node-next.sh: the shorter run on the next Node LTS (26): npm ci, the build and the unit tests, in a
# clone of the committed tree with its own node_modules (native modules are built per Node ABI, so the main tree's
# node_modules cannot be shared). Prints `node26: N passed, N failed, N skipped`; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
mkdir -p reports
log="$root/reports/node26.log"
work="$(mktemp -d "${TMPDIR:-/tmp}/techpass-node26.XXXXXX")"
trap 'rm -rf "$work"' EXIT
git clone -q --no-hardlinks . "$work"
cd "$work"
# shellcheck source=scripts/ci/provision-node.sh
. scripts/ci/provision-node.sh 26
echo "node-next: npm ci, build and unit tests on Node $(node --version)"
npm ci --no-audit --no-fund --loglevel=error
npm run -s build >/dev/null
mkdir -p reports
# The backend's own unit suites run on SQLite and PostgreSQL alike: a throw-away cluster for them.
pg="$(sh scripts/start-pg.sh)"
pgdata="$(sed -n 's/^PGDATA=//p' <<<"$pg")"
# The stop runs from / : the postgres user it switches to cannot enter the root-only work folder.
trap 'cd / && sh "$work/scripts/stop-pg.sh" "$pgdata" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
TEST_DATABASE_URL="$(sed -n 's/^DATABASE_URL=//p' <<<"$pg")"
export TEST_DATABASE_URL
# Unit tests only: the integration suites (real backend over HTTP, PostgreSQL, keychain) run in the main run.
status=0
VITEST_JSON=1 npx vitest run --exclude '**/*.integration.test.ts' --exclude 'backend/test/**' --exclude 'tests/packaging/**' >"$log" 2>&1 || status=$?
# shellcheck disable=SC2016 # JavaScript, not shell: the template literal is meant for node
node -e '
  const v = require("./reports/vitest.json");
  const skipped = v.numPendingTests + (v.numTodoTests ?? 0);
  // A file that fails outside any test (a hook, an import) counts as one failure too.
  const failedFiles = v.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed")).length;
  const failed = v.numFailedTests + failedFiles;
  console.log(`node26: ${v.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
  if (failed > 0) process.exit(1);
  if (v.numTotalTests === 0) process.exit(1);
' || status=1
if [[ $status -ne 0 ]]; then
  # The failures with their errors (the whole log stays in reports/node26.log).
  sed -n '/Failed Tests/,$p' "$log" | head -n 200
fi
exit "$status"
