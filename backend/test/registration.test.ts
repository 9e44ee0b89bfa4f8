import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DIALECTS,
  GOOD_PASSWORD,
  invite,
  inviteBody,
  registrationBody,
  startBackend,
  uniq,
  type TestBackend,
  CODED_FIELD,
} from './harness';

describe.each(DIALECTS)('invitations and registration (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startBackend(dialect);
  });
  afterAll(async () => {
    await b?.close();
  });

  it('creates an invitation: 201 { id, status: sent, expiresAt = now + 5 days } and emails a single-use link', async () => {
    const body = inviteBody();
    const now = (await b.call('GET', '/v1/test/clock')).body.now;
    const r = await b.admin('POST', '/v1/admin/invitations', body);
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: expect.any(String), status: 'sent', expiresAt: expect.any(String) });
    expect(new Date(r.body.expiresAt).getTime() - new Date(now).getTime()).toBeGreaterThanOrEqual(5 * 86400_000);
    const mail = (await b.outbox()).find((m) => m.template === 'N-REG-LINK' && m.to === body.email);
    expect(mail.channel).toBe('email');
    expect(mail.data.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    expect(mail.data.registrationUrl).toContain(mail.data.token);
    expect(mail.body).toContain(mail.data.registrationUrl);
    const list = await b.admin('GET', '/v1/admin/invitations');
    expect(list.body.find((i: { id: string }) => i.id === r.body.id)).toMatchObject({
      status: 'sent',
      email: body.email,
    });
  });

  it('validates invitations: fields, gov inviter, personal/LiteMail email, offshore rules, integrated IdP', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ inviterEmail: 'someone@gmail.com' }, 'inviterEmail'],
      [{ email: 'jane@gmail.com' }, 'email'],
      [{ email: 'jane@litemail.gov.sg' }, 'email'],
      [{ email: 'jane@tech.gov.sg' }, 'email'],
      [{ businessOperation: 'offshore', seedRequested: true }, 'odc'],
      [{ businessOperation: 'offshore', odc: 'Others', seedRequested: true }, 'offshoreCompanyName'],
      [{ businessOperation: 'offshore', odc: 'ODC-1', seedRequested: false }, 'seedRequested'],
      [{ odc: 'ODC-1' }, 'odc'],
      [{ passwordDelivery: 'fax' }, 'passwordDelivery'],
      [{ unknownField: 1 }, 'unknownField'],
    ];
    for (const [o, field] of cases) {
      const r = await b.admin('POST', '/v1/admin/invitations', inviteBody(o));
      expect(r.status, JSON.stringify(o)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.fields[field], JSON.stringify(r.body)).toEqual(CODED_FIELD);
    }
    const missing = await b.admin('POST', '/v1/admin/invitations', { email: 'x@vendor.example.com' });
    expect(Object.keys(missing.body.error.fields)).toEqual(
      expect.arrayContaining([
        'businessOperation',
        'sponsoringAgency',
        'seedRequested',
        'passwordDelivery',
        'inviterEmail',
      ]),
    );
  });

  it('GET /v1/registrations/{token} reads without consuming (mail scanners) and lists the fields to fill', async () => {
    const i = await invite(b, {
      businessOperation: 'offshore',
      odc: 'Others',
      offshoreCompanyName: 'Acme Pte',
      seedRequested: true,
    });
    for (let k = 0; k < 3; k++) {
      const r = await b.call('GET', `/v1/registrations/${i.token}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        businessOperation: 'offshore',
        odc: 'Others',
        seedRequested: true,
        passwordDelivery: 'self_set',
      });
      expect(r.body.email).not.toBe(i.email);
      expect(r.body.email).toContain('*');
      expect(r.body.requiredFields).toEqual([
        'username',
        'firstName',
        'lastName',
        'mobile',
        'department',
        'password',
        'offshoreReportingOfficer',
        'offshoreCompanyAddress',
      ]);
    }
    // The https link in the email opens a page that hands the token to the app; it does not consume it either.
    const html = await (await b.get(`/register/${i.token}`)).text();
    expect(html).toContain(`techpass-onboarding://register?token=${i.token}`);
    expect((await b.call('GET', `/v1/registrations/${i.token}`)).status).toBe(200);
    expect((await b.get(`/register/%22%3E%3Cscript%3E`)).status).toBe(404);
    const sms = await invite(b, { passwordDelivery: 'sms' });
    expect((await b.call('GET', `/v1/registrations/${sms.token}`)).body.requiredFields).toEqual([
      'username',
      'firstName',
      'lastName',
      'mobile',
      'department',
    ]);
    expect((await b.call('GET', '/v1/registrations/not-a-real-token')).status).toBe(404);
  });

  it('registers a self_set invitee: PENDING account, onboarding email, inviter told, no SMS', async () => {
    const i = await invite(b);
    const body = registrationBody({ password: GOOD_PASSWORD });
    const r = await b.call('POST', `/v1/registrations/${i.token}`, { body });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      username: body.username,
      loginId: `${body.username}@techpass.gov.sg`,
      passwordDelivery: 'self_set',
      seed: { state: 'NOT_REQUIRED' },
    });
    const out = await b.outbox();
    const onboard = out.find((m) => m.template === 'N-ONBOARD' && m.to === i.email);
    expect(onboard.data).toMatchObject({ username: body.username, loginId: `${body.username}@techpass.gov.sg` });
    expect(out.find((m) => m.template === 'N-REG-RESULT' && m.data.inviteeEmail === i.email)).toMatchObject({
      to: 'pm.lee@tech.gov.sg',
      data: { outcome: 'registered' },
    });
    expect(
      out.some(
        (m) =>
          m.template === 'N-INITPWD' &&
          m.to === body.mobile &&
          m.createdAt >= onboard.createdAt &&
          m.data.loginId === r.body.loginId,
      ),
    ).toBe(false);
    const acc = await b.admin('GET', `/v1/admin/accounts/${body.username}`);
    expect(acc.body).toMatchObject({ username: body.username, state: 'PENDING', flags: [] });
    // The link is single use.
    const again = await b.call('POST', `/v1/registrations/${i.token}`, {
      body: registrationBody({ password: GOOD_PASSWORD }),
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVITATION_USED');
    expect((await b.call('GET', `/v1/registrations/${i.token}`)).body.error.code).toBe('INVITATION_USED');
  });

  it('registers an sms invitee: initial password by SMS satisfies the policy; MUST_CHANGE_PASSWORD', async () => {
    const i = await invite(b, { passwordDelivery: 'sms' });
    const body = registrationBody({ mobile: '+8613800138000' });
    const r = await b.call('POST', `/v1/registrations/${i.token}`, { body });
    expect(r.status).toBe(201);
    const sms = (await b.outbox()).find((m) => m.template === 'N-INITPWD' && m.data.loginId === r.body.loginId);
    expect(sms).toMatchObject({ channel: 'sms', to: '+8613800138000' });
    expect(sms.data.password).toMatch(/^.{14,}$/);
    expect(sms.body).toContain(sms.data.password);
    const acc = await b.admin('GET', `/v1/admin/accounts/${body.username}`);
    expect(acc.body.flags).toContain('MUST_CHANGE_PASSWORD');
    const withPwd = await invite(b, { passwordDelivery: 'sms' });
    const bad = await b.call('POST', `/v1/registrations/${withPwd.token}`, {
      body: registrationBody({ password: GOOD_PASSWORD }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.password).toEqual(CODED_FIELD);
  });

  it('offshore invitees: SEED provisioned with a 30-day email; offshore non-ODC fields required', async () => {
    const i = await invite(b, {
      businessOperation: 'offshore',
      odc: 'Others',
      offshoreCompanyName: 'Acme Pte',
      seedRequested: true,
    });
    const missing = await b.call('POST', `/v1/registrations/${i.token}`, {
      body: registrationBody({ password: GOOD_PASSWORD, mobile: '+919812345678' }),
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toMatchObject({
      offshoreReportingOfficer: CODED_FIELD,
      offshoreCompanyAddress: CODED_FIELD,
    });
    const personalRo = await b.call('POST', `/v1/registrations/${i.token}`, {
      body: registrationBody({
        password: GOOD_PASSWORD,
        mobile: '+919812345678',
        offshoreReportingOfficer: { name: 'Raj', email: 'raj@gmail.com' },
        offshoreCompanyAddress: '1 Road, Pune',
      }),
    });
    expect(personalRo.status).toBe(400);
    expect(personalRo.body.error.fields['offshoreReportingOfficer.email']).toEqual(CODED_FIELD);
    const body = registrationBody({
      password: GOOD_PASSWORD,
      mobile: '+919812345678',
      offshoreReportingOfficer: { name: 'Raj Kumar', email: 'raj@acme.example.com' },
      offshoreCompanyAddress: '1 Road, Pune',
    });
    const r = await b.call('POST', `/v1/registrations/${i.token}`, { body });
    expect(r.status).toBe(201);
    expect(r.body.seed.state).toBe('PROVISIONED');
    expect(
      new Date(r.body.seed.emailExpiresAt).getTime() - new Date(r.headers.get('x-server-time') as string).getTime(),
    ).toBeGreaterThan(29 * 86400_000);
    const seedMail = (await b.outbox()).find((m) => m.template === 'N-SEED-INVITE' && m.to === i.email);
    expect(seedMail).toBeDefined();
    const onshoreOdcFields = await invite(b);
    const extra = await b.call('POST', `/v1/registrations/${onshoreOdcFields.token}`, {
      body: registrationBody({ password: GOOD_PASSWORD, offshoreCompanyAddress: 'x' }),
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error.fields.offshoreCompanyAddress).toEqual(CODED_FIELD);
  });

  it('validates every registration field with a code (and its parameters) per field, never only a sentence', async () => {
    const i = await invite(b);
    const r = await b.call('POST', `/v1/registrations/${i.token}`, {
      body: {
        username: '1bad',
        firstName: '',
        lastName: 'T@n',
        mobile: '91234567',
        department: '',
        password: GOOD_PASSWORD,
        extra: 'x',
      },
    });
    expect(r.status).toBe(400);
    expect(Object.keys(r.body.error.fields)).toEqual(
      expect.arrayContaining(['username', 'firstName', 'lastName', 'mobile', 'department', 'extra']),
    );
    for (const field of Object.values(r.body.error.fields)) expect(field).toEqual(CODED_FIELD);
    expect(r.body.error.fields).toMatchObject({
      username: { code: 'username.must_start_with_letter', params: { min: 3, max: 64 } },
      firstName: { code: 'first_name.required' },
      lastName: { code: 'name.character_not_allowed' },
      mobile: { code: 'mobile.invalid' },
      department: { code: 'department.required' },
      extra: { code: 'field.not_allowed' },
    });
    // The English wording is the API consumer's; it is the backend table's, not the code itself.
    expect(r.body.error.fields.firstName.message).toBe('Enter the first name.');
    const tooShort = await b.call('POST', `/v1/registrations/${i.token}`, {
      body: registrationBody({ password: GOOD_PASSWORD, mobile: '+861380013800' }),
    });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.error.fields.mobile).toMatchObject({
      code: 'mobile.invalid_for_country',
      params: { country: 'CN', callingCode: '86', example: '131 2345 6789', digits: 11, entered: 10 },
      message: expect.stringContaining('China (+86)'),
    });
    const notMobile = await b.call('POST', `/v1/registrations/${i.token}`, {
      body: registrationBody({ password: GOOD_PASSWORD, mobile: '+6500000000' }),
    });
    expect(notMobile.status).toBe(400);
    expect(notMobile.body.error.fields.mobile).toEqual(CODED_FIELD);
    const weak = await b.call('POST', `/v1/registrations/${i.token}`, {
      body: registrationBody({ password: 'password1' }),
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('PASSWORD_POLICY');
    expect(weak.body.error.rules).toEqual(expect.arrayContaining(['not-common']));
    // Nothing was consumed by the failures.
    expect((await b.call('GET', `/v1/registrations/${i.token}`)).status).toBe(200);
  });

  it('usernames are unique case-insensitively: 409 USERNAME_TAKEN, and the invitation stays usable', async () => {
    const name = uniq('dup');
    const a = await invite(b);
    expect(
      (
        await b.call('POST', `/v1/registrations/${a.token}`, {
          body: registrationBody({ username: name, password: GOOD_PASSWORD }),
        })
      ).status,
    ).toBe(201);
    const c = await invite(b);
    const r = await b.call('POST', `/v1/registrations/${c.token}`, {
      body: registrationBody({ username: name.toUpperCase(), password: GOOD_PASSWORD }),
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('USERNAME_TAKEN');
    expect((await b.call('GET', `/v1/registrations/${c.token}`)).status).toBe(200);
  });

  it('20 concurrent registrations with one token create exactly one account', async () => {
    const i = await invite(b);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        b.call('POST', `/v1/registrations/${i.token}`, {
          body: registrationBody({ username: `${uniq('race')}x${k}`, password: GOOD_PASSWORD }),
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.error.code).toBe('INVITATION_USED');
    const { ctx } = b.app.techpass;
    const accounts = await ctx.db.selectFrom('accounts').select('username').where('email', '=', i.email).execute();
    expect(accounts).toHaveLength(1);
    expect((await b.outbox()).filter((m) => m.template === 'N-ONBOARD' && m.to === i.email)).toHaveLength(1);
  });

  it('re-inviting the same email supersedes the pending link; revoke and resend', async () => {
    const first = await invite(b);
    const second = await invite(b, { email: first.email });
    const old = await b.call('GET', `/v1/registrations/${first.token}`);
    expect(old.status).toBe(410);
    expect(old.body.error.code).toBe('INVITATION_SUPERSEDED');
    expect(
      (
        await b.call('POST', `/v1/registrations/${first.token}`, {
          body: registrationBody({ password: GOOD_PASSWORD }),
        })
      ).body.error.code,
    ).toBe('INVITATION_SUPERSEDED');
    expect((await b.call('GET', `/v1/registrations/${second.token}`)).status).toBe(200);

    const resent = await b.admin('POST', `/v1/admin/invitations/${second.id}/resend`);
    expect(resent.status).toBe(200);
    expect((await b.call('GET', `/v1/registrations/${second.token}`)).status).toBe(404);
    const fresh = (await b.outbox()).filter((m) => m.template === 'N-REG-LINK' && m.to === first.email).pop();
    expect((await b.call('GET', `/v1/registrations/${fresh.data.token}`)).status).toBe(200);

    const del = await b.admin('DELETE', `/v1/admin/invitations/${second.id}`);
    expect(del.status).toBe(200);
    const revoked = await b.call('GET', `/v1/registrations/${fresh.data.token}`);
    expect(revoked.status).toBe(410);
    expect(revoked.body.error.code).toBe('INVITATION_REVOKED');
    expect((await b.admin('POST', '/v1/admin/invitations/nope/resend')).status).toBe(404);
  });

  it('inviting an email that already has an account: 409, holder emailed (N-DUP-REG)', async () => {
    const i = await invite(b);
    expect(
      (await b.call('POST', `/v1/registrations/${i.token}`, { body: registrationBody({ password: GOOD_PASSWORD }) }))
        .status,
    ).toBe(201);
    const r = await b.admin('POST', '/v1/admin/invitations', inviteBody({ email: i.email }));
    expect(r.status).toBe(409);
    expect((await b.outbox()).some((m) => m.template === 'N-DUP-REG' && m.to === i.email)).toBe(true);
  });

  it('bulk invitations with dryRun report per row and create nothing; without dryRun they are sent', async () => {
    const rows = [
      inviteBody(),
      inviteBody({ email: 'bad@gmail.com' }),
      inviteBody({ businessOperation: 'offshore', seedRequested: true }),
    ];
    const before = (await b.admin('GET', '/v1/admin/invitations')).body.length;
    const dry = await b.admin('POST', '/v1/admin/invitations/bulk?dryRun=true', [rows[0], rows[2]]);
    expect(dry.status).toBe(200);
    expect(dry.body.results.map((x: { ok: boolean }) => x.ok)).toEqual([true, false]);
    expect((await b.admin('GET', '/v1/admin/invitations')).body.length).toBe(before);
    const dryAll = await b.admin('POST', '/v1/admin/invitations/bulk?dryRun=true', [
      ...rows,
      { email: 'x@vendor.example.com', bogus: 1 },
    ]);
    expect(dryAll.body.results.map((x: { ok: boolean }) => x.ok)).toEqual([true, false, false, false]);
    expect(dryAll.body.results[1].error.fields.email).toEqual(CODED_FIELD);
    expect(dryAll.body.results[3].error.fields).toMatchObject({ bogus: CODED_FIELD, sponsoringAgency: CODED_FIELD });
    // Each refused row says what to do next, whichever check refused it (the schema or the invitation rules).
    for (const r of dryAll.body.results.filter((x: { ok: boolean }) => !x.ok))
      expect(r.error.message).toMatch(/Correct (them|it) and try again\.$/);
    expect((await b.admin('POST', '/v1/admin/invitations/bulk', [])).status).toBe(400);
    expect((await b.admin('POST', '/v1/admin/invitations/bulk', { not: 'an array' })).status).toBe(400);
    const real = await b.admin('POST', '/v1/admin/invitations/bulk', rows);
    expect(real.status).toBe(201);
    expect(real.body.results[0]).toMatchObject({ ok: true, id: expect.any(String) });
    expect(real.body.results[1]).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(real.body.results[2]).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', fields: { odc: CODED_FIELD } },
    });
    expect((await b.admin('GET', '/v1/admin/invitations')).body.length).toBe(before + 1);
  });

  it('D1: the link expires after 5 days on read (no job needed); the job marks it EXPIRED and tells the inviter', async () => {
    const i = await invite(b);
    await b.advance(5 * 86400 - 60);
    expect((await b.call('GET', `/v1/registrations/${i.token}`)).status).toBe(200);
    await b.advance(61);
    const r = await b.call('GET', `/v1/registrations/${i.token}`);
    expect(r.status).toBe(410);
    expect(r.body.error.code).toBe('INVITATION_EXPIRED');
    expect(
      (await b.call('POST', `/v1/registrations/${i.token}`, { body: registrationBody({ password: GOOD_PASSWORD }) }))
        .body.error.code,
    ).toBe('INVITATION_EXPIRED');
    const job = await b.call('POST', '/v1/test/jobs/run');
    expect(job.body.invitationsExpired).toContain(i.id);
    expect(
      (await b.outbox()).some(
        (m) => m.template === 'N-REG-RESULT' && m.data.outcome === 'expired' && m.data.inviteeEmail === i.email,
      ),
    ).toBe(true);
    const again = await b.call('POST', '/v1/test/jobs/run');
    expect(again.body.invitationsExpired).not.toContain(i.id);
  });
});

describe('production mobile rule', () => {
  it('SG numbers must be SG mobiles (+65 8/9…) and onshore users need +65 in production; not in test mode', async () => {
    const { mobileProblem } = await import('../src/features/registration/service');
    const prod = { config: { mode: 'production' } } as never;
    const test = { config: { mode: 'test' } } as never;
    expect(mobileProblem(prod, '+6591234567', 'onshore')).toBeUndefined();
    expect(mobileProblem(prod, '+6561234567', 'onshore')).toEqual({ code: 'mobile.not_a_mobile' });
    expect(mobileProblem(test, '+6561234567', 'onshore')).toBeUndefined(); // non-prod skips the SG mobile rule (A10)
    expect(mobileProblem(test, '+6512345', 'onshore')).toMatchObject({ code: 'mobile.too_short_for_country' }); // but the number must be valid
    expect(mobileProblem(prod, '+8613800138000', 'onshore')).toEqual({ code: 'mobile.singapore_required' });
    expect(mobileProblem(test, '+8613800138000', 'onshore')).toBeUndefined();
    expect(mobileProblem(prod, '+8613800138000', 'offshore')).toBeUndefined();
    expect(mobileProblem(prod, '+999', 'offshore')).toMatchObject({ code: expect.stringMatching(/^mobile\./) });
  });
});
