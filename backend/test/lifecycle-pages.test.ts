/**
 * The lifecycle job applies its due work a page at a time, set-based. What must hold whatever the page size: every
 * due account is acted on exactly once (ties on the due timestamp straddling a page boundary included), a re-run
 * finds nothing left to do (no second email, audit row or transition), and the outcome is the one evaluating every
 * account would give. And a status change sends the same emails with the same data whichever path made it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { seed } from '../bench/seed';
import { runLifecycleJobs, type JobReport } from '../src/jobs/lifecycle';
import { evaluateAccount, lifecycleAccountFromRow } from '../src/lifecycle/rules';
import { DIALECTS, enrolAuthenticator, registered, signInToken, startBackend, type TestBackend } from './harness';

const DAY = 86_400;

describe.each(DIALECTS)('lifecycle job pages (%s)', { timeout: 180_000 }, (dialect) => {
  const open: TestBackend[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()?.close();
  });
  const start = async () => {
    const b = await startBackend(dialect);
    open.push(b);
    return b;
  };
  const counts = async (b: TestBackend) => {
    const { db } = b.app.techpass.ctx;
    const outbox = await db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const audit = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('actor', '=', 'lifecycle-job')
      .executeTakeFirstOrThrow();
    return { outbox: Number(outbox.n), audit: Number(audit.n) };
  };
  const nothingDone = (r: JobReport) => {
    expect(r.ran).toBe(true);
    expect(
      [r.reminders, r.transitions, r.deleted, r.seedEmailsExpired, r.passwordExpiryNotices, r.invitationsExpired].map(
        (x) => x.length,
      ),
    ).toEqual([0, 0, 0, 0, 0, 0]);
  };

  it('accounts sharing one due timestamp across page boundaries are each acted on once; a re-run does nothing', async () => {
    const b = await start();
    // The test clock stands still: these five accounts are created at the same instant (ties on the due key).
    const users = [];
    for (let i = 0; i < 5; i++) users.push(await registered(b));
    const names = users.map((u) => u.username).sort();
    const { ctx } = b.app.techpass;
    await b.advance(23 * DAY + 3600);
    const before = await counts(b);
    const r = await runLifecycleJobs(ctx, { pageSize: 2 });
    expect(r.reminders.map((x) => x.username).sort()).toEqual(names);
    expect((await counts(b)).outbox - before.outbox).toBe(5);
    const afterReminders = await counts(b);
    nothingDone(await runLifecycleJobs(ctx, { pageSize: 2 }));
    expect(await counts(b)).toEqual(afterReminders);

    // Day 30: T3 for all five, in pages of two: N-STATUS to each holder and each requestor, one audit row each.
    await b.advance(7 * DAY);
    const t = await runLifecycleJobs(ctx, { pageSize: 2 });
    expect(t.transitions.map((x) => x.username).sort()).toEqual(names);
    expect(t.transitions.every((x) => x.from === 'PENDING' && x.to === 'TERMINATED')).toBe(true);
    const afterTerminations = await counts(b);
    expect(afterTerminations.outbox - afterReminders.outbox).toBe(10);
    expect(afterTerminations.audit - afterReminders.audit).toBe(5);
    nothingDone(await runLifecycleJobs(ctx, { pageSize: 2 }));
    expect(await counts(b)).toEqual(afterTerminations);

    // Five days later, T9 in pages of one: each deleted once, its rows gone.
    await b.advance(5 * DAY);
    const d = await runLifecycleJobs(ctx, { pageSize: 1 });
    expect([...d.deleted].sort()).toEqual(names);
    const left = await ctx.db.selectFrom('accounts').select('id').where('username', 'in', names).execute();
    expect(left).toEqual([]);
    nothingDone(await runLifecycleJobs(ctx, { pageSize: 1 }));
  });

  it('small pages over a seeded database do what evaluating every account does, and a re-run does nothing', async () => {
    const b = await start();
    await seed({
      accounts: 700,
      dataDir: b.dataDir,
      databaseUrl: dialect === 'postgres' ? b.databaseUrl : undefined,
      log: () => undefined,
    });
    const { ctx } = b.app.techpass;
    for (const [advance, pageSize] of [
      [0, 7],
      [9 * DAY, 13],
    ] as const) {
      if (advance) await b.advance(advance);
      const now = b.clock.now();
      const all = await ctx.db.selectFrom('accounts').selectAll().where('state', '!=', 'DELETED').execute();
      const expected = all
        .filter((a) => evaluateAccount(lifecycleAccountFromRow(a), now, ctx.deadlines).length > 0)
        .map((a) => a.username);
      const dueInvitations = await ctx.db
        .selectFrom('invitations')
        .select('id')
        .where('status', '=', 'sent')
        .where('expires_at', '<=', now.toISOString())
        .execute();
      const r = await runLifecycleJobs(ctx, { pageSize });
      const acted = [
        ...r.reminders.map((x) => x.username),
        ...r.transitions.map((x) => x.username),
        ...r.deleted,
        ...r.seedEmailsExpired,
        ...r.passwordExpiryNotices,
      ];
      expect([...new Set(acted)].sort(), `after +${advance / DAY} days`).toEqual([...new Set(expected)].sort());
      // No account is reported twice for one kind of action.
      for (const list of [
        r.reminders.map((x) => x.username),
        r.transitions.map((x) => x.username),
        r.deleted,
        r.seedEmailsExpired,
        r.passwordExpiryNotices,
      ]) {
        expect(new Set(list).size).toBe(list.length);
      }
      expect([...r.invitationsExpired].sort()).toEqual(dueInvitations.map((i) => i.id).sort());
      if (advance === 0) expect(expected.length).toBeGreaterThan(50);
      const after = await counts(b);
      nothingDone(await runLifecycleJobs(ctx, { pageSize }));
      expect(await counts(b)).toEqual(after);
    }
  });

  it('a disable by the job and by an administrator send the same emails with the same data', async () => {
    const b = await start();
    const byAdmin = await registered(b, { seedRequested: true });
    const byJob = await registered(b, { seedRequested: true });
    for (const u of [byAdmin, byJob]) await enrolAuthenticator(b, await signInToken(b, u.username, u.password));
    expect((await b.admin('POST', `/v1/admin/accounts/${byAdmin.username}/disable`)).status).toBe(200);
    await b.advance(90 * DAY + 60);
    const r = await runLifecycleJobs(b.app.techpass.ctx);
    expect(r.transitions).toEqual([
      { username: byJob.username, from: 'ACTIVE', to: 'DISABLED', reason: expect.any(String) },
    ]);

    const outbox = (await b.outbox()) as { template: string; to: string; data: Record<string, unknown> }[];
    // Every email about one account carries its login id; the requestor's copy goes to the inviter.
    const sent = (u: { username: string }) =>
      outbox.filter(
        (m) =>
          ['N-STATUS', 'N-SEED-REVOKED'].includes(m.template) &&
          m.data.status !== 'enabled' &&
          m.data.loginId === `${u.username}@techpass.gov.sg`,
      );
    const shape = (u: { email: string; username: string }) =>
      sent(u)
        .map((m) => ({
          template: m.template,
          to: m.to === u.email ? 'holder' : m.to,
          keys: Object.keys(m.data).sort(),
        }))
        .sort((x, y) => `${x.template}${x.to}`.localeCompare(`${y.template}${y.to}`));
    const expected = [
      { template: 'N-SEED-REVOKED', to: 'holder', keys: ['at', 'loginId'] },
      { template: 'N-STATUS', to: 'holder', keys: ['at', 'loginId', 'reason', 'source', 'status'] },
      { template: 'N-STATUS', to: 'pm.lee@tech.gov.sg', keys: ['at', 'loginId', 'reason', 'source', 'status'] },
    ];
    expect(shape(byAdmin)).toEqual(expected);
    expect(shape(byJob)).toEqual(expected);
    const source = (u: { username: string }) => sent(u).find((m) => m.template === 'N-STATUS')?.data.source;
    expect([source(byAdmin), source(byJob)]).toEqual(['admin', 'scheduled-job']);
    // And the same row values: SEED revoked, signed out.
    for (const u of [byAdmin, byJob]) {
      const row = await b.app.techpass.ctx.db
        .selectFrom('accounts')
        .selectAll()
        .where('username', '=', u.username)
        .executeTakeFirstOrThrow();
      expect({
        state: row.state,
        seed: row.seed_state,
        revokedAt: row.seed_revoked_at !== null,
        reminderKey: row.last_reminder_key,
      }).toEqual({ state: 'DISABLED', seed: 'LICENCE_REVOKED', revokedAt: true, reminderKey: null });
      expect(
        await b.app.techpass.ctx.db
          .selectFrom('sessions')
          .select('token_hash')
          .where('account_id', '=', row.id)
          .execute(),
      ).toEqual([]);
    }
  });
});
