import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { z } from 'zod';
import { invitationProblems, invitationStatusAt } from '../../../../shared/domain/invitation-rules';
import { DEFAULT_LOCALE, supportedLocaleOr } from '../../../../shared/domain/locale';
import type { CreateInvitationBody } from '../../../../shared/api';
import type { InvitationStatus } from '../../../../shared/domain/states';
import type { DB, InvitationTable } from '../../db/schema';
import type { Ctx } from '../../context';
import { addSec, iso } from '../../context';
import { randomToken, sha256 } from '../../crypto';
import { isUniqueViolation } from '../../db/connect';
import { INVITATION_PAGE_MAX } from '../../../../shared/api/routes';
import { ApiError, notFound } from '../../http/errors';
import { fieldProblem } from '../../../../shared/domain/field-problems';
import { enqueue } from '../../outbox/outbox-store';
import { adminActor, audit } from '../../db/audit';

export type Invitation = Selectable<InvitationTable>;
type Body = z.infer<typeof CreateInvitationBody>;

export { invitationProblems };

export function invitationStatus(ctx: Ctx, inv: Pick<Invitation, 'status' | 'expires_at'>): InvitationStatus {
  return invitationStatusAt({ status: inv.status, expiresAt: inv.expires_at }, ctx.clock.now());
}

export function registrationUrl(ctx: Ctx, token: string): string {
  return `${ctx.publicUrl}/register/${token}`;
}

async function sendLink(
  ctx: Ctx,
  db: Kysely<DB>,
  inv: Pick<Invitation, 'id' | 'email' | 'inviter_email' | 'expires_at'>,
  token: string,
  now: Date,
) {
  await enqueue(db, now, {
    channel: 'email',
    to: inv.email,
    template: 'N-REG-LINK',
    data: {
      token,
      registrationUrl: registrationUrl(ctx, token),
      expiresAt: inv.expires_at,
      inviterEmail: inv.inviter_email,
    },
    // Before the invitee chose a language: the template adds a line in each other language pointing to the app.
    locale: DEFAULT_LOCALE,
    invitationId: inv.id,
  });
}

/** The stored row of a new invitation, for a single invitation and for each row of a bulk one. */
export function invitationRow(
  id: string,
  email: string,
  body: Body,
  tokenHash: string,
  createdAt: string,
  expiresAt: string,
): DB['invitations'] {
  return {
    id,
    email,
    first_name: body.firstName ?? null,
    last_name: body.lastName ?? null,
    business_operation: body.businessOperation,
    odc: body.odc ?? null,
    offshore_company_name: body.offshoreCompanyName ?? null,
    sponsoring_agency: body.sponsoringAgency,
    seed_requested: body.seedRequested ? 1 : 0,
    password_delivery: body.passwordDelivery,
    inviter_email: body.inviterEmail.toLowerCase(),
    token_hash: tokenHash,
    status: 'sent',
    created_at: createdAt,
    expires_at: expiresAt,
    superseded_by: null,
    account_id: null,
    result_notified: 0,
  };
}

/** Creates an invitation (SENT), superseding any pending one to the same email, and queues N-REG-LINK. */
export async function createInvitation(
  ctx: Ctx,
  body: Body,
  actor: string,
): Promise<{ id: string; status: 'sent'; expiresAt: string; token: string }> {
  const problems = invitationProblems(body);
  if (problems)
    throw new ApiError({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'Some fields are missing or not valid. Correct them and try again.',
      fields: problems,
    });
  const now = ctx.clock.now();
  const email = body.email.toLowerCase();
  const existing = await ctx.db
    .selectFrom('accounts')
    .select(['id', 'login_id', 'email', 'locale'])
    .where('email', '=', email)
    .where('state', 'in', ['PENDING', 'ACTIVE', 'DISABLED'])
    .executeTakeFirst();
  if (existing) {
    await ctx.db.transaction().execute(async (tx) => {
      await enqueue(tx, now, {
        channel: 'email',
        to: email,
        template: 'N-DUP-REG',
        data: { loginId: existing.login_id },
        locale: supportedLocaleOr(existing.locale),
        accountId: existing.id,
      });
    });
    throw new ApiError({
      status: 409,
      code: 'CONFLICT',
      message:
        'This email already has a TechPass account. The holder was emailed their TechPass ID; no new invitation was sent.',
    });
  }
  const token = randomToken(32);
  const id = randomUUID();
  const expiresAt = iso(addSec(now, ctx.deadlines.registrationLinkValidity));
  // "One live invitation per email" is the unique index invitations_one_live_per_email; superseding the live one
  // and inserting the new one happen in one transaction. On PostgreSQL a transaction-scoped advisory lock per email
  // queues concurrent invitations to one address, so each supersedes the one before it; a unique violation (another
  // writer got in between) retries the whole transaction against the new state.
  const write = () =>
    ctx.db.transaction().execute(async (tx) => {
      if (ctx.dialect === 'postgres')
        await sql`select pg_advisory_xact_lock(hashtext(${`invitation:${email}`}))`.execute(tx);
      await tx
        .updateTable('invitations')
        .set({ status: 'superseded', superseded_by: id })
        .where(sql<string>`lower(email)`, '=', email)
        // An expired one too: resending it later would otherwise bring back a second live link.
        .where('status', 'in', ['sent', 'expired'])
        .execute();
      const row = invitationRow(id, email, body, sha256(token), iso(now), expiresAt);
      await tx.insertInto('invitations').values(row).execute();
      await sendLink(ctx, tx, row, token, now);
      await audit(tx, now, adminActor(actor), 'invitation.create', email, { id, inviterEmail: row.inviter_email });
    });
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      break;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      if (attempt >= 5) {
        throw new ApiError({
          status: 409,
          code: 'CONFLICT',
          message:
            'Other invitations to this email are being sent at the same moment. Wait a few seconds and send it again.',
          details: { retryAfterSeconds: 2 },
          headers: { 'Retry-After': '2' },
        });
      }
    }
  }
  return { id, status: 'sent', expiresAt, token };
}

export function invitationView(ctx: Ctx, inv: Invitation) {
  return {
    id: inv.id,
    email: inv.email,
    status: invitationStatus(ctx, inv),
    businessOperation: inv.business_operation,
    odc: inv.odc,
    seedRequested: inv.seed_requested === 1,
    passwordDelivery: inv.password_delivery,
    inviterEmail: inv.inviter_email,
    createdAt: inv.created_at,
    expiresAt: inv.expires_at,
  };
}

/** Opaque keyset cursor: the (created_at, id) of the last row of a page. */
export function invitationCursor(inv: Pick<Invitation, 'created_at' | 'id'>): string {
  return Buffer.from(JSON.stringify([inv.created_at, inv.id])).toString('base64url');
}

function parseInvitationCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    /* reported below */
  }
  throw new ApiError({
    status: 400,
    code: 'VALIDATION_FAILED',
    message: 'The page cursor is not valid. Start again from the first page (leave out "after").',
    fields: { after: fieldProblem('cursor.invalid') },
  });
}

/**
 * Newest first, one page at a time (keyset on created_at, id: every page is an index range, however many
 * invitations there are). `next` is the cursor of the following page, absent on the last one.
 */
export async function listInvitations(
  ctx: Ctx,
  page: { limit?: number | undefined; after?: string | undefined; inviterEmail?: string | undefined } = {},
) {
  const limit = Math.min(Math.max(page.limit ?? INVITATION_PAGE_MAX, 1), INVITATION_PAGE_MAX);
  let q = ctx.db.selectFrom('invitations').selectAll();
  if (page.inviterEmail !== undefined) q = q.where('inviter_email', '=', page.inviterEmail.toLowerCase());
  if (page.after !== undefined) {
    const [createdAt, id] = parseInvitationCursor(page.after);
    q = q.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(createdAt, id)));
  }
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map((r) => invitationView(ctx, r)), ...(more && last ? { next: invitationCursor(last) } : {}) };
}

async function getInvitation(ctx: Ctx, id: string): Promise<Invitation> {
  const inv = await ctx.db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!inv) throw notFound('The invitation');
  return inv;
}

/** A fresh link (new token, new 5-day window) for a SENT or EXPIRED invitation; the old link stops working. */
export async function resendInvitation(ctx: Ctx, id: string, actor: string) {
  const inv = await getInvitation(ctx, id);
  const status = invitationStatus(ctx, inv);
  if (status !== 'sent' && status !== 'expired') {
    throw new ApiError({
      status: 409,
      code: 'CONFLICT',
      message: `This invitation is ${status} and cannot be resent. Send a new invitation instead.`,
    });
  }
  const now = ctx.clock.now();
  const token = randomToken(32);
  const expiresAt = iso(addSec(now, ctx.deadlines.registrationLinkValidity));
  try {
    await ctx.db.transaction().execute(async (tx) => {
      const res = await tx
        .updateTable('invitations')
        .set({ token_hash: sha256(token), status: 'sent', expires_at: expiresAt, result_notified: 0 })
        .where('id', '=', id)
        .where('status', 'in', ['sent', 'expired'])
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1)
        throw new ApiError({
          status: 409,
          code: 'CONFLICT',
          message:
            'This invitation changed meanwhile (used, withdrawn or replaced). Reload the list and act on the current invitation.',
        });
      await sendLink(ctx, tx, { ...inv, expires_at: expiresAt }, token, now);
      await audit(tx, now, adminActor(actor), 'invitation.resend', inv.email, { id });
    });
  } catch (err) {
    // The one-live-invitation index: another invitation to this email is live.
    if (isUniqueViolation(err))
      throw new ApiError({
        status: 409,
        code: 'CONFLICT',
        message: 'A newer invitation to this email is live. Resend that one instead.',
      });
    throw err;
  }
  return { id, status: 'sent' as const, expiresAt };
}

export async function revokeInvitation(ctx: Ctx, id: string, actor: string) {
  const inv = await getInvitation(ctx, id);
  const status = invitationStatus(ctx, inv);
  if (status === 'registered')
    throw new ApiError({
      status: 409,
      code: 'CONFLICT',
      message:
        'This invitation was already used to register; it cannot be revoked. Disable or terminate the account instead.',
    });
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    // Conditional: a registration that committed after the read above keeps its invitation (and is not told revoked).
    const res = await tx
      .updateTable('invitations')
      .set({ status: 'revoked' })
      .where('id', '=', id)
      .where('status', '!=', 'registered')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1)
      throw new ApiError({
        status: 409,
        code: 'CONFLICT',
        message:
          'This invitation was used to register just now; it cannot be revoked. Disable or terminate the account instead.',
      });
    await audit(tx, now, adminActor(actor), 'invitation.revoke', inv.email, { id });
  });
  return invitationView(ctx, { ...inv, status: 'revoked' });
}
