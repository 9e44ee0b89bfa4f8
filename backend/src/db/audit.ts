import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditRecord as ApiAuditRecord } from '../../../shared/api/observability';
import type { AuditTable, DB } from './schema';
import { auditRecordHash, GENESIS_HASH, type ActorType, type ChainedFields } from '../observability/audit-chain';
import { currentRequestId } from '../observability/request-context';

/**
 * The audit trail: one append-only record per state transition and security event of the domain, each naming who
 * did it (an account, a named admin key, a system job, or an anonymous caller), to whom, when, in which request and
 * with what outcome. Records form a hash chain (observability/audit-chain.ts) so `audit verify` finds tampering.
 *
 * Never a secret in `details` (no password, code, token or link): the production-mode scans read every record.
 */

/** Every event type, with what it records. The README lists the same names (a test keeps them in step). */
export const AUDIT_EVENT_TYPES = {
  'invitation.create': 'An invitation was created (single or bulk).',
  'invitation.open': 'The registration link of an invitation was opened for the first time.',
  'invitation.resend': 'An invitation was sent again with a new link.',
  'invitation.revoke': 'An invitation was revoked by an inviter or admin.',
  'invitation.expire': 'An invitation passed its link validity unused (lifecycle job).',
  'account.register': 'An invitee registered; the account is PENDING.',
  'account.activate': 'The account became ACTIVE (authenticator registered).',
  'account.onboarding-complete': 'Every required onboarding action was done for the first time.',
  'account.disabled': 'The account was disabled (inactivity job or admin).',
  'account.terminated': 'The account was terminated (deadline job or admin).',
  'account.delete': 'A terminated account was deleted (lifecycle job).',
  'account.enable': 'A disabled account was enabled again by an admin.',
  'account.disable': 'An admin disabled the account.',
  'account.terminate': 'An admin terminated the account.',
  'account.reset-mfa': 'An admin reset the authenticator of the account.',
  'account.unlock': 'An admin unlocked the account.',
  'account.resend-seed-email': 'An admin sent the SEED onboarding email again.',
  'account.send-reset-link': 'Support sent a password reset link.',
  'account.verify-phone': 'Support marked the phone verified.',
  'account.resend-initial-password': 'The initial password was sent again (self-service or support).',
  'account.lock': 'The account locked after too many wrong passwords or authenticator codes.',
  'sign-in.success': 'A sign-in completed (after the second factor when one is registered).',
  'sign-in.failure': 'A sign-in was refused: wrong password, locked or blocked account, or a wrong authenticator code.',
  'mfa.register': 'An authenticator was registered.',
  'phone.code-sent': 'A phone verification code was sent by SMS.',
  'phone.verify': 'The phone number was verified with its SMS code.',
  'phone.verify-failure': 'A phone verification code was refused (wrong, expired, reused or too many attempts).',
  'password.change': 'The holder changed the password (signed in).',
  'password.reset-request': "A password reset code was sent by SMS at the holder's request (signed out).",
  'password.reset': 'The password was reset (SMS code or support link).',
  'terms.accept': 'A terms document was accepted (document, version, client).',
  'seed.email-expire': 'The SEED onboarding email passed its validity (lifecycle job).',
  'seed.device-register': 'A device was handed over to SEED onboarding.',
  'seed.device-remove': 'A device was removed (offboarded) from SEED.',
  'admin-key.create': 'A named admin API key was created.',
  'admin-key.revoke': 'A named admin API key was revoked.',
  'admin.get': 'An admin API read (any outcome), with route and status.',
  'admin.post': 'An admin API change (any outcome), with route and status.',
  'admin.delete': 'An admin API removal (any outcome), with route and status.',
} as const;

export type AuditEventType = keyof typeof AUDIT_EVENT_TYPES;
export const isAuditEventType = (s: string): s is AuditEventType => Object.hasOwn(AUDIT_EVENT_TYPES, s);

export type AuditOutcome = 'success' | 'failure';

export interface AuditActor {
  type: ActorType;
  /** The username, the admin key's actor line, the job name, or what an anonymous caller claimed to be. */
  name: string;
}

export const accountActor = (username: string): AuditActor => ({ type: 'account', name: username });
export const adminActor = (actorLine: string): AuditActor => ({ type: 'admin', name: actorLine });
export const systemActor = (job: string): AuditActor => ({ type: 'system', name: job });
export const anonymousActor = (claimed: string): AuditActor => ({ type: 'anonymous', name: claimed });

export interface AuditEntry {
  actor: AuditActor;
  action: AuditEventType;
  subject: string;
  outcome?: AuditOutcome;
  details?: Record<string, unknown>;
  /** When it happened, if not the `at` of the append (history written by the benchmark seed). */
  at?: Date;
}

/** Appends one record (inside the caller's transaction when `db` is one). */
export async function audit(
  db: Kysely<DB>,
  at: Date,
  actor: AuditActor,
  action: AuditEventType,
  subject: string,
  details: Record<string, unknown> = {},
  outcome: AuditOutcome = 'success',
): Promise<void> {
  await auditMany(db, at, [{ actor, action, subject, details, outcome }]);
}

const CHUNK = 200;

/**
 * Appends records in order, set-based (multi-row inserts). The chain head is taken first with one UPDATE that
 * reserves the positions: on PostgreSQL it holds the head's row lock to commit, on SQLite it makes the transaction
 * the writer; so parallel appends queue and never fork the chain. Call it last in a transaction, after every other
 * row lock, so it is never waited for while holding the head.
 */
export async function auditMany(db: Kysely<DB>, at: Date, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (!db.isTransaction) {
    await db.transaction().execute((tx) => auditMany(tx, at, entries));
    return;
  }
  const head = await sql<{ seq: number | string; hash: string }>`
    update audit_chain_head set seq = seq + ${entries.length} where id = 1 returning seq, hash`.execute(db);
  const row = head.rows[0];
  if (!row) throw new Error('The audit chain head is missing (migration 0410_audit_chain_and_funnel not applied).');
  let seq = Number(row.seq) - entries.length;
  let prev = row.hash;
  const requestId = currentRequestId() ?? null;
  const atIso = at.toISOString();
  const values = entries.map((e) => {
    seq += 1;
    const record = {
      seq,
      id: randomUUID(),
      at: e.at ? e.at.toISOString() : atIso,
      actorType: e.actor.type,
      actor: e.actor.name.slice(0, 200),
      action: e.action,
      subject: e.subject.slice(0, 200),
      outcome: e.outcome ?? 'success',
      requestId,
      details: JSON.stringify(e.details ?? {}),
    };
    const hash = auditRecordHash(prev, record);
    const out = {
      id: record.id,
      seq,
      at: record.at,
      actor_type: record.actorType,
      actor: record.actor,
      action: record.action,
      subject: record.subject,
      outcome: record.outcome,
      request_id: requestId,
      details: record.details,
      prev_hash: prev,
      hash,
    };
    prev = hash;
    return out;
  });
  for (let i = 0; i < values.length; i += CHUNK)
    await db
      .insertInto('audit_log')
      .values(values.slice(i, i + CHUNK))
      .execute();
  await db.updateTable('audit_chain_head').set({ hash: prev }).where('id', '=', 1).execute();
}

export type AuditRecord = Selectable<AuditTable>;

/** The fields of a stored record that its hash covers. */
function chainedFieldsOf(r: AuditRecord): ChainedFields {
  return {
    seq: Number(r.seq),
    id: r.id,
    at: r.at,
    actorType: r.actor_type ?? '',
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    outcome: r.outcome ?? '',
    requestId: r.request_id,
    details: r.details,
  };
}

/** A record as the admin API and CLI show it. */
export function auditRecordView(r: AuditRecord): ApiAuditRecord {
  const { action, details, ...fields } = chainedFieldsOf(r);
  return {
    ...fields,
    type: action,
    details: JSON.parse(details) as Record<string, unknown>,
    prevHash: r.prev_hash ?? '',
    hash: r.hash ?? '',
  };
}

export interface AuditFilter {
  /** The account (username) or invitation email the record is about. */
  subject?: string;
  actor?: string;
  action?: string;
  /** UTC ISO times with milliseconds (Date#toISOString, the form of `at`): at >= since, at < until. */
  since?: string;
  until?: string;
  /** Keyset cursor: only records before this position (newest first). */
  beforeSeq?: number;
  limit: number;
}

/** One page of records, newest first, with the cursor of the next page (undefined on the last). */
export async function listAudit(
  db: Kysely<DB>,
  f: AuditFilter,
): Promise<{ items: AuditRecord[]; nextBeforeSeq?: number }> {
  let q = db.selectFrom('audit_log').selectAll();
  if (f.subject !== undefined) q = q.where('subject', '=', f.subject);
  if (f.actor !== undefined) q = q.where('actor', '=', f.actor);
  if (f.action !== undefined) q = q.where('action', '=', f.action);
  if (f.since !== undefined) q = q.where('at', '>=', f.since);
  if (f.until !== undefined) q = q.where('at', '<', f.until);
  if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
  const rows = await q
    .orderBy('seq', 'desc')
    .limit(f.limit + 1)
    .execute();
  const items = rows.slice(0, f.limit).map(normalise);
  const last = items[items.length - 1];
  return rows.length > f.limit && last ? { items, nextBeforeSeq: Number(last.seq) } : { items };
}

/** Every record in chain order, in keyset pages (export and verify never hold the whole log in memory). */
export async function* auditRecordsInOrder(db: Kysely<DB>, page = 1000): AsyncGenerator<AuditRecord> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(page)
      .execute();
    for (const r of rows) yield normalise(r);
    const last = rows[rows.length - 1];
    if (!last || rows.length < page) return;
    after = Number(last.seq);
  }
}

// BIGINT may arrive as a string from a driver without a type parser.
const normalise = (r: AuditRecord): AuditRecord => ({ ...r, seq: r.seq === null ? null : Number(r.seq) });

export type AuditVerification =
  | { ok: true; records: number; headSeq: number }
  | { ok: false; records: number; firstBad: { seq: number; id: string; reason: string } };

/** Recomputes the chain from the first record; names the first record whose hash, link or position is wrong. */
export async function verifyAudit(db: Kysely<DB>): Promise<AuditVerification> {
  let prev = GENESIS_HASH;
  let expected = 1;
  let records = 0;
  const bad = (r: { seq: number; id: string }, reason: string): AuditVerification => ({
    ok: false,
    records,
    firstBad: { seq: r.seq, id: r.id, reason },
  });
  for await (const r of auditRecordsInOrder(db)) {
    records += 1;
    const seq = Number(r.seq);
    if (seq !== expected)
      return bad({ seq: expected, id: r.id }, `record ${expected} is missing (the next one is ${seq})`);
    if (r.prev_hash !== prev)
      return bad(
        { seq, id: r.id },
        'its previous-record hash does not match the record before it (a record before it was removed or changed)',
      );
    const hash = auditRecordHash(prev, chainedFieldsOf(r));
    if (hash !== r.hash) return bad({ seq, id: r.id }, 'its content does not match its hash (the record was modified)');
    prev = hash;
    expected += 1;
  }
  // A record inserted around the chain (no position) was not written by the service.
  const outside = await db.selectFrom('audit_log').select('id').where('seq', 'is', null).limit(1).executeTakeFirst();
  if (outside)
    return {
      ok: false,
      records,
      firstBad: { seq: 0, id: outside.id, reason: 'it is outside the hash chain (inserted without a position)' },
    };
  const head = await db.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  const headSeq = Number(head?.seq ?? 0);
  if (!head || headSeq !== expected - 1 || head.hash !== prev) {
    return {
      ok: false,
      records,
      firstBad: {
        seq: expected,
        id: '',
        reason: `the chain head says ${headSeq} records; records after ${expected - 1} were removed`,
      },
    };
  }
  return { ok: true, records, headSeq };
}
