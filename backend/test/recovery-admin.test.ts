import { Script } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DIALECTS,
  enrolAuthenticator,
  GOOD_PASSWORD,
  registered,
  signInToken,
  startBackend,
  uniq,
  type TestBackend,
  CODED_FIELD,
} from './harness';

describe.each(DIALECTS)('password reset, support actions and admin accounts (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startBackend(dialect);
  });
  afterAll(async () => {
    await b?.close();
  });

  const lastCode = async (template: string, to: string) =>
    (await b.outbox()).filter((m) => m.template === template && m.to === to).pop()?.data.code as string | undefined;

  it('POST /v1/password-resets answers 202 whether or not the account exists, and SMSes a code only to real ones', async () => {
    const u = await registered(b);
    const before = (await b.outbox()).length;
    const ghost = await b.call('POST', '/v1/password-resets', { body: { loginId: uniq('ghost') } });
    expect(ghost.status).toBe(202);
    expect((await b.outbox()).length).toBe(before);
    const real = await b.call('POST', '/v1/password-resets', { body: { loginId: `${u.username}@techpass.gov.sg` } });
    expect(real.status).toBe(202);
    expect(real.body).toEqual(ghost.body);
    expect(await lastCode('N-PWD-RESET-CODE', u.mobile)).toMatch(/^\d{6}$/);
    // Cooldown is silent (still 202, no new SMS).
    const n = (await b.outbox()).length;
    expect((await b.call('POST', '/v1/password-resets', { body: { loginId: u.username } })).status).toBe(202);
    expect((await b.outbox()).length).toBe(n);
  });

  it('completing a reset checks the code and the policy, applies history, clears the lock and ends sessions', async () => {
    const u = await registered(b);
    const t = await signInToken(b, u.username, u.password);
    for (let k = 0; k < 5; k++)
      await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: 'Wrong-Wrong-1' } });
    expect((await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: u.password } })).status).toBe(
      423,
    );
    await b.call('POST', '/v1/password-resets', { body: { loginId: u.username } });
    const code = (await lastCode('N-PWD-RESET-CODE', u.mobile)) as string;
    const wrong = code === '000000' ? '111111' : '000000';
    const bad = await b.call('POST', '/v1/password-resets/complete', {
      body: { loginId: u.username, code: wrong, newPassword: 'Fresh-Meadow-88-Lake' },
    });
    expect(bad.body.error.code).toBe('CODE_INVALID');
    const weak = await b.call('POST', '/v1/password-resets/complete', {
      body: { loginId: u.username, code, newPassword: 'abc' },
    });
    expect(weak.body.error.code).toBe('PASSWORD_POLICY');
    const reused = await b.call('POST', '/v1/password-resets/complete', {
      body: { loginId: u.username, code, newPassword: GOOD_PASSWORD },
    });
    expect(reused.body.error.code).toBe('PASSWORD_REUSED');
    const ok = await b.call('POST', '/v1/password-resets/complete', {
      body: { loginId: u.username, code, newPassword: 'Fresh-Meadow-88-Lake' },
    });
    expect(ok.status).toBe(200);
    expect((await b.call('GET', '/v1/me', { token: t })).status).toBe(401);
    expect(
      (await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: 'Fresh-Meadow-88-Lake' } }))
        .status,
    ).toBe(201);
    expect((await b.admin('GET', `/v1/admin/accounts/${u.username}`)).body.flags).not.toContain('LOCKED');
    const again = await b.call('POST', '/v1/password-resets/complete', {
      body: { loginId: u.username, code, newPassword: 'Other-Meadow-99-Lake' },
    });
    expect(again.body.error.code).toBe('CODE_REUSED');
    const ghost = await b.call('POST', '/v1/password-resets/complete', {
      body: { loginId: uniq('ghost'), code, newPassword: 'Other-Meadow-99-Lake' },
    });
    expect(ghost.body.error.code).toBe('CODE_INVALID');
  });

  it('China path (§5.2): support sends a one-time reset link by email and marks the phone verified, both audit-logged', async () => {
    const u = await registered(b, { passwordDelivery: 'sms' }, { mobile: '+8613800138000' });
    const noTicket = await b.admin('POST', `/v1/admin/accounts/${u.username}/send-reset-link`, {});
    expect(noTicket.status).toBe(400);
    expect(noTicket.body.error.fields.ticket).toEqual(CODED_FIELD);
    expect(
      (await b.call('POST', `/v1/admin/accounts/${u.username}/send-reset-link`, { body: { ticket: 'SR-1' } })).status,
    ).toBe(401);
    const sent = await b.admin('POST', `/v1/admin/accounts/${u.username}/send-reset-link`, { ticket: 'SR-2024-0042' });
    expect(sent.status).toBe(200);
    const mail = (await b.outbox()).filter((m) => m.template === 'N-PWD-RESET-LINK' && m.to === u.email).pop();
    expect(mail.channel).toBe('email');
    expect(mail.body).toContain('SR-2024-0042');
    const done = await b.call('POST', '/v1/password-resets/link', {
      body: { token: mail.data.token, newPassword: 'Silver-Canyon-64-Rain' },
    });
    expect(done.status).toBe(200);
    expect(done.body.loginId).toBe(`${u.username}@techpass.gov.sg`);
    expect(
      (
        await b.call('POST', '/v1/password-resets/link', {
          body: { token: mail.data.token, newPassword: 'Silver-Canyon-65-Rain' },
        })
      ).body.error.code,
    ).toBe('CODE_REUSED');
    const t = await signInToken(b, u.username, 'Silver-Canyon-64-Rain');
    const me1 = await b.call('GET', '/v1/me', { token: t });
    expect(me1.body.requiredActions).toEqual(['authenticator', 'phone', 'terms']);
    const beforeVerify = b.clock.now().toISOString();
    expect(
      (await b.admin('POST', `/v1/admin/accounts/${u.username}/verify-phone`, { ticket: 'SR-2024-0043' })).status,
    ).toBe(200);
    expect((await b.call('GET', '/v1/me', { token: t })).body.requiredActions).toEqual(['authenticator', 'terms']);
    // The funnel counts the phone step from its time: support's verification records it like the user's own.
    const verified = await b.app.techpass.ctx.db
      .selectFrom('accounts')
      .select('phone_verified_at')
      .where('username', '=', u.username)
      .executeTakeFirstOrThrow();
    expect(
      verified.phone_verified_at! >= beforeVerify && verified.phone_verified_at! <= b.clock.now().toISOString(),
      String(verified.phone_verified_at),
    ).toBe(true);
    const audit = await b.app.techpass.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('subject', '=', u.username)
      .execute();
    expect(audit.find((a) => a.action === 'account.send-reset-link')?.details).toContain('SR-2024-0042');
    expect(audit.find((a) => a.action === 'account.verify-phone')?.details).toContain('SR-2024-0043');
    // The emailed link opens a small page with the reset form (its script at least compiles).
    await b.admin('POST', `/v1/admin/accounts/${u.username}/send-reset-link`, { ticket: 'SR-2' });
    const link = (await b.outbox()).filter((m) => m.template === 'N-PWD-RESET-LINK' && m.to === u.email).pop();
    const pageRes = await b.get(link.data.resetUrl.replace(/^https?:\/\/[^/]+/, ''));
    expect(pageRes.status).toBe(200);
    expect(pageRes.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await pageRes.text();
    expect(html).toContain('/v1/password-resets/link');
    expect(() => new Script(/<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '(')).not.toThrow();
    expect((await b.get(`/reset-password/%3Cscript%3E`)).status).toBe(404);
    // Expired links are refused.
    await b.admin('POST', `/v1/admin/accounts/${u.username}/send-reset-link`, { ticket: 'SR-3' });
    const mail2 = (await b.outbox()).filter((m) => m.template === 'N-PWD-RESET-LINK' && m.to === u.email).pop();
    await b.advance(24 * 3600 + 1);
    expect(
      (
        await b.call('POST', '/v1/password-resets/link', {
          body: { token: mail2.data.token, newPassword: 'Golden-Canyon-64-Rain' },
        })
      ).body.error.code,
    ).toBe('CODE_EXPIRED');
    expect(
      (
        await b.call('POST', '/v1/password-resets/link', {
          body: { token: 'nope', newPassword: 'Golden-Canyon-64-Rain' },
        })
      ).status,
    ).toBe(404);
  });

  it('admin account view and actions: enable/disable/terminate, unlock, resend initial password, resend SEED email', async () => {
    const u = await registered(b, { passwordDelivery: 'sms', seedRequested: true });
    const view = await b.admin('GET', `/v1/admin/accounts/${u.username}`);
    expect(view.body).toEqual({
      username: u.username,
      loginId: `${u.username}@techpass.gov.sg`,
      state: 'PENDING',
      flags: ['MUST_CHANGE_PASSWORD'],
      createdAt: expect.any(String),
      seed: { state: 'PROVISIONED', emailExpiresAt: expect.any(String) },
    });
    expect((await b.admin('GET', '/v1/admin/accounts/nobody-here')).status).toBe(404);
    expect((await b.admin('POST', `/v1/admin/accounts/${u.username}/explode`)).status).toBe(400);

    const resend = await b.admin('POST', `/v1/admin/accounts/${u.username}/resend-initial-password`);
    expect(resend.status).toBe(200);
    const newPwd = (await b.outbox()).filter((m) => m.template === 'N-INITPWD' && m.to === u.mobile).pop()
      .data.password;
    expect(newPwd).not.toBe(u.password);
    expect((await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: u.password } })).status).toBe(
      401,
    );
    const t = await signInToken(b, u.username, newPwd);

    const disabled = await b.admin('POST', `/v1/admin/accounts/${u.username}/disable`);
    expect(disabled.body).toMatchObject({ state: 'DISABLED', seed: { state: 'LICENCE_REVOKED' } });
    expect((await b.call('GET', '/v1/me', { token: t })).status).toBe(401);
    const out = await b.outbox();
    expect(out.some((m) => m.template === 'N-STATUS' && m.to === u.email && m.data.status === 'disabled')).toBe(true);
    expect(
      out.some((m) => m.template === 'N-STATUS' && m.to === 'pm.lee@tech.gov.sg' && m.data.status === 'disabled'),
    ).toBe(true);
    expect(out.some((m) => m.template === 'N-SEED-REVOKED' && m.to === u.email)).toBe(true);
    expect((await b.admin('POST', `/v1/admin/accounts/${u.username}/disable`)).status).toBe(409);
    const enabled = await b.admin('POST', `/v1/admin/accounts/${u.username}/enable`);
    expect(enabled.body).toMatchObject({ state: 'ACTIVE', seed: { state: 'PROVISIONED' } });

    await b.advance(31 * 86400);
    expect((await b.admin('GET', `/v1/admin/accounts/${u.username}`)).body.seed.state).toBe('INVITE_EXPIRED');
    const reissued = await b.admin('POST', `/v1/admin/accounts/${u.username}/resend-seed-email`);
    expect(reissued.body.seed.state).toBe('PROVISIONED');
    expect(
      new Date(reissued.body.seed.emailExpiresAt).getTime() -
        new Date(reissued.headers.get('x-server-time') as string).getTime(),
    ).toBeGreaterThan(29 * 86400_000);

    for (let k = 0; k < 5; k++)
      await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: 'Bad-Bad-Bad-1' } });
    expect((await b.admin('GET', `/v1/admin/accounts/${u.username}`)).body.flags).toContain('LOCKED');
    expect((await b.admin('POST', `/v1/admin/accounts/${u.username}/unlock`)).body.flags).not.toContain('LOCKED');
    expect((await b.admin('POST', `/v1/admin/accounts/${u.username}/terminate`)).body.state).toBe('TERMINATED');
    expect((await b.admin('POST', `/v1/admin/accounts/${u.username}/enable`)).status).toBe(409);
    expect((await b.admin('POST', `/v1/admin/accounts/${u.username}/resend-initial-password`)).status).toBe(409);
  });

  it('self_set accounts have no initial password to resend; reset-mfa requires a new enrolment', async () => {
    const u = await registered(b);
    expect((await b.admin('POST', `/v1/admin/accounts/${u.username}/resend-initial-password`)).status).toBe(409);
    const t = await signInToken(b, u.username, u.password);
    await enrolAuthenticator(b, t);
    expect((await b.admin('GET', `/v1/admin/accounts/${u.username}`)).body).toMatchObject({
      state: 'ACTIVE',
      flags: expect.arrayContaining(['MFA_REGISTERED']),
    });
    const r = await b.admin('POST', `/v1/admin/accounts/${u.username}/reset-mfa`);
    expect(r.body.flags).not.toContain('MFA_REGISTERED');
    expect((await b.call('GET', '/v1/me', { token: t })).status).toBe(401);
    expect(
      (await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: GOOD_PASSWORD } })).status,
    ).toBe(201);
  });

  it('SEED endpoints: /v1/me/seed, /v1/seed/os-baseline (versioned, effectiveFrom), /v1/seed/status (maintenance windows)', async () => {
    const u = await registered(b, { seedRequested: true });
    const t = await signInToken(b, u.username, u.password);
    const s = await b.call('GET', '/v1/me/seed', { token: t });
    expect(s.body).toEqual({ state: 'PROVISIONED', emailExpiresAt: expect.any(String), devices: [] });
    const n = await registered(b);
    const tn = await signInToken(b, n.username, n.password);
    expect((await b.call('GET', '/v1/me/seed', { token: tn })).body).toEqual({ state: 'NOT_REQUIRED', devices: [] });
    expect((await b.call('GET', '/v1/me/seed')).status).toBe(401);
    const base = await b.call('GET', '/v1/seed/os-baseline');
    expect(base.status).toBe(200);
    expect(JSON.stringify(base.body)).toMatch(/effectiveFrom/);
    expect(JSON.stringify(base.body)).toMatch(/26100/);
    // One device per user (A27), only once ACTIVE.
    const early = await b.call('POST', '/v1/me/seed/devices', {
      token: t,
      body: { name: 'My Mac', os: 'macOS 15.7.2' },
    });
    expect(early.status).toBe(409);
    const secret = await enrolAuthenticator(b, t);
    expect(secret).toEqual(expect.any(String));
    const dev = await b.call('POST', '/v1/me/seed/devices', { token: t, body: { name: 'My Mac', os: 'macOS 15.7.2' } });
    expect(dev.status).toBe(201);
    expect(dev.body).toMatchObject({
      state: 'DEVICE_ONBOARDING',
      devices: [{ name: 'My Mac', os: 'macOS 15.7.2', status: 'pending', onboardedAt: null }],
    });
    const second = await b.call('POST', '/v1/me/seed/devices', {
      token: t,
      body: { name: 'My PC', os: 'Windows 11 24H2' },
    });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('SEED_ONE_DEVICE');
    const removed = await b.call('DELETE', `/v1/me/seed/devices/${dev.body.devices[0].id}`, { token: t });
    expect(removed.body).toEqual({ state: 'PROVISIONED', emailExpiresAt: expect.any(String), devices: [] });
    expect((await b.call('DELETE', `/v1/me/seed/devices/${dev.body.devices[0].id}`, { token: t })).status).toBe(404);
    expect((await b.call('POST', '/v1/me/seed/devices', { token: tn, body: { name: 'x', os: 'y' } })).status).toBe(409);
    const st = await b.call('GET', '/v1/seed/status');
    expect(st.body.maintenance.windows.length).toBeGreaterThan(0);
    expect(typeof st.body.maintenance.active).toBe('boolean');
    for (const w of st.body.maintenance.windows)
      expect(new Date(w.endsAt).getTime()).toBeGreaterThan(new Date(w.startsAt).getTime());
  });
});

describe.each(DIALECTS)('configured SEED maintenance windows (%s)', (dialect) => {
  it('reports the configured windows and whether one is active now (ACC-6)', async () => {
    const now = Date.now();
    const windows = [
      {
        startsAt: new Date(now - 3600_000).toISOString(),
        endsAt: new Date(now + 3600_000).toISOString(),
        description: 'Tanium upgrade',
      },
      {
        startsAt: new Date(now + 86400_000).toISOString(),
        endsAt: new Date(now + 90000_000).toISOString(),
        description: 'Intune maintenance',
      },
    ];
    const b = await startBackend(dialect, { env: { SEED_MAINTENANCE_WINDOWS: JSON.stringify(windows) } });
    try {
      const st = await b.call('GET', '/v1/seed/status');
      expect(st.body.maintenance).toEqual({ active: true, windows });
      await b.advance(2 * 3600);
      const later = await b.call('GET', '/v1/seed/status');
      expect(later.body.maintenance).toEqual({ active: false, windows: [windows[1]] });
    } finally {
      await b.close();
    }
  });
});
