/**
 * Node options the backend process starts with (scripts/start.mjs, backend/package.json "start", the benchmark).
 *
 * --max-semi-space-size=8: V8's young generation otherwise grows to 64 MiB on this Node (two 32 MiB semi-spaces)
 * and stays that size while requests keep allocating: a quarter of the 300 MiB memory budget at 100,000 accounts,
 * for garbage. 8 MiB semi-spaces hold many requests' short-lived objects between scavenges. The lifecycle job's
 * thread has its own limits (jobs/lifecycle-protocol.ts).
 *
 * --heap-growing-percent=100: after each full collection V8 lets the old generation grow to 2× what survived, instead
 * of up to 4× when collections are cheap (as they are here). Under sustained load (GET /v1/me at 4 connections and
 * sign-ins at 2, 75 s, 100,000 accounts, a lifecycle run in the middle) the backend's RSS peaked at 296–327 MiB on
 * PostgreSQL and 280–282 MiB on SQLite with V8's default, and at 228–233 and 243–245 MiB with this, at the same
 * request rates (docs/benchmarks.md).
 *
 * The lifecycle job's thread cannot take V8 options in its execArgv (jobs/lifecycle-runner.ts leaves these out).
 * Keep backend/package.json's "start" script in step.
 */
module.exports = ['--max-semi-space-size=8', '--heap-growing-percent=100'];
