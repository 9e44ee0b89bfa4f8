/**
 * Attacks on the single-use credentials and counters the other suites do not burst: one registration link, the
 * initial-password resends (self-service and support), support reset links, account state changes racing each other,
 * Idempotency-Key replays sent at once, and bulk invitations racing single ones. Each burst is dozens of parallel
 * requests over real HTTP, on SQLite and PostgreSQL, asserting the exact outcome.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';
import { sha256 } from '../src/crypto';
import { createAdminKey, revokeAdminKey } from '../src/features/admin/keys';
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
  type TestBackend,
  uniq,
} from './harness';

const count = (rs: Res[], status: number) => rs.filter((r) => r.status === status).length;
const statuses = (rs: Res[]) =>
  rs.map((r) => `${r.status}${r.body?.error?.code ? ` ${r.body.error.code}` : ''}`).sort();

describe.each(DIALECTS)('attacks on single-use credentials and counters (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startBackend(dialect, { env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  });
  afterAll(async () => {
    await b?.close();
  });

  const db = () => b.app.techpass.ctx.db;
  const messages = async (template: string, to: string) =>
    (await b.outbox()).filter((m) => m.template === template && m.to === to);
  const signIn = (loginId: string, password: string) => b.call('POST', '/v1/sessions', { body: { loginId, password } });

  it('registration: 30 parallel submissions of one link make one account, one initial-password SMS and one onboarding email', async () => {
    const i = await invite(b, { passwordDelivery: 'sms' });
    const mobile = '+6591230001';
    const burst = await Promise.all(
      Array.from({ length: 30 }, () =>
        b.call('POST', `/v1/registrations/${i.token}`, { body: registrationBody({ mobile }) }),
      ),
    );
    expect(count(burst, 201), statuses(burst).join()).toBe(1);
    expect(burst.every((r) => r.status < 500)).toBe(true);
    const accounts = await db().selectFrom('accounts').select('username').where('email', '=', i.email).execute();
    expect(accounts).toHaveLength(1);
    expect(accounts[0]?.username).toBe(burst.find((r) => r.status === 201)?.body.username);
    expect(await messages('N-INITPWD', mobile)).toHaveLength(1);
    expect(await messages('N-ONBOARD', i.email)).toHaveLength(1);
  });

  it('self-service initial-password resend: 30 at once send exactly one SMS, its password is in force, and sessions of the old one end', async () => {
    const u = await registered(b, { passwordDelivery: 'sms' }, { mobile: '+6591230002' });
    const oldSession = await signInToken(b, u.username, u.password);
    await b.advance(61);
    const burst = await Promise.all(
      Array.from({ length: 30 }, () =>
        b.call('POST', '/v1/initial-password/resend', { body: { loginId: u.username, mobile: u.mobile } }),
      ),
    );
    expect(count(burst, 202) + count(burst, 200), statuses(burst).join()).toBe(1);
    expect(count(burst, 429)).toBe(29);
    const sms = await messages('N-INITPWD', u.mobile);
    expect(sms).toHaveLength(2);
    const fresh = sms[1].data.password as string;
    expect((await signIn(u.username, u.password)).status).toBe(401);
    expect((await signIn(u.username, fresh)).status).toBe(201);
    // Whoever signed in with the replaced password is signed out: the resend is a new password.
    expect((await b.call('GET', '/v1/me', { token: oldSession })).status).toBe(401);
  });

  it('support resend of the initial password: 20 at once send one SMS whose password is the one in force, and never undo the user’s own change', async () => {
    const u = await registered(b, { passwordDelivery: 'sms' }, { mobile: '+6591230003' });
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => b.admin('POST', `/v1/admin/accounts/${u.username}/resend-initial-password`)),
    );
    expect(
      burst.every((r) => r.status < 500),
      statuses(burst).join(),
    ).toBe(true);
    expect(count(burst, 200), statuses(burst).join()).toBe(1);
    expect(count(burst, 429)).toBe(19);
    const sms = await messages('N-INITPWD', u.mobile);
    expect(sms).toHaveLength(2);
    expect((await signIn(u.username, sms[1].data.password as string)).status).toBe(201);

    // The user changes the first password while support resends it: a change that was told "done" stays in force.
    const v = await registered(b, { passwordDelivery: 'sms' }, { mobile: '+6591230004' });
    const token = await signInToken(b, v.username, v.password);
    const chosen = 'Quiet-Harbour-73-Lamp';
    const [change, ...resends] = await Promise.all([
      b.call('POST', '/v1/me/password', { token, body: { currentPassword: v.password, newPassword: chosen } }),
      ...Array.from({ length: 10 }, () => b.admin('POST', `/v1/admin/accounts/${v.username}/resend-initial-password`)),
    ]);
    expect(
      resends.every((r) => [200, 409, 429].includes(r.status)),
      statuses(resends).join(),
    ).toBe(true);
    expect(count(resends, 200)).toBeLessThanOrEqual(1);
    if (change?.status === 200) {
      expect((await signIn(v.username, chosen)).status).toBe(201);
    } else {
      // The resend came first: its SMS password is the one in force.
      const last = (await messages('N-INITPWD', v.mobile)).pop();
      expect((await signIn(v.username, last.data.password as string)).status).toBe(201);
    }
  });

  it('support reset link: 20 sent at once leave exactly one live link', async () => {
    const u = await registered(b);
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        b.admin('POST', `/v1/admin/accounts/${u.username}/send-reset-link`, { ticket: `SR-${k}` }),
      ),
    );
    expect(
      burst.every((r) => r.status < 500),
      statuses(burst).join(),
    ).toBe(true);
    const account = await db()
      .selectFrom('accounts')
      .select('id')
      .where('username', '=', u.username)
      .executeTakeFirstOrThrow();
    const live = await db()
      .selectFrom('codes')
      .select('code_hash')
      .where('account_id', '=', account.id)
      .where('purpose', '=', 'reset-link')
      .where('used_at', 'is', null)
      .execute();
    expect(live).toHaveLength(1);
    // The live one is a link that was mailed, and it works; every other mailed link is refused.
    const links = (await messages('N-PWD-RESET-LINK', u.email)).map((m) => m.data.token as string);
    const working = links.filter((t) => sha256(t) === live[0]?.code_hash);
    expect(working).toHaveLength(1);
    const other = links.find((t) => t !== working[0]) as string;
    expect(
      (
        await b.call('POST', '/v1/password-resets/link', {
          body: { token: other, newPassword: 'Other-Canyon-11-Snow' },
        })
      ).status,
    ).toBeGreaterThanOrEqual(400);
    expect(
      (
        await b.call('POST', '/v1/password-resets/link', {
          body: { token: working[0], newPassword: 'Silver-Canyon-64-Rain' },
        })
      ).status,
    ).toBe(200);
  });

  it('account state: a terminate racing disables and enables is never undone', async () => {
    for (let round = 0; round < 3; round++) {
      const u = await registered(b);
      const actions = ['terminate', ...Array.from({ length: 15 }, (_, k) => (k % 2 ? 'enable' : 'disable'))];
      const rs = await Promise.all(actions.map((a) => b.admin('POST', `/v1/admin/accounts/${u.username}/${a}`)));
      expect(
        rs.every((r) => r.status === 200 || r.status === 409),
        statuses(rs).join(),
      ).toBe(true);
      const a = await db()
        .selectFrom('accounts')
        .select('state')
        .where('username', '=', u.username)
        .executeTakeFirstOrThrow();
      // Told "terminated" → terminated for good; refused (another action came first) → not terminated.
      if (rs[0]?.status === 200) expect(a.state).toBe('TERMINATED');
      else expect(a.state).not.toBe('TERMINATED');
      const told = (action: string) => rs.filter((r, k) => actions[k] === action && r.status === 200).length;
      // Every state change told "done" happened from the state before it: no two disables (or enables) in a row.
      expect(Math.abs(told('disable') - told('enable')), statuses(rs).join()).toBeLessThanOrEqual(1);
    }
  });

  it('invitation withdrawal racing registration: never told "revoked" for an invitation that made an account', async () => {
    for (let round = 0; round < 5; round++) {
      const i = await invite(b);
      const [reg, ...revokes] = await Promise.all([
        b.call('POST', `/v1/registrations/${i.token}`, { body: registrationBody({ password: GOOD_PASSWORD }) }),
        ...Array.from({ length: 5 }, () => b.admin('DELETE', `/v1/admin/invitations/${i.id}`)),
      ]);
      const row = await db()
        .selectFrom('invitations')
        .select('status')
        .where('id', '=', i.id)
        .executeTakeFirstOrThrow();
      if (reg?.status === 201) {
        expect(row.status).toBe('registered');
        expect(count(revokes, 200), statuses(revokes).join()).toBe(0);
      } else {
        expect(row.status).toBe('revoked');
      }
    }
  });

  it('Idempotency-Key: 20 identical requests at once make one invitation; the others replay it or are asked to retry', async () => {
    const body = inviteBody();
    const key = `idem-${uniq()}`;
    const rs = await Promise.all(
      Array.from({ length: 20 }, () =>
        b.call('POST', '/v1/admin/invitations', {
          body,
          token: b.app.techpass.ctx.config.adminApiKey,
          headers: { 'idempotency-key': key },
        }),
      ),
    );
    expect(
      rs.every((r) => r.status === 201 || r.status === 409),
      statuses(rs).join(),
    ).toBe(true);
    const ids = new Set(rs.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(await db().selectFrom('invitations').select('id').where('email', '=', body.email).execute()).toHaveLength(1);
    expect(await messages('N-REG-LINK', body.email)).toHaveLength(1);
    // Same key, other bodies, all at once: no second effect.
    const others = await Promise.all(
      Array.from({ length: 10 }, () =>
        b.call('POST', '/v1/admin/invitations', {
          body: inviteBody(),
          token: b.app.techpass.ctx.config.adminApiKey,
          headers: { 'idempotency-key': key },
        }),
      ),
    );
    expect(
      others.every((r) => r.status === 409),
      statuses(others).join(),
    ).toBe(true);
  });

  it('bulk invitations of overlapping emails racing single invitations: no 5xx, at most one live invitation per email', async () => {
    const emails = Array.from({ length: 5 }, () => `${uniq('bulk')}@vendor.example.com`);
    const rows = emails.map((email) => inviteBody({ email }));
    const rs = await Promise.all([
      ...Array.from({ length: 6 }, () => b.admin('POST', '/v1/admin/invitations/bulk', rows)),
      ...emails.flatMap((email) =>
        Array.from({ length: 4 }, () => b.admin('POST', '/v1/admin/invitations', inviteBody({ email }))),
      ),
    ]);
    expect(
      rs.every((r) => r.status < 500),
      statuses(rs).join(),
    ).toBe(true);
    for (const email of emails) {
      const live = await db()
        .selectFrom('invitations')
        .select('id')
        .where('email', '=', email)
        .where('status', '=', 'sent')
        .execute();
      expect(live.length).toBeLessThanOrEqual(1);
    }
  });

  it('password reset start: 30 at once for one account send one code', async () => {
    const u = await registered(b, {}, { mobile: '+6591230005' });
    const rs = await Promise.all(
      Array.from({ length: 30 }, () => b.call('POST', '/v1/password-resets', { body: { loginId: u.username } })),
    );
    expect(
      rs.every((r) => r.status === 202),
      statuses(rs).join(),
    ).toBe(true);
    expect(
      (await b.outbox()).filter((m) => m.to === u.mobile && m.template !== 'N-INITPWD' && m.channel === 'sms'),
    ).toHaveLength(1);
  });
  it('password change: 30 parallel wrong current passwords on one session judge at most 5, then the account locks like sign-in', async () => {
    const u = await registered(b);
    const token = await signInToken(b, u.username, u.password);
    const account = await db()
      .selectFrom('accounts')
      .select(['id', 'password_hash'])
      .where('username', '=', u.username)
      .executeTakeFirstOrThrow();
    const hasher = b.app.techpass.ctx.hasher;
    const original = hasher.verify.bind(hasher);
    let judged = 0;
    hasher.verify = async (h, p) => {
      if (h === account.password_hash) judged += 1;
      return original(h, p);
    };
    let rs: Res[];
    try {
      rs = await Promise.all(
        Array.from({ length: 30 }, (_, k) =>
          b.call('POST', '/v1/me/password', {
            token,
            body: { currentPassword: `Wrong-Guess-${k}-x`, newPassword: 'Quiet-Harbour-73-Lamp' },
          }),
        ),
      );
    } finally {
      hasher.verify = original;
    }
    expect(judged, statuses(rs).join()).toBe(5);
    expect(rs.filter((r) => r.status === 400 && r.body.error.code === 'INVALID_CREDENTIALS')).toHaveLength(5);
    expect(rs.filter((r) => r.status === 423 && r.body.error.code === 'ACCOUNT_LOCKED')).toHaveLength(25);
    // The right current password is refused now too, and sign-in says locked.
    expect(
      (
        await b.call('POST', '/v1/me/password', {
          token,
          body: { currentPassword: u.password, newPassword: 'Quiet-Harbour-73-Lamp' },
        })
      ).status,
    ).toBe(423);
    expect((await signIn(u.username, u.password)).status).toBe(423);
    expect((await b.admin('GET', `/v1/admin/accounts/${u.username}`)).body.flags).toContain('LOCKED');
  });

  it('password change: a right current password ends a run of wrong ones (as sign-in does)', async () => {
    const u = await registered(b);
    const token = await signInToken(b, u.username, u.password);
    for (let k = 0; k < 4; k++)
      expect(
        (
          await b.call('POST', '/v1/me/password', {
            token,
            body: { currentPassword: `Wrong-${k}-x`, newPassword: 'Quiet-Harbour-73-Lamp' },
          })
        ).status,
      ).toBe(400);
    expect(
      (
        await b.call('POST', '/v1/me/password', {
          token,
          body: { currentPassword: u.password, newPassword: 'Quiet-Harbour-73-Lamp' },
        })
      ).status,
    ).toBe(200);
    const a = await db()
      .selectFrom('accounts')
      .select(['failed_login_count', 'locked'])
      .where('username', '=', u.username)
      .executeTakeFirstOrThrow();
    expect(a).toEqual({ failed_login_count: 0, locked: 0 });
  });

  it('invitation resend: 20 at once leave exactly one working link, and each answer "sent" mailed one', async () => {
    const i = await invite(b);
    const rs = await Promise.all(
      Array.from({ length: 20 }, () => b.admin('POST', `/v1/admin/invitations/${i.id}/resend`)),
    );
    expect(
      rs.every((r) => r.status === 200 || r.status === 409),
      statuses(rs).join(),
    ).toBe(true);
    const links = (await messages('N-REG-LINK', i.email)).map((m) => m.data.token as string);
    expect(links).toHaveLength(1 + count(rs, 200));
    const working: string[] = [];
    for (const t of links) if ((await b.call('GET', `/v1/registrations/${t}`)).status === 200) working.push(t);
    expect(working).toHaveLength(1);
    expect(
      await db()
        .selectFrom('invitations')
        .select('id')
        .where('email', '=', i.email)
        .where('status', '=', 'sent')
        .execute(),
    ).toHaveLength(1);
  });

  it('a sign-in with the old password still in flight when the password changes gets no session that outlives the change', async () => {
    for (const mfa of [false, true]) {
      const u = await registered(b);
      const mine = await signInToken(b, u.username, u.password);
      const secret = mfa ? await enrolAuthenticator(b, mine) : undefined;
      const oldHash = (
        await db()
          .selectFrom('accounts')
          .select('password_hash')
          .where('username', '=', u.username)
          .executeTakeFirstOrThrow()
      ).password_hash;
      const hasher = b.app.techpass.ctx.hasher;
      const original = hasher.verify.bind(hasher);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let blocked = false;
      let entered!: () => void;
      const inVerify = new Promise<void>((r) => (entered = r));
      // The attacker's sign-in has verified the old password and is held there while the holder changes it.
      hasher.verify = async (h, p) => {
        const ok = await original(h, p);
        if (h === oldHash && !blocked) {
          blocked = true;
          entered();
          await held;
        }
        return ok;
      };
      let attacker: Promise<Res>;
      try {
        attacker = signIn(u.username, u.password);
        await inVerify;
        const changed = await b.call('POST', '/v1/me/password', {
          token: mine,
          body: { currentPassword: u.password, newPassword: 'Quiet-Harbour-73-Lamp' },
        });
        expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      } finally {
        release();
        hasher.verify = original;
      }
      const r = await attacker;
      if (r.status === 201)
        expect(
          (await b.call('GET', '/v1/me', { token: r.body.token })).status,
          'session made with the old password',
        ).toBe(401);
      else if (r.status === 200) {
        const m = await b.call('POST', '/v1/sessions/mfa', {
          body: { mfaToken: r.body.mfaToken, code: b.totp(secret as string, 1) },
        });
        expect(m.status, 'MFA token made with the old password').toBe(401);
      } else expect(r.status).toBe(401);
    }
  });

  it('a named key revoked while 30 of its requests are in flight: never a 5xx, refused from the moment the revoke returns, each accepted one audited with its principal', async () => {
    const name = `pm-race-${dialect}`;
    const principal = 'pm.race@tech.gov.sg';
    const { key } = await createAdminKey(db(), b.clock.now(), {
      name,
      role: 'inviter',
      principal,
      createdBy: 'attack test',
    });
    const burst = Array.from({ length: 30 }, () =>
      b.call('POST', '/v1/admin/invitations', { token: key, body: inviteBody({ inviterEmail: undefined }) }),
    );
    await revokeAdminKey(db(), b.clock.now(), name, 'attack test');
    const after = await b.call('POST', '/v1/admin/invitations', {
      token: key,
      body: inviteBody({ inviterEmail: undefined }),
    });
    const rs = await Promise.all(burst);
    expect(
      rs.every((r) => r.status === 201 || r.status === 401),
      statuses(rs).join(),
    ).toBe(true);
    expect(after.status).toBe(401);
    const made = await db()
      .selectFrom('invitations')
      .select(['id', 'inviter_email'])
      .where('inviter_email', '=', principal)
      .execute();
    expect(made).toHaveLength(count(rs, 201));
    const audits = await db()
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('action', '=', 'invitation.create')
      .execute();
    for (const inv of made)
      expect(
        audits.some((a) => a.details.includes(inv.id) && a.actor.includes(name) && a.actor.includes(principal)),
      ).toBe(true);
  });

  it('registration: 20 invitees claiming one username at once: one account, 19 told the username is taken, never a 5xx', async () => {
    const invs = await Promise.all(Array.from({ length: 20 }, () => invite(b)));
    const username = uniq('same');
    const rs = await Promise.all(
      invs.map((i) =>
        b.call('POST', `/v1/registrations/${i.token}`, {
          body: registrationBody({ username, password: GOOD_PASSWORD }),
        }),
      ),
    );
    expect(count(rs, 201), statuses(rs).join()).toBe(1);
    expect(rs.filter((r) => r.status === 409 && r.body.error.code === 'USERNAME_TAKEN')).toHaveLength(19);
    expect(await db().selectFrom('accounts').select('id').where('username', '=', username).execute()).toHaveLength(1);
    // The 19 links are still live: each can register under another name.
    const loser = invs[rs.findIndex((r) => r.status === 409)] as { token: string };
    expect(
      (
        await b.call('POST', `/v1/registrations/${loser.token}`, {
          body: registrationBody({ password: GOOD_PASSWORD }),
        })
      ).status,
    ).toBe(201);
  });

  it('SEED: 20 parallel device registrations on one account register exactly one device (one device per user)', async () => {
    const u = await registered(b, { seedRequested: true });
    const t = await signInToken(b, u.username, u.password);
    await enrolAuthenticator(b, t);
    const rs = await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        b.call('POST', '/v1/me/seed/devices', { token: t, body: { name: `Laptop ${k}`, os: 'Windows 11' } }),
      ),
    );
    expect(count(rs, 201), statuses(rs).join()).toBe(1);
    expect(rs.filter((r) => r.status === 409 && r.body.error.code === 'SEED_ONE_DEVICE')).toHaveLength(19);
    const account = await db()
      .selectFrom('accounts')
      .select('id')
      .where('username', '=', u.username)
      .executeTakeFirstOrThrow();
    expect(
      await db().selectFrom('seed_devices').select('id').where('account_id', '=', account.id).execute(),
    ).toHaveLength(1);
  });

  it('SEED: parallel removals and registrations leave seed_state agreeing with the devices (never PROVISIONED beside a device)', async () => {
    const u = await registered(b, { seedRequested: true });
    const t = await signInToken(b, u.username, u.password);
    await enrolAuthenticator(b, t);
    const account = await db()
      .selectFrom('accounts')
      .select('id')
      .where('username', '=', u.username)
      .executeTakeFirstOrThrow();
    let device = (await b.call('POST', '/v1/me/seed/devices', { token: t, body: { name: 'Laptop', os: 'Windows 11' } }))
      .body.devices[0].id as string;
    for (let round = 0; round < 8; round++) {
      const rs = await Promise.all([
        b.call('DELETE', `/v1/me/seed/devices/${device}`, { token: t }),
        ...Array.from({ length: 6 }, (_, k) =>
          b.call('POST', '/v1/me/seed/devices', { token: t, body: { name: `Laptop ${round}.${k}`, os: 'Windows 11' } }),
        ),
      ]);
      expect(
        rs.every((r) => r.status < 500),
        statuses(rs).join(),
      ).toBe(true);
      const devices = await db().selectFrom('seed_devices').select('id').where('account_id', '=', account.id).execute();
      const { seed_state: state } = await db()
        .selectFrom('accounts')
        .select('seed_state')
        .where('id', '=', account.id)
        .executeTakeFirstOrThrow();
      expect(state, `round ${round}: ${devices.length} device(s)`).toBe(
        devices.length === 0 ? 'PROVISIONED' : 'DEVICE_ONBOARDING',
      );
      if (devices.length === 0)
        device = (await b.call('POST', '/v1/me/seed/devices', { token: t, body: { name: 'Laptop', os: 'Windows 11' } }))
          .body.devices[0].id as string;
      else device = devices[0]!.id;
    }
  });

  it('terms: 20 parallel acceptances of one document record it once (one row, one audit entry), never a 5xx', async () => {
    const u = await registered(b);
    const t = await signInToken(b, u.username, u.password);
    const doc = ((await b.call('GET', '/v1/me/terms', { token: t })).body as { id: string; version: string }[])[0] as {
      id: string;
      version: string;
    };
    const rs = await Promise.all(
      Array.from({ length: 20 }, () =>
        b.call('POST', '/v1/me/terms', { token: t, body: { id: doc.id, version: doc.version } }),
      ),
    );
    expect(count(rs, 200), statuses(rs).join()).toBe(20);
    const account = await db()
      .selectFrom('accounts')
      .select('id')
      .where('username', '=', u.username)
      .executeTakeFirstOrThrow();
    expect(
      await db()
        .selectFrom('terms_acceptances')
        .select('id')
        .where('account_id', '=', account.id)
        .where('doc', '=', doc.id)
        .execute(),
    ).toHaveLength(1);
    expect(
      await db()
        .selectFrom('audit_log')
        .select('id')
        .where('subject', '=', u.username)
        .where('action', '=', 'terms.accept')
        .execute(),
    ).toHaveLength(1);
  });

  it('an MFA token works once, and one issued before a password reset is dead after it', async () => {
    const u = await registered(b, {}, { mobile: '+6591230006' });
    const secret = await enrolAuthenticator(b, await signInToken(b, u.username, u.password));
    const first = await signIn(u.username, u.password);
    expect(first.status).toBe(200);
    const ok = await b.call('POST', '/v1/sessions/mfa', {
      body: { mfaToken: first.body.mfaToken, code: b.totp(secret, 1) },
    });
    expect(ok.status).toBe(201);
    const reuse = await b.call('POST', '/v1/sessions/mfa', {
      body: { mfaToken: first.body.mfaToken, code: b.totp(secret, 2) },
    });
    expect(reuse.status).toBe(401);
    const pending = (await signIn(u.username, u.password)).body.mfaToken as string;
    await b.call('POST', '/v1/password-resets', { body: { loginId: u.username } });
    const code =
      (await messages('N-PWD-RESET-CODE', u.mobile)).pop()?.data.code ??
      (await b.outbox()).filter((m) => m.to === u.mobile).pop().data.code;
    const done = await b.call('POST', '/v1/password-resets/complete', {
      body: { loginId: u.username, code, newPassword: 'Amber-Lantern-55-Reef' },
    });
    expect(done.status).toBe(200);
    expect((await b.call('GET', '/v1/me', { token: ok.body.token })).status).toBe(401);
    const late = await b.call('POST', '/v1/sessions/mfa', { body: { mfaToken: pending, code: b.totp(secret, 3) } });
    expect(late.status).toBe(401);
    expect(await messages('N-PWD-CHANGED', u.email)).toHaveLength(1);
  });
  it('every answer carries the hardening headers, also the router’s own refusals (malformed or too long token addresses)', async () => {
    const i = await invite(b);
    for (const path of [
      `/register/${i.token}%ZZ`,
      `/reset-password/${i.token}%E0%A4%A`,
      `/v1/registrations/${'a'.repeat(5000)}`,
      `/register/${i.token}x`,
      '/reset-password/x',
      '/nope',
    ]) {
      const r = await b.get(path);
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.status, path).toBeLessThan(500);
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(r.headers.get('cache-control'), path).toBe('no-store');
      expect(r.headers.get('referrer-policy'), path).toBe('no-referrer');
      if ((r.headers.get('content-type') ?? '').startsWith('text/html'))
        expect(r.headers.get('content-security-policy') ?? '', path).not.toMatch(/unsafe-inline/);
    }
  });
});

describe('the trace log holds no token, however the address spells it', () => {
  it('case variants, percent-encoded slashes and names, encoded deep links, longer parameter names: all redacted', async () => {
    const b = await startBackend('sqlite', { captureLogs: true });
    try {
      const t = (await invite(b)).token;
      const paths = [
        `/V1/registrations/${t}`,
        `/v1/Registrations/${t}`,
        `/v1/registrations%2F${t}`,
        `/Register/${t}`,
        `/register%2F${t}`,
        `/reset-password%2f${t}`,
        `/x?t%6Fken=${t}`,
        `/x?registrationToken=${t}`,
        `/x?link=techpass-onboarding%3A%2F%2Fregister%3Ftoken%3D${t}`,
        `/x?deeplink=techpass-onboarding://register?token=${t}`,
        `/v1/registrations/${t}?x=1`,
      ];
      for (const p of paths) {
        const before = b.logs.length;
        const r = await b.get(p);
        expect(r.status, p).toBeLessThan(500);
        const lines = b.logs.slice(before);
        expect(lines.length, p).toBeGreaterThan(0);
        expect(
          lines.filter((l) => l.includes(t)),
          p,
        ).toEqual([]);
      }
    } finally {
      await b.close();
    }
  });
});

describe('production delivery switch', () => {
  const base = {
    TECHPASS_DATA_DIR: '/tmp/tp-config-check',
    DATA_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
    ADMIN_API_KEY: 'k'.repeat(40),
  };
  it('a near miss of DELIVERY=store-only stops the start and says the exact spelling (never read as unset)', () => {
    for (const v of [
      'Store-Only',
      'STORE-ONLY',
      'store_only',
      'storeonly',
      ' store-only',
      'store-only ',
      'none',
      '0',
      'false',
    ]) {
      expect(() => loadConfig({ ...base, DELIVERY: v }), v).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, DELIVERY: v }), v).toThrow(
        new RegExp(
          `DELIVERY: must be exactly "store-only"[^\\n]*got ${JSON.stringify(v).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
        ),
      );
    }
    expect(loadConfig({ ...base, DELIVERY: 'store-only' }).storeOnlyChannels).toEqual(['email', 'sms']);
    expect(() => loadConfig({ ...base, DELIVERY: '' })).toThrow(/SMTP_HOST: required in production/);
  });
});
