import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

/** Appends to the audit log (never a secret in `details`). */
export async function audit(db: Kysely<DB>, at: Date, actor: string, action: string, subject: string, details: Record<string, unknown> = {}): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ id: randomUUID(), at: at.toISOString(), actor: actor.slice(0, 200), action, subject: subject.slice(0, 200), details: JSON.stringify(details) })
    .execute();
}

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  details?: Record<string, unknown>;
}

/** Appends many entries in multi-row inserts (bulk invitations), inside the caller's transaction. */
export async function auditMany(db: Kysely<DB>, at: Date, entries: readonly AuditEntry[], chunkSize = 200): Promise<void> {
  for (let i = 0; i < entries.length; i += chunkSize) {
    const values = entries.slice(i, i + chunkSize).map((e) => ({
      id: randomUUID(),
      at: at.toISOString(),
      actor: e.actor.slice(0, 200),
      action: e.action,
      subject: e.subject.slice(0, 200),
      details: JSON.stringify(e.details ?? {}),
    }));
    await db.insertInto('audit_log').values(values).execute();
  }
}
