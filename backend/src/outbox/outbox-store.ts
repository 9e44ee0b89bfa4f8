import { randomUUID } from 'node:crypto';
import { type Kysely, type KyselyPlugin, PostgresAdapter, sql } from 'kysely';
import type { MessageChannel } from '../../../shared/domain/states';
import type { Locale } from '../../../shared/domain/locale';
import type { DB } from '../db/schema';
import { INVITER_LOCALE, renderTemplate } from '../delivery/templates';
import { isSealed, open, seal, type DataKeyRing } from '../security/data-keys';
import type { SentMark } from '../delivery/worker';

/** Ids per statement when delivered rows are marked together (well under SQLite's 32,766 parameters). */
const MARK_CHUNK = 500;

export interface OutboxRow {
  id: string;
  channel: MessageChannel;
  to: string;
  template: string;
  subject?: string;
  body: string;
  data: Record<string, unknown>;
  attempts: number;
}

export interface NewMessage {
  channel: MessageChannel;
  to: string;
  template: string;
  data: Record<string, unknown>;
  /** The language the message is written in: the recipient's (an account's `locale`). */
  locale: Locale;
  /** The account this message reports on: its deliveries are listed for the account (support, the user's screen). */
  accountId?: string | undefined;
  /** The invitation this message reports on: its deliveries are listed for the invitation. */
  invitationId?: string | undefined;
}

/**
 * How a message ends when it is given up: `failed` after the retries ran out, `rejected` when the transport said
 * retrying cannot help (an SMTP 5xx reply, a gateway's permanent refusal).
 */
export type FinalFailure = 'failed' | 'rejected';

/** The invitation email whose failure for good the inviter is told about (N-REG-UNDELIVERED). */
const INVITATION_EMAIL = 'N-REG-LINK';

/**
 * Marks a database handle whose outbox rows are sealed at rest (production): `enqueue` seals the body and the
 * template data with the data keys before they are written, so a pending message (an initial password, a code, a
 * registration link) never reaches the database files, WAL or a dump in plain text. It changes no query; it only
 * travels with the handle (transactions inherit it). Test and demo mode leave it off: their outbox is the inbox.
 */
export class OutboxSealing implements KyselyPlugin {
  constructor(readonly ring: DataKeyRing) {}
  transformQuery: KyselyPlugin['transformQuery'] = (args) => args.node;
  transformResult: KyselyPlugin['transformResult'] = async (args) => args.result;
}

export function outboxSealingOf(db: Kysely<DB>): DataKeyRing | undefined {
  const plugin = db.getExecutor().plugins.find((p): p is OutboxSealing => p instanceof OutboxSealing);
  return plugin?.ring;
}

const bodyContext = (id: string) => `outbox:${id}:body`;
const dataContext = (id: string) => `outbox:${id}:data`;

/** Queues a message inside the caller's transaction, so a message exists exactly when the change it reports does. */
export async function enqueue(db: Kysely<DB>, now: Date, msg: NewMessage): Promise<string> {
  const [id] = await enqueueMany(db, now, [msg]);
  return id as string;
}

/**
 * Queues messages in one multi-row insert per chunk, inside the caller's transaction: the one place that renders,
 * seals (production) and numbers outbox rows, for a single message (`enqueue`) and for bulk invitations alike.
 */
export async function enqueueMany(
  db: Kysely<DB>,
  now: Date,
  msgs: readonly NewMessage[],
  chunkSize = 200,
): Promise<string[]> {
  if (msgs.length === 0) return [];
  const ring = outboxSealingOf(db);
  const seqs = await takeSeqs(db, msgs.length);
  const ids: string[] = [];
  for (let start = 0; start < msgs.length; start += chunkSize) {
    const values = msgs.slice(start, start + chunkSize).map((msg) => {
      const rendered = renderTemplate(msg.template, msg.data, msg.locale);
      const id = randomUUID();
      const seq = seqs[ids.length] as number;
      ids.push(id);
      return {
        id,
        seq,
        channel: msg.channel,
        recipient: msg.to,
        template: msg.template,
        subject: rendered.subject ?? null,
        body: ring ? seal(ring, rendered.body, bodyContext(id)) : rendered.body,
        data: ring ? seal(ring, JSON.stringify(msg.data), dataContext(id)) : JSON.stringify(msg.data),
        created_at: now.toISOString(),
        status: 'pending',
        attempts: 0,
        next_attempt_at: now.toISOString(),
        sent_at: null,
        last_error: null,
        claimed_until: null,
        account_id: msg.accountId ?? null,
        invitation_id: msg.invitationId ?? null,
        attempted_at: null,
      };
    });
    await db.insertInto('outbox').values(values).execute();
  }
  return ids;
}

/**
 * `n` new outbox positions, ascending, from the atomic counter (migration 0430): concurrent transactions never get
 * the same one (a PostgreSQL sequence is not rolled back, so positions may have gaps; only their order matters).
 */
async function takeSeqs(db: Kysely<DB>, n: number): Promise<number[]> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const r = await sql<{
      seq: string | number;
    }>`select nextval('outbox_seq_counter') as seq from generate_series(1, ${n})`.execute(db);
    return r.rows.map((x) => Number(x.seq)).sort((a, b) => a - b);
  }
  const r = await sql<{
    value: number;
  }>`update outbox_seq_counter set value = value + ${n} where id = 1 returning value`.execute(db);
  const last = Number(r.rows[0]?.value);
  if (!Number.isFinite(last)) throw new Error('the outbox sequence counter row is missing (migration 0430)');
  return Array.from({ length: n }, (_, k) => last - n + 1 + k);
}

/** After rows were written with seq values of their own (a bulk load: the bench seed), moves the counter past them. */
export async function advanceOutboxSeqPastRows(db: Kysely<DB>): Promise<void> {
  await (
    db.getExecutor().adapter instanceof PostgresAdapter
      ? sql`select setval('outbox_seq_counter', greatest((select coalesce(max(seq), 0) from outbox), (select last_value from outbox_seq_counter), 1))`
      : sql`update outbox_seq_counter set value = max(value, (select coalesce(max(seq), 0) from outbox)) where id = 1`
  ).execute(db);
}

function toRow(r: DB['outbox'], ring: DataKeyRing | undefined): OutboxRow {
  const body = ring && isSealed(r.body) ? open(ring, r.body, bodyContext(r.id)) : r.body;
  const data = r.data === null ? null : ring && isSealed(r.data) ? open(ring, r.data, dataContext(r.id)) : r.data;
  return {
    id: r.id,
    channel: r.channel as MessageChannel,
    to: r.recipient,
    template: r.template,
    ...(r.subject !== null ? { subject: r.subject } : {}),
    body,
    data: data ? (JSON.parse(data) as Record<string, unknown>) : {},
    attempts: r.attempts,
  };
}

/** What a delivered (or abandoned) row keeps when its secrets are erased and no redacted preview is given. */
export const ERASED_BODY = '[message body erased after delivery]';

/** The store the delivery worker runs over. Claims are leases, so two replicas never send one message twice. */
export class DbOutboxStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly leaseSeconds = 60,
    private readonly channels: readonly MessageChannel[] = ['email', 'sms'],
  ) {
    this.ring = outboxSealingOf(db);
    this.postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  }

  private readonly ring: DataKeyRing | undefined;
  private readonly postgres: boolean;

  /**
   * Claims up to `limit` due rows (oldest first) in one statement: the lease is set on exactly the rows the statement
   * selected. On PostgreSQL the rows are locked as they are chosen and rows another worker holds are skipped
   * (`FOR UPDATE SKIP LOCKED`), and a row another worker leased since this statement's snapshot is re-checked and left
   * out; on SQLite the statement runs under the database's single write lock. So concurrent workers split the backlog
   * and never get the same row, at one round trip per batch instead of one per row.
   */
  async claimDue(now: Date, limit: number): Promise<OutboxRow[]> {
    if (limit <= 0) return [];
    const nowIso = now.toISOString();
    const until = new Date(now.getTime() + this.leaseSeconds * 1000).toISOString();
    let due = this.db
      .selectFrom('outbox')
      .select('id')
      // A literal, so that SQLite can use the partial index of waiting rows (migration 0440).
      .where('status', '=', sql.lit('pending'))
      .where('channel', 'in', [...this.channels])
      .where('next_attempt_at', '<=', nowIso)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', nowIso)]))
      .orderBy('seq')
      .limit(limit);
    if (this.postgres) due = due.forUpdate().skipLocked();
    const rows = await this.db
      .updateTable('outbox')
      .set({ claimed_until: until })
      .where('id', 'in', due)
      .returningAll()
      .execute();
    // RETURNING gives no order; deliver oldest first.
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map((r) => toRow(r, this.ring));
  }

  /**
   * Delivered, in one transaction: with `eraseData` the template data goes and the body becomes `redactedBody`
   * (secrets replaced), each erased row in its own statement; the rows that keep their data (test and demo mode) in
   * one statement per sent time.
   */
  async markSent(marks: readonly SentMark[]): Promise<void> {
    if (marks.length === 0) return;
    const sent = (sentAt: Date) => ({
      status: 'sent' as const,
      sent_at: sentAt.toISOString(),
      attempted_at: sentAt.toISOString(),
      claimed_until: null,
      last_error: null,
    });
    const write = async (db: Kysely<DB>) => {
      const kept = new Map<number, string[]>();
      for (const m of marks) {
        if (m.eraseData) {
          await db
            .updateTable('outbox')
            .set({ ...sent(m.sentAt), data: null, body: m.redactedBody ?? ERASED_BODY })
            .where('id', '=', m.id)
            .execute();
        } else kept.set(m.sentAt.getTime(), [...(kept.get(m.sentAt.getTime()) ?? []), m.id]);
      }
      for (const [at, ids] of kept)
        for (let i = 0; i < ids.length; i += MARK_CHUNK)
          await db
            .updateTable('outbox')
            .set(sent(new Date(at)))
            .where('id', 'in', ids.slice(i, i + MARK_CHUNK))
            .execute();
    };
    if (marks.length === 1) await write(this.db);
    else await this.db.transaction().execute(write);
  }

  /**
   * A failed attempt at `at`. With `nextAttemptAt` null the row is given up as `final` (`failed` or `rejected`),
   * its secrets erased when `redactedBody` is given; an invitation email given up queues, in the same transaction,
   * the inviter's outcome email (N-REG-UNDELIVERED), so the inviter hears about it exactly once.
   */
  async markFailed(
    id: string,
    attempts: number,
    nextAttemptAt: Date | null,
    error: string,
    redactedBody?: string,
    final: FinalFailure = 'failed',
    at: Date = new Date(),
  ): Promise<void> {
    const update = (db: Kysely<DB>) =>
      db
        .updateTable('outbox')
        .set({
          attempts,
          status: nextAttemptAt ? 'pending' : final,
          next_attempt_at: (nextAttemptAt ?? new Date(0)).toISOString(),
          claimed_until: null,
          attempted_at: at.toISOString(),
          last_error: error.slice(0, 500),
          ...(!nextAttemptAt && redactedBody !== undefined ? { data: null, body: redactedBody } : {}),
        })
        .where('id', '=', id)
        .where('status', '=', 'pending');
    if (nextAttemptAt) {
      await update(this.db).execute();
      return;
    }
    await this.db.transaction().execute(async (tx) => {
      const res = await update(tx).executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return;
      const row = await tx
        .selectFrom('outbox')
        .select(['template', 'invitation_id', 'recipient'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (row?.template !== INVITATION_EMAIL || !row.invitation_id) return;
      const inv = await tx
        .selectFrom('invitations')
        .select(['inviter_email', 'email', 'account_id'])
        .where('id', '=', row.invitation_id)
        .executeTakeFirst();
      if (!inv) return;
      await enqueue(tx, at, {
        channel: 'email',
        to: inv.inviter_email,
        template: 'N-REG-UNDELIVERED',
        data: { inviteeEmail: inv.email, at: at.toISOString(), reason: final === 'rejected' ? 'rejected' : 'failed' },
        locale: INVITER_LOCALE,
        invitationId: row.invitation_id,
      });
    });
  }

  /** Deletes up to `limit` rows sent before `before` (oldest first, by the indexed sent_at); returns how many. */
  async purgeSent(before: Date, limit: number): Promise<number> {
    const ids = await this.db
      .selectFrom('outbox')
      .select('id')
      // A literal, so that SQLite can use the partial index of sent rows (migration 0440).
      .where('status', '=', sql.lit('sent'))
      .where('sent_at', '<', before.toISOString())
      .orderBy('sent_at')
      .limit(limit)
      .execute();
    if (ids.length === 0) return 0;
    const res = await this.db
      .deleteFrom('outbox')
      .where(
        'id',
        'in',
        ids.map((r) => r.id),
      )
      .where('status', '=', 'sent')
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  async list(): Promise<(OutboxRow & { createdAt: string; status: string; sentAt: string | null })[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .selectAll()
      .orderBy('seq')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ ...toRow(r, this.ring), createdAt: r.created_at, status: r.status, sentAt: r.sent_at }));
  }
}
