import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

/** Appends to the audit log (never a secret in `details`). */
export async function audit(db: Kysely<DB>, at: Date, actor: string, action: string, subject: string, details: Record<string, unknown> = {}): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ id: randomUUID(), at: at.toISOString(), actor, action, subject, details: JSON.stringify(details) })
    .execute();
}
