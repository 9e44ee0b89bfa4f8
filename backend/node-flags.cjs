/**
 * Node options the backend process starts with (scripts/start.mjs, backend/package.json "start", the benchmark).
 *
 * --max-semi-space-size=8: V8's young generation otherwise grows to 64 MiB on this Node (two 32 MiB semi-spaces)
 * and stays that size while requests keep allocating: a quarter of the 300 MiB memory budget at 100,000 accounts,
 * for garbage. 8 MiB semi-spaces hold many requests' short-lived objects between scavenges. The lifecycle job's
 * thread has its own limits (jobs/lifecycle-protocol.ts). Keep backend/package.json's "start" script in step.
 */
module.exports = ['--max-semi-space-size=8'];
