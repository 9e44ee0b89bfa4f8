/**
 * Security invariants under attack: bursts of parallel requests at one account, code, token or email, on SQLite and
 * PostgreSQL, each asserting the exact outcome (backend/README.md "Security invariants").
 */
import { randomBytes } from 'node:crypto';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../src/crypto';
import { reservationCap } from '../src/http/rate-limit-store';
import { isSealed } from '../src/security/data-keys';
import {
  DIALECTS,
  enrolAuthenticator,
  GOOD_PASSWORD,
  invite,
  inviteBody,
  registered,
  registrationBody,
  signInToken,
  startBackend,
  type Res,
  TEST_DATA_ENCRYPTION_KEYS,
  type TestBackend,
  verifyPhoneFlow,
} from './harness';

const count = (rs: Res[], status: number, code?: string) =>
  rs.filter((r) => r.status === status && (code === undefined || r.body?.error?.code === code)).length;
const statuses = (rs: Res[]) =>
  rs.map((r) => `${r.status}${r.body?.error?.code ? ` ${r.body.error.code}` : ''}`).sort();

describe.each(DIALECTS)('security invariants under concurrency (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    // The per-address limit has its own test below; these bursts all come from 127.0.0.1.
    b = await startBackend(dialect, { env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  });
  afterAll(async () => {
    await b?.close();
  });

  const db = () => b.app.techpass.ctx.db;
  const account = (username: string) =>
    db().selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
  const signInCall = (loginId: string, password: string) =>
    b.call('POST', '/v1/sessions', { body: { loginId, password } });
  const lastData = async (template: string, to: string) =>
    (await b.outbox()).filter((m) => m.template === template && m.to === to).pop()?.data;

  /** Counts argon2 verifications against this account's own hash (the guesses actually judged). */
  function countJudged(hash: string): { judged: () => number; restore: () => void } {
    const hasher = b.app.techpass.ctx.hasher;
    const original = hasher.verify.bind(hasher);
    let judged = 0;
    hasher.verify = async (h, p) => {
      if (h === hash) judged += 1;
      return original(h, p);
    };
    return { judged: () => judged, restore: () => (hasher.verify = original) };
  }

  it('lockout: of 40 parallel wrong passwords exactly 5 are judged; the right password sent inside the burst does not sign in', async () => {
    const u = await registered(b);
    const spy = countJudged((await account(u.username)).password_hash);
    try {
      const burst = Array.from({ length: 40 }, (_, k) => signInCall(u.username, `Wrong-Guess-${k}-x`));
      // The right password once the first five slots are taken, while the burst is still in flight.
      for (let i = 0; i < 200 && (await account(u.username)).failed_login_count < 5; i++)
        await new Promise((r) => setTimeout(r, 2));
      const right = signInCall(u.username, u.password);
      const wrong = await Promise.all(burst);
      const rightRes = await right;
      expect(count(wrong, 401, 'INVALID_CREDENTIALS'), statuses(wrong).join()).toBe(5);
      expect(count(wrong, 423, 'ACCOUNT_LOCKED')).toBe(35);
      expect(rightRes.status).toBe(423);
      expect(spy.judged()).toBe(5);
    } finally {
      spy.restore();
    }
    expect((await b.admin('GET', `/v1/admin/accounts/${u.username}`)).body.flags).toContain('LOCKED');
  });

  it('lockout: 40 wrong and 1 right all at once judge at most 5 guesses in total', async () => {
    const u = await registered(b);
    const spy = countJudged((await account(u.username)).password_hash);
    const rightAt = 17;
    let results: Res[];
    try {
      results = await Promise.all(
        Array.from({ length: 41 }, (_, k) => signInCall(u.username, k === rightAt ? u.password : `Wrong-Guess-${k}-y`)),
      );
    } finally {
      spy.restore();
    }
    const wrong = results.filter((_, k) => k !== rightAt);
    const right = results[rightAt] as Res;
    expect(spy.judged()).toBeLessThanOrEqual(5);
    expect(count(wrong, 401) + (right.status === 201 ? 1 : 0)).toBeLessThanOrEqual(5);
    expect(count(wrong, 401) + count(wrong, 423)).toBe(40);
    // Either the right one was judged within the first five slots (and signed in) or it was refused unjudged.
    expect([201, 423]).toContain(right.status);
  });

  it('lockout: 40 parallel guesses at an unknown username give exactly 5 × 401 then 423, like a real account', async () => {
    const ghost = `ghost${Date.now()}`;
    const results = await Promise.all(Array.from({ length: 40 }, (_, k) => signInCall(ghost, `Wrong-Guess-${k}-z`)));
    expect(count(results, 401, 'INVALID_CREDENTIALS')).toBe(5);
    expect(count(results, 423, 'ACCOUNT_LOCKED')).toBe(35);
  });

  async function mfaAccount() {
    const u = await registered(b);
    const t = await signInToken(b, u.username, u.password);
    const secret = await enrolAuthenticator(b, t);
    await b.advance(30);
    const mfaToken = async () => {
      const r = await signInCall(u.username, u.password);
      expect(r.status).toBe(200);
      return r.body.mfaToken as string;
    };
    return { ...u, secret, mfaToken };
  }
  const wrongCode = (secret: string, k: number) => {
    const right = b.totp(secret);
    const c = String((Number(right) + 1 + k) % 1_000_000).padStart(6, '0');
    return c === right ? '999999' : c;
  };

  it('TOTP: one valid code submitted in parallel on 30 separate sign-ins gives exactly one session', async () => {
    const u = await mfaAccount();
    const tokens: string[] = [];
    for (let k = 0; k < 30; k++) tokens.push(await u.mfaToken());
    const code = b.totp(u.secret);
    const results = await Promise.all(
      tokens.map((mfaToken) => b.call('POST', '/v1/sessions/mfa', { body: { mfaToken, code } })),
    );
    expect(count(results, 201), statuses(results).join()).toBe(1);
    expect(count(results, 400, 'CODE_REUSED')).toBe(29);
    const sessions = await db()
      .selectFrom('sessions')
      .select('token_hash')
      .where('account_id', '=', (await account(u.username)).id)
      .where('kind', '=', 'session')
      .execute();
    expect(sessions.map((s) => s.token_hash)).toContain(sha256(results.find((r) => r.status === 201)?.body.token));
    expect((await account(u.username)).mfa_failed_count).toBe(0);
  });

  it('TOTP enrolment: one code submitted 20 times at once enrols once', async () => {
    const u = await registered(b);
    const t = await signInToken(b, u.username, u.password);
    const { secret } = (await b.call('POST', '/v1/me/mfa/authenticator', { token: t })).body;
    const code = b.totp(secret);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => b.call('POST', '/v1/me/mfa/authenticator/verify', { token: t, body: { code } })),
    );
    expect(count(results, 200), statuses(results).join()).toBe(1);
    expect(count(results, 409, 'CONFLICT') + count(results, 400, 'CODE_REUSED')).toBe(19);
    expect((await account(u.username)).mfa_registered).toBe(1);
  });

  it('TOTP: 30 parallel wrong codes on one MFA token: exactly 5 judged, then the token is spent', async () => {
    const u = await mfaAccount();
    const mfaToken = await u.mfaToken();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, k) =>
        b.call('POST', '/v1/sessions/mfa', { body: { mfaToken, code: wrongCode(u.secret, k) } }),
      ),
    );
    expect(count(results, 400, 'CODE_INVALID'), statuses(results).join()).toBe(4);
    expect(count(results, 429, 'TOO_MANY_ATTEMPTS') + count(results, 401, 'SESSION_EXPIRED')).toBe(26);
    expect((await account(u.username)).mfa_failed_count).toBe(5);
    const after = await b.call('POST', '/v1/sessions/mfa', { body: { mfaToken, code: b.totp(u.secret) } });
    expect(after.status).toBe(401);
  });

  it('TOTP: wrong codes count per account across MFA tokens: 10 judged, then the account locks; a password reset unlocks it', async () => {
    const u = await mfaAccount();
    const tokens: string[] = [];
    for (let k = 0; k < 4; k++) tokens.push(await u.mfaToken());
    // 4 wrong codes on each of 4 tokens: below the per-token limit, above the account's.
    const results = await Promise.all(
      tokens.flatMap((mfaToken, t) =>
        Array.from({ length: 4 }, (_, k) =>
          b.call('POST', '/v1/sessions/mfa', { body: { mfaToken, code: wrongCode(u.secret, t * 4 + k) } }),
        ),
      ),
    );
    expect(count(results, 400, 'CODE_INVALID'), statuses(results).join()).toBe(9);
    expect(count(results, 423, 'ACCOUNT_LOCKED')).toBe(7);
    const a = await account(u.username);
    expect([a.locked, a.mfa_failed_count]).toEqual([1, 10]);
    // Locked means locked: neither the right password nor the right code on a token still open gets in.
    expect((await signInCall(u.username, u.password)).status).toBe(423);
    const open = await Promise.all(
      tokens.map((mfaToken) => b.call('POST', '/v1/sessions/mfa', { body: { mfaToken, code: b.totp(u.secret) } })),
    );
    expect(open.every((r) => r.status === 423 || r.status === 401)).toBe(true);
    expect(count(open, 201)).toBe(0);
    // The password reset clears this lock like the password lock.
    await b.call('POST', '/v1/password-resets', { body: { loginId: u.username } });
    const { code } = await lastData('N-PWD-RESET-CODE', u.mobile);
    expect(
      (
        await b.call('POST', '/v1/password-resets/complete', {
          body: { loginId: u.username, code, newPassword: 'Fresh-Meadow-88-Lake' },
        })
      ).status,
    ).toBe(200);
    expect((await account(u.username)).mfa_failed_count).toBe(0);
    await b.advance(30);
    const r = await signInCall(u.username, 'Fresh-Meadow-88-Lake');
    expect(r.status).toBe(200);
    expect(
      (await b.call('POST', '/v1/sessions/mfa', { body: { mfaToken: r.body.mfaToken, code: b.totp(u.secret) } }))
        .status,
    ).toBe(201);
  });

  it('password reset: of 20 parallel completions with the right code exactly one is told "reset", and its password is in force', async () => {
    const u = await registered(b);
    await b.call('POST', '/v1/password-resets', { body: { loginId: u.username } });
    const { code } = await lastData('N-PWD-RESET-CODE', u.mobile);
    const passwords = Array.from({ length: 20 }, (_, k) => `Fresh-Meadow-${10 + k}-Lake`);
    const results = await Promise.all(
      passwords.map((newPassword) =>
        b.call('POST', '/v1/password-resets/complete', { body: { loginId: u.username, code, newPassword } }),
      ),
    );
    expect(count(results, 200), statuses(results).join()).toBe(1);
    expect(count(results, 400, 'CODE_REUSED')).toBe(19);
    const winner = results.findIndex((r) => r.status === 200);
    const hash = (await account(u.username)).password_hash;
    const inForce = [];
    for (const [k, p] of passwords.entries()) if (await b.app.techpass.ctx.hasher.verify(hash, p)) inForce.push(k);
    expect(inForce).toEqual([winner]);
    expect((await signInCall(u.username, passwords[winner] as string)).status).toBe(201);
  });

  it('password reset: 20 parallel wrong codes judge exactly 3; the right code afterwards is refused', async () => {
    const u = await registered(b);
    await b.call('POST', '/v1/password-resets', { body: { loginId: u.username } });
    const { code } = await lastData('N-PWD-RESET-CODE', u.mobile);
    const wrong = (k: number) => String((Number(code) + 1 + k) % 1_000_000).padStart(6, '0');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        b.call('POST', '/v1/password-resets/complete', {
          body: { loginId: u.username, code: wrong(k), newPassword: 'Fresh-Meadow-77-Lake' },
        }),
      ),
    );
    expect(count(results, 400, 'CODE_INVALID'), statuses(results).join()).toBe(3);
    expect(count(results, 429, 'TOO_MANY_ATTEMPTS')).toBe(17);
    const late = await b.call('POST', '/v1/password-resets/complete', {
      body: { loginId: u.username, code, newPassword: 'Fresh-Meadow-77-Lake' },
    });
    expect(late.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect((await signInCall(u.username, u.password)).status).toBe(201);
  });

  it('support reset link: of 20 parallel completions exactly one succeeds and its password is in force', async () => {
    const u = await registered(b);
    expect(
      (await b.admin('POST', `/v1/admin/accounts/${u.username}/send-reset-link`, { ticket: 'SR-77' })).status,
    ).toBe(200);
    const { token } = await lastData('N-PWD-RESET-LINK', u.email);
    const passwords = Array.from({ length: 20 }, (_, k) => `Silver-Canyon-${30 + k}-Rain`);
    const results = await Promise.all(
      passwords.map((newPassword) => b.call('POST', '/v1/password-resets/link', { body: { token, newPassword } })),
    );
    expect(count(results, 200), statuses(results).join()).toBe(1);
    expect(count(results, 400, 'CODE_REUSED')).toBe(19);
    const winner = results.findIndex((r) => r.status === 200);
    const hash = (await account(u.username)).password_hash;
    for (const [k, p] of passwords.entries())
      expect(await b.app.techpass.ctx.hasher.verify(hash, p), p).toBe(k === winner);
  });

  it('phone verification: 20 parallel wrong codes judge exactly 3; 20 parallel right codes verify exactly once', async () => {
    const u = await registered(b);
    const t = await signInToken(b, u.username, u.password);
    expect((await b.call('POST', '/v1/me/phone', { token: t, body: { mobile: '+6581110001' } })).status).toBe(202);
    const first = (await lastData('N-PHONE-CODE', '+6581110001')).code as string;
    const wrong = (k: number) => String((Number(first) + 1 + k) % 1_000_000).padStart(6, '0');
    const bad = await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        b.call('POST', '/v1/me/phone/verify', { token: t, body: { code: wrong(k) } }),
      ),
    );
    expect(count(bad, 400, 'CODE_INVALID'), statuses(bad).join()).toBe(3);
    expect(count(bad, 429, 'TOO_MANY_ATTEMPTS')).toBe(17);
    await b.advance(61);
    expect((await b.call('POST', '/v1/me/phone', { token: t, body: { mobile: '+6581110001' } })).status).toBe(202);
    const code = (await lastData('N-PHONE-CODE', '+6581110001')).code as string;
    const good = await Promise.all(
      Array.from({ length: 20 }, () => b.call('POST', '/v1/me/phone/verify', { token: t, body: { code } })),
    );
    expect(count(good, 200), statuses(good).join()).toBe(1);
    expect(count(good, 400, 'CODE_REUSED')).toBe(19);
    expect((await account(u.username)).phone_verified).toBe(1);
  });

  it('onboarding: 20 parallel requests that complete it record account.onboarding-complete exactly once', async () => {
    const u = await registered(b);
    const token = await signInToken(b, u.username, u.password);
    await enrolAuthenticator(b, token);
    expect((await verifyPhoneFlow(b, token, u.mobile)).status).toBe(200);
    const docs = (await b.call('GET', '/v1/me/terms', { token })).body as {
      id: string;
      version: string;
      required: boolean;
    }[];
    const required = docs.filter((d) => d.required);
    const last = required.pop()!;
    for (const d of required) await b.call('POST', '/v1/me/terms', { token, body: { id: d.id, version: d.version } });
    const rs = await Promise.all([
      ...Array.from({ length: 10 }, () =>
        b.call('POST', '/v1/me/terms', { token, body: { id: last.id, version: last.version } }),
      ),
      ...Array.from({ length: 10 }, () => b.call('GET', '/v1/me', { token })),
    ]);
    expect(
      rs.every((r) => r.status === 200 || r.status === 201),
      statuses(rs).join(),
    ).toBe(true);
    expect((await b.call('GET', '/v1/me', { token })).body.onboardingComplete).toBe(true);
    const records = await db()
      .selectFrom('audit_log')
      .select('seq')
      .where('subject', '=', u.username)
      .where('action', '=', 'account.onboarding-complete')
      .execute();
    expect(records).toHaveLength(1);
  });

  it('invitations: 30 concurrent invitations to one email leave exactly one live link; every superseded link is refused', async () => {
    const base = inviteBody();
    const email = String(base.email);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, k) =>
        b.admin('POST', '/v1/admin/invitations', { ...base, email: k % 3 === 0 ? email.toUpperCase() : email }),
      ),
    );
    expect(count(results, 201), statuses(results).join()).toBe(30);
    const live = await db()
      .selectFrom('invitations')
      .select('id')
      .where('email', '=', email)
      .where('status', '=', 'sent')
      .execute();
    expect(live).toHaveLength(1);
    const tokens = (await b.outbox())
      .filter((m) => m.template === 'N-REG-LINK' && m.to === email)
      .map((m) => m.data.token as string);
    expect(tokens).toHaveLength(30);
    const reads = await Promise.all(tokens.map((token) => b.call('GET', `/v1/registrations/${token}`)));
    expect(count(reads, 200)).toBe(1);
    expect(count(reads, 410, 'INVITATION_SUPERSEDED')).toBe(29);
    // Registering with every link at once creates one account.
    const regs = await Promise.all(
      tokens.map((token) =>
        b.call('POST', `/v1/registrations/${token}`, { body: registrationBody({ password: GOOD_PASSWORD }) }),
      ),
    );
    expect(count(regs, 201), statuses(regs).join()).toBe(1);
    expect(await db().selectFrom('accounts').select('id').where('email', '=', email).execute()).toHaveLength(1);
  });

  it('accounts: the database refuses a second live account for one email', async () => {
    const u = await registered(b);
    const a = await account(u.username);
    await expect(
      db()
        .insertInto('accounts')
        .values({
          ...a,
          id: `${a.id}-copy`,
          username: `${a.username}x`,
          login_id: `x${a.login_id}`,
          email: a.email.toUpperCase(),
        })
        .execute(),
    ).rejects.toThrow(/unique|duplicate/i);
  });

  it('SMS: 30 parallel sends for one account send exactly one code (the cooldown), to 30 different numbers', async () => {
    const u = await registered(b);
    const t = await signInToken(b, u.username, u.password);
    const numbers = Array.from({ length: 30 }, (_, k) => `+9198123${String(40000 + k)}`);
    const before = (await b.outbox()).filter((m) => m.template === 'N-PHONE-CODE').length;
    const results = await Promise.all(
      numbers.map((mobile) => b.call('POST', '/v1/me/phone', { token: t, body: { mobile } })),
    );
    expect(count(results, 202), statuses(results).join()).toBe(1);
    expect(count(results, 429, 'RATE_LIMITED')).toBe(29);
    expect((await b.outbox()).filter((m) => m.template === 'N-PHONE-CODE').length - before).toBe(1);
    // The password reset says nothing, but sends no more either.
    const resetCodes = async () => (await b.outbox()).filter((m) => m.template === 'N-PWD-RESET-CODE').length;
    const resetsBefore = await resetCodes();
    const quiet = await Promise.all(
      Array.from({ length: 30 }, () => b.call('POST', '/v1/password-resets', { body: { loginId: u.username } })),
    );
    expect(count(quiet, 202)).toBe(30);
    expect((await resetCodes()) - resetsBefore).toBe(1);
  });

  /** Moves the clock to one minute past the next UTC midnight, so the hours a test walks through stay in one day. */
  const toStartOfDay = async () => {
    const now = b.clock.now().getTime();
    await b.advance(Math.ceil((Math.ceil(now / 86_400_000) * 86_400_000 - now) / 1000) + 60);
  };

  it('SMS: one number gets at most 5 codes an hour from 30 accounts sending in parallel, and 10 a day', async () => {
    const mobile = '+6581234999';
    const users: Awaited<ReturnType<typeof registered>>[] = [];
    for (let k = 0; k < 30; k++) users.push(await registered(b));
    await toStartOfDay();
    // Sessions end after 30 idle minutes: each round signs in afresh.
    const send = async (us: typeof users) => {
      const tokens = await Promise.all(us.map((u) => signInToken(b, u.username, u.password)));
      return Promise.all(tokens.map((token) => b.call('POST', '/v1/me/phone', { token, body: { mobile } })));
    };
    const first = await send(users);
    expect(count(first, 202), statuses(first).join()).toBe(5);
    expect(count(first, 429, 'RATE_LIMITED')).toBe(25);
    await b.advance(3600);
    expect(count(await send(users.slice(5)), 202)).toBe(5);
    await b.advance(3600);
    expect(count(await send(users.slice(10)), 202)).toBe(0);
    await b.advance(86_400);
    expect(count(await send(users.slice(10)), 202)).toBe(5);
  });

  it('SMS: one account sends at most 5 codes an hour and 10 a day, whatever the numbers', async () => {
    const u = await registered(b);
    await toStartOfDay();
    let t = await signInToken(b, u.username, u.password);
    const sent: number[] = [];
    for (let k = 0; k < 16; k++) {
      if (k === 6 || k === 12) {
        await b.advance(3600);
        t = await signInToken(b, u.username, u.password);
      }
      sent.push(
        (await b.call('POST', '/v1/me/phone', { token: t, body: { mobile: `+9198124${String(40000 + k)}` } })).status,
      );
      await b.advance(61);
    }
    expect(sent).toEqual([202, 202, 202, 202, 202, 429, 202, 202, 202, 202, 202, 429, 429, 429, 429, 429]);
  });

  it('a password change ends every other session and MFA sign-in (this one stays) and sends the security email', async () => {
    const u = await registered(b);
    const mine = await signInToken(b, u.username, u.password);
    const other = await signInToken(b, u.username, u.password);
    const changed = await b.call('POST', '/v1/me/password', {
      token: mine,
      body: { currentPassword: u.password, newPassword: 'Quiet-Harbour-51-Tide' },
    });
    expect(changed.status).toBe(200);
    expect((await b.call('GET', '/v1/me', { token: mine })).status).toBe(200);
    expect((await b.call('GET', '/v1/me', { token: other })).status).toBe(401);
    const mail = (await b.outbox()).filter((m) => m.template === 'N-PWD-CHANGED' && m.to === u.email);
    expect(mail).toHaveLength(1);
    expect(mail[0].body).toMatch(/Not you\?/);
    // A reset ends all of them, the changer's too.
    await b.call('POST', '/v1/password-resets', { body: { loginId: u.username } });
    const { code } = await lastData('N-PWD-RESET-CODE', u.mobile);
    expect(
      (
        await b.call('POST', '/v1/password-resets/complete', {
          body: { loginId: u.username, code, newPassword: 'Fresh-Meadow-42-Lake' },
        })
      ).status,
    ).toBe(200);
    expect((await b.call('GET', '/v1/me', { token: mine })).status).toBe(401);
    expect((await b.outbox()).filter((m) => m.template === 'N-PWD-CHANGED' && m.to === u.email)).toHaveLength(2);
  });

  it('TOTP secrets are sealed at rest and SMS codes keyed-hashed; a plaintext secret left from before is sealed on start', async () => {
    const u = await registered(b);
    const t = await signInToken(b, u.username, u.password);
    const start = await b.call('POST', '/v1/me/mfa/authenticator', { token: t });
    const pending = (await account(u.username)).totp_pending_secret as string;
    expect(isSealed(pending)).toBe(true);
    expect(pending).not.toContain(start.body.secret);
    expect((await b.call('POST', '/v1/me/mfa/authenticator', { token: t })).body.secret).toBe(start.body.secret);
    expect(
      (await b.call('POST', '/v1/me/mfa/authenticator/verify', { token: t, body: { code: b.totp(start.body.secret) } }))
        .status,
    ).toBe(200);
    const a = await account(u.username);
    expect(isSealed(a.totp_secret as string)).toBe(true);
    expect(a.totp_secret).not.toContain(start.body.secret);
    await b.call('POST', '/v1/me/phone', { token: t, body: { mobile: '+6581110002' } });
    const smsCode = (await lastData('N-PHONE-CODE', '+6581110002')).code as string;
    const row = await db()
      .selectFrom('codes')
      .select('code_hash')
      .where('account_id', '=', a.id)
      .where('purpose', '=', 'phone')
      .executeTakeFirstOrThrow();
    expect(row.code_hash).not.toBe(sha256(smsCode));
    expect(row.code_hash).toMatch(/^[A-Za-z0-9_-]+:[0-9a-f]{64}$/);
    // A row written before sealing (plain base32) still works, and the next start seals it.
    await db().updateTable('accounts').set({ totp_secret: start.body.secret }).where('id', '=', a.id).execute();
    await b.advance(30);
    const r = await signInCall(u.username, u.password);
    expect(
      (
        await b.call('POST', '/v1/sessions/mfa', {
          body: { mfaToken: r.body.mfaToken, code: b.totp(start.body.secret) },
        })
      ).status,
    ).toBe(201);
    const replica = await startBackend(dialect, { shareWith: b });
    try {
      const after = (await account(u.username)).totp_secret as string;
      expect(isSealed(after)).toBe(true);
      expect(after).not.toContain(start.body.secret);
    } finally {
      await replica.close();
    }
  });

  it('the per-address limit is shared by two replicas on one database: never more than RATE_LIMIT_PER_MINUTE answered', async () => {
    const env = { RATE_LIMIT_PER_MINUTE: '120' };
    const one = await startBackend(dialect, { env });
    const two = await startBackend(dialect, { env, shareWith: one });
    try {
      const results = await Promise.all(
        Array.from({ length: 140 }, (_, k) => (k % 2 ? one : two).call('GET', '/v1/terms')),
      );
      // Each replica reserves blocks of the shared budget; what one holds unused when the burst ends counts as
      // spent (at most reservationCap − 1 each), so the limit may bite that much early, never late.
      const answered = count(results, 200);
      expect(answered, statuses(results).slice(0, 3).join()).toBeLessThanOrEqual(120);
      expect(answered).toBeGreaterThanOrEqual(120 - 2 * (reservationCap(120) - 1));
      const limited = results.filter((r) => r.status === 429);
      expect(limited).toHaveLength(140 - answered);
      expect(limited[0]?.body.error.code).toBe('RATE_LIMITED');
      expect(Number(limited[0]?.headers.get('retry-after'))).toBeGreaterThan(0);
      // A new minute opens a new window on both.
      await one.advance(61);
      await two.advance(61);
      expect((await one.call('GET', '/v1/terms')).status).toBe(200);
      expect((await two.call('GET', '/v1/terms')).status).toBe(200);
    } finally {
      await two.close();
      await one.close();
    }
  });

  it('key rotation: a replica started with a new key first reseals every TOTP secret, and sign-in keeps working', async () => {
    const u = await mfaAccount();
    const oldRing = TEST_DATA_ENCRYPTION_KEYS;
    const replica = await startBackend(dialect, {
      shareWith: b,
      env: { DATA_ENCRYPTION_KEYS: `k2:${randomBytes(32).toString('base64')},${oldRing}` },
    });
    try {
      const sealed = (await account(u.username)).totp_secret as string;
      expect(sealed.startsWith('sealed1.k2.')).toBe(true);
      // The replica's test clock starts at real time; the first backend's has moved on by days.
      await replica.advance(Math.ceil((b.clock.now().getTime() - replica.clock.now().getTime()) / 1000) + 60);
      const r = await replica.call('POST', '/v1/sessions', { body: { loginId: u.username, password: u.password } });
      const code = generateSync({ secret: u.secret, epoch: Math.floor(replica.clock.now().getTime() / 1000) });
      expect(
        (await replica.call('POST', '/v1/sessions/mfa', { body: { mfaToken: r.body.mfaToken, code } })).status,
      ).toBe(201);
    } finally {
      await replica.close();
    }
  });

  it('a right password on a disabled account says so every time and never counts towards the lock', async () => {
    const u = await registered(b);
    await b.admin('POST', `/v1/admin/accounts/${u.username}/disable`);
    // One after another (in a burst, guesses beyond the 5 being judged are refused as locked, right or wrong).
    const results: Res[] = [];
    for (let k = 0; k < 8; k++) results.push(await signInCall(u.username, u.password));
    expect(count(results, 403, 'ACCOUNT_DISABLED'), statuses(results).join()).toBe(8);
    expect((await account(u.username)).failed_login_count).toBe(0);
  });

  it('an expired invitation is superseded by a newer one and cannot be resent into a second live link', async () => {
    const first = await invite(b);
    await b.advance(6 * 86400);
    await b.call('POST', '/v1/test/jobs/run');
    const second = await invite(b, { email: first.email });
    const resend = await b.admin('POST', `/v1/admin/invitations/${first.id}/resend`);
    expect(resend.status).toBe(409);
    expect(
      await db()
        .selectFrom('invitations')
        .select('id')
        .where('email', '=', first.email)
        .where('status', '=', 'sent')
        .execute(),
    ).toEqual([{ id: second.id }]);
  });

  it('a new invitation supersedes the live one (and registration with the old link says so)', async () => {
    const first = await invite(b);
    const second = await invite(b, { email: first.email });
    expect((await b.call('GET', `/v1/registrations/${first.token}`)).body.error.code).toBe('INVITATION_SUPERSEDED');
    expect((await b.call('GET', `/v1/registrations/${second.token}`)).status).toBe(200);
  });
});
