import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, GOOD_PASSWORD, invite, registrationBody, startBackend, uniq, type TestBackend } from './harness';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2;
};

describe.each(DIALECTS)('sign-in timing with OWASP argon2id (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startBackend(dialect, { realArgon2: true });
  });
  afterAll(async () => {
    await b?.close();
  });

  it('an unknown username costs the same as a wrong password (medians of 20 within 20%)', async () => {
    const i = await invite(b);
    const body = registrationBody({ password: GOOD_PASSWORD });
    expect((await b.call('POST', `/v1/registrations/${i.token}`, { body })).status).toBe(201);
    const time = async (loginId: string) => {
      const t0 = performance.now();
      const r = await b.call('POST', '/v1/sessions', { body: { loginId, password: 'Wrong-Password-9' } });
      const dt = performance.now() - t0;
      expect([401, 423]).toContain(r.status);
      return dt;
    };
    await time(uniq('warm'));
    await time(body.username);
    // Up to 3 rounds of 20 interleaved pairs: CPU noise from other work on a shared machine can spoil one round, but a
    // real difference (no argon2 for unknown users) fails every round.
    const rounds: string[] = [];
    let within = false;
    for (let round = 0; round < 3 && !within; round++) {
      const unknown: number[] = [];
      const wrong: number[] = [];
      for (let k = 0; k < 20; k++) {
        if (k % 2 === 0) {
          unknown.push(await time(uniq('ghost')));
          wrong.push(await time(body.username));
        } else {
          wrong.push(await time(body.username));
          unknown.push(await time(uniq('ghost')));
        }
      }
      const mu = median(unknown);
      const mw = median(wrong);
      // Both run one argon2id verification at m=19456 KiB, t=2 (≈12 ms here), so neither can be near zero.
      expect(Math.min(mu, mw)).toBeGreaterThan(5);
      rounds.push(`unknown ${mu.toFixed(1)} ms vs wrong ${mw.toFixed(1)} ms`);
      within = Math.abs(mu - mw) / Math.max(mu, mw) <= 0.2;
    }
    expect(within, rounds.join('; ')).toBe(true);
  }, 120_000);

  it('stores argon2id hashes with the OWASP parameters', async () => {
    const row = await b.app.techpass.ctx.db.selectFrom('accounts').select('password_hash').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});

describe.each(DIALECTS)('no secret in any log (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startBackend(dialect, { captureLogs: true });
  });
  afterAll(async () => {
    await b?.close();
  });

  it('a whole journey at trace level logs requests with ids but never a password, token, code or TOTP seed', async () => {
    const secrets: string[] = [];
    const i = await invite(b, { passwordDelivery: 'sms' });
    secrets.push(i.token);
    const body = registrationBody();
    const reg = await b.call('POST', `/v1/registrations/${i.token}`, { body, headers: { 'idempotency-key': 'k-1' } });
    expect(reg.status).toBe(201);
    const initial = (await b.outbox()).find((m) => m.template === 'N-INITPWD' && m.to === body.mobile).data
      .password as string;
    secrets.push(initial);
    await b.call('POST', '/v1/sessions', { body: { loginId: body.username, password: 'Wrong-Guess-77' } });
    secrets.push('Wrong-Guess-77');
    const s = await b.call('POST', '/v1/sessions', { body: { loginId: body.username, password: initial } });
    const token = s.body.token as string;
    secrets.push(token);
    const enrol = await b.call('POST', '/v1/me/mfa/authenticator', { token });
    secrets.push(enrol.body.secret);
    const code = b.totp(enrol.body.secret);
    secrets.push(code);
    await b.call('POST', '/v1/me/mfa/authenticator/verify', { token, body: { code } });
    await b.call('POST', '/v1/me/phone', { token, body: { mobile: body.mobile } });
    const phoneCode = (await b.outbox()).filter((m) => m.template === 'N-PHONE-CODE').pop().data.code as string;
    secrets.push(phoneCode);
    await b.call('POST', '/v1/me/phone/verify', { token, body: { code: phoneCode } });
    await b.call('POST', '/v1/me/password', { token, body: { currentPassword: initial, newPassword: GOOD_PASSWORD } });
    secrets.push(GOOD_PASSWORD);
    await b.advance(60);
    const mfa = await b.call('POST', '/v1/sessions', { body: { loginId: body.username, password: GOOD_PASSWORD } });
    secrets.push(mfa.body.mfaToken);
    await b.call('POST', '/v1/password-resets', { body: { loginId: body.username } });
    const resetCode = (await b.outbox()).filter((m) => m.template === 'N-PWD-RESET-CODE').pop().data.code as string;
    secrets.push(resetCode);
    await b.call('POST', '/v1/password-resets/complete', {
      body: { loginId: body.username, code: resetCode, newPassword: 'Green-Lantern-73-Moon' },
    });
    secrets.push('Green-Lantern-73-Moon');
    await b.admin('POST', `/v1/admin/accounts/${body.username}/send-reset-link`, { ticket: 'SR-1' });
    const link = (await b.outbox()).filter((m) => m.template === 'N-PWD-RESET-LINK').pop().data.token as string;
    secrets.push(link);
    await b.call('GET', `/reset-password/${link}`);
    await b.call('POST', '/v1/password-resets/link', { body: { token: link, newPassword: 'Purple-Harbour-58-Sky' } });
    secrets.push('Purple-Harbour-58-Sky', 'test-admin-key-0123456789');
    await b.call('GET', `/v1/registrations/${i.token}`);
    // The browser page of the invitation email, and tokens in query strings and headers.
    await b.call('GET', `/register/${i.token}`);
    await b.call('GET', `/register/${i.token}?utm=mail`);
    await b.call('GET', `/v1/me?token=${token}&code=${phoneCode}&mfaToken=${mfa.body.mfaToken}`);
    await b.call('GET', '/v1/me', {
      headers: { authorization: `Bearer ${token}`, cookie: `session=${token}`, 'idempotency-key': `k-${token}` },
    });

    const text = b.logs.join('');
    expect(b.logs.length).toBeGreaterThan(20);
    expect(text).toContain('"reqId"');
    expect(text).toContain('/v1/registrations/[REDACTED]');
    expect(text).toContain('/register/[REDACTED]');
    expect(text).toContain('/reset-password/[REDACTED]');
    for (const secret of secrets)
      expect(text.includes(secret), `secret leaked into logs: ${secret.slice(0, 3)}…`).toBe(false);
  });

  it('a password typed into the username field reaches neither the audit trail nor the logs', async () => {
    const typed = 'Summer2024!';
    const r = await b.call('POST', '/v1/sessions', { body: { loginId: typed, password: 'Wrong-Password-1' } });
    expect(r.status).toBe(401);
    const rows = await b.app.techpass.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'sign-in.failure')
      .execute();
    const trail = JSON.stringify(rows).toLowerCase();
    expect(trail).toContain('(not a username)');
    expect(trail.includes(typed.toLowerCase()), 'the typed password is in the audit trail').toBe(false);
    const counters = JSON.stringify(
      await b.app.techpass.ctx.db.selectFrom('signin_failures').selectAll().execute(),
    ).toLowerCase();
    expect(counters.includes(typed.toLowerCase()), 'the typed password is a sign-in counter key').toBe(false);
    expect(b.logs.join('').toLowerCase().includes(typed.toLowerCase()), 'the typed password is in the logs').toBe(
      false,
    );
  });
});
