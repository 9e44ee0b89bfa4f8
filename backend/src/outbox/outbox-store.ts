import { randomUUID } from 'node:crypto';
import { type Kysely, type KyselyPlugin, sql } from 'kysely';
import type { MessageChannel } from '../../../shared/domain/states';
import type { Locale } from '../../../shared/domain/locale';
import type { DB } from '../db/schema';
import { renderTemplate } from '../delivery/templates';
import { isSealed, open, seal, type DataKeyRing } from '../security/data-keys';

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
}

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
export async function enqueueMany(db: Kysely<DB>, now: Date, msgs: readonly NewMessage[], chunkSize = 200): Promise<string[]> {
  if (msgs.length === 0) return [];
  const ring = outboxSealingOf(db);
  const seqRow = await db.selectFrom('outbox').select(sql<number>`coalesce(max(seq), 0)`.as('m')).executeTakeFirst();
  let seq = Number(seqRow?.m ?? 0);
  const ids: string[] = [];
  for (let start = 0; start < msgs.length; start += chunkSize) {
    const values = msgs.slice(start, start + chunkSize).map((msg) => {
      const rendered = renderTemplate(msg.template, msg.data, msg.locale);
      const id = randomUUID();
      ids.push(id);
      seq += 1;
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
      };
    });
    await db.insertInto('outbox').values(values).execute();
  }
  return ids;
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
  }

  private readonly ring: DataKeyRing | undefined;

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
      if (Number(res.numUpdatedRows) === 1) claimed.push(toRow(c, this.ring));
    }
    return claimed;
  }

  /** Delivered. With `eraseData` the template data goes and the body becomes `redactedBody` (secrets replaced). */
  async markSent(id: string, sentAt: Date, eraseData: boolean, redactedBody?: string): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({
        status: 'sent',
        sent_at: sentAt.toISOString(),
        claimed_until: null,
        last_error: null,
        ...(eraseData ? { data: null, body: redactedBody ?? ERASED_BODY } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /** A failed attempt; when the row is given up for good and `redactedBody` is given, its secrets are erased too. */
  async markFailed(id: string, attempts: number, nextAttemptAt: Date | null, error: string, redactedBody?: string): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({
        attempts,
        status: nextAttemptAt ? 'pending' : 'failed',
        next_attempt_at: (nextAttemptAt ?? new Date(0)).toISOString(),
        claimed_until: null,
        last_error: error.slice(0, 500),
        ...(!nextAttemptAt && redactedBody !== undefined ? { data: null, body: redactedBody } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Deletes up to `limit` rows sent before `before` (oldest first, by the indexed sent_at); returns how many. */
  async purgeSent(before: Date, limit: number): Promise<number> {
    const ids = await this.db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'sent')
      .where('sent_at', '<', before.toISOString())
      .orderBy('sent_at')
      .limit(limit)
      .execute();
    if (ids.length === 0) return 0;
    const res = await this.db
      .deleteFrom('outbox')
      .where('id', 'in', ids.map((r) => r.id))
      .where('status', '=', 'sent')
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  async list(): Promise<(OutboxRow & { createdAt: string; status: string; sentAt: string | null })[]> {
    const rows = await this.db.selectFrom('outbox').selectAll().orderBy('seq').orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({ ...toRow(r, this.ring), createdAt: r.created_at, status: r.status, sentAt: r.sent_at }));
  }
}
