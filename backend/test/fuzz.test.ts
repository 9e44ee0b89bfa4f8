import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, DIALECTS, invite, registered, signInToken, startBackend, type TestBackend } from './harness';

/** Random JSON bodies to every endpoint that takes one: always a 4xx/2xx in the error envelope, never a 5xx. */
describe.each(DIALECTS)('no 5xx for any body (%s)', (dialect) => {
  let b: TestBackend;
  let token: string;
  let regToken: string;
  let username: string;
  beforeAll(async () => {
    b = await startBackend(dialect);
    const u = await registered(b);
    username = u.username;
    token = await signInToken(b, u.username, u.password);
    regToken = (await invite(b)).token;
  });
  afterAll(async () => {
    await b?.close();
  });

  it('fuzzes bodies', async () => {
    const routes: [string, string, string | undefined][] = [
      ['POST', '/v1/admin/invitations', ADMIN_KEY],
      ['POST', '/v1/admin/invitations/bulk?dryRun=true', ADMIN_KEY],
      ['POST', `/v1/admin/accounts/${username}/send-reset-link`, ADMIN_KEY],
      ['POST', '/v1/registrations/REGTOKEN', undefined],
      ['POST', '/v1/sessions', undefined],
      ['POST', '/v1/sessions/mfa', undefined],
      ['POST', '/v1/me/phone', 'SESSION'],
      ['POST', '/v1/me/phone/verify', 'SESSION'],
      ['POST', '/v1/me/password', 'SESSION'],
      ['POST', '/v1/me/terms', 'SESSION'],
      ['POST', '/v1/me/seed/devices', 'SESSION'],
      ['POST', '/v1/password-resets', undefined],
      ['POST', '/v1/password-resets/complete', undefined],
      ['POST', '/v1/password-resets/link', undefined],
      ['POST', '/v1/test/clock', undefined],
    ];
    const keys = [
      'email',
      'loginId',
      'password',
      'code',
      'mobile',
      'username',
      'firstName',
      'id',
      'version',
      'token',
      'ticket',
      'newPassword',
      'businessOperation',
      'advanceSeconds',
      'mfaToken',
    ];
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.object({ maxDepth: 1 }),
    );
    const body = fc.oneof(
      fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, async ([method, path, auth], b0) => {
        const r = await b.call(method, path.replace('REGTOKEN', regToken), {
          body: b0 ?? null,
          token: auth === 'SESSION' ? token : auth,
        });
        expect(r.status, `${path} ${JSON.stringify(b0)} → ${JSON.stringify(r.body)}`).toBeLessThan(500);
        if (r.status >= 400) expect(r.body.error.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 150, seed: 4242 },
    );
  });

  it('fuzzes headers (Idempotency-Key, content types) and deep nesting on every kind of route, unknown and body-less ones too', async () => {
    const routes: [string, string, string | undefined][] = [
      ['POST', '/v1/admin/invitations', ADMIN_KEY],
      ['POST', '/v1/admin/invitations/bulk', ADMIN_KEY],
      ['POST', '/v1/admin/invitations/00000000-0000-0000-0000-000000000000/resend', ADMIN_KEY],
      ['POST', `/v1/admin/accounts/${username}/unlock`, ADMIN_KEY],
      ['DELETE', '/v1/admin/invitations/nope', ADMIN_KEY],
      ['POST', '/v1/registrations/REGTOKEN', undefined],
      ['POST', '/v1/sessions', undefined],
      ['POST', '/v1/me/mfa/authenticator', 'SESSION'],
      ['POST', '/v1/me/terms', 'SESSION'],
      ['GET', '/v1/me', 'SESSION'],
      ['POST', '/v1/password-resets', undefined],
      ['POST', '/v1/test/jobs/run', undefined],
      ['POST', '/v1/no-such-endpoint', undefined],
      ['POST', '/nope/deeper/still', ADMIN_KEY],
      ['PUT', '/v1/sessions', undefined],
      ['POST', '/register/REGTOKEN', undefined],
    ];
    const printable = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.:/ =%{}[]"\\'.split('')), maxLength: 260 });
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/vnd.api+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=xyz',
      'application/octet-stream',
      'application/json; charset=latin1',
      '',
    );
    const deep = fc
      .tuple(fc.integer({ min: 1, max: 30_000 }), fc.constantFrom('array', 'object', 'mixed'))
      .map(([n, kind]) =>
        kind === 'array'
          ? '['.repeat(n) + ']'.repeat(n)
          : kind === 'object'
            ? '{"a":'.repeat(n) + '1' + '}'.repeat(n)
            : '[{"x":'.repeat(n) + 'null' + '}]'.repeat(n),
      );
    const raw = fc.oneof(
      deep,
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
      printable,
      fc.constant(''),
    );
    const headers = fc.record(
      {
        'idempotency-key': printable,
        'content-type': contentType,
        accept: fc.constantFrom('application/json', '*/*', 'text/html'),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), raw, headers, async ([method, path, auth], body, h) => {
        const hs: Record<string, string> = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== ''));
        const r = await b.call(method, path.replace('REGTOKEN', regToken), {
          ...(method === 'GET' ? {} : { raw: body }),
          headers: hs,
          token: auth === 'SESSION' ? token : auth,
        });
        expect(
          r.status,
          `${method} ${path} ${JSON.stringify(hs)} ${body.slice(0, 80)}… → ${JSON.stringify(r.body).slice(0, 300)}`,
        ).toBeLessThan(500);
        if (r.status >= 400 && typeof r.body === 'object' && r.body !== null)
          expect(r.body.error.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 200, seed: 4343 },
    );
    // The finding that started this: a deeply nested body with an Idempotency-Key on an unknown route.
    const nested = '['.repeat(20_000) + ']'.repeat(20_000);
    for (const path of ['/v1/no-such-endpoint', '/v1/test/jobs/run', '/v1/sessions']) {
      const r = await b.call('POST', path, {
        raw: nested,
        headers: { 'content-type': 'application/json', 'idempotency-key': 'deep-1' },
      });
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.status, path).toBeLessThan(500);
    }
  }, 120_000);
});
