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
    const keys = ['email', 'loginId', 'password', 'code', 'mobile', 'username', 'firstName', 'id', 'version', 'token', 'ticket', 'newPassword', 'businessOperation', 'advanceSeconds', 'mfaToken'];
    const value = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
    const body = fc.oneof(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 }), fc.jsonValue({ maxDepth: 2 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, async ([method, path, auth], b0) => {
        const r = await b.call(method, path.replace('REGTOKEN', regToken), { body: b0 ?? null, token: auth === 'SESSION' ? token : auth });
        expect(r.status, `${path} ${JSON.stringify(b0)} → ${JSON.stringify(r.body)}`).toBeLessThan(500);
        if (r.status >= 400) expect(r.body.error.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 150, seed: 4242 },
    );
  });
});
