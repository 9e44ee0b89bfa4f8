/**
 * The real probes on THIS machine (Linux): real execFile, real file system. SEED does not support Linux, so the
 * verdict must be BLOCKED with SEED-01 FAIL, and every probe must still answer.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeedReport } from '../../../shared/domain/seed-report';
import { runSeedChecks } from './run';
import { recordingRunner } from './fixtures/recording-runner';
import { execFileRunner, fetchHead, nodeFileSystem } from './runner';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const onLinux = process.platform === 'linux';
const onWindowsOrMac = process.platform === 'win32' || process.platform === 'darwin';
// On the hosted CI runners every command the probes run is also saved as a fixture (an artifact to commit).
const recordTo = process.env.TECHPASS_RECORD_PROBE_FIXTURES;
const runner = recordTo ? recordingRunner(execFileRunner, recordTo) : execFileRunner;

/** A local HTTP server for SEED-18 (tests never send traffic off this machine), for the suite it is called in. */
function localEndpoint(): { readonly url: string } {
  let server: Server;
  const endpoint = { url: '' };
  beforeAll(async () => {
    server = createServer((_req, res) => res.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  return endpoint;
}

describe.runIf(onLinux)('real probes on this Linux machine', () => {
  const local = localEndpoint();

  it('runs every probe, reports Linux as BLOCKED, finishes well under 3 s', async () => {
    const report = await runSeedChecks({ reachabilityUrls: [local.url], runner });
    expect(SeedReport.parse(report)).toEqual(report);
    expect(report.platform).toBe('linux');
    expect(report.verdict).toBe('BLOCKED');
    expect(report.checks.find((c) => c.id === 'SEED-01')).toMatchObject({
      status: 'FAIL',
      evidence: expect.stringContaining('SEED does not support Linux'),
    });
    expect(report.checks.find((c) => c.id === 'SEED-02')).toMatchObject({
      status: 'INFO',
      evidence: expect.stringMatching(/\S+ /),
    });
    expect(report.checks.find((c) => c.id === 'SEED-05')?.status).toMatch(/^(PASS|FAIL)$/);
    expect(report.checks.find((c) => c.id === 'SEED-15')?.evidence).toMatch(/block devices|dm-crypt|lsblk/);
    expect(report.checks.find((c) => c.id === 'SEED-18')).toMatchObject({
      status: 'PASS',
      evidence: expect.stringContaining('reachable (HTTP 200)'),
    });
    for (const c of report.checks) expect(c.evidence.length).toBeGreaterThan(0);
    expect(report.durationMs).toBeLessThan(3000);
  });

  it('the CLI prints the full JSON report, exits 1 (BLOCKED), and its durationMs is under 3 s', async () => {
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      // SEED-18 is pointed at a local server: tests never send traffic off this machine.
      execFile(
        process.execPath,
        ['--import', 'tsx', 'electron/host/seed-checks/cli.ts', '--json', '--reachability', local.url],
        { cwd: root, timeout: 60_000 },
        (err, out) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout: out }),
      );
    });
    expect(code).toBe(1);
    const json = JSON.parse(stdout) as { verdict: string; durationMs: number; checks: Array<Record<string, unknown>> };
    expect(json.verdict).toBe('BLOCKED');
    expect(json.checks).toHaveLength(27);
    for (const c of json.checks)
      expect(Object.keys(c)).toEqual(
        expect.arrayContaining(['id', 'status', 'title', 'evidence', 'remediation', 'needsElevation']),
      );
    expect(json.durationMs).toBeLessThan(3000);
  });
});

// The real Windows and macOS probes meet real systems only on the hosted CI runners (.github/workflows/ci.yml).
describe.runIf(onWindowsOrMac)('real probes on this Windows or macOS machine', () => {
  const local = localEndpoint();

  it('runs every probe against the real OS: the report parses, every check has evidence, none crashes or hangs', async () => {
    const report = await runSeedChecks({ reachabilityUrls: [local.url], runner });
    expect(SeedReport.parse(report)).toEqual(report);
    expect(report.platform).toBe(process.platform);
    expect(report.checks).toHaveLength(27);
    for (const c of report.checks) {
      expect(c.evidence.length, c.id).toBeGreaterThan(0);
      expect(c.evidence, c.id).not.toMatch(/TypeError|ReferenceError|undefined|\[object Object\]/);
    }
    // SEED-02 names the OS and version the probes read from the real system.
    expect(report.checks.find((c) => c.id === 'SEED-02')?.evidence).toMatch(
      process.platform === 'win32' ? /Windows/i : /macOS|Mac OS/i,
    );
    expect(report.checks.find((c) => c.id === 'SEED-18')).toMatchObject({ status: 'PASS' });
    // Each probe is capped at 10 s; a probe that hangs shows here.
    expect(report.durationMs).toBeLessThan(30_000);
  }, 60_000);
});

describe.runIf(onLinux)('execFileRunner and nodeFileSystem (real processes)', () => {
  it('passes arguments verbatim, never through a shell', async () => {
    const r = await execFileRunner('echo', ['$(id)', ';', 'rm', '-rf', '/nonexistent'], { timeoutMs: 5000 });
    expect(r).toMatchObject({ code: 0, timedOut: false, stdout: '$(id) ; rm -rf /nonexistent\n' });
  });
  it('reports a timeout as timedOut, quickly', async () => {
    const t = Date.now();
    const r = await execFileRunner('sleep', ['5'], { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.code).toBeNull();
    expect(Date.now() - t).toBeLessThan(3000);
  });
  it('reports a missing command and a non-zero exit without throwing', async () => {
    expect(await execFileRunner('definitely-not-a-command-xyz', [], { timeoutMs: 1000 })).toMatchObject({
      code: null,
      error: 'ENOENT',
    });
    expect(await execFileRunner('sh', ['-c', 'echo oops >&2; exit 3'], { timeoutMs: 1000 })).toMatchObject({
      code: 3,
      stderr: 'oops\n',
      timedOut: false,
    });
  });
  it('finds commands on PATH in code and reads files', async () => {
    const fs = nodeFileSystem();
    expect(await fs.which('sh')).toMatch(/\/sh$/);
    expect(await fs.which('definitely-not-a-command-xyz')).toBeUndefined();
    expect(await fs.exists('/etc/os-release')).toBe(true);
    expect(await fs.readText('/etc/os-release')).toMatch(/^ID=/m);
    expect(await fs.readText('/nonexistent/file')).toBeUndefined();
    expect(await fs.list('/nonexistent')).toEqual([]);
  });
  it('fetchHead: reachable and unreachable', async () => {
    const server = createServer((_req, res) => res.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    expect(await fetchHead(`http://127.0.0.1:${port}/`, 2000)).toEqual({ ok: true, status: 200 });
    await new Promise<void>((r) => server.close(() => r()));
    expect(await fetchHead(`http://127.0.0.1:${port}/`, 2000)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ECONNREFUSED/),
    });
  });
});
