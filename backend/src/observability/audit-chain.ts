/**
 * The hash chain of the audit log. Each record's hash covers its own fields and the hash of the record before it,
 * so changing, removing or reordering any record breaks every hash after it. The format is fixed: records already
 * stored were hashed with it.
 */
import { createHash } from 'node:crypto';

/** The "previous hash" of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

export type ActorType = 'account' | 'admin' | 'system' | 'anonymous';

/** The fields of one record that its hash covers. `details` is the stored JSON text. */
export interface ChainedFields {
  seq: number;
  id: string;
  at: string;
  actorType: string;
  actor: string;
  action: string;
  subject: string;
  outcome: string;
  requestId: string | null;
  details: string;
}

export function auditRecordHash(prevHash: string, r: ChainedFields): string {
  const fields = [r.seq, r.id, r.at, r.actorType, r.actor, r.action, r.subject, r.outcome, r.requestId, r.details];
  return createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(fields)).digest('hex');
}

/** How records written before actors had a type are classified (the service's own actor names of that time). */
export function legacyActorType(actor: string): ActorType {
  if (actor === 'lifecycle-job') return 'system';
  if (actor === 'invitee') return 'anonymous';
  if (/^[a-z0-9._-]+$/.test(actor) && !actor.includes('@')) return 'account';
  return 'admin';
}
