import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as api from '../../shared/api';
import { DIALECTS, inviteBody, registrationBody, startBackend, type TestBackend } from './harness';

/** Every answer parses with the shared/api schema the desktop host's client uses. */
describe.each(DIALECTS)('responses match shared/api (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startBackend(dialect);
  });
  afterAll(async () => {
    await b?.close();
  });
  const check = <S extends z.ZodType>(schema: S, value: unknown): z.infer<S> => {
    const r = schema.safeParse(value);
    expect(r.success, JSON.stringify(r.error?.issues ?? [])).toBe(true);
    return r.data as z.infer<S>;
  };

  it('a whole journey', async () => {
    const created = check(
      api.CreatedInvitation,
      (await b.admin('POST', '/v1/admin/invitations', inviteBody({ passwordDelivery: 'sms', seedRequested: true })))
        .body,
    );
    check(api.InvitationSummary.array(), (await b.admin('GET', '/v1/admin/invitations')).body);
    check(
      api.BulkInvitationResult,
      (await b.admin('POST', '/v1/admin/invitations/bulk?dryRun=true', [inviteBody()])).body,
    );
    const outbox = check(api.OutboxList, await b.outbox());
    const token = outbox.find((m) => m.template === 'N-REG-LINK')?.data.token as string;
    expect(created.status).toBe('sent');
    check(api.RegistrationInfo, (await b.call('GET', `/v1/registrations/${token}`)).body);
    const body = registrationBody();
    const reg = check(api.RegistrationResult, (await b.call('POST', `/v1/registrations/${token}`, { body })).body);
    const password = (await b.outbox()).find((m: { template: string }) => m.template === 'N-INITPWD').data.password;
    const s = check(
      api.SessionCreated,
      (await b.call('POST', '/v1/sessions', { body: { loginId: reg.loginId, password } })).body,
    );
    const t = s.token;
    check(api.Me, (await b.call('GET', '/v1/me', { token: t })).body);
    const enrol = check(
      api.AuthenticatorEnrolment,
      (await b.call('POST', '/v1/me/mfa/authenticator', { token: t })).body,
    );
    check(
      api.ActionResult,
      (await b.call('POST', '/v1/me/mfa/authenticator/verify', { token: t, body: { code: b.totp(enrol.secret) } }))
        .body,
    );
    check(api.PhoneCodeSent, (await b.call('POST', '/v1/me/phone', { token: t, body: { mobile: body.mobile } })).body);
    check(api.TermsList, (await b.call('GET', '/v1/terms')).body);
    check(api.TermsList, (await b.call('GET', '/v1/me/terms', { token: t })).body);
    check(api.MeSeed, (await b.call('GET', '/v1/me/seed', { token: t })).body);
    check(
      api.MeSeed,
      (await b.call('POST', '/v1/me/seed/devices', { token: t, body: { name: 'Mac', os: 'macOS 26.1' } })).body,
    );
    check(api.SeedStatus, (await b.call('GET', '/v1/seed/status')).body);
    check(api.AccountSummary, (await b.admin('GET', `/v1/admin/accounts/${reg.username}`)).body);
    check(api.AccountSummary, (await b.admin('POST', `/v1/admin/accounts/${reg.username}/unlock`)).body);
    check(api.ClockNow, (await b.call('GET', '/v1/test/clock')).body);
    await b.advance(30);
    check(api.MfaRequired, (await b.call('POST', '/v1/sessions', { body: { loginId: reg.username, password } })).body);
    for (const r of [
      await b.call('GET', '/v1/me'),
      await b.call('POST', '/v1/sessions', { body: {} }),
      await b.call('GET', `/v1/registrations/${token}`),
    ]) {
      const e = check(api.ApiErrorEnvelope, r.body);
      expect(e.error.code).toMatch(/^[A-Z_]+$/);
    }
  });
});
