import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_SEED_OS_BASELINE } from '../../../shared/domain/seed-os-baseline';
import type { SeedReport } from '../../../shared/domain/seed-report';
import { runSeedCheckCli } from './cli-main';
import type { RunSeedChecksOptions } from './run';

const report = (verdict: SeedReport['verdict']): SeedReport => ({
  verdict,
  platform: 'macos',
  generatedAt: '2026-03-02T02:00:00.000Z',
  durationMs: 12,
  checks: [
    {
      id: 'SEED-01',
      status: verdict === 'READY' ? 'PASS' : 'FAIL',
      title: 'Supported OS',
      evidence: 'macOS',
      remediation: '',
      needsElevation: false,
    },
  ],
});

function io(run: (o: RunSeedChecksOptions) => Promise<SeedReport>) {
  const out = { stdout: '', stderr: '', options: undefined as RunSeedChecksOptions | undefined };
  return {
    out,
    io: {
      stdout: (t: string) => void (out.stdout += t),
      stderr: (t: string) => void (out.stderr += t),
      run: async (o: RunSeedChecksOptions) => {
        out.options = o;
        return run(o);
      },
    },
  };
}

describe('runSeedCheckCli', () => {
  it('exit 0 for READY, with a readable table by default', async () => {
    const t = io(async () => report('READY'));
    expect(await runSeedCheckCli([], t.io)).toBe(0);
    expect(t.out.stdout).toMatch(/^SEED device check: READY/);
  });
  it('exit 1 for BLOCKED, JSON with --json', async () => {
    const t = io(async () => report('BLOCKED'));
    expect(await runSeedCheckCli(['--json'], t.io)).toBe(1);
    const json = JSON.parse(t.out.stdout) as { verdict: string; checks: unknown[]; durationMs: number };
    expect(json).toMatchObject({
      verdict: 'BLOCKED',
      durationMs: 12,
      checks: [
        {
          id: 'SEED-01',
          status: 'FAIL',
          title: 'Supported OS',
          evidence: 'macOS',
          remediation: '',
          needsElevation: false,
        },
      ],
    });
  });
  it('accepts the packaged app form --seed-check --json and --format html', async () => {
    const t = io(async () => report('READY'));
    expect(await runSeedCheckCli(['--seed-check', '--format', 'html'], t.io)).toBe(0);
    expect(t.out.stdout).toMatch(/^<!doctype html>/);
  });
  it('exit 2 when the check itself fails, with what to do next', async () => {
    const t = io(async () => {
      throw new Error('boom');
    });
    expect(await runSeedCheckCli(['--json'], t.io)).toBe(2);
    expect(t.out.stderr).toMatch(/could not run: boom[\s\S]*service desk/);
    expect(t.out.stdout).toBe('');
  });
  it('exit 2 with usage for an unknown option; --help prints usage', async () => {
    const t = io(async () => report('READY'));
    expect(await runSeedCheckCli(['--frobnicate'], t.io)).toBe(2);
    expect(t.out.stderr).toMatch(/Unknown option --frobnicate[\s\S]*Usage/);
    expect(await runSeedCheckCli(['--format', 'pdf'], t.io)).toBe(2);
    const h = io(async () => report('READY'));
    expect(await runSeedCheckCli(['--help'], h.io)).toBe(0);
    expect(h.out.stdout).toMatch(/Exit code: 0 READY, 1 BLOCKED, 2/);
  });

  describe('--backend', () => {
    let server: Server;
    let url = '';
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/v1/seed/os-baseline') {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ ...BUNDLED_SEED_OS_BASELINE, version: '2026-09' }));
        } else {
          res.statusCode = 404;
          res.end();
        }
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('fetches the served baseline and tests reachability of the backend', async () => {
      const t = io(async () => report('READY'));
      expect(await runSeedCheckCli(['--json', '--backend', `${url}/`], t.io)).toBe(0);
      expect(t.out.options?.backendUrl).toBe(url);
      expect(await t.out.options?.fetchBaseline?.()).toMatchObject({ version: '2026-09' });
    });
    it('--reachability replaces the hosts SEED-18 tests, and refuses anything but http(s) URLs', async () => {
      const t = io(async () => report('READY'));
      expect(await runSeedCheckCli(['--reachability', `${url},https://proxy.example-agency.gov.sg`], t.io)).toBe(0);
      expect(t.out.options?.reachabilityUrls).toEqual([url, 'https://proxy.example-agency.gov.sg']);
      expect(await runSeedCheckCli(['--reachability', 'ftp://x'], io(async () => report('READY')).io)).toBe(2);
    });
    it('rejects a backend that is not an http(s) URL', async () => {
      const t = io(async () => report('READY'));
      expect(await runSeedCheckCli(['--backend', 'file:///etc/passwd'], t.io)).toBe(2);
    });
  });
});
