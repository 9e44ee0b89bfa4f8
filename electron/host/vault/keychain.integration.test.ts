import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');
const PROBE = resolve(__dirname, 'keychain-probe.ts');

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ out: Record<string, unknown>; ms: number; code: number | null }> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', fail);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        done({ out: JSON.parse(line) as Record<string, unknown>, ms: Date.now() - started, code });
      } catch {
        fail(new Error(`probe printed no JSON (exit ${code}): ${stdout} ${stderr.slice(0, 500)}`));
      }
    });
  });
}

describe('vault against the real OS keychain', () => {
  it('sets, gets (from a second vault, as after a restart) and wipes through a real Secret Service (gnome-keyring)', async () => {
    const service = `techpass-onboarding-test-${randomBytes(4).toString('hex')}`;
    // A private session bus with a fresh, unlocked gnome-keyring, whatever the environment of the test run.
    const { out, code } = await run('sh', [resolve(ROOT, 'scripts/with-keyring.sh'), TSX, PROBE, service], {
      ...process.env,
    });
    expect(out).toMatchObject({
      status: { available: true },
      finalStatus: { available: true },
      readBack: true,
      afterWipe: null,
      keychainDirect: null,
    });
    expect(code).toBe(0);
  });

  it('with no Secret Service running: the KEYCHAIN problem named at once, no hang, the run keeps going in memory', async () => {
    const env = { ...process.env };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    delete env.GNOME_KEYRING_CONTROL;
    delete env.DISPLAY;
    const { out, ms, code } = await run(TSX, [PROBE, 'techpass-onboarding-test-nobus'], env);
    expect(out.status).toEqual({
      available: false,
      problem: 'linux-no-secret-service',
    });
    // The journey still works for this run: what was set is readable from memory by the same vault.
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
  });
});
