import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema';
import { renderTemplate } from '../delivery/templates';

export interface OutboxRow {
  id: string;
  channel: 'email' | 'sms';
  to: string;
  template: string;
  subject?: string;
  body: string;
  data: Record<string, unknown>;
  attempts: number;
}

export interface NewMessage {
  channel: 'email' | 'sms';
  to: string;
  template: string;
  data: Record<string, unknown>;
}

/** Queues a message inside the caller's transaction, so a message exists exactly when the change it reports does. */
export async function enqueue(db: Kysely<DB>, now: Date, msg: NewMessage): Promise<string> {
  const rendered = renderTemplate(msg.template, msg.data);
  const id = randomUUID();
  const seqRow = await db.selectFrom('outbox').select(sql<number>`coalesce(max(seq), 0)`.as('m')).executeTakeFirst();
  await db
    .insertInto('outbox')
    .values({
      id,
      seq: Number(seqRow?.m ?? 0) + 1,
      channel: msg.channel,
      recipient: msg.to,
      template: msg.template,
      subject: rendered.subject ?? null,
      body: rendered.body,
      data: JSON.stringify(msg.data),
      created_at: now.toISOString(),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now.toISOString(),
      sent_at: null,
      last_error: null,
      claimed_until: null,
    })
    .execute();
  return id;
}

function toRow(r: DB['outbox']): OutboxRow {
  return {
    id: r.id,
    channel: r.channel as 'email' | 'sms',
    to: r.recipient,
    template: r.template,
    ...(r.subject !== null ? { subject: r.subject } : {}),
    body: r.body,
    data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : {},
    attempts: r.attempts,
  };
}

/** The store the delivery worker runs over. Claims are leases, so two replicas never send one message twice. */
export class DbOutboxStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly leaseSeconds = 60,
    private readonly channels: readonly ('email' | 'sms')[] = ['email', 'sms'],
  ) {}

  async claimDue(now: Date, limit: number): Promise<OutboxRow[]> {
    const nowIso = now.toISOString();
    const until = new Date(now.getTime() + this.leaseSeconds * 1000).toISOString();
    const candidates = await this.db
      .selectFrom('outbox')
      .selectAll()
      .where('status', '=', 'pending')
      .where('channel', 'in', [...this.channels])
      .where('next_attempt_at', '<=', nowIso)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', nowIso)]))
      .orderBy('seq')
      .limit(limit * 4)
      .execute();
    const claimed: OutboxRow[] = [];
    // Scan past rows another replica won, so concurrent workers split the backlog instead of one getting nothing.
    for (const c of candidates) {
      if (claimed.length >= limit) break;
      // Compare-and-set on the lease: only one claimer wins a row.
      const res = await this.db
        .updateTable('outbox')
        .set({ claimed_until: until })
        .where('id', '=', c.id)
        .where('status', '=', 'pending')
        .where((eb) => (c.claimed_until === null ? eb('claimed_until', 'is', null) : eb('claimed_until', '=', c.claimed_until)))
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) claimed.push(toRow(c));
    }
    return claimed;
  }

  async markSent(id: string, sentAt: Date, eraseData: boolean): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({ status: 'sent', sent_at: sentAt.toISOString(), claimed_until: null, last_error: null, ...(eraseData ? { data: null } : {}) })
      .where('id', '=', id)
      .execute();
  }

  async markFailed(id: string, attempts: number, nextAttemptAt: Date | null, error: string): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({
        attempts,
        status: nextAttemptAt ? 'pending' : 'failed',
        next_attempt_at: (nextAttemptAt ?? new Date(0)).toISOString(),
        claimed_until: null,
        last_error: error.slice(0, 500),
      })
      .where('id', '=', id)
      .execute();
  }

  async list(): Promise<(OutboxRow & { createdAt: string; status: string; sentAt: string | null })[]> {
    const rows = await this.db.selectFrom('outbox').selectAll().orderBy('seq').orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({ ...toRow(r), createdAt: r.created_at, status: r.status, sentAt: r.sent_at }));
  }
}
