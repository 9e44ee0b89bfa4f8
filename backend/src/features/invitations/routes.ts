import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import * as api from '../../../../shared/api';
import { fieldProblem } from '../../../../shared/domain/field-problems';
import type { Ctx } from '../../context';
import { isUniqueViolation } from '../../db/connect';
import { ApiError, envelopeFields, issueFields } from '../../http/errors';
import { withIdempotency } from '../../http/platform';
import { adminPrincipalOf, ok } from '../../http/request';
import type { HandlersFor } from '../../http/route-table';
import { listDeliveries } from '../../outbox/deliveries';
import { createInvitationsInBulk, type BulkRowResult } from './bulk';
import { createInvitation, invitationProblems, listInvitations, resendInvitation, revokeInvitation } from './service';

type InvitationOperation =
  | 'createInvitation'
  | 'listInvitations'
  | 'createInvitationsInBulk'
  | 'resendInvitation'
  | 'revokeInvitation'
  | 'listInvitationDeliveries';

/** Invitations (admin API): one or in bulk, listed, resent, revoked, and the messages about each. */
export function invitationHandlers(ctx: Ctx): HandlersFor<InvitationOperation> {
  const actor = (req: FastifyRequest) => adminPrincipalOf(req).actor;
  /**
   * The inviter of an invitation: an inviter key invites as its principal (a body `inviterEmail` naming someone
   * else is refused); the portal key names the inviter in `inviterEmail`.
   */
  const inviterFor = (req: FastifyRequest, raw: Record<string, unknown>): Record<string, unknown> => {
    const p = adminPrincipalOf(req);
    if (p.kind === 'portal') return raw;
    if (
      raw.inviterEmail !== undefined &&
      (typeof raw.inviterEmail !== 'string' || raw.inviterEmail.trim().toLowerCase() !== p.principal)
    ) {
      throw new ApiError({
        status: 403,
        code: 'INVITER_MISMATCH',
        message: `This admin key invites as ${p.principal}; inviterEmail names someone else. Leave inviterEmail out, or use the key of that inviter.`,
        fields: { inviterEmail: fieldProblem('inviter_email.must_match_key', { principal: p.principal }) },
      });
    }
    return { ...raw, inviterEmail: p.principal };
  };
  /** An inviter key sees and changes only the invitations it made. */
  const ownInvitation = async (req: FastifyRequest, id: string) => {
    const p = adminPrincipalOf(req);
    if (p.role !== 'inviter') return;
    const inv = await ctx.db.selectFrom('invitations').select('inviter_email').where('id', '=', id).executeTakeFirst();
    if (!inv || inv.inviter_email !== p.principal) {
      throw new ApiError({
        status: 404,
        code: 'NOT_FOUND',
        message: 'The invitation was not found among the invitations of this key. Check the id ("invitations list").',
      });
    }
  };
  const rowErrorFields = (issues: readonly z.core.$ZodIssue[]) => issueFields(issues, 'row');
  return {
    createInvitation: {
      adminPermission: 'invitations.write',
      // An inviter key fills in (or checks) inviterEmail before the body is validated.
      preValidation: async (req) => {
        if (req.body && typeof req.body === 'object' && !Array.isArray(req.body))
          req.body = inviterFor(req, req.body as Record<string, unknown>);
      },
      handle: async (req) => {
        const { token: _t, ...out } = await createInvitation(ctx, req.body, actor(req));
        return { status: 201, body: out };
      },
    },
    // Paged (newest first): the next page's address is in the Link header (rel="next"), absent on the last page.
    listInvitations: {
      adminPermission: 'invitations.read',
      handle: async (req, reply) => {
        const p = adminPrincipalOf(req);
        const page = await listInvitations(ctx, {
          ...req.query,
          ...(p.role === 'inviter' ? { inviterEmail: p.principal } : {}),
        });
        if (page.next) {
          const qs = new URLSearchParams({
            ...(req.query.limit ? { limit: String(req.query.limit) } : {}),
            after: page.next,
          });
          void reply.header('link', `</v1/admin/invitations?${qs.toString()}>; rel="next"`);
        }
        return ok(page.items);
      },
    },
    // Each row is validated on its own, so one bad row is reported in its result instead of refusing the batch.
    createInvitationsInBulk: {
      adminPermission: 'invitations.write',
      idempotencyInTransaction: true,
      handle: async (req, reply) => {
        const dryRun = req.query.dryRun === 'true';
        const results: BulkRowResult[] = [];
        const valid: { index: number; body: z.infer<typeof api.CreateInvitationBody> }[] = [];
        for (const [index, raw] of req.body.entries()) {
          const email = typeof raw.email === 'string' ? raw.email : '';
          try {
            const parsed = api.CreateInvitationBody.safeParse(inviterFor(req, raw));
            if (!parsed.success)
              throw new ApiError({
                status: 400,
                code: 'VALIDATION_FAILED',
                message: 'Some fields are missing or not valid. Correct them and try again.',
                fields: rowErrorFields(parsed.error.issues),
              });
            if (dryRun) {
              const problems = invitationProblems(parsed.data);
              if (problems)
                throw new ApiError({
                  status: 400,
                  code: 'VALIDATION_FAILED',
                  message: 'Some fields are not valid. Correct them and try again.',
                  fields: problems,
                });
              results.push({ index, email: parsed.data.email, ok: true });
            } else valid.push({ index, body: parsed.data });
          } catch (err) {
            if (!(err instanceof ApiError)) throw err;
            results.push({
              index,
              email,
              ok: false,
              error: {
                code: err.code,
                message: err.message,
                ...(err.fields ? { fields: envelopeFields(err.fields) } : {}),
              },
            });
          }
        }
        if (dryRun) return ok({ dryRun, results });
        try {
          return await withIdempotency(ctx, req, reply, async (tx) => {
            const created = await createInvitationsInBulk(ctx, tx, valid, actor(req));
            return {
              status: 201,
              body: { dryRun, results: [...results, ...created].sort((a, b) => a.index - b.index) },
            };
          });
        } catch (err) {
          // Another invitation to one of these emails committed at the same moment: nothing of this request was kept.
          if (isUniqueViolation(err)) {
            throw new ApiError({
              status: 409,
              code: 'CONFLICT',
              message:
                'Another invitation to one of these emails was made at the same moment; nothing was sent. Send the same request again.',
            });
          }
          throw err;
        }
      },
    },
    resendInvitation: {
      adminPermission: 'invitations.write',
      handle: async (req) => {
        await ownInvitation(req, req.params.id);
        return ok(await resendInvitation(ctx, req.params.id, actor(req)));
      },
    },
    revokeInvitation: {
      adminPermission: 'invitations.write',
      handle: async (req) => {
        await ownInvitation(req, req.params.id);
        return ok(await revokeInvitation(ctx, req.params.id, actor(req)));
      },
    },
    // Every message about the invitation (its email, the inviter's outcome emails) with its delivery state, newest first.
    listInvitationDeliveries: {
      adminPermission: 'invitations.read',
      handle: async (req) => {
        await ownInvitation(req, req.params.id);
        const inv = await ctx.db
          .selectFrom('invitations')
          .select('id')
          .where('id', '=', req.params.id)
          .executeTakeFirst();
        if (!inv)
          throw new ApiError({
            status: 404,
            code: 'NOT_FOUND',
            message: 'No invitation has this id. Check the id ("invitations list").',
          });
        return ok(await listDeliveries(ctx.db, ctx.clock.now(), { invitationId: inv.id }));
      },
    },
  };
}
