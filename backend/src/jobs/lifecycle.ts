import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sgtDateString } from '../../../shared/domain/deadlines';
import type { Ctx } from '../context';
import { addSec, iso } from '../context';
import type { DB } from '../db/schema';
import { enqueue } from '../outbox/outbox-store';
import type { Account } from '../services/accounts';
import { audit } from '../services/audit';
import { evaluateAccount as evaluateRules, lifecycleAccountFromRow } from '../lifecycle/rules';

export interface JobReport {
  ran: boolean;
  at: string;
  invitationsExpired: string[];
  reminders: { username: string; template: string }[];
  transitions: { username: string; from: string; to: string; reason: string }[];
  deleted: string[];
  seedEmailsExpired: string[];
  passwordExpiryNotices: string[];
}

const LOCK = 'lifecycle';
const LEASE_SECONDS = 300;

/**
 * One replica at a time: a lease row in job_locks taken by compare-and-set (works the same on SQLite and
 * PostgreSQL). Every transition is also a conditional update on the state it starts from, so even an overlapping
 * run could not apply one twice, and reminders are keyed per SGT day.
 */
async function takeLease(db: Kysely<DB>, now: Date, owner: string): Promise<boolean> {
  const until = iso(addSec(now, LEASE_SECONDS));
  try {
    await db.insertInto('job_locks').values({ name: LOCK, locked_until: iso(new Date(0)), owner: '' }).execute();
  } catch {
    /* exists */
  }
  const res = await db
    .updateTable('job_locks')
    .set({ locked_until: until, owner })
    .where('name', '=', LOCK)
    .where('locked_until', '<=', iso(now))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

async function releaseLease(db: Kysely<DB>, owner: string): Promise<void> {
  await db.updateTable('job_locks').set({ locked_until: iso(new Date(0)) }).where('name', '=', LOCK).where('owner', '=', owner).execute();
}

type Action =
  | { kind: 'remind'; template: 'N-REMIND-TERM-PENDING' | 'N-REMIND-DISABLE' | 'N-REMIND-TERM'; deadline: Date }
  | { kind: 'transition'; to: 'TERMINATED' | 'DISABLED'; reason: string }
  | { kind: 'delete' }
  | { kind: 'seed-expired' }
  | { kind: 'password-expiry'; expiresAt: Date };

/** Maps the pure rules of lifecycle/rules.ts (T3, T4, T6, T9, D3/D5/D7, D10, password expiry) onto job actions. */
export function evaluateAccount(ctx: Pick<Ctx, 'deadlines'>, a: Account, now: Date): Action[] {
  return evaluateRules(lifecycleAccountFromRow(a), now, ctx.deadlines).map((x): Action => {
    switch (x.type) {
      case 'REMIND':
        return { kind: 'remind', template: x.template, deadline: x.deadline };
      case 'TERMINATE':
        return { kind: 'transition', to: 'TERMINATED', reason: x.reason };
      case 'DISABLE':
        return { kind: 'transition', to: 'DISABLED', reason: x.reason };
      case 'DELETE':
        return { kind: 'delete' };
      case 'SEED_INVITE_EXPIRED':
        return { kind: 'seed-expired' };
      case 'PASSWORD_EXPIRY_NOTICE':
        return { kind: 'password-expiry', expiresAt: x.expiresAt };
    }
  });
}

async function apply(ctx: Ctx, a: Account, action: Action, now: Date, report: JobReport): Promise<void> {
  const nowIso = iso(now);
  await ctx.db.transaction().execute(async (tx) => {
    switch (action.kind) {
      case 'remind': {
        const key = `${action.template}:${sgtDateString(now)}`;
        const res = await tx
          .updateTable('accounts')
          .set({ last_reminder_key: key, last_reminder_at: nowIso })
          .where('id', '=', a.id)
          .where('state', '=', a.state)
          .where((eb) => eb.or([eb('last_reminder_key', 'is', null), eb('last_reminder_key', '!=', key)]))
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) return;
        await enqueue(tx, now, { channel: 'email', to: a.email, template: action.template, data: { loginId: a.login_id, deadline: iso(action.deadline) } });
        report.reminders.push({ username: a.username, template: action.template });
        return;
      }
      case 'transition': {
        const revoke = action.to === 'DISABLED' && ['PROVISIONED', 'INVITE_EXPIRED', 'DEVICE_ONBOARDING', 'ONBOARDED'].includes(a.seed_state);
        const res = await tx
          .updateTable('accounts')
          .set({
            state: action.to,
            status_modified_at: nowIso,
            last_reminder_key: null,
            ...(action.to === 'TERMINATED' ? { terminated_at: nowIso } : {}),
            ...(revoke ? { seed_state: 'LICENCE_REVOKED', seed_revoked_at: nowIso } : {}),
          })
          .where('id', '=', a.id)
          .where('state', '=', a.state)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) return;
        await tx.deleteFrom('sessions').where('account_id', '=', a.id).execute();
        const status = action.to === 'DISABLED' ? 'disabled' : 'terminated';
        const data = { loginId: a.login_id, status, at: nowIso, reason: action.reason, source: 'scheduled-job' };
        await enqueue(tx, now, { channel: 'email', to: a.email, template: 'N-STATUS', data });
        if (a.inviter_email) await enqueue(tx, now, { channel: 'email', to: a.inviter_email, template: 'N-STATUS', data });
        if (revoke) await enqueue(tx, now, { channel: 'email', to: a.email, template: 'N-SEED-REVOKED', data: { loginId: a.login_id, at: nowIso } });
        await audit(tx, now, 'lifecycle-job', `account.${status}`, a.username, { reason: action.reason });
        report.transitions.push({ username: a.username, from: a.state, to: action.to, reason: action.reason });
        return;
      }
      case 'delete': {
        const res = await tx.deleteFrom('accounts').where('id', '=', a.id).where('state', '=', 'TERMINATED').executeTakeFirst();
        if (Number(res.numDeletedRows) !== 1) return;
        for (const table of ['sessions', 'codes', 'terms_acceptances', 'seed_devices'] as const) {
          await tx.deleteFrom(table).where('account_id', '=', a.id).execute();
        }
        await enqueue(tx, now, { channel: 'email', to: a.email, template: 'N-STATUS', data: { loginId: a.login_id, status: 'deleted', at: nowIso, source: 'scheduled-job' } });
        await audit(tx, now, 'lifecycle-job', 'account.delete', a.username, {});
        report.deleted.push(a.username);
        return;
      }
      case 'seed-expired': {
        const res = await tx.updateTable('accounts').set({ seed_state: 'INVITE_EXPIRED' }).where('id', '=', a.id).where('seed_state', '=', 'PROVISIONED').executeTakeFirst();
        if (Number(res.numUpdatedRows) === 1) report.seedEmailsExpired.push(a.username);
        return;
      }
      case 'password-expiry': {
        const res = await tx
          .updateTable('accounts')
          .set({ pwd_expiry_notice_for: a.password_changed_at })
          .where('id', '=', a.id)
          .where('password_changed_at', '=', a.password_changed_at)
          .where((eb) => eb.or([eb('pwd_expiry_notice_for', 'is', null), eb('pwd_expiry_notice_for', '!=', a.password_changed_at)]))
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) return;
        await enqueue(tx, now, { channel: 'email', to: a.email, template: 'N-PWD-EXPIRY', data: { loginId: a.login_id, expiresAt: iso(action.expiresAt) } });
        report.passwordExpiryNotices.push(a.username);
        return;
      }
    }
  });
}

/** Runs every lifecycle job due now; returns what it did (or ran: false when another replica holds the lease). */
export async function runLifecycleJobs(ctx: Ctx): Promise<JobReport> {
  const now = ctx.clock.now();
  const report: JobReport = { ran: false, at: iso(now), invitationsExpired: [], reminders: [], transitions: [], deleted: [], seedEmailsExpired: [], passwordExpiryNotices: [] };
  const owner = randomUUID();
  if (!(await takeLease(ctx.db, now, owner))) return report;
  report.ran = true;
  try {
    // D1: invitations past 5 days → EXPIRED, inviter told (N-REG-RESULT).
    const due = await ctx.db.selectFrom('invitations').selectAll().where('status', '=', 'sent').where('expires_at', '<=', iso(now)).execute();
    for (const inv of due) {
      await ctx.db.transaction().execute(async (tx) => {
        const res = await tx.updateTable('invitations').set({ status: 'expired', result_notified: 1 }).where('id', '=', inv.id).where('status', '=', 'sent').executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) return;
        await enqueue(tx, now, { channel: 'email', to: inv.inviter_email, template: 'N-REG-RESULT', data: { outcome: 'expired', inviteeEmail: inv.email, at: inv.expires_at } });
        report.invitationsExpired.push(inv.id);
      });
    }
    const accounts = await ctx.db.selectFrom('accounts').selectAll().where('state', '!=', 'DELETED').execute();
    for (const a of accounts) {
      for (const action of evaluateAccount(ctx, a, now)) await apply(ctx, a, action, now, report);
    }
    // Housekeeping: expired sessions, old codes, idempotency records past 24 h, unknown-username failure counters
    // untouched for 30 days.
    const nowIso = iso(now);
    await ctx.db.deleteFrom('sessions').where('expires_at', '<=', nowIso).execute();
    await ctx.db.deleteFrom('codes').where('expires_at', '<=', iso(addSec(now, -7 * 86400))).execute();
    await ctx.db.deleteFrom('idempotency_keys').where('created_at', '<=', iso(addSec(now, -24 * 3600))).execute();
    await ctx.db.deleteFrom('signin_failures').where('updated_at', '<=', iso(addSec(now, -30 * 86400))).execute();
  } finally {
    await releaseLease(ctx.db, owner);
  }
  return report;
}
