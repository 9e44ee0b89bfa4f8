/**
 * Drives the real web host process (electron/web/main.ts) against the real backend and the real OS keychain, killing
 * the host between steps, and prints what each fresh process said as one JSON line. Run inside
 * scripts/with-keyring.sh by electron/web/restart.integration.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { generateSync } from 'otplib';
import { startBackendProcess } from './backend-process';

const ROOT = resolve(__dirname, '../../..');

interface WebHostProcess {
  call<T>(method: string, payload?: unknown): Promise<T>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

async function startWebHost(env: Record<string, string>): Promise<WebHostProcess> {
  // One process (node with tsx's loader), so a SIGKILL really kills the host.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'electron/web/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += String(c);
      const m = /web host on (http:\/\/[^/\s]+)/.exec(out);
      if (m?.[1]) done(m[1]);
    });
    child.once('exit', (code) => fail(new Error(`web host exited (${code})`)));
  });
  return {
    async call<T>(method: string, payload: unknown = {}) {
      const res = await fetch(`${url}/bridge/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-bridge-token': env.WEB_BRIDGE_TOKEN ?? '' },
        body: JSON.stringify(payload),
      });
      const envelope = (await res.json()) as { ok: boolean; result?: T; error?: { code: string } };
      if (!envelope.ok) throw new Error(`${method}: ${envelope.error?.code}`);
      return envelope.result as T;
    },
    async kill(signal) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
  };
}

interface Journey {
  step: string;
  signedIn: boolean;
  keychain: { available: boolean; problem?: string };
}

async function main(): Promise<void> {
  const backend = await startBackendProcess();
  const dataDir = mkdtempSync(join(tmpdir(), 'techpass-web-restart-'));
  const rendererDir = mkdtempSync(join(tmpdir(), 'techpass-web-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
  const env = {
    TECHPASS_BACKEND_URL: backend.url,
    TECHPASS_HOST_DATA_DIR: dataDir,
    TECHPASS_RENDERER_DIR: rendererDir,
    WEB_BRIDGE_TOKEN: randomBytes(24).toString('base64url'),
  };
  const resumed: Record<string, Journey> = {};
  try {
    let host = await startWebHost(env);
    const { token } = await backend.invite({ passwordDelivery: 'sms' });
    await host.call('openInvitation', { link: token });
    await host.kill('SIGKILL'); // a crash, not a clean quit
    host = await startWebHost(env);
    resumed.register = await host.call<Journey>('getJourney');

    const username = `web${Date.now() % 1_000_000}`;
    await host.call('submitRegistration', {
      username,
      firstName: 'Wen',
      lastName: 'Li',
      mobile: '+6591234567',
      department: 'Ops',
    });
    await host.call('navigate', { to: 'sign-in' });
    const loginId = `${username}@techpass.gov.sg`;
    const password = (await backend.outbox())
      .filter((m) => m.template === 'N-INITPWD' && m.data.loginId === loginId)
      .pop()?.data.password as string;
    await host.call('signIn', { loginId: username, password });
    await host.kill('SIGKILL');
    host = await startWebHost(env);
    resumed.authenticator = await host.call<Journey>('getJourney');

    const enrolment = await host.call<{ secret: string }>('startAuthenticatorEnrolment');
    const code = generateSync({
      secret: enrolment.secret,
      epoch: Math.floor((await backend.serverNow()).getTime() / 1000),
    });
    await host.call('verifyAuthenticator', { code });
    await host.kill('SIGTERM');
    host = await startWebHost(env);
    resumed.phone = await host.call<Journey>('getJourney');
    await host.call('signOut');
    await host.kill('SIGTERM');
    host = await startWebHost(env);
    resumed.signedOut = await host.call<Journey>('getJourney');
    await host.kill('SIGTERM');
    process.stdout.write(`${JSON.stringify({ resumed })}\n`);
  } finally {
    await backend.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(rendererDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: String(err) })}\n`);
  process.exit(1);
});
