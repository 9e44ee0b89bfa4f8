import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { z } from 'zod';
import type { CreateInvitationBody } from '../../../../shared/api';
import { DEFAULT_LOCALE, supportedLocaleOr } from '../../../../shared/domain/locale';
import type { Ctx } from '../../context';
import { addSec, iso } from '../../context';
import { randomToken, sha256 } from '../../crypto';
import type { DB } from '../../db/schema';
import { enqueueMany, type NewMessage } from '../../outbox/outbox-store';
import { adminActor, auditMany, type AuditEntry } from '../../db/audit';
import { invitationProblems } from '../../../../shared/domain/invitation-rules';
import { fieldProblem } from '../../../../shared/domain/field-problems';
import { envelopeFields, type EnvelopeFields } from '../../http/errors';
import { invitationRow, registrationUrl } from './service';

type Body = z.infer<typeof CreateInvitationBody>;

export interface BulkRowResult {
  index: number;
  email: string;
  ok: boolean;
  id?: string;
  error?: { code: string; message: string; fields?: EnvelopeFields };
}

/** How many rows go into one multi-row INSERT (18 columns each: far below either database's parameter limit). */
const INSERT_CHUNK = 100;

/**
 * Creates the valid rows of a bulk invitation inside the caller's transaction: one query finds the emails that
 * already have an account, one supersedes pending invitations to the same emails, then invitations, their N-REG-LINK
 * messages and audit entries go in as multi-row inserts. All or nothing: the caller's transaction commits every row
 * or none (a crash half-way leaves nothing). Same rules and messages as a single invitation.
 */
export async function createInvitationsInBulk(
  ctx: Ctx,
  tx: Kysely<DB>,
  rows: readonly { index: number; body: Body }[],
  actor: string,
): Promise<BulkRowResult[]> {
  const now = ctx.clock.now();
  const results: BulkRowResult[] = [];
  const seen = new Map<string, number>();
  const ready: { index: number; body: Body; email: string }[] = [];
  for (const r of rows) {
    const email = r.body.email.toLowerCase();
    const problems = invitationProblems(r.body);
    if (problems) {
      results.push({
        index: r.index,
        email,
        ok: false,
        error: {
          code: 'VALIDATION_FAILED',
          message: 'Some fields are missing or not valid. Correct them and try again.',
          fields: envelopeFields(problems),
        },
      });
      continue;
    }
    const first = seen.get(email);
    if (first !== undefined) {
      results.push({
        index: r.index,
        email,
        ok: false,
        error: {
          code: 'VALIDATION_FAILED',
          message: `This email is already invited by row ${first} of this request. Invite each person once.`,
          fields: envelopeFields({ email: fieldProblem('email.duplicate_in_request', { row: first }) }),
        },
      });
      continue;
    }
    seen.set(email, r.index);
    ready.push({ ...r, email });
  }
  if (ready.length === 0) return results.sort((a, b) => a.index - b.index);

  const emails = ready.map((r) => r.email);
  const accounts = new Map<string, { loginId: string; locale: string }>();
  for (let i = 0; i < emails.length; i += 500) {
    const found = await tx
      .selectFrom('accounts')
      .select(['email', 'login_id', 'locale'])
      .where('email', 'in', emails.slice(i, i + 500))
      .where('state', 'in', ['PENDING', 'ACTIVE', 'DISABLED'])
      .execute();
    for (const a of found) accounts.set(a.email.toLowerCase(), { loginId: a.login_id, locale: a.locale });
  }
  const pending = new Map<string, string[]>();
  for (let i = 0; i < emails.length; i += 500) {
    // lower(email) with status 'sent' is exactly the partial unique index of live invitations.
    const found = await tx
      .selectFrom('invitations')
      .select(['id', 'email'])
      .where(sql<string>`lower(email)`, 'in', emails.slice(i, i + 500))
      .where('status', '=', 'sent')
      .execute();
    for (const p of found) pending.set(p.email, [...(pending.get(p.email) ?? []), p.id]);
  }

  const messages: NewMessage[] = [];
  const audits: AuditEntry[] = [];
  const invitations: DB['invitations'][] = [];
  const supersede: { oldId: string; newId: string }[] = [];
  const expiresAt = iso(addSec(now, ctx.deadlines.registrationLinkValidity));
  for (const r of ready) {
    const holder = accounts.get(r.email);
    if (holder) {
      // As for a single invitation: the holder is told (N-DUP-REG) and no second invitation is made.
      messages.push({
        channel: 'email',
        to: r.email,
        template: 'N-DUP-REG',
        data: { loginId: holder.loginId },
        locale: supportedLocaleOr(holder.locale),
      });
      results.push({
        index: r.index,
        email: r.email,
        ok: false,
        error: {
          code: 'CONFLICT',
          message:
            'This email already has a TechPass account. The holder was emailed their TechPass ID; no new invitation was sent.',
        },
      });
      continue;
    }
    const id = randomUUID();
    const token = randomToken(32);
    const row = invitationRow(id, r.email, r.body, sha256(token), iso(now), expiresAt);
    invitations.push(row);
    for (const oldId of pending.get(r.email) ?? []) supersede.push({ oldId, newId: id });
    messages.push({
      channel: 'email',
      to: r.email,
      template: 'N-REG-LINK',
      data: { token, registrationUrl: registrationUrl(ctx, token), expiresAt, inviterEmail: row.inviter_email },
      locale: DEFAULT_LOCALE, // before the invitee chose: the template points to the other languages
      invitationId: id,
    });
    audits.push({
      actor: adminActor(actor),
      action: 'invitation.create',
      subject: r.email,
      details: { id, inviterEmail: row.inviter_email, bulk: true },
    });
    results.push({ index: r.index, email: r.email, ok: true, id });
  }
  // Superseded first: at most one live invitation per email holds at every statement.
  for (const s of supersede) {
    await tx
      .updateTable('invitations')
      .set({ status: 'superseded', superseded_by: s.newId })
      .where('id', '=', s.oldId)
      .where('status', '=', 'sent')
      .execute();
  }
  for (let i = 0; i < invitations.length; i += INSERT_CHUNK) {
    await tx
      .insertInto('invitations')
      .values(invitations.slice(i, i + INSERT_CHUNK))
      .execute();
  }
  await enqueueMany(tx, now, messages);
  await auditMany(tx, now, audits);
  return results.sort((a, b) => a.index - b.index);
}
