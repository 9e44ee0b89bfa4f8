/**
 * Test support: the REAL provisioning backend as a child process (`tsx backend/src/main.ts`, test mode, PORT=0, a
 * throw-away data dir), read from its `listening on` line, plus the test-mode endpoints the host's tests need.
 * Spawning (rather than importing backend/) keeps electron/ free of backend imports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createApiClient } from '../../../shared/api/client';
import type { CreateInvitationBody, OutboxMessage } from '../../../shared/api/provisioning';
import type { z } from 'zod';

export const ADMIN_KEY = 'host-tests-admin-key-0123456789';
const ROOT = resolve(__dirname, '../../..');

export type OutboxEntry = z.infer<typeof OutboxMessage>;

export interface BackendProcess {
  url: string;
  call<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  outbox(): Promise<OutboxEntry[]>;
  advanceClock(seconds: number): Promise<void>;
  serverNow(): Promise<Date>;
  /** Creates an invitation as an inviter would and returns its registration token (from the outbox). */
  invite(overrides?: Record<string, unknown>): Promise<{ token: string; email: string }>;
  /** Everything the backend logged so far (JSON lines on stderr). */
  logs(): string;
  stop(): Promise<void>;
}

/** `env`: extra backend settings (an SMS gateway, a log level, a job interval). */
export async function startBackendProcess(options: { env?: Record<string, string> } = {}): Promise<BackendProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'techpass-host-backend-'));
  const child: ChildProcess = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'backend/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      TECHPASS_TEST_MODE: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      TECHPASS_DATA_DIR: dataDir,
      DATABASE_URL: '',
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'warn',
      ARGON2_MEMORY_KIB: '64',
      ARGON2_TIME_COST: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let logs = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + String(c)).slice(-4000);
    logs += String(c);
  });
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`backend did not start in 30 s: ${stderr}`)), 30_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += String(c);
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        done(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`backend exited (${code}): ${stderr}`));
    });
  });

  // Through the API's client (shared/api/client.ts); `call` keeps the method-and-path form for tests that probe routes.
  const api = createApiClient({ baseUrl: url });
  const call = async <T>(method: string, path: string, body?: unknown, token?: string) => {
    const res = await api.raw(method, path, { body, ...(token ? { token } : {}) });
    return { status: res.status, body: res.body as T };
  };

  const outbox = async (): Promise<OutboxEntry[]> => {
    const r = await api.call('getOutbox');
    if (r.status !== 200) throw new Error(`outbox failed: ${r.status}`);
    return r.body;
  };

  return {
    url,
    call,
    outbox,
    async advanceClock(seconds) {
      const r = await api.call('advanceTestClock', { body: { advanceSeconds: seconds } });
      if (r.status !== 200) throw new Error(`clock advance failed: ${r.status}`);
    },
    async serverNow() {
      const r = await api.call('getTestClock');
      if (r.status !== 200) throw new Error(`clock read failed: ${r.status}`);
      return new Date(r.body.now);
    },
    async invite(overrides = {}) {
      const email = `invitee-${randomBytes(4).toString('hex')}@vendor.example.com`;
      // Overrides may be anything a test wants refused, so the body goes as given (the table's type is the rule).
      const body = {
        email,
        businessOperation: 'onshore',
        sponsoringAgency: 'GovTech',
        seedRequested: false,
        passwordDelivery: 'self_set',
        inviterEmail: 'pm.lee@tech.gov.sg',
        ...overrides,
      };
      const res = await api.call('createInvitation', { token: ADMIN_KEY, body: body as CreateInvitationBody });
      if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${JSON.stringify(res.body)}`);
      const msg = (await outbox()).filter((m) => m.template === 'N-REG-LINK' && m.to === email).pop();
      const token = msg?.data.token;
      if (typeof token !== 'string') throw new Error('no registration token in the outbox');
      return { token, email };
    },
    logs: () => logs,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
