import type { FastifyRequest } from 'fastify';
import type { AdminSupportAction } from '../../../../shared/api/provisioning';
import { fieldProblem } from '../../../../shared/domain/field-problems';
import type { Ctx } from '../../context';
import { auditRecordView, listAudit, verifyAudit } from '../../db/audit';
import { ApiError } from '../../http/errors';
import { adminPrincipalOf, ok } from '../../http/request';
import type { HandlersFor } from '../../http/route-table';
import { funnelReport } from '../../observability/funnel';
import { listDeliveries } from '../../outbox/deliveries';
import { requireAccountByUsername } from '../me/accounts';
import { accountAction, accountSummary } from './accounts';
import { forbidden, mayDo } from './keys';

type AdminOperation =
  | 'getAccount'
  | 'listAccountDeliveries'
  | 'runAccountAction'
  | 'sendResetLink'
  | 'verifyPhoneForUser'
  | 'listAuditRecords'
  | 'verifyAuditTrail'
  | 'getFunnelReport';

/** Support and IT on the admin API: accounts and their actions and messages, the audit trail, the funnel report. */
export function adminHandlers(ctx: Ctx): HandlersFor<AdminOperation> {
  const actor = (req: FastifyRequest) => adminPrincipalOf(req).actor;
  const support = (action: AdminSupportAction) => ({
    adminPermission: 'accounts.support' as const,
    handle: async (req: FastifyRequest<{ Params: { username: string }; Body: { ticket: string } }>) =>
      ok(
        await accountAction(
          ctx,
          req.params.username,
          action,
          `${actor(req)} ticket ${req.body.ticket}`,
          req.body.ticket,
        ),
      ),
  });
  return {
    listAccountDeliveries: {
      adminPermission: 'accounts.read',
      handle: async (req) =>
        ok(
          await listDeliveries(ctx.db, ctx.clock.now(), {
            accountId: (await requireAccountByUsername(ctx, req.params.username)).id,
          }),
        ),
    },
    getAccount: {
      adminPermission: 'accounts.read',
      handle: async (req) => ok(accountSummary(ctx, await requireAccountByUsername(ctx, req.params.username))),
    },
    // The guard checks that the key may read accounts; the handler checks the action itself.
    runAccountAction: {
      adminPermission: 'accounts.read',
      handle: async (req) => {
        const permission = req.params.action === 'resend-seed-email' ? 'accounts.seed' : 'accounts.support';
        const p = adminPrincipalOf(req);
        if (!mayDo(p, permission)) throw forbidden(p, permission);
        return ok(await accountAction(ctx, req.params.username, req.params.action, actor(req)));
      },
    },
    sendResetLink: support('send-reset-link'),
    verifyPhoneForUser: support('verify-phone'),
    // The audit trail, newest first, in keyset pages: the next page's address is in the Link header (rel="next").
    listAuditRecords: {
      adminPermission: 'audit.read',
      handle: async (req, reply) => {
        const q = req.query;
        const page = await listAudit(ctx.db, {
          limit: q.limit ?? 100,
          ...(q.account !== undefined ? { subject: q.account } : {}),
          ...(q.actor !== undefined ? { actor: q.actor } : {}),
          ...(q.type !== undefined ? { action: q.type } : {}),
          // `at` is stored as UTC ISO text with milliseconds: only the same form compares as instants do.
          ...(q.since !== undefined ? { since: new Date(q.since).toISOString() } : {}),
          ...(q.until !== undefined ? { until: new Date(q.until).toISOString() } : {}),
          ...(q.before !== undefined ? { beforeSeq: q.before } : {}),
        });
        if (page.nextBeforeSeq !== undefined) {
          const next = new URLSearchParams();
          for (const [k, v] of Object.entries(q)) if (v !== undefined && k !== 'before') next.set(k, String(v));
          next.set('before', String(page.nextBeforeSeq));
          void reply.header('link', `</v1/admin/audit?${next.toString()}>; rel="next"`);
        }
        return ok(page.items.map(auditRecordView));
      },
    },
    verifyAuditTrail: { adminPermission: 'audit.read', handle: async () => ok(await verifyAudit(ctx.db)) },
    getFunnelReport: {
      adminPermission: 'reports.read',
      handle: async (req) => {
        const until = req.query.until ? new Date(req.query.until) : ctx.clock.now();
        const since = req.query.since ? new Date(req.query.since) : new Date(until.getTime() - 30 * 86_400_000);
        if (since.getTime() >= until.getTime()) {
          throw new ApiError({
            status: 400,
            code: 'VALIDATION_FAILED',
            message: 'The period is empty: "since" must be before "until".',
            fields: { since: fieldProblem('period.since_not_before_until') },
          });
        }
        return ok(
          await funnelReport(ctx, {
            since,
            until,
            ...(req.query.withinHours !== undefined ? { withinSeconds: req.query.withinHours * 3600 } : {}),
          }),
        );
      },
    },
  };
}
