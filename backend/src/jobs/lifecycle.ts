import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { SGT_OFFSET_MS, sgtDateString } from '../../../shared/domain/deadlines';
import { holdsSeedLicence } from '../../../shared/domain/seed-provision';
import { supportedLocaleOr } from '../../../shared/domain/locale';
import type { Ctx } from '../context';
import { addSec, iso } from '../context';
import type { DB } from '../db/schema';
import { INVITER_LOCALE, type StatusReason } from '../delivery/templates';
import { enqueue } from '../outbox/outbox-store';
import type { Account } from '../services/accounts';
import { auditMany, systemActor, type AuditEntry } from '../services/audit';
import { observeLifecycleRun } from '../observability/metrics';
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
  | { kind: 'transition'; to: 'TERMINATED' | 'DISABLED'; reason: string; statusReason: StatusReason }
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
        return { kind: 'transition', to: 'TERMINATED', reason: x.reason, statusReason: x.rule === 'T3' ? 'not-activated' : 'inactive-terminate' };
      case 'DISABLE':
        return { kind: 'transition', to: 'DISABLED', reason: x.reason, statusReason: 'inactive-disable' };
      case 'DELETE':
        return { kind: 'delete' };
      case 'SEED_INVITE_EXPIRED':
        return { kind: 'seed-expired' };
      case 'PASSWORD_EXPIRY_NOTICE':
        return { kind: 'password-expiry', expiresAt: x.expiresAt };
    }
  });
}

/** One action inside the caller's transaction; every change is conditional on the state it starts from. */
const JOB_ACTOR = systemActor('lifecycle-job');

async function apply(tx: Kysely<DB>, a: Account, action: Action, now: Date, report: JobReport, audits: AuditEntry[]): Promise<void> {
  const nowIso = iso(now);
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
      await enqueue(tx, now, { channel: 'email', to: a.email, template: action.template, data: { loginId: a.login_id, deadline: iso(action.deadline) }, locale: supportedLocaleOr(a.locale) });
      report.reminders.push({ username: a.username, template: action.template });
      return;
    }
    case 'transition': {
      const revoke = action.to === 'DISABLED' && holdsSeedLicence(a.seed_state);
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
      const data = { loginId: a.login_id, status, at: nowIso, reason: action.statusReason, source: 'scheduled-job' };
      await enqueue(tx, now, { channel: 'email', to: a.email, template: 'N-STATUS', data, locale: supportedLocaleOr(a.locale) });
      if (a.inviter_email) await enqueue(tx, now, { channel: 'email', to: a.inviter_email, template: 'N-STATUS', data, locale: INVITER_LOCALE });
      if (revoke) await enqueue(tx, now, { channel: 'email', to: a.email, template: 'N-SEED-REVOKED', data: { loginId: a.login_id, at: nowIso }, locale: supportedLocaleOr(a.locale) });
      audits.push({ actor: JOB_ACTOR, action: `account.${status}`, subject: a.username, details: { reason: action.reason } });
      report.transitions.push({ username: a.username, from: a.state, to: action.to, reason: action.reason });
      return;
    }
    case 'delete': {
      const res = await tx.deleteFrom('accounts').where('id', '=', a.id).where('state', '=', 'TERMINATED').executeTakeFirst();
      if (Number(res.numDeletedRows) !== 1) return;
      for (const table of ['sessions', 'codes', 'terms_acceptances', 'seed_devices'] as const) {
        await tx.deleteFrom(table).where('account_id', '=', a.id).execute();
      }
      await enqueue(tx, now, { channel: 'email', to: a.email, template: 'N-STATUS', data: { loginId: a.login_id, status: 'deleted', at: nowIso, source: 'scheduled-job' }, locale: supportedLocaleOr(a.locale) });
      audits.push({ actor: JOB_ACTOR, action: 'account.delete', subject: a.username });
      report.deleted.push(a.username);
      return;
    }
    case 'seed-expired': {
      const res = await tx.updateTable('accounts').set({ seed_state: 'INVITE_EXPIRED' }).where('id', '=', a.id).where('seed_state', '=', 'PROVISIONED').executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return;
      audits.push({ actor: JOB_ACTOR, action: 'seed.email-expire', subject: a.username, details: { sentAt: a.seed_invite_sent_at } });
      report.seedEmailsExpired.push(a.username);
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
      await enqueue(tx, now, { channel: 'email', to: a.email, template: 'N-PWD-EXPIRY', data: { loginId: a.login_id, expiresAt: iso(action.expiresAt) }, locale: supportedLocaleOr(a.locale) });
      report.passwordExpiryNotices.push(a.username);
      return;
    }
  }
}

/**
 * How the job stays cheap at any size: it never walks every account. For each deadline family it asks the database
 * for the accounts that may have something due now (a range on an indexed timestamp, below), in keyset pages, and
 * hands each one to the same pure rules (`evaluateAccount`), which decide exactly as before. The candidate set is a
 * superset of the accounts with an action due, so the outcome is identical to evaluating everyone.
 *
 * The work is done in short transactions of at most TX_BUDGET_MS, with a turn of the event loop between them: on
 * SQLite (one connection) requests queue behind an open transaction, and its synchronous driver would otherwise hold
 * the event loop for the whole run.
 */
const PAGE = 100;
const TX_BUDGET_MS = 10;
/**
 * On PostgreSQL every statement is a network round trip that yields the event loop anyway, so a transaction is
 * bounded by count instead (fewer BEGIN/COMMIT round trips; row locks still held only briefly).
 */
const PG_ITEMS_PER_TX = 50;
const DELETE_BATCH = 200;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

type AccountsEb = ExpressionBuilder<DB, 'accounts'>;
interface DueQuery {
  /** The timestamp the deadline counts from (an indexed column or expression); rows come in (key, id) order. */
  key: RawBuilder<string>;
  /** Everything with key <= upTo may be due. */
  upTo: string;
  where: (eb: AccountsEb) => Expression<SqlBool>;
}

const IDLE_SINCE = sql<string>`coalesce(last_sign_in_at, activated_at, created_at)`;
const TERMINATED_SINCE = sql<string>`coalesce(terminated_at, status_modified_at)`;
/** The predicate of the partial index accounts_password_notice_due, written identically so the planner uses it. */
const OWED_PASSWORD_NOTICE = sql<SqlBool>`state in ('PENDING', 'ACTIVE') and must_change_password = 0 and (pwd_expiry_notice_for is null or pwd_expiry_notice_for <> password_changed_at)`;

function dueQueries(ctx: Pick<Ctx, 'deadlines'>, now: Date): DueQuery[] {
  const d = ctx.deadlines;
  const before = (seconds: number) => iso(addSec(now, -seconds));
  // Reminders go out at most once per SGT day: an account reminded today has no reminder due.
  const dayStart = new Date(Date.parse(`${sgtDateString(now)}T00:00:00.000Z`) - SGT_OFFSET_MS);
  const notRemindedToday = (eb: AccountsEb) =>
    eb.or([eb('last_reminder_at', 'is', null), eb('last_reminder_at', '<', iso(dayStart)), eb('last_reminder_at', '>=', iso(addSec(dayStart, 86_400)))]);
  // Product accounts and accounts under investigation get neither reminders nor these transitions.
  const unguarded = (eb: AccountsEb) => eb.and([eb('account_type', '!=', 'product'), eb('under_investigation', '=', 0)]);
  const reminderOr = (key: RawBuilder<string>, transitionFrom: string) => (eb: AccountsEb) => eb.or([eb(key, '<=', transitionFrom), notRemindedToday(eb)]);
  return [
    {
      // D3 reminders and T3 for PENDING accounts, from created_at.
      key: sql<string>`created_at`,
      upTo: before(Math.min(d.preActivationReminderFrom, d.activationWindow)),
      where: (eb) => eb.and([eb('state', '=', 'PENDING'), unguarded(eb), reminderOr(sql<string>`created_at`, before(d.activationWindow))(eb)]),
    },
    {
      // D5/D7 reminders, T4 and T6 for ACTIVE accounts, from the last sign-in (or activation, or creation).
      key: IDLE_SINCE,
      upTo: before(Math.min(d.inactivityDisableWarningFrom, d.inactivityTerminateWarningFrom, d.inactivityDisable, d.inactivityTerminate)),
      where: (eb) => eb.and([eb('state', '=', 'ACTIVE'), unguarded(eb), reminderOr(IDLE_SINCE, before(Math.min(d.inactivityDisable, d.inactivityTerminate)))(eb)]),
    },
    {
      // D7 reminders and T6 for DISABLED accounts.
      key: IDLE_SINCE,
      upTo: before(Math.min(d.inactivityTerminateWarningFrom, d.inactivityTerminate)),
      where: (eb) => eb.and([eb('state', '=', 'DISABLED'), unguarded(eb), reminderOr(IDLE_SINCE, before(d.inactivityTerminate))(eb)]),
    },
    {
      // T9: TERMINATED accounts past the deletion delay.
      key: TERMINATED_SINCE,
      upTo: before(d.deleteAfterTermination),
      where: (eb) => eb.and([eb('state', '=', 'TERMINATED'), unguarded(eb)]),
    },
    {
      // D10: SEED onboarding emails past their validity.
      key: sql<string>`seed_invite_sent_at`,
      upTo: before(d.seedEmailValidity),
      where: (eb) => eb.and([eb('seed_state', '=', 'PROVISIONED'), eb('state', '!=', 'DELETED')]),
    },
    {
      // Password-expiry notices, from passwordExpiryNoticeBefore ahead of the expiry.
      key: sql<string>`password_changed_at`,
      upTo: before(d.passwordExpiry - d.passwordExpiryNoticeBefore),
      where: () => OWED_PASSWORD_NOTICE,
    },
  ];
}

/** One keyset page of candidates for a due query: key <= upTo, after the cursor, in (key, id) order. */
async function duePage(db: Kysely<DB>, q: DueQuery, cursor: { key: string; id: string } | undefined): Promise<(Account & { due_key: string })[]> {
  let query = db
    .selectFrom('accounts')
    .selectAll()
    .select(q.key.as('due_key'))
    .where((eb) => q.where(eb))
    .where(q.key, '<=', q.upTo);
  if (cursor) query = query.where(q.key, '>=', cursor.key).where((eb) => eb.or([eb(q.key, '>', cursor.key), eb('id', '>', cursor.id)]));
  return query.orderBy(q.key).orderBy('id').limit(PAGE).execute();
}

/**
 * Applies the actions of `items` in consecutive short transactions (each ends after TX_BUDGET_MS) with a turn of
 * the event loop in between. What a transaction did enters the report only once it has committed. The audit
 * records of a transaction are appended together at its end (one multi-row insert, after every row lock it takes).
 */
async function inShortTransactions<T>(
  ctx: Ctx,
  items: readonly T[],
  work: (tx: Kysely<DB>, item: T, report: JobReport, audits: AuditEntry[]) => Promise<void>,
  report: JobReport,
  now: Date,
): Promise<void> {
  let next = 0;
  while (next < items.length) {
    const local = emptyReport(report.at);
    const first = next;
    const more = ctx.dialect === 'postgres' ? () => next - first < PG_ITEMS_PER_TX : (started: number) => performance.now() - started < TX_BUDGET_MS;
    await ctx.db.transaction().execute(async (tx) => {
      const started = performance.now();
      const audits: AuditEntry[] = [];
      do {
        await work(tx, items[next] as T, local, audits);
        next++;
      } while (next < items.length && more(started));
      await auditMany(tx, now, audits);
    });
    mergeReport(report, local);
    await yieldToEventLoop();
  }
}

function emptyReport(at: string): JobReport {
  return { ran: false, at, invitationsExpired: [], reminders: [], transitions: [], deleted: [], seedEmailsExpired: [], passwordExpiryNotices: [] };
}

function mergeReport(into: JobReport, from: JobReport): void {
  into.invitationsExpired.push(...from.invitationsExpired);
  into.reminders.push(...from.reminders);
  into.transitions.push(...from.transitions);
  into.deleted.push(...from.deleted);
  into.seedEmailsExpired.push(...from.seedEmailsExpired);
  into.passwordExpiryNotices.push(...from.passwordExpiryNotices);
}

async function expireInvitations(ctx: Ctx, now: Date, report: JobReport): Promise<void> {
  const nowIso = iso(now);
  let cursor: { key: string; id: string } | undefined;
  for (;;) {
    let q = ctx.db.selectFrom('invitations').selectAll().where('status', '=', 'sent').where('expires_at', '<=', nowIso);
    if (cursor) {
      const c = cursor;
      q = q.where('expires_at', '>=', c.key).where((eb) => eb.or([eb('expires_at', '>', c.key), eb('id', '>', c.id)]));
    }
    const due = await q.orderBy('expires_at').orderBy('id').limit(PAGE).execute();
    await inShortTransactions(
      ctx,
      due,
      async (tx, inv, local, audits) => {
        const res = await tx.updateTable('invitations').set({ status: 'expired', result_notified: 1 }).where('id', '=', inv.id).where('status', '=', 'sent').executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) return;
        await enqueue(tx, now, { channel: 'email', to: inv.inviter_email, template: 'N-REG-RESULT', data: { outcome: 'expired', inviteeEmail: inv.email, at: inv.expires_at }, locale: INVITER_LOCALE });
        audits.push({ actor: JOB_ACTOR, action: 'invitation.expire', subject: inv.email, details: { id: inv.id } });
        local.invitationsExpired.push(inv.id);
      },
      report,
      now,
    );
    const last = due[due.length - 1];
    if (!last || due.length < PAGE) return;
    cursor = { key: last.expires_at, id: last.id };
  }
}

/**
 * Deletes, in bounded batches with a turn of the event loop between them, the rows a housekeeping rule selects:
 * a page of keys from the timestamp index, then a delete by primary key (still conditional on the rule).
 */
async function deleteInBatches<T extends 'sessions' | 'codes' | 'idempotency_keys' | 'signin_failures'>(
  db: Kysely<DB>,
  table: T,
  keyColumn: 'token_hash' | 'id' | 'scope' | 'key',
  column: 'expires_at' | 'created_at' | 'updated_at',
  upTo: string,
): Promise<void> {
  for (;;) {
    const keys = await sql<{ k: string }>`select ${sql.ref(keyColumn)} as k from ${sql.table(table)} where ${sql.ref(column)} <= ${upTo} limit ${DELETE_BATCH}`.execute(db);
    if (keys.rows.length === 0) return;
    await sql`delete from ${sql.table(table)} where ${sql.ref(keyColumn)} in (${sql.join(keys.rows.map((r) => r.k))}) and ${sql.ref(column)} <= ${upTo}`.execute(db);
    if (keys.rows.length < DELETE_BATCH) return;
    await yieldToEventLoop();
  }
}

/** Runs every lifecycle job due now; returns what it did (or ran: false when another replica holds the lease). */
export async function runLifecycleJobs(ctx: Ctx): Promise<JobReport> {
  return observeLifecycleRun(
    () => runLifecycleJobsOnce(ctx),
    (r) => ({
      ran: r.ran,
      actions: {
        invitation_expired: r.invitationsExpired.length,
        reminder_sent: r.reminders.length,
        account_disabled: r.transitions.filter((t) => t.to === 'DISABLED').length,
        account_terminated: r.transitions.filter((t) => t.to === 'TERMINATED').length,
        account_deleted: r.deleted.length,
        seed_email_expired: r.seedEmailsExpired.length,
        password_expiry_notice: r.passwordExpiryNotices.length,
      },
    }),
  );
}

async function runLifecycleJobsOnce(ctx: Ctx): Promise<JobReport> {
  const now = ctx.clock.now();
  const report = emptyReport(iso(now));
  const owner = randomUUID();
  if (!(await takeLease(ctx.db, now, owner))) return report;
  report.ran = true;
  try {
    // D1: invitations past 5 days → EXPIRED, inviter told (N-REG-RESULT).
    await expireInvitations(ctx, now, report);
    for (const q of dueQueries(ctx, now)) {
      let cursor: { key: string; id: string } | undefined;
      for (;;) {
        const page = await duePage(ctx.db, q, cursor);
        await inShortTransactions(
          ctx,
          page,
          async (tx, a, local, audits) => {
            for (const action of evaluateAccount(ctx, a, now)) await apply(tx, a, action, now, local, audits);
          },
          report,
          now,
        );
        const last = page[page.length - 1];
        if (!last || page.length < PAGE) break;
        cursor = { key: last.due_key, id: last.id };
      }
    }
    // Housekeeping: expired sessions, old codes, idempotency records past 24 h, unknown-username failure counters
    // untouched for 30 days.
    await deleteInBatches(ctx.db, 'sessions', 'token_hash', 'expires_at', iso(now));
    await deleteInBatches(ctx.db, 'codes', 'id', 'expires_at', iso(addSec(now, -7 * 86400)));
    await deleteInBatches(ctx.db, 'idempotency_keys', 'scope', 'created_at', iso(addSec(now, -24 * 3600)));
    await deleteInBatches(ctx.db, 'signin_failures', 'key', 'updated_at', iso(addSec(now, -30 * 86400)));
  } finally {
    await releaseLease(ctx.db, owner);
  }
  return report;
}
