import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_KEY,
  DIALECTS,
  invite,
  registered,
  signInToken,
  startBackend,
  uniq,
  type TestBackend,
  CODED_FIELD,
} from './harness';

describe.each(DIALECTS)('platform (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startBackend(dialect);
  });
  afterAll(async () => {
    await b?.close();
  });

  it('GET /healthz names the service and the mode, with X-Server-Time from the injected clock', async () => {
    const r = await b.call('GET', '/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'techpass-provisioning', mode: 'test' });
    expect(typeof r.body.version).toBe('string');
    const before = new Date(r.headers.get('x-server-time') as string).getTime();
    await b.advance(3600);
    const after = new Date((await b.call('GET', '/healthz')).headers.get('x-server-time') as string).getTime();
    expect(after - before).toBeGreaterThanOrEqual(3600_000);
  });

  it('every response, errors included, carries X-Server-Time', async () => {
    for (const r of [
      await b.call('GET', '/nope'),
      await b.call('GET', '/v1/me'),
      await b.admin('GET', '/v1/admin/invitations'),
    ]) {
      expect(r.headers.get('x-server-time')).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });

  it('serves OpenAPI 3 with the contract paths', async () => {
    const r = await b.call('GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    for (const p of [
      '/v1/admin/invitations',
      '/v1/registrations/{token}',
      '/v1/sessions',
      '/v1/sessions/mfa',
      '/v1/me',
      '/v1/me/mfa/authenticator/verify',
      '/v1/password-resets/complete',
      '/v1/seed/os-baseline',
    ]) {
      expect(Object.keys(r.body.paths)).toContain(p);
    }
  });

  it('unknown routes are 404 NOT_FOUND in the error envelope', async () => {
    const r = await b.call('GET', '/v1/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
    expect(r.body.error.message).toMatch(/Check/);
  });

  it('bad bodies get 400 VALIDATION_FAILED with a message per field, never a stack trace', async () => {
    const cases: [unknown, string[]][] = [
      [{ loginId: 5, password: 'x' }, ['loginId']],
      [{ password: 'x' }, ['loginId']],
      [{ loginId: 'a', password: 'x', extra: true }, ['extra']],
      [[1, 2], ['body']],
    ];
    for (const [body, keys] of cases) {
      const r = await b.call('POST', '/v1/sessions', { body });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      for (const k of keys) expect(r.body.error.fields?.[k], JSON.stringify(r.body)).toEqual(CODED_FIELD);
      expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts:|node_modules/);
    }
    const malformed = await b.call('POST', '/v1/sessions', {
      raw: '{"loginId":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
    const noBody = await b.call('POST', '/v1/sessions');
    expect(noBody.status).toBe(400);
    expect(noBody.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('odd inputs are client errors, never 5xx', async () => {
    const plain = await b.call('POST', '/v1/sessions', { raw: 'loginId=a', headers: { 'content-type': 'text/plain' } });
    expect([400, 415]).toContain(plain.status);
    expect(plain.body.error.code).toEqual(expect.any(String));
    const longToken = await b.call('GET', `/v1/registrations/${'a'.repeat(300)}`);
    expect([400, 414]).toContain(longToken.status);
    expect(longToken.body.error.code).toEqual(expect.any(String));
    const nul = await b.call('POST', '/v1/sessions', { body: { loginId: 'a\u0000b', password: 'x' } });
    expect(nul.status).toBe(400);
    expect(nul.body.error.code).toBe('VALIDATION_FAILED');
    const surrogate = await b.call('POST', '/v1/sessions', {
      raw: '{"loginId":"a","password":"\\ud800"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(surrogate.status).toBe(401);
    expect((await b.admin('GET', '/v1/admin/accounts/a%00b')).status).toBe(400);
    expect((await b.call('GET', '/v1/registrations/a%00b')).status).toBe(400);
    const deep = await b.call('POST', '/v1/sessions', {
      raw: '['.repeat(5000) + ']'.repeat(5000),
      headers: { 'content-type': 'application/json' },
    });
    expect(deep.status).toBe(400);
  });

  it('rejects bodies over 64 KiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const r = await b.call('POST', '/v1/sessions', { body: { loginId: 'a', password: 'x'.repeat(70 * 1024) } });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('accepts bodyless POSTs with no content type (and an empty JSON body)', async () => {
    const { username, password } = await registered(b);
    const token = await signInToken(b, username, password);
    const r = await b.call('POST', '/v1/me/mfa/authenticator', { token });
    expect(r.status).toBe(200);
    const r2 = await b.call('POST', '/v1/test/jobs/run', { raw: '', headers: { 'content-type': 'application/json' } });
    expect(r2.status).toBe(200);
  });

  it('admin endpoints check the API key before validating anything (401 first)', async () => {
    const r = await b.call('POST', '/v1/admin/invitations', { body: { nonsense: 1 } });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('UNAUTHORIZED');
    const wrong = await b.call('POST', '/v1/admin/invitations', { body: {}, token: 'wrong' });
    expect(wrong.status).toBe(401);
  });

  it('replays the first response for the same Idempotency-Key and body; 409 for another body', async () => {
    const body = {
      email: `${uniq('idem')}@vendor.example.com`,
      businessOperation: 'onshore',
      sponsoringAgency: 'GovTech',
      seedRequested: false,
      passwordDelivery: 'self_set',
      inviterEmail: 'pm@tech.gov.sg',
    };
    const headers = { 'idempotency-key': uniq('key') };
    const first = await b.call('POST', '/v1/admin/invitations', { body, token: ADMIN_KEY, headers });
    const second = await b.call('POST', '/v1/admin/invitations', { body, token: ADMIN_KEY, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const links = (await b.outbox()).filter((m) => m.to === body.email && m.template === 'N-REG-LINK');
    expect(links).toHaveLength(1);
    const other = await b.call('POST', '/v1/admin/invitations', {
      body: { ...body, sponsoringAgency: 'MOH' },
      token: ADMIN_KEY,
      headers,
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await b.advance(25 * 3600);
    const later = await b.call('POST', '/v1/admin/invitations', { body, token: ADMIN_KEY, headers });
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
  });

  it('concurrent retries with one Idempotency-Key act once', async () => {
    const body = {
      email: `${uniq('idem')}@vendor.example.com`,
      businessOperation: 'onshore',
      sponsoringAgency: 'GovTech',
      seedRequested: false,
      passwordDelivery: 'self_set',
      inviterEmail: 'pm@tech.gov.sg',
    };
    const headers = { 'idempotency-key': uniq('key') };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => b.call('POST', '/v1/admin/invitations', { body, token: ADMIN_KEY, headers })),
    );
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.status).toBe(409);
    expect((await b.outbox()).filter((m) => m.to === body.email && m.template === 'N-REG-LINK')).toHaveLength(1);
    const after = await b.call('POST', '/v1/admin/invitations', { body, token: ADMIN_KEY, headers });
    expect(after.body.id).toBe(created[0]!.body.id);
  });

  it('test clock: GET and POST advance', async () => {
    const a = await b.call('GET', '/v1/test/clock');
    const r = await b.call('POST', '/v1/test/clock', { body: { advanceSeconds: 60 } });
    expect(new Date(r.body.now).getTime() - new Date(a.body.now).getTime()).toBeGreaterThanOrEqual(60_000);
    const bad = await b.call('POST', '/v1/test/clock', { body: { advanceSeconds: -5 } });
    expect(bad.status).toBe(400);
  });

  it('invite helper sanity', async () => {
    const i = await invite(b);
    expect(i.token.length).toBeGreaterThanOrEqual(22);
  });
});

describe('production mode hides the test endpoints', () => {
  it('404 for /v1/test/* without TECHPASS_TEST_MODE', async () => {
    const { buildApp } = await import('../src/app');
    const { loadConfig } = await import('../src/config');
    const { systemClock } = await import('../src/clock');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const app = await buildApp({
      config: loadConfig({
        TECHPASS_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'tp-prod-')),
        LOG_LEVEL: 'silent',
        ARGON2_MEMORY_KIB: '64',
        ARGON2_TIME_COST: '1',
        DATA_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
        DELIVERY: 'store-only',
      }),
      clock: systemClock,
    });
    for (const [m, p] of [
      ['GET', '/v1/test/outbox'],
      ['GET', '/v1/test/clock'],
      ['POST', '/v1/test/jobs/run'],
    ] as const) {
      const r = await app.inject({ method: m, url: p });
      expect(r.statusCode).toBe(404);
    }
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json().mode).toBe('production');
    await app.close();
  });
});
