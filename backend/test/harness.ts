/* eslint-disable @typescript-eslint/no-explicit-any -- test harness: response bodies are checked by the tests */
/**
 * Integration-test harness: a real backend listening on 127.0.0.1:0 over a fresh SQLite file (temp dir) or a fresh
 * PostgreSQL database (created through TEST_DATABASE_URL's admin connection, dropped afterwards).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { generateSync } from 'otplib';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Deadlines } from '../../shared/domain/deadlines';
import { FIELD_PROBLEM_CODES } from '../../shared/domain/field-problems';
import { createApiClient, type ApiClient } from '../../shared/api/client';
import { buildApp } from '../src/app';
import { ManualClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/connect';
import type { Transport } from '../src/delivery';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];
export const ADMIN_KEY = 'test-admin-key-0123456789-abcdefghij';

export function requirePgUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'TEST_DATABASE_URL is not set: the PostgreSQL half of the backend suite cannot run. Start one with ' +
        '`eval "$(scripts/start-pg.sh | sed s/^/export\\ /)"; export TEST_DATABASE_URL=$DATABASE_URL` (npm test does this itself).',
    );
  }
  return url;
}

/** A fresh database on the test cluster; returns its URL and a function that drops it. */
export async function freshPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = requirePgUrl();
  const name = `tp_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        // FORCE may end only this role's connections: an autovacuum worker (a superuser's), started by a test's bulk
        // writes, makes the drop fail with 42501 until it finishes; it does in moments, so wait for it.
        for (let attempt = 1; ; attempt++) {
          try {
            await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            return;
          } catch (err) {
            if ((err as { code?: string }).code !== '42501' || attempt >= 40) throw err;
            await new Promise((r) => setTimeout(r, 250));
          }
        }
      } finally {
        await c.end();
      }
    },
  };
}

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface StartOptions {
  env?: Record<string, string>;
  deadlines?: Partial<Deadlines>;
  transports?: { email?: Transport; sms?: Transport };
  /** Collect every log line (to prove no secret is logged). */
  captureLogs?: boolean;
  /** OWASP argon2 cost instead of the cheap test cost. */
  realArgon2?: boolean;
  /** A second replica over the same database as this backend (the first one drops the database). */
  shareWith?: TestBackend;
  /** Sees every statement the backend's database executes (db/connect.ts `onQuery`). */
  onQuery?: (sql: string, parameters: readonly unknown[]) => void;
}

export interface TestBackend {
  url: string;
  app: FastifyInstance;
  clock: ManualClock;
  logs: string[];
  dataDir: string;
  databaseUrl: string;
  /** The typed client of the API (shared/api/client.ts) at this backend. */
  api: ApiClient;
  /** Any request, including what the table forbids (raw text, unknown paths), answered as status + parsed body. */
  call<T = any>(
    method: string,
    path: string,
    opts?: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string },
  ): Promise<Res<T>>;
  admin<T = any>(method: string, path: string, body?: unknown): Promise<Res<T>>;
  /** A plain GET (pages, probes of odd paths), read like a fetch Response. */
  get(path: string): Promise<{ status: number; headers: Headers; text(): Promise<string>; json(): Promise<any> }>;
  outbox(): Promise<any[]>;
  advance(seconds: number): Promise<void>;
  totp(secret: string, offsetSteps?: number): string;
  close(): Promise<void>;
}

/** The data-encryption key ring of every test backend (never a production key). */
export const TEST_DATA_ENCRYPTION_KEYS = `test:${Buffer.alloc(32, 0x5a).toString('base64')}`;

export async function startBackend(dialect: TestDialect, opts: StartOptions = {}): Promise<TestBackend> {
  const dataDir = opts.shareWith?.dataDir ?? mkdtempSync(join(tmpdir(), 'techpass-test-'));
  let drop: (() => Promise<void>) | undefined;
  let databaseUrl = opts.shareWith?.databaseUrl ?? '';
  if (dialect === 'postgres' && !opts.shareWith) {
    const fresh = await freshPgDatabase();
    databaseUrl = fresh.url;
    drop = fresh.drop;
  }
  const config = loadConfig({
    TECHPASS_TEST_MODE: '1',
    ADMIN_API_KEY: ADMIN_KEY,
    TECHPASS_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    LOG_LEVEL: opts.captureLogs ? 'trace' : 'silent',
    // Production-mode tests need configured data keys; a fixed one keeps every mode alike here.
    DATA_ENCRYPTION_KEYS: TEST_DATA_ENCRYPTION_KEYS,
    ...(opts.realArgon2 ? {} : { ARGON2_MEMORY_KIB: '64', ARGON2_TIME_COST: '1' }),
    ...opts.env,
  });
  const clock = new ManualClock();
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const database = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir,
    ...(opts.onQuery ? { onQuery: opts.onQuery } : {}),
  });
  const app = await buildApp({
    config,
    clock,
    database,
    deadlines: opts.deadlines,
    transports: opts.transports,
    logStream,
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const url = address.replace('localhost', '127.0.0.1');
  const api = createApiClient({ baseUrl: url });
  const call = async (
    method: string,
    path: string,
    o: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string } = {},
  ) => {
    const res = await api.raw(method, path, o);
    return { status: res.status, body: res.body as any, headers: res.headers as Headers };
  };
  return {
    url,
    app,
    clock,
    logs,
    dataDir,
    databaseUrl,
    api,
    call,
    admin: (method, path, body) => call(method, path, { body, token: ADMIN_KEY }),
    get: async (path) => {
      const r = await api.raw('GET', path);
      return {
        status: r.status,
        headers: r.headers as Headers,
        text: async () => r.text,
        json: async () => JSON.parse(r.text),
      };
    },
    outbox: async () => {
      const r = await api.call('getOutbox');
      if (r.status !== 200) throw new Error(`outbox failed: ${r.status}`);
      return r.body;
    },
    advance: async (seconds) => {
      const r = await api.call('advanceTestClock', { body: { advanceSeconds: seconds } });
      if (r.status !== 200) throw new Error(`clock advance failed: ${r.status}`);
    },
    totp: (secret, offsetSteps = 0) =>
      generateSync({ secret, epoch: Math.floor(clock.now().getTime() / 1000) + offsetSteps * 30 }),
    close: async () => {
      const violations = [...app.techpass.contractViolations];
      await app.close();
      await database.close();
      if (drop) await drop();
      if (!opts.shareWith) rmSync(dataDir, { recursive: true, force: true });
      // Every reply of the suite was checked against the route table (test mode): a mismatch fails the suite here.
      if (violations.length)
        throw new Error(
          `replies that break the route table (shared/api/routes.ts): ${JSON.stringify(violations, null, 1)}`,
        );
    },
  };
}

// ---------- flows ----------

let counter = 0;
/**
 * The body of a route-table answer (`b.api.call(...)`) that must have this status, typed by the table's schema for it
 * (the client has already parsed it with that schema): the typed way for a test to read an answer.
 */
export function bodyWithStatus<R extends { status: number; body: unknown }, S extends R['status']>(
  answer: R,
  status: S,
): Extract<R, { status: S }>['body'] {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  return (answer as Extract<R, { status: S }>).body;
}

export function uniq(prefix = 'user'): string {
  counter += 1;
  return `${prefix}${randomBytes(3).toString('hex')}${counter}`;
}

export function inviteBody(overrides: Record<string, unknown> = {}) {
  return {
    email: `${uniq('inv')}@vendor.example.com`,
    businessOperation: 'onshore',
    sponsoringAgency: 'GovTech',
    seedRequested: false,
    passwordDelivery: 'self_set',
    inviterEmail: 'pm.lee@tech.gov.sg',
    ...overrides,
  };
}

export const GOOD_PASSWORD = 'Blue-Kettle-42-Orbit';

export async function invite(b: TestBackend, overrides: Record<string, unknown> = {}) {
  const body = inviteBody(overrides);
  const res = await b.admin('POST', '/v1/admin/invitations', body);
  if (res.status !== 201) throw new Error(`invite failed ${res.status} ${JSON.stringify(res.body)}`);
  const msgs = (await b.outbox()).filter(
    (m) => m.template === 'N-REG-LINK' && m.to === String(body.email).toLowerCase(),
  );
  const token = msgs[msgs.length - 1].data.token as string;
  return { id: res.body.id as string, token, email: String(body.email).toLowerCase(), body };
}

export function registrationBody(overrides: Record<string, unknown> = {}) {
  return {
    username: uniq('u'),
    firstName: 'Jane',
    lastName: 'Tan',
    mobile: '+6591234567',
    department: 'Engineering',
    ...overrides,
  };
}

/** Invite + register; returns the username, password and email. */
export async function registered(b: TestBackend, inv: Record<string, unknown> = {}, reg: Record<string, unknown> = {}) {
  const i = await invite(b, inv);
  const delivery = i.body.passwordDelivery ?? 'self_set';
  const body = registrationBody({ ...(delivery === 'self_set' ? { password: GOOD_PASSWORD } : {}), ...reg });
  const res = await b.call('POST', `/v1/registrations/${i.token}`, { body });
  if (res.status !== 201) throw new Error(`register failed ${res.status} ${JSON.stringify(res.body)}`);
  let password = GOOD_PASSWORD;
  if (delivery === 'sms') {
    const sms = (await b.outbox()).filter((m) => m.template === 'N-INITPWD' && m.to === body.mobile);
    password = sms[sms.length - 1].data.password as string;
  }
  return { username: body.username, password, email: i.email, mobile: body.mobile, invitation: i };
}

export async function signInToken(b: TestBackend, username: string, password: string): Promise<string> {
  const r = await b.call('POST', '/v1/sessions', { body: { loginId: username, password } });
  if (r.status !== 201) throw new Error(`sign-in failed ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}

export async function enrolAuthenticator(b: TestBackend, token: string): Promise<string> {
  const s = await b.call('POST', '/v1/me/mfa/authenticator', { token });
  const v = await b.call('POST', '/v1/me/mfa/authenticator/verify', { token, body: { code: b.totp(s.body.secret) } });
  if (v.status !== 200) throw new Error(`enrol failed ${v.status} ${JSON.stringify(v.body)}`);
  return s.body.secret;
}

export async function verifyPhoneFlow(b: TestBackend, token: string, mobile = '+6591234567') {
  const s = await b.call('POST', '/v1/me/phone', { token, body: { mobile } });
  if (s.status !== 202) throw new Error(`phone failed ${s.status} ${JSON.stringify(s.body)}`);
  const code = (await b.outbox()).filter((m) => m.template === 'N-PHONE-CODE' && m.to === mobile).pop().data.code;
  return b.call('POST', '/v1/me/phone/verify', { token, body: { code } });
}

export async function acceptAllTerms(b: TestBackend, token: string) {
  const docs = (await b.call('GET', '/v1/me/terms', { token })).body as {
    id: string;
    version: string;
    required: boolean;
  }[];
  for (const d of docs.filter((x) => x.required))
    await b.call('POST', '/v1/me/terms', { token, body: { id: d.id, version: d.version } });
}

/** Password + TOTP sign-in (for accounts with an enrolled authenticator). */
export async function signInWithMfa(
  b: TestBackend,
  username: string,
  password: string,
  secret: string,
): Promise<string> {
  const r = await b.call('POST', '/v1/sessions', { body: { loginId: username, password } });
  if (r.status !== 200) throw new Error(`expected mfa_required, got ${r.status} ${JSON.stringify(r.body)}`);
  const m = await b.call('POST', '/v1/sessions/mfa', { body: { mfaToken: r.body.mfaToken, code: b.totp(secret) } });
  if (m.status !== 201) throw new Error(`mfa failed ${m.status} ${JSON.stringify(m.body)}`);
  return m.body.token;
}

/**
 * What each field of a 400 envelope holds: a code from the one list (the wizard words it), and its English wording
 * for API consumers; never only a sentence.
 */
export const CODED_FIELD = expect.objectContaining({
  code: expect.stringMatching(new RegExp(`^(${FIELD_PROBLEM_CODES.map((c) => c.replace(/\./g, '\\.')).join('|')})$`)),
  message: expect.any(String),
});
