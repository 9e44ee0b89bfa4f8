import { afterEach, describe, expect, it } from 'vitest';
import {
  DIALECTS,
  enrolAuthenticator,
  registered,
  signInToken,
  signInWithMfa,
  startBackend,
  type TestBackend,
} from './harness';

const DAY = 86400;

describe.each(DIALECTS)('lifecycle deadlines through the test clock (%s)', { timeout: 60_000 }, (dialect) => {
  const open: TestBackend[] = [];
  const start = async () => {
    const b = await startBackend(dialect);
    open.push(b);
    return b;
  };
  afterEach(async () => {
    while (open.length) await open.pop()?.close();
  });
  const jobs = async (b: TestBackend) => (await b.call('POST', '/v1/test/jobs/run')).body;
  const mails = async (b: TestBackend, template: string, to?: string) =>
    (await b.outbox()).filter((m) => m.template === template && (!to || m.to === to));

  it('D2/D3/T3/T9: PENDING gets daily reminders from day 23, is terminated on day 30 even after signing in, deleted 5 days later', async () => {
    const b = await start();
    const u = await registered(b);
    await b.advance(22 * DAY + 3600);
    expect((await jobs(b)).reminders).toEqual([]);
    await b.advance(DAY);
    expect((await jobs(b)).reminders).toEqual([{ username: u.username, template: 'N-REMIND-TERM-PENDING' }]);
    expect((await jobs(b)).reminders).toEqual([]); // once per day
    const reminder = (await mails(b, 'N-REMIND-TERM-PENDING', u.email))[0];
    expect(reminder.body).toContain(`${u.username}@techpass.gov.sg`);
    await signInToken(b, u.username, u.password); // signing in without enrolling does not activate
    await b.advance(DAY);
    expect((await jobs(b)).reminders).toHaveLength(1);
    await b.advance(6 * DAY);
    const r = await jobs(b);
    expect(r.transitions).toEqual([
      { username: u.username, from: 'PENDING', to: 'TERMINATED', reason: expect.any(String) },
    ]);
    expect((await b.admin('GET', `/v1/admin/accounts/${u.username}`)).body.state).toBe('TERMINATED');
    expect(
      (await mails(b, 'N-STATUS'))
        .filter((m) => m.data.status === 'terminated')
        .map((m) => m.to)
        .sort(),
    ).toEqual([u.email, 'pm.lee@tech.gov.sg'].sort());
    const signIn = await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: u.password } });
    expect(signIn.body.error.code).toBe('ACCOUNT_TERMINATED');
    await b.advance(4 * DAY);
    expect((await jobs(b)).deleted).toEqual([]);
    await b.advance(DAY);
    expect((await jobs(b)).deleted).toEqual([u.username]);
    expect((await b.admin('GET', `/v1/admin/accounts/${u.username}`)).status).toBe(404);
    expect((await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: u.password } })).status).toBe(
      401,
    );
  });

  it('D5/D6/T4, D9 grace, D7/D8/T6: idle ACTIVE is warned, disabled (SEED revoked), re-enable grace, terminated at 180 days', async () => {
    const b = await start();
    const u = await registered(b, { seedRequested: true });
    const t = await signInToken(b, u.username, u.password);
    await enrolAuthenticator(b, t);
    await b.advance(61 * DAY - 3600);
    expect((await jobs(b)).reminders).toEqual([]);
    await b.advance(7200); // day 61
    expect((await jobs(b)).reminders).toEqual([{ username: u.username, template: 'N-REMIND-DISABLE' }]);
    await b.advance(28 * DAY);
    expect((await jobs(b)).transitions).toEqual([]);
    await b.advance(DAY);
    const r = await jobs(b);
    expect(r.transitions).toEqual([
      { username: u.username, from: 'ACTIVE', to: 'DISABLED', reason: expect.any(String) },
    ]);
    expect((await b.admin('GET', `/v1/admin/accounts/${u.username}`)).body).toMatchObject({
      state: 'DISABLED',
      seed: { state: 'LICENCE_REVOKED' },
    });
    expect(await mails(b, 'N-SEED-REVOKED', u.email)).toHaveLength(1);
    // T8 re-enable starts the 5-day grace: still 90+ days idle, but not disabled again inside it.
    await b.admin('POST', `/v1/admin/accounts/${u.username}/enable`);
    await b.advance(4 * DAY);
    expect((await jobs(b)).transitions).toEqual([]);
    await b.advance(DAY + 60);
    expect((await jobs(b)).transitions.map((x: { to: string }) => x.to)).toEqual(['DISABLED']);
    await b.advance(79 * DAY); // idle ≈ 174 days
    expect((await jobs(b)).reminders).toEqual([{ username: u.username, template: 'N-REMIND-TERM' }]);
    await b.advance(6 * DAY);
    expect((await jobs(b)).transitions).toEqual([
      { username: u.username, from: 'DISABLED', to: 'TERMINATED', reason: expect.any(String) },
    ]);
  });

  it('any successful sign-in resets the idle clocks; UNDER_INVESTIGATION suspends the automatic transitions', async () => {
    const b = await start();
    const u = await registered(b);
    const secret = await enrolAuthenticator(b, await signInToken(b, u.username, u.password));
    await b.advance(80 * DAY);
    await signInWithMfa(b, u.username, u.password, secret);
    await b.advance(20 * DAY);
    expect((await jobs(b)).transitions).toEqual([]);
    await b.app.techpass.ctx.db
      .updateTable('accounts')
      .set({ under_investigation: 1 })
      .where('username', '=', u.username)
      .execute();
    await b.advance(200 * DAY);
    const r = await jobs(b);
    expect(r.transitions).toEqual([]);
    expect(r.reminders).toEqual([]);
    expect((await b.admin('GET', `/v1/admin/accounts/${u.username}`)).body.state).toBe('ACTIVE');
  });

  it('D10: the SEED email expires after 30 days (on read and in the job); a re-issue restarts the window', async () => {
    const b = await start();
    const u = await registered(b, { seedRequested: true });
    const secret = await enrolAuthenticator(b, await signInToken(b, u.username, u.password)); // ACTIVE, so T3 does not apply
    await b.advance(30 * DAY - 60);
    const t = await signInWithMfa(b, u.username, u.password, secret);
    expect((await b.call('GET', '/v1/me/seed', { token: t })).body.state).toBe('PROVISIONED');
    await b.advance(61);
    const t2 = await signInWithMfa(b, u.username, u.password, secret);
    expect(t).not.toBe(t2);
    expect((await b.call('GET', '/v1/me/seed', { token: t2 })).body.state).toBe('INVITE_EXPIRED');
    expect((await jobs(b)).seedEmailsExpired).toEqual([u.username]);
    const re = await b.admin('POST', `/v1/admin/accounts/${u.username}/resend-seed-email`);
    expect(re.body.seed.state).toBe('PROVISIONED');
    expect(await mails(b, 'N-SEED-INVITE', u.email)).toHaveLength(2);
  });

  it('§4.4: password expiry notice 14 days before 90 days (once), then `password` is a required action', async () => {
    const b = await start();
    const u = await registered(b);
    const secret = await enrolAuthenticator(b, await signInToken(b, u.username, u.password));
    await b.advance(75 * DAY);
    await signInWithMfa(b, u.username, u.password, secret);
    expect((await jobs(b)).passwordExpiryNotices).toEqual([]);
    await b.advance(DAY + 60);
    expect((await jobs(b)).passwordExpiryNotices).toEqual([u.username]);
    await b.advance(DAY);
    expect((await jobs(b)).passwordExpiryNotices).toEqual([]);
    expect(await mails(b, 'N-PWD-EXPIRY', u.email)).toHaveLength(1);
    await b.advance(13 * DAY);
    const t = await signInWithMfa(b, u.username, u.password, secret);
    expect((await b.call('GET', '/v1/me', { token: t })).body.requiredActions).toContain('password');
  });

  it('§4.4: the job selects notice candidates by the shared deadlines (a changed passwordExpiryNoticeBefore moves them)', async () => {
    // The candidates' SQL bound comes from shared/domain/deadlines.ts: with the notice 30 days ahead instead of 14,
    // an account whose password is 61 days old is selected and notified; with the default it is not yet.
    const early = await startBackend(dialect, { deadlines: { passwordExpiryNoticeBefore: 30 * DAY } });
    open.push(early);
    const usual = await start();
    const names: string[] = [];
    for (const b of [early, usual]) {
      const u = await registered(b);
      names.push(u.username);
      await enrolAuthenticator(b, await signInToken(b, u.username, u.password));
      await b.advance(61 * DAY);
    }
    expect((await jobs(early)).passwordExpiryNotices).toEqual([names[0]]);
    expect((await jobs(usual)).passwordExpiryNotices).toEqual([]);
    // The expiry itself moves the bound too: 90 → 70 days makes the default notice due from day 56.
    const shorter = await startBackend(dialect, { deadlines: { passwordExpiry: 70 * DAY } });
    open.push(shorter);
    const u = await registered(shorter);
    await enrolAuthenticator(shorter, await signInToken(shorter, u.username, u.password));
    await shorter.advance(55 * DAY);
    expect((await jobs(shorter)).passwordExpiryNotices).toEqual([]);
    await shorter.advance(DAY + 60);
    expect((await jobs(shorter)).passwordExpiryNotices).toEqual([u.username]);
  });

  it('several replicas on one database never run a job twice', async () => {
    const a = await start();
    const c = await startBackend(dialect, { shareWith: a });
    open.push(c);
    const users = [await registered(a), await registered(a), await registered(a)];
    await a.advance(23 * DAY + 3600);
    c.clock.advance(23 * DAY + 3600);
    const runs = await Promise.all([jobs(a), jobs(c), jobs(a), jobs(c)]);
    const reminders = runs.flatMap((r) => r.reminders);
    expect(reminders.map((r: { username: string }) => r.username).sort()).toEqual(users.map((u) => u.username).sort());
    for (const u of users) expect(await mails(a, 'N-REMIND-TERM-PENDING', u.email)).toHaveLength(1);
  });
});
