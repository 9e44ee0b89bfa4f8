import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptAllTerms,
  DIALECTS,
  enrolAuthenticator,
  GOOD_PASSWORD,
  registered,
  signInToken,
  startBackend,
  uniq,
  verifyPhoneFlow,
  type TestBackend,
} from './harness';

describe.each(DIALECTS)('sessions and sign-in (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startBackend(dialect, { env: { SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '12' } });
  });
  afterAll(async () => {
    await b?.close();
  });

  it('signs in with the username or the login id (never the email): 201 { token, requiredActions }', async () => {
    const u = await registered(b);
    for (const loginId of [u.username, `${u.username}@techpass.gov.sg`, u.username.toUpperCase()]) {
      const r = await b.call('POST', '/v1/sessions', { body: { loginId, password: u.password } });
      expect(r.status, loginId).toBe(201);
      expect(r.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(r.body.requiredActions).toEqual(['authenticator', 'phone', 'terms']);
    }
    const byEmail = await b.call('POST', '/v1/sessions', { body: { loginId: u.email, password: u.password } });
    expect(byEmail.status).toBe(401);
    expect(byEmail.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('unknown usernames and wrong passwords get the same status and body', async () => {
    const u = await registered(b);
    const wrong = await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: 'Wrong-Password-1' } });
    const unknown = await b.call('POST', '/v1/sessions', {
      body: { loginId: uniq('ghost'), password: 'Wrong-Password-1' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('locks after 5 consecutive failures (423 even with the right password); unknown usernames lock the same way', async () => {
    const u = await registered(b);
    const ghost = uniq('ghost');
    for (let k = 0; k < 5; k++) {
      expect(
        (await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: `Wrong-${k}-Pass` } })).status,
      ).toBe(401);
      expect(
        (await b.call('POST', '/v1/sessions', { body: { loginId: ghost, password: `Wrong-${k}-Pass` } })).status,
      ).toBe(401);
    }
    const locked = await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: u.password } });
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('ACCOUNT_LOCKED');
    const ghostLocked = await b.call('POST', '/v1/sessions', { body: { loginId: ghost, password: 'whatever' } });
    expect(ghostLocked.status).toBe(423);
    expect(ghostLocked.body).toEqual(locked.body);
    expect((await b.admin('GET', `/v1/admin/accounts/${u.username}`)).body.flags).toContain('LOCKED');
    // A success before the 5th failure resets the run.
    const v = await registered(b);
    for (let k = 0; k < 4; k++)
      await b.call('POST', '/v1/sessions', { body: { loginId: v.username, password: 'Nope-Nope-1' } });
    expect((await b.call('POST', '/v1/sessions', { body: { loginId: v.username, password: v.password } })).status).toBe(
      201,
    );
    for (let k = 0; k < 4; k++)
      await b.call('POST', '/v1/sessions', { body: { loginId: v.username, password: 'Nope-Nope-1' } });
    expect((await b.call('POST', '/v1/sessions', { body: { loginId: v.username, password: v.password } })).status).toBe(
      201,
    );
  });

  it('parallel wrong guesses still lock at 5', async () => {
    const u = await registered(b);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, k) =>
        b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: `Guess-${k}-Wrong` } }),
      ),
    );
    expect(results.every((r) => r.status === 401 || r.status === 423)).toBe(true);
    expect((await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: u.password } })).status).toBe(
      423,
    );
  });

  it('a sign-in whose password is changed while it is being verified opens no session and records no sign-in', async () => {
    const db = b.app.techpass.ctx.db;
    const hasher = b.app.techpass.ctx.hasher;
    const u = await registered(b);
    const before = await db
      .selectFrom('accounts')
      .selectAll()
      .where('username', '=', u.username)
      .executeTakeFirstOrThrow();
    await db.updateTable('accounts').set({ last_reminder_key: 'T5-test' }).where('id', '=', before.id).execute();
    const sessionsBefore = await db
      .selectFrom('sessions')
      .select('token_hash')
      .where('account_id', '=', before.id)
      .execute();
    // A password change (or reset) lands while the old password's hash is being compared: the verification says
    // "right", but by the time the sign-in writes, the account has another password.
    const verify = hasher.verify.bind(hasher);
    const newPassword = 'Another-Password-42';
    const newHash = await hasher.hash(newPassword);
    hasher.verify = async (hashed, password) => {
      const right = await verify(hashed, password);
      await db.updateTable('accounts').set({ password_hash: newHash }).where('id', '=', before.id).execute();
      return right;
    };
    try {
      const r = await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: u.password } });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('INVALID_CREDENTIALS');
      expect(r.body.error.message).toMatch(/changed just now/);
    } finally {
      hasher.verify = verify;
    }
    const after = await db.selectFrom('accounts').selectAll().where('id', '=', before.id).executeTakeFirstOrThrow();
    expect({ last: after.last_sign_in_at, first: after.first_sign_in_at, reminder: after.last_reminder_key }).toEqual({
      last: null,
      first: null,
      reminder: 'T5-test',
    });
    const sessionsAfter = await db
      .selectFrom('sessions')
      .select('token_hash')
      .where('account_id', '=', before.id)
      .execute();
    expect(sessionsAfter).toEqual(sessionsBefore);
    const success = await db
      .selectFrom('audit_log')
      .select('id')
      .where('subject', '=', u.username)
      .where('action', '=', 'sign-in.success')
      .execute();
    expect(success).toHaveLength(0);
    expect((await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: u.password } })).status).toBe(
      401,
    );
    expect(
      (await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: newPassword } })).status,
    ).toBe(201);
  });

  it('discloses DISABLED / TERMINATED only after a correct password', async () => {
    const u = await registered(b);
    expect((await b.admin('POST', `/v1/admin/accounts/${u.username}/disable`)).status).toBe(200);
    const wrong = await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: 'Wrong-Password-1' } });
    expect(wrong.status).toBe(401);
    const right = await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: u.password } });
    expect(right.status).toBe(403);
    expect(right.body.error.code).toBe('ACCOUNT_DISABLED');
    await b.admin('POST', `/v1/admin/accounts/${u.username}/terminate`);
    expect(
      (await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: 'Wrong-Password-1' } })).status,
    ).toBe(401);
    const t = await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: u.password } });
    expect(t.status).toBe(403);
    expect(t.body.error.code).toBe('ACCOUNT_TERMINATED');
  });

  it('sessions: bearer required, idle expiry (30 min), absolute expiry (12 h), sign-out', async () => {
    const u = await registered(b);
    expect((await b.call('GET', '/v1/me')).body.error.code).toBe('UNAUTHORIZED');
    expect((await b.call('GET', '/v1/me', { token: 'forged' })).body.error.code).toBe('SESSION_EXPIRED');
    const t1 = await signInToken(b, u.username, u.password);
    await b.advance(29 * 60);
    expect((await b.call('GET', '/v1/me', { token: t1 })).status).toBe(200);
    await b.advance(31 * 60);
    const idle = await b.call('GET', '/v1/me', { token: t1 });
    expect(idle.status).toBe(401);
    expect(idle.body.error.code).toBe('SESSION_EXPIRED');
    const t2 = await signInToken(b, u.username, u.password);
    for (let k = 0; k < 25; k++) {
      await b.advance(29 * 60);
      const r = await b.call('GET', '/v1/me', { token: t2 });
      if (r.status !== 200) {
        expect(k * 29).toBeGreaterThanOrEqual(11 * 60);
        expect(r.body.error.code).toBe('SESSION_EXPIRED');
        break;
      }
      expect(k).toBeLessThan(25);
    }
    const t3 = await signInToken(b, u.username, u.password);
    expect((await b.call('DELETE', '/v1/sessions/current', { token: t3 })).status).toBe(204);
    expect((await b.call('GET', '/v1/me', { token: t3 })).status).toBe(401);
  });

  it('after enrolment every sign-in needs the TOTP: mfa_required → /v1/sessions/mfa; codes never reused', async () => {
    const u = await registered(b);
    const t = await signInToken(b, u.username, u.password);
    const secret = await enrolAuthenticator(b, t);
    await b.advance(30);
    const r = await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: u.password } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'mfa_required', mfaToken: expect.any(String) });
    const bad = await b.call('POST', '/v1/sessions/mfa', {
      body: { mfaToken: r.body.mfaToken, code: '000000' === b.totp(secret) ? '111111' : '000000' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('CODE_INVALID');
    const code = b.totp(secret);
    const ok = await b.call('POST', '/v1/sessions/mfa', { body: { mfaToken: r.body.mfaToken, code } });
    expect(ok.status).toBe(201);
    expect(ok.body.requiredActions).toEqual(['phone', 'terms']);
    expect((await b.call('GET', '/v1/me', { token: ok.body.token })).status).toBe(200);
    // The same code again (same step) is refused.
    const r2 = await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: u.password } });
    const replay = await b.call('POST', '/v1/sessions/mfa', { body: { mfaToken: r2.body.mfaToken, code } });
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('CODE_REUSED');
    // The mfa token is single use and short-lived.
    expect(
      (await b.call('POST', '/v1/sessions/mfa', { body: { mfaToken: r.body.mfaToken, code: b.totp(secret, 1) } })).body
        .error.code,
    ).toBe('SESSION_EXPIRED');
    await b.advance(6 * 60);
    expect(
      (await b.call('POST', '/v1/sessions/mfa', { body: { mfaToken: r2.body.mfaToken, code: b.totp(secret) } })).body
        .error.code,
    ).toBe('SESSION_EXPIRED');
    // Too many wrong codes end the attempt.
    const r3 = await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: u.password } });
    let last;
    for (let k = 0; k < 5; k++)
      last = await b.call('POST', '/v1/sessions/mfa', {
        body: { mfaToken: r3.body.mfaToken, code: b.totp(secret, 5) },
      });
    expect(last?.status).toBe(429);
    expect(last?.body.error.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('full onboarding: authenticator → ACTIVE, phone, password (sms variant), terms → onboarded', async () => {
    const u = await registered(
      b,
      { passwordDelivery: 'sms', businessOperation: 'offshore', odc: 'ODC-1', seedRequested: true },
      { mobile: '+919812345678' },
    );
    const t = await signInToken(b, u.username, u.password);
    let me = await b.call('GET', '/v1/me', { token: t });
    expect(me.body).toMatchObject({
      state: 'PENDING',
      requiredActions: ['authenticator', 'phone', 'password', 'terms'],
      onboardingComplete: false,
      seed: { state: 'PROVISIONED' },
    });
    expect(me.body.deadlines.activateBy).toEqual(expect.any(String));
    expect(
      Math.abs(new Date(me.body.serverTime).getTime() - new Date(me.headers.get('x-server-time') as string).getTime()),
    ).toBeLessThan(1000);
    const enrol = await b.call('POST', '/v1/me/mfa/authenticator', { token: t });
    expect(enrol.body.otpauthUri).toBe(
      `otpauth://totp/TechPass:${u.username}@techpass.gov.sg?secret=${enrol.body.secret}&issuer=TechPass`,
    );
    expect(enrol.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    // ±1 step of drift is accepted.
    const v = await b.call('POST', '/v1/me/mfa/authenticator/verify', {
      token: t,
      body: { code: b.totp(enrol.body.secret, -1) },
    });
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ state: 'ACTIVE', requiredActions: ['phone', 'password', 'terms'] });
    expect((await b.call('POST', '/v1/me/mfa/authenticator', { token: t })).status).toBe(409);
    expect((await verifyPhoneFlow(b, t, '+919812345678')).status).toBe(200);
    const weak = await b.call('POST', '/v1/me/password', {
      token: t,
      body: { currentPassword: u.password, newPassword: 'short' },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('PASSWORD_POLICY');
    expect(weak.body.error.rules).toContain('length');
    const same = await b.call('POST', '/v1/me/password', {
      token: t,
      body: { currentPassword: u.password, newPassword: u.password },
    });
    expect(same.body.error.code).toBe('PASSWORD_REUSED');
    const wrongCurrent = await b.call('POST', '/v1/me/password', {
      token: t,
      body: { currentPassword: 'Not-It-123', newPassword: GOOD_PASSWORD },
    });
    expect(wrongCurrent.body.error.code).toBe('INVALID_CREDENTIALS');
    const changed = await b.call('POST', '/v1/me/password', {
      token: t,
      body: { currentPassword: u.password, newPassword: GOOD_PASSWORD },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.requiredActions).toEqual(['terms']);
    const terms = await b.call('GET', '/v1/terms');
    expect(terms.body.map((d: { id: string }) => d.id)).toEqual(['privacy', 'terms-of-use', 'mdm-aup']);
    for (const d of terms.body) {
      expect(d.body.length).toBeGreaterThan(300);
      expect(d.version).toEqual(expect.any(String));
    }
    expect(terms.body.find((d: { id: string }) => d.id === 'mdm-aup').title).toContain('4.0');
    const stale = await b.call('POST', '/v1/me/terms', { token: t, body: { id: 'privacy', version: '0.1' } });
    expect(stale.status).toBe(409);
    // Any order; `terms` stays until all three (MDM AUP because SEED is provisioned) are accepted.
    for (const id of ['mdm-aup', 'privacy']) {
      const doc = terms.body.find((d: { id: string }) => d.id === id);
      const r = await b.call('POST', '/v1/me/terms', {
        token: t,
        body: { id, version: doc.version },
        headers: { 'user-agent': 'TechPassOnboarding/1.0', 'x-techpass-client': 'desktop' },
      });
      expect(r.body.requiredActions).toEqual(['terms']);
    }
    const tou = terms.body.find((d: { id: string }) => d.id === 'terms-of-use');
    const done = await b.call('POST', '/v1/me/terms', { token: t, body: { id: 'terms-of-use', version: tou.version } });
    expect(done.body).toEqual({ requiredActions: [], onboardingComplete: true, state: 'ACTIVE' });
    me = await b.call('GET', '/v1/me', { token: t });
    expect(me.body.onboardingComplete).toBe(true);
    expect(me.body.deadlines.activateBy).toBeUndefined();
    const acc = await b.admin('GET', `/v1/admin/accounts/${u.username}`);
    expect(acc.body.flags).toEqual(expect.arrayContaining(['ONBOARDING_COMPLETE', 'MFA_REGISTERED', 'PHONE_VERIFIED']));
    const rows = await b.app.techpass.ctx.db.selectFrom('terms_acceptances').selectAll().execute();
    const mine = rows.filter((r) => r.doc === 'privacy' && JSON.parse(r.client).client === 'desktop');
    expect(mine.length).toBeGreaterThan(0);
    expect(JSON.parse(mine[0]!.client).userAgent).toBe('TechPassOnboarding/1.0');
  });

  it('A28: SEED provisioned after onboarding puts the MDM AUP back; reset-mfa puts the authenticator back', async () => {
    const u = await registered(b);
    const t = await signInToken(b, u.username, u.password);
    await enrolAuthenticator(b, t);
    await verifyPhoneFlow(b, t);
    await acceptAllTerms(b, t);
    expect((await b.call('GET', '/v1/me', { token: t })).body.onboardingComplete).toBe(true);
    expect((await b.admin('POST', `/v1/admin/accounts/${u.username}/resend-seed-email`)).body.seed.state).toBe(
      'PROVISIONED',
    );
    const me = await b.call('GET', '/v1/me', { token: t });
    expect(me.body).toMatchObject({ requiredActions: ['terms'], onboardingComplete: false });
    await acceptAllTerms(b, t);
    expect((await b.call('GET', '/v1/me', { token: t })).body.onboardingComplete).toBe(true);
    await b.admin('POST', `/v1/admin/accounts/${u.username}/reset-mfa`);
    const t2 = await signInToken(b, u.username, GOOD_PASSWORD);
    expect((await b.call('GET', '/v1/me', { token: t2 })).body.requiredActions).toEqual(['authenticator']);
  });

  it('phone verification: 6-digit code, 60 s resend cooldown, 3 attempts, 10 min expiry, no reuse', async () => {
    const u = await registered(b);
    const t = await signInToken(b, u.username, u.password);
    const bad = await b.call('POST', '/v1/me/phone', { token: t, body: { mobile: '+65123' } });
    expect(bad.status).toBe(400);
    const s = await b.call('POST', '/v1/me/phone', { token: t, body: { mobile: '+6598765432' } });
    expect(s.status).toBe(202);
    expect(s.body.resendAfterSeconds).toBe(60);
    const cool = await b.call('POST', '/v1/me/phone', { token: t, body: { mobile: '+6598765432' } });
    expect(cool.status).toBe(429);
    expect(cool.body.error.code).toBe('RATE_LIMITED');
    expect(Number(cool.headers.get('retry-after'))).toBeGreaterThan(0);
    const code = (await b.outbox()).filter((m) => m.template === 'N-PHONE-CODE' && m.to === '+6598765432').pop().data
      .code as string;
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let k = 0; k < 3; k++)
      expect((await b.call('POST', '/v1/me/phone/verify', { token: t, body: { code: wrong } })).body.error.code).toBe(
        'CODE_INVALID',
      );
    const tooMany = await b.call('POST', '/v1/me/phone/verify', { token: t, body: { code } });
    expect(tooMany.status).toBe(429);
    expect(tooMany.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    await b.advance(61);
    await b.call('POST', '/v1/me/phone', { token: t, body: { mobile: '+6598765432' } });
    const code2 = (await b.outbox()).filter((m) => m.template === 'N-PHONE-CODE' && m.to === '+6598765432').pop().data
      .code as string;
    await b.advance(10 * 60 + 1);
    const t2 = await signInToken(b, u.username, u.password);
    const expired = await b.call('POST', '/v1/me/phone/verify', { token: t2, body: { code: code2 } });
    expect(expired.body.error.code).toBe('CODE_EXPIRED');
    await b.call('POST', '/v1/me/phone', { token: t2, body: { mobile: '+6598765432' } });
    const code3 = (await b.outbox()).filter((m) => m.template === 'N-PHONE-CODE' && m.to === '+6598765432').pop().data
      .code as string;
    expect((await b.call('POST', '/v1/me/phone/verify', { token: t2, body: { code: code3 } })).status).toBe(200);
    const reuse = await b.call('POST', '/v1/me/phone/verify', { token: t2, body: { code: code3 } });
    expect(reuse.body.error.code).toBe('CODE_REUSED');
    expect((await b.call('GET', '/v1/me', { token: t2 })).body.requiredActions).not.toContain('phone');
  });

  it('per-phone limit: at most 5 codes an hour to one number, across accounts', async () => {
    const phone = '+6588881234';
    const statuses: number[] = [];
    for (let k = 0; k < 7; k++) {
      const u = await registered(b);
      const t = await signInToken(b, u.username, u.password);
      statuses.push((await b.call('POST', '/v1/me/phone', { token: t, body: { mobile: phone } })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it('allows at least 120 sign-in requests a minute from one address', async () => {
    const results = await Promise.all(
      Array.from({ length: 130 }, () =>
        b.call('POST', '/v1/sessions', { body: { loginId: uniq('nobody'), password: 'x' } }),
      ),
    );
    expect(results.filter((r) => r.status === 429)).toHaveLength(0);
  });
});
