import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { passwordExpiryNoticeDueIfSetBy, SGT_OFFSET_MS, sgtDateString } from '../../../shared/domain/deadlines';
import { supportedLocaleOr } from '../../../shared/domain/locale';
import type { Ctx } from '../context';
import { addSec, iso } from '../context';
import type { DB } from '../db/schema';
import { INVITER_LOCALE, type StatusReason } from '../delivery/templates';
import { enqueueMany, type NewMessage } from '../outbox/outbox-store';
import type { Account } from '../features/me/accounts';
import { auditMany, systemActor, type AuditEntry } from '../db/audit';
import { observeLifecycleRun } from '../observability/metrics';
import { evaluateAccount as evaluateRules, evaluateInvitation, lifecycleAccountFromRow } from '../lifecycle/rules';
import {
  endingValues,
  endSessionsOf,
  revokesSeedLicence,
  statusChangeMessages,
  type EndingState,
} from '../lifecycle/status-change';

/** What a run did; also the shape the job's worker thread sends back (checked there). */
export const JobReport = z.object({
  ran: z.boolean(),
  at: z.string(),
  invitationsExpired: z.array(z.string()),
  reminders: z.array(z.object({ username: z.string(), template: z.string() })),
  transitions: z.array(z.object({ username: z.string(), from: z.string(), to: z.string(), reason: z.string() })),
  deleted: z.array(z.string()),
  seedEmailsExpired: z.array(z.string()),
  passwordExpiryNotices: z.array(z.string()),
});
export type JobReport = z.infer<typeof JobReport>;

const LOCK = 'lifecycle';
const LEASE_SECONDS = 300;
const ACTOR = systemActor('lifecycle-job');

/**
 * One replica at a time: a lease row in job_locks taken by compare-and-set (works the same on SQLite and
 * PostgreSQL). Every transition is also a conditional update on the state it starts from, so even an overlapping
 * run could not apply one twice, and reminders are keyed per SGT day.
 */
async function takeLease(db: Kysely<DB>, now: Date, owner: string): Promise<boolean> {
  const until = iso(addSec(now, LEASE_SECONDS));
  try {
    await db
      .insertInto('job_locks')
      .values({ name: LOCK, locked_until: iso(new Date(0)), owner: '' })
      .execute();
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
  await db
    .updateTable('job_locks')
    .set({ locked_until: iso(new Date(0)) })
    .where('name', '=', LOCK)
    .where('owner', '=', owner)
    .execute();
}

type Action =
  | { kind: 'remind'; template: 'N-REMIND-TERM-PENDING' | 'N-REMIND-DISABLE' | 'N-REMIND-TERM'; deadline: Date }
  | { kind: 'transition'; to: EndingState; reason: string; statusReason: StatusReason }
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
        return {
          kind: 'transition',
          to: 'TERMINATED',
          reason: x.reason,
          statusReason: x.rule === 'T3' ? 'not-activated' : 'inactive-terminate',
        };
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

interface Planned {
  a: Account;
  actions: Action[];
}

/** Groups items by a string key, keeping first-seen order (one set-based statement per group). */
function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const g = groups.get(k);
    if (g) g.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

const idsOf = (rows: readonly { id: string }[]) => rows.map((r) => r.id);

/**
 * Applies one page of evaluated accounts inside the caller's transaction, set-based: per action kind (and per
 * state it starts from) one UPDATE/DELETE … WHERE id IN (page) … RETURNING id, still conditional on the state each
 * account was judged in, so an account another replica or an administrator changed meanwhile is simply not in the
 * result. Then the page's outbox rows and audit rows go in as multi-row inserts, for exactly the accounts changed.
 *
 * The kinds run in the order the rules list an account's actions (state change or reminder, then D10, then the
 * password notice) and every statement is conditional on the row as it is at that moment, so the outcome is the
 * one applying each account's actions one by one would give. Messages, audit rows and report entries are built in
 * page order, account by account.
 */
async function applyPage(tx: Kysely<DB>, planned: readonly Planned[], now: Date, report: JobReport): Promise<void> {
  const nowIso = iso(now);
  const day = sgtDateString(now);
  const of = <K extends Action['kind']>(kind: K) =>
    planned.flatMap((p) =>
      p.actions.filter((x): x is Extract<Action, { kind: K }> => x.kind === kind).map((action) => ({ a: p.a, action })),
    );

  const reminded = new Set<string>();
  for (const group of groupBy(of('remind'), (x) => `${x.action.template}|${x.a.state}`)) {
    const first = group[0] as (typeof group)[number];
    const key = `${first.action.template}:${day}`;
    const rows = await tx
      .updateTable('accounts')
      .set({ last_reminder_key: key, last_reminder_at: nowIso })
      .where(
        'id',
        'in',
        group.map((x) => x.a.id),
      )
      .where('state', '=', first.a.state)
      .where((eb) => eb.or([eb('last_reminder_key', 'is', null), eb('last_reminder_key', '!=', key)]))
      .returning('id')
      .execute();
    for (const id of idsOf(rows)) reminded.add(id);
  }

  const transitioned = new Set<string>();
  for (const group of groupBy(
    of('transition'),
    (x) => `${x.action.to}|${x.a.state}|${revokesSeedLicence(x.action.to, x.a.seed_state)}`,
  )) {
    const first = group[0] as (typeof group)[number];
    const rows = await tx
      .updateTable('accounts')
      .set(endingValues(first.a, first.action.to, nowIso))
      .where(
        'id',
        'in',
        group.map((x) => x.a.id),
      )
      .where('state', '=', first.a.state)
      .returning('id')
      .execute();
    for (const id of idsOf(rows)) transitioned.add(id);
  }
  await endSessionsOf(tx, [...transitioned]);

  const deleted = new Set<string>();
  const toDelete = of('delete').map((x) => x.a.id);
  if (toDelete.length > 0) {
    const rows = await tx
      .deleteFrom('accounts')
      .where('id', 'in', toDelete)
      .where('state', '=', 'TERMINATED')
      .returning('id')
      .execute();
    for (const id of idsOf(rows)) deleted.add(id);
    if (deleted.size > 0) {
      for (const table of ['sessions', 'codes', 'terms_acceptances', 'seed_devices'] as const) {
        await tx
          .deleteFrom(table)
          .where('account_id', 'in', [...deleted])
          .execute();
      }
    }
  }

  const seedExpired = new Set<string>();
  const toExpire = of('seed-expired').map((x) => x.a.id);
  if (toExpire.length > 0) {
    const rows = await tx
      .updateTable('accounts')
      .set({ seed_state: 'INVITE_EXPIRED' })
      .where('id', 'in', toExpire)
      .where('seed_state', '=', 'PROVISIONED')
      .returning('id')
      .execute();
    for (const id of idsOf(rows)) seedExpired.add(id);
  }

  const noticed = new Set<string>();
  const toNotice = of('password-expiry');
  if (toNotice.length > 0) {
    // One notice per password: only while the password is still the one the notice was judged for (a CASE on the
    // id gives each row its own expected value, so the page stays one statement).
    const judgedFor = sql<string>`case ${sql.ref('id')} ${sql.join(
      toNotice.map((x) => sql`when ${x.a.id} then ${x.a.password_changed_at}`),
      sql` `,
    )} end`;
    const rows = await tx
      .updateTable('accounts')
      .set({ pwd_expiry_notice_for: sql<string>`password_changed_at` })
      .where(
        'id',
        'in',
        toNotice.map((x) => x.a.id),
      )
      .where('password_changed_at', '=', judgedFor)
      .where((eb) =>
        eb.or([
          eb('pwd_expiry_notice_for', 'is', null),
          eb('pwd_expiry_notice_for', '!=', eb.ref('password_changed_at')),
        ]),
      )
      .returning('id')
      .execute();
    for (const id of idsOf(rows)) noticed.add(id);
  }

  const messages: NewMessage[] = [];
  const audits: AuditEntry[] = [];
  for (const { a, actions } of planned) {
    for (const action of actions) {
      switch (action.kind) {
        case 'remind':
          if (!reminded.has(a.id)) break;
          messages.push({
            channel: 'email',
            to: a.email,
            template: action.template,
            data: { loginId: a.login_id, deadline: iso(action.deadline) },
            locale: supportedLocaleOr(a.locale),
            accountId: a.id,
          });
          report.reminders.push({ username: a.username, template: action.template });
          break;
        case 'transition': {
          if (!transitioned.has(a.id)) break;
          const status = action.to === 'DISABLED' ? 'disabled' : 'terminated';
          messages.push(
            ...statusChangeMessages(a, {
              status,
              at: nowIso,
              reason: action.statusReason,
              source: 'scheduled-job',
              seedRevoked: revokesSeedLicence(action.to, a.seed_state),
            }),
          );
          audits.push({
            actor: ACTOR,
            action: `account.${status}`,
            subject: a.username,
            details: { reason: action.reason },
          });
          report.transitions.push({ username: a.username, from: a.state, to: action.to, reason: action.reason });
          break;
        }
        case 'delete':
          if (!deleted.has(a.id)) break;
          messages.push(...statusChangeMessages(a, { status: 'deleted', at: nowIso, source: 'scheduled-job' }));
          audits.push({ actor: ACTOR, action: 'account.delete', subject: a.username });
          report.deleted.push(a.username);
          break;
        case 'seed-expired':
          if (!seedExpired.has(a.id)) break;
          audits.push({
            actor: ACTOR,
            action: 'seed.email-expire',
            subject: a.username,
            details: { sentAt: a.seed_invite_sent_at },
          });
          report.seedEmailsExpired.push(a.username);
          break;
        case 'password-expiry':
          if (!noticed.has(a.id)) break;
          messages.push({
            channel: 'email',
            to: a.email,
            template: 'N-PWD-EXPIRY',
            data: { loginId: a.login_id, expiresAt: iso(action.expiresAt) },
            locale: supportedLocaleOr(a.locale),
            accountId: a.id,
          });
          report.passwordExpiryNotices.push(a.username);
          break;
      }
    }
  }
  await enqueueMany(tx, now, messages);
  await auditMany(tx, now, audits);
}

/**
 * How the job stays cheap at any size: it never walks every account. For each deadline family it asks the database
 * for the accounts that may have something due now (a range on an indexed timestamp, below), in keyset pages, and
 * hands each one to the same pure rules (`evaluateAccount`), which decide for each account alone. The candidate set is a
 * superset of the accounts with an action due, so the outcome is identical to evaluating everyone.
 *
 * Each page is applied set-based in one short transaction (a handful of statements, whatever the page holds), with
 * a turn of the event loop after it: on SQLite (one connection) requests queue behind an open transaction, and its
 * synchronous driver would otherwise hold the event loop for the whole run. The page size bounds both the
 * transaction's length and the job's memory.
 */
const DEFAULT_PAGE = 250;
const DELETE_BATCH = 200;

export interface LifecycleRunOptions {
  /** Accounts (or invitations) read and applied per page and transaction. */
  pageSize?: number;
  /**
   * Given what each transaction did, once it committed, in order. With it, the run's returned report holds no
   * entries (only `ran` and `at`): the caller keeps them. The job's thread posts them a page at a time this way; one
   * reply holding a whole run (28,500 entries at 100,000 accounts) took the main thread 52 ms to check and 71 ms
   * to receive, a stall of its event loop.
   */
  onCommitted?: (entries: JobReport) => void;
}

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
    eb.or([
      eb('last_reminder_at', 'is', null),
      eb('last_reminder_at', '<', iso(dayStart)),
      eb('last_reminder_at', '>=', iso(addSec(dayStart, 86_400))),
    ]);
  // Product accounts and accounts under investigation get neither reminders nor these transitions.
  const unguarded = (eb: AccountsEb) =>
    eb.and([eb('account_type', '!=', 'product'), eb('under_investigation', '=', 0)]);
  const reminderOr = (key: RawBuilder<string>, transitionFrom: string) => (eb: AccountsEb) =>
    eb.or([eb(key, '<=', transitionFrom), notRemindedToday(eb)]);
  return [
    {
      // D3 reminders and T3 for PENDING accounts, from created_at.
      key: sql<string>`created_at`,
      upTo: before(Math.min(d.preActivationReminderFrom, d.activationWindow)),
      where: (eb) =>
        eb.and([
          eb('state', '=', 'PENDING'),
          unguarded(eb),
          reminderOr(sql<string>`created_at`, before(d.activationWindow))(eb),
        ]),
    },
    {
      // D5/D7 reminders, T4 and T6 for ACTIVE accounts, from the last sign-in (or activation, or creation).
      key: IDLE_SINCE,
      upTo: before(
        Math.min(
          d.inactivityDisableWarningFrom,
          d.inactivityTerminateWarningFrom,
          d.inactivityDisable,
          d.inactivityTerminate,
        ),
      ),
      where: (eb) =>
        eb.and([
          eb('state', '=', 'ACTIVE'),
          unguarded(eb),
          reminderOr(IDLE_SINCE, before(Math.min(d.inactivityDisable, d.inactivityTerminate)))(eb),
        ]),
    },
    {
      // D7 reminders and T6 for DISABLED accounts.
      key: IDLE_SINCE,
      upTo: before(Math.min(d.inactivityTerminateWarningFrom, d.inactivityTerminate)),
      where: (eb) =>
        eb.and([
          eb('state', '=', 'DISABLED'),
          unguarded(eb),
          reminderOr(IDLE_SINCE, before(d.inactivityTerminate))(eb),
        ]),
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
      // Password-expiry notices, from passwordExpiryNoticeBefore ahead of the expiry (the bound is the rule's own).
      key: sql<string>`password_changed_at`,
      upTo: iso(passwordExpiryNoticeDueIfSetBy(now, d)),
      where: () => OWED_PASSWORD_NOTICE,
    },
  ];
}

/** One keyset page of candidates for a due query: key <= upTo, after the cursor, in (key, id) order. */
async function duePage(
  db: Kysely<DB>,
  q: DueQuery,
  cursor: { key: string; id: string } | undefined,
  pageSize: number,
): Promise<(Account & { due_key: string })[]> {
  let query = db
    .selectFrom('accounts')
    .selectAll()
    .select(q.key.as('due_key'))
    .where((eb) => q.where(eb))
    .where(q.key, '<=', q.upTo);
  if (cursor)
    query = query
      .where(q.key, '>=', cursor.key)
      .where((eb) => eb.or([eb(q.key, '>', cursor.key), eb('id', '>', cursor.id)]));
  return query.orderBy(q.key).orderBy('id').limit(pageSize).execute();
}

export function emptyReport(at: string): JobReport {
  return {
    ran: false,
    at,
    invitationsExpired: [],
    reminders: [],
    transitions: [],
    deleted: [],
    seedEmailsExpired: [],
    passwordExpiryNotices: [],
  };
}

export function mergeReport(into: JobReport, from: JobReport): void {
  into.invitationsExpired.push(...from.invitationsExpired);
  into.reminders.push(...from.reminders);
  into.transitions.push(...from.transitions);
  into.deleted.push(...from.deleted);
  into.seedEmailsExpired.push(...from.seedEmailsExpired);
  into.passwordExpiryNotices.push(...from.passwordExpiryNotices);
}

/** Where a run's entries go once their transaction committed: into its report, or to `onCommitted`. */
interface Committed {
  at: string;
  add(entries: JobReport): void;
}

/** Runs `work` in one transaction; what it reported enters the run's report only once the transaction committed. */
async function inOneTransaction(
  ctx: JobCtx,
  committed: Committed,
  work: (tx: Kysely<DB>, local: JobReport) => Promise<void>,
): Promise<void> {
  const local = emptyReport(committed.at);
  await ctx.db.transaction().execute((tx) => work(tx, local));
  committed.add(local);
}

/** D1, a page at a time: SENT invitations past their expiry → expired, and the inviter told (N-REG-RESULT). */
async function expireInvitations(ctx: JobCtx, now: Date, committed: Committed, pageSize: number): Promise<void> {
  const nowIso = iso(now);
  let cursor: { key: string; id: string } | undefined;
  for (;;) {
    let q = ctx.db.selectFrom('invitations').selectAll().where('status', '=', 'sent').where('expires_at', '<=', nowIso);
    if (cursor) {
      const c = cursor;
      q = q.where('expires_at', '>=', c.key).where((eb) => eb.or([eb('expires_at', '>', c.key), eb('id', '>', c.id)]));
    }
    const page = await q.orderBy('expires_at').orderBy('id').limit(pageSize).execute();
    // The query finds the candidates; D1 itself is the rule's.
    const due = page.filter(
      (inv) =>
        evaluateInvitation(
          { status: inv.status, sentAt: inv.created_at, expiresAt: inv.expires_at },
          now,
          ctx.deadlines,
        ).length > 0,
    );
    if (due.length > 0) {
      await inOneTransaction(ctx, committed, async (tx, local) => {
        const rows = await tx
          .updateTable('invitations')
          .set({ status: 'expired', result_notified: 1 })
          .where('id', 'in', idsOf(due))
          .where('status', '=', 'sent')
          .returning('id')
          .execute();
        const expired = new Set(idsOf(rows));
        const mine = due.filter((inv) => expired.has(inv.id));
        await enqueueMany(
          tx,
          now,
          mine.map((inv) => ({
            channel: 'email',
            to: inv.inviter_email,
            template: 'N-REG-RESULT',
            data: { outcome: 'expired', inviteeEmail: inv.email, at: inv.expires_at },
            locale: INVITER_LOCALE,
            invitationId: inv.id,
          })),
        );
        await auditMany(
          tx,
          now,
          mine.map((inv) => ({
            actor: ACTOR,
            action: 'invitation.expire',
            subject: inv.email,
            details: { id: inv.id },
          })),
        );
        local.invitationsExpired.push(...idsOf(mine));
      });
      await yieldToEventLoop();
    }
    const last = page[page.length - 1];
    if (!last || page.length < pageSize) return;
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
    const keys = await sql<{
      k: string;
    }>`select ${sql.ref(keyColumn)} as k from ${sql.table(table)} where ${sql.ref(column)} <= ${upTo} limit ${DELETE_BATCH}`.execute(
      db,
    );
    if (keys.rows.length === 0) return;
    await sql`delete from ${sql.table(table)} where ${sql.ref(keyColumn)} in (${sql.join(keys.rows.map((r) => r.k))}) and ${sql.ref(column)} <= ${upTo}`.execute(
      db,
    );
    if (keys.rows.length < DELETE_BATCH) return;
    await yieldToEventLoop();
  }
}

/** What a run did, per action, for the job metrics (observability/metrics.ts). */
export function lifecycleRunSummary(r: JobReport): { ran: boolean; actions: Record<string, number> } {
  return {
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
  };
}

/** Runs every lifecycle job due now, in this thread; returns what it did (or ran: false when another replica holds the lease). */
export async function runLifecycleJobs(ctx: Ctx, options: LifecycleRunOptions = {}): Promise<JobReport> {
  return observeLifecycleRun(() => runLifecycleJobsAt(ctx, ctx.clock.now(), options), lifecycleRunSummary);
}

/** What the job itself needs: a database handle and the deadlines (the job's worker thread builds just these). */
export type JobCtx = Pick<Ctx, 'db' | 'deadlines'>;

/**
 * The job as of `now`, with no process-wide side effect (no metrics): the same function runs in-process and in
 * the worker thread of jobs/lifecycle-runner.ts, which reports the run back for the main thread to record.
 */
export async function runLifecycleJobsAt(
  ctx: JobCtx,
  now: Date,
  options: LifecycleRunOptions = {},
): Promise<JobReport> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE;
  const report = emptyReport(iso(now));
  const owner = randomUUID();
  if (!(await takeLease(ctx.db, now, owner))) return report;
  report.ran = true;
  const committed: Committed = {
    at: report.at,
    add: options.onCommitted ?? ((entries) => mergeReport(report, entries)),
  };
  try {
    await expireInvitations(ctx, now, committed, pageSize);
    for (const q of dueQueries(ctx, now)) {
      let cursor: { key: string; id: string } | undefined;
      for (;;) {
        const page = await duePage(ctx.db, q, cursor, pageSize);
        const planned = page
          .map((a) => ({ a, actions: evaluateAccount(ctx, a, now) }))
          .filter((p) => p.actions.length > 0);
        if (planned.length > 0)
          await inOneTransaction(ctx, committed, (tx, local) => applyPage(tx, planned, now, local));
        await yieldToEventLoop();
        const last = page[page.length - 1];
        if (!last || page.length < pageSize) break;
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
