import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as api from '../../../shared/api';
import { BUNDLED_SEED_OS_BASELINE } from '../../../shared/domain/seed-os-baseline';
import type { Ctx } from '../context';
import { iso } from '../context';
import { ManualClock } from '../clock';
import { DbOutboxStore } from '../outbox/outbox-store';
import { deliveryByReference, latestDelivery, listDeliveries } from '../outbox/deliveries';
import type { Account } from '../services/accounts';
import { accountAction, accountSummary, completeLinkReset, completePasswordReset, startPasswordReset } from '../services/admin-accounts';
import { requireAccountByUsername } from '../services/accounts';
import { authenticate, signIn, signInMfa, signOut } from '../services/auth';
import { createInvitation, INVITATION_PAGE_MAX, invitationProblems, listInvitations, resendInvitation, revokeInvitation } from '../services/invitations';
import {
  acceptTerms,
  changePassword,
  meSeed,
  meView,
  registerSeedDevice,
  removeSeedDevice,
  seedStatus,
  startAuthenticator,
  startPhone,
  termsList,
  verifyAuthenticator,
  verifyPhone,
} from '../services/me';
import { readRegistration, register } from '../services/registration';
import { isUniqueViolation } from '../db/connect';
import { forbidden, mayDo, resolveAdminKey, type AdminPermission, type AdminPrincipal } from '../services/admin-keys';
import { adminActor, audit, auditRecordView, isAuditEventType, listAudit, verifyAudit } from '../services/audit';
import { funnelReport } from '../observability/funnel';
import { resendInitialPassword } from '../services/initial-password';
import { createInvitationsInBulk, type BulkRowResult } from '../services/bulk-invitations';
import { ApiError, envelopeFields, issueFields } from './errors';
import { fieldProblem } from '../../../shared/domain/field-problems';
import { withIdempotency } from './platform';
import { addressRateLimit } from './rate-limit-store';

declare module 'fastify' {
  interface FastifyRequest {
    account?: Account;
    sessionHash?: string;
    adminPrincipal?: AdminPrincipal;
  }
  interface FastifyContextConfig {
    /** What an admin key must be allowed to do to call this route (services/admin-keys.ts). */
    adminPermission?: AdminPermission;
  }
}

/** Body limit of the bulk invitation route: 500 rows of the longest allowed fields (about 1.1 KiB each). */
export const BULK_BODY_LIMIT = 1024 * 1024;

export interface RouteOptions {
  ctx: Ctx;
  runJobs: () => Promise<unknown>;
}

const Token = z.object({ token: z.string().min(1).max(200) }).strict();
const UsernameParam = z.object({ username: z.string().min(1).max(200) }).strict();
const IdParam = z.object({ id: z.string().min(1).max(100) }).strict();

function client(req: FastifyRequest): Record<string, string | undefined> {
  const h = (n: string) => (typeof req.headers[n] === 'string' ? req.headers[n].slice(0, 200) : undefined);
  return { userAgent: h('user-agent'), client: h('x-techpass-client'), clientVersion: h('x-techpass-client-version'), ip: req.ip };
}

export const routes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx, runJobs }) => {
  const limit = await addressRateLimit(app, ctx);

  // ---------- auth guards (onRequest: they run before the body is read or validated) ----------
  const adminKey = ctx.config.adminApiKey;
  const requireAdmin = async (req: FastifyRequest) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const principal = m?.[1] ? await resolveAdminKey(ctx.db, ctx.clock.now(), m[1], adminKey) : undefined;
    if (!principal) {
      throw new ApiError(
        401,
        'UNAUTHORIZED',
        'The admin API key is missing, wrong or revoked. Send Authorization: Bearer <ADMIN_API_KEY or a key from "npm run admin -- keys create">.',
      );
    }
    req.adminPrincipal = principal;
    const permission = req.routeOptions.config?.adminPermission;
    // A route without a declared permission is open to the portal key only (fail closed for new routes).
    if (permission ? !mayDo(principal, permission) : principal.kind !== 'portal') throw forbidden(principal, permission ?? 'invitations.write');
  };
  const requireSession = async (req: FastifyRequest) => {
    const { account, tokenHash } = await authenticate(ctx, req.headers.authorization);
    req.account = account;
    req.sessionHash = tokenHash;
  };
  const me = (req: FastifyRequest): Account => req.account as Account;

  // ---------- admin ----------
  await app.register(async (admin) => {
    admin.addHook('onRequest', requireAdmin);
    // Every admin request, allowed or refused, is in the audit log with the principal of its key, before its answer
    // is sent (so whoever reads the trail after an answer finds the request in it).
    admin.addHook('onSend', async (req, reply, payload) => {
      const p = req.adminPrincipal;
      if (!p) return payload;
      const params = (req.params ?? {}) as Record<string, string | undefined>;
      const subject = String(params.username ?? params.id ?? req.routeOptions.url ?? '').slice(0, 200);
      const event = `admin.${req.method.toLowerCase()}`;
      if (!isAuditEventType(event)) return payload;
      const details = { route: req.routeOptions.url, status: reply.statusCode, role: p.role, ...(p.keyName ? { key: p.keyName } : {}) };
      await audit(ctx.db, ctx.clock.now(), adminActor(p.actor), event, subject, details, reply.statusCode < 400 ? 'success' : 'failure').catch((err: unknown) => req.log.error({ err: { message: String(err) } }, 'audit entry for an admin request failed'));
      return payload;
    });
    const r = admin.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();
    const actor = (req: FastifyRequest) => (req.adminPrincipal as AdminPrincipal).actor;
    /**
     * The inviter of an invitation: an inviter key invites as its principal (a body `inviterEmail` naming someone
     * else is refused); the portal key names the inviter in `inviterEmail`, as before.
     */
    const inviterFor = (req: FastifyRequest, raw: Record<string, unknown>): Record<string, unknown> => {
      const p = req.adminPrincipal as AdminPrincipal;
      if (p.kind === 'portal') return raw;
      if (raw.inviterEmail !== undefined && (typeof raw.inviterEmail !== 'string' || raw.inviterEmail.trim().toLowerCase() !== p.principal)) {
        throw new ApiError(403, 'INVITER_MISMATCH', `This admin key invites as ${p.principal}; inviterEmail names someone else. Leave inviterEmail out, or use the key of that inviter.`, {
          inviterEmail: fieldProblem('inviter_email.must_match_key', { principal: p.principal }),
        });
      }
      return { ...raw, inviterEmail: p.principal };
    };
    /** An inviter key sees and changes only the invitations it made. */
    const ownInvitation = async (req: FastifyRequest, id: string) => {
      const p = req.adminPrincipal as AdminPrincipal;
      if (p.role !== 'inviter') return;
      const inv = await ctx.db.selectFrom('invitations').select('inviter_email').where('id', '=', id).executeTakeFirst();
      if (!inv || inv.inviter_email !== p.principal) throw new ApiError(404, 'NOT_FOUND', 'The invitation was not found among the invitations of this key. Check the id ("invitations list").');
    };
    const rowErrorFields = (issues: readonly z.core.$ZodIssue[]) => issueFields(issues, 'row');
    r.post(
      '/v1/admin/invitations',
      {
        schema: { tags: ['admin'], body: api.CreateInvitationBody },
        config: { adminPermission: 'invitations.write' },
        // An inviter key fills in (or checks) inviterEmail before the body is validated.
        preValidation: async (req) => {
          if (req.body && typeof req.body === 'object' && !Array.isArray(req.body)) req.body = inviterFor(req, req.body) as typeof req.body;
        },
      },
      async (req, reply) => {
        const { token: _t, ...out } = await createInvitation(ctx, req.body, actor(req));
        return reply.status(201).send(out);
      },
    );
    // Paged (newest first): the next page's address is in the Link header (rel="next"), absent on the last page.
    const ListPage = z.object({ limit: z.coerce.number().int().min(1).max(INVITATION_PAGE_MAX).optional(), after: z.string().min(1).max(400).optional() }).strict();
    r.get('/v1/admin/invitations', { schema: { tags: ['admin'], querystring: ListPage }, config: { adminPermission: 'invitations.read' } }, async (req, reply) => {
      const p = req.adminPrincipal as AdminPrincipal;
      const page = await listInvitations(ctx, { ...req.query, ...(p.role === 'inviter' ? { inviterEmail: p.principal } : {}) });
      if (page.next) {
        const qs = new URLSearchParams({ ...(req.query.limit ? { limit: String(req.query.limit) } : {}), after: page.next });
        void reply.header('link', `</v1/admin/invitations?${qs.toString()}>; rel="next"`);
      }
      return page.items;
    });
    // Each row is validated on its own, so one bad row is reported in its result instead of refusing the batch.
    const BulkRows = z.array(z.record(z.string(), z.unknown())).min(1, 'Send at least one invitation.').max(500, 'Send at most 500 invitations at once.');
    r.post(
      '/v1/admin/invitations/bulk',
      {
        schema: { tags: ['admin'], body: BulkRows, querystring: api.BulkInvitationQuery },
        // 500 rows at their longest fit; every other route keeps the 64 KiB limit.
        bodyLimit: BULK_BODY_LIMIT,
        config: { adminPermission: 'invitations.write', idempotencyInTransaction: true },
      },
      async (req, reply) => {
        const dryRun = req.query.dryRun === 'true';
        const results: BulkRowResult[] = [];
        const valid: { index: number; body: z.infer<typeof api.CreateInvitationBody> }[] = [];
        for (const [index, raw] of req.body.entries()) {
          const email = typeof raw.email === 'string' ? raw.email : '';
          try {
            const parsed = api.CreateInvitationBody.safeParse(inviterFor(req, raw));
            if (!parsed.success) throw new ApiError(400, 'VALIDATION_FAILED', 'Some fields are missing or not valid.', rowErrorFields(parsed.error.issues));
            if (dryRun) {
              const problems = invitationProblems(parsed.data);
              if (problems) throw new ApiError(400, 'VALIDATION_FAILED', 'Some fields are not valid.', problems);
              results.push({ index, email: parsed.data.email, ok: true });
            } else valid.push({ index, body: parsed.data });
          } catch (err) {
            if (!(err instanceof ApiError)) throw err;
            results.push({ index, email, ok: false, error: { code: err.code, message: err.message, ...(err.fields ? { fields: envelopeFields(err.fields) } : {}) } });
          }
        }
        if (dryRun) return reply.status(200).send({ dryRun, results });
        try {
          return await withIdempotency(ctx, req, reply, async (tx) => {
            const created = await createInvitationsInBulk(ctx, tx, valid, actor(req));
            return { status: 201, body: { dryRun, results: [...results, ...created].sort((a, b) => a.index - b.index) } };
          });
        } catch (err) {
          // Another invitation to one of these emails committed at the same moment: nothing of this request was kept.
          if (isUniqueViolation(err)) throw new ApiError(409, 'CONFLICT', 'Another invitation to one of these emails was made at the same moment; nothing was sent. Send the same request again.');
          throw err;
        }
      },
    );
    r.post(
      '/v1/admin/invitations/:id/resend',
      { schema: { tags: ['admin'], params: IdParam }, config: { adminPermission: 'invitations.write' } },
      async (req) => {
        await ownInvitation(req, req.params.id);
        return resendInvitation(ctx, req.params.id, actor(req));
      },
    );
    r.delete('/v1/admin/invitations/:id', { schema: { tags: ['admin'], params: IdParam }, config: { adminPermission: 'invitations.write' } }, async (req) => {
      await ownInvitation(req, req.params.id);
      return revokeInvitation(ctx, req.params.id, actor(req));
    });
    // Every message about the invitation (its email, the inviter's outcome emails) with its delivery state, newest first.
    r.get(
      '/v1/admin/invitations/:id/deliveries',
      { schema: { tags: ['admin'], params: IdParam, response: { 200: api.DeliveryList } }, config: { adminPermission: 'invitations.read' } },
      async (req) => {
        await ownInvitation(req, req.params.id);
        const inv = await ctx.db.selectFrom('invitations').select('id').where('id', '=', req.params.id).executeTakeFirst();
        if (!inv) throw new ApiError(404, 'NOT_FOUND', 'No invitation has this id. Check the id ("invitations list").');
        return listDeliveries(ctx.db, ctx.clock.now(), { invitationId: inv.id });
      },
    );
    r.get(
      '/v1/admin/accounts/:username/deliveries',
      { schema: { tags: ['admin'], params: UsernameParam, response: { 200: api.DeliveryList } }, config: { adminPermission: 'accounts.read' } },
      async (req) => listDeliveries(ctx.db, ctx.clock.now(), { accountId: (await requireAccountByUsername(ctx, req.params.username)).id }),
    );
    r.get('/v1/admin/accounts/:username', { schema: { tags: ['admin'], params: UsernameParam }, config: { adminPermission: 'accounts.read' } }, async (req) =>
      accountSummary(ctx, await requireAccountByUsername(ctx, req.params.username)),
    );
    r.post(
      '/v1/admin/accounts/:username/:action',
      // The guard checks that the key may read accounts; the handler checks the action itself.
      { schema: { tags: ['admin'], params: z.object({ username: z.string().min(1).max(200), action: api.AdminAccountAction }).strict() }, config: { adminPermission: 'accounts.read' } },
      async (req) => {
        const permission = req.params.action === 'resend-seed-email' ? 'accounts.seed' : 'accounts.support';
        const p = req.adminPrincipal as AdminPrincipal;
        if (!mayDo(p, permission)) throw forbidden(p, permission);
        return accountAction(ctx, req.params.username, req.params.action, actor(req));
      },
    );
    // The audit trail, newest first, in keyset pages: the next page's address is in the Link header (rel="next").
    r.get('/v1/admin/audit', { schema: { tags: ['admin'], querystring: api.AuditListQuery }, config: { adminPermission: 'audit.read' } }, async (req, reply) => {
      const q = req.query;
      const limit = q.limit ?? 100;
      const page = await listAudit(ctx.db, {
        limit,
        ...(q.account !== undefined ? { subject: q.account } : {}),
        ...(q.actor !== undefined ? { actor: q.actor } : {}),
        ...(q.type !== undefined ? { action: q.type } : {}),
        ...(q.since !== undefined ? { since: q.since } : {}),
        ...(q.until !== undefined ? { until: q.until } : {}),
        ...(q.before !== undefined ? { beforeSeq: q.before } : {}),
      });
      if (page.nextBeforeSeq !== undefined) {
        const next = new URLSearchParams();
        for (const [k, v] of Object.entries(q)) if (v !== undefined && k !== 'before') next.set(k, String(v));
        next.set('before', String(page.nextBeforeSeq));
        void reply.header('link', `</v1/admin/audit?${next.toString()}>; rel="next"`);
      }
      return page.items.map(auditRecordView);
    });
    r.get('/v1/admin/audit/verify', { schema: { tags: ['admin'] }, config: { adminPermission: 'audit.read' } }, async () => verifyAudit(ctx.db));
    r.get('/v1/admin/reports/funnel', { schema: { tags: ['admin'], querystring: api.FunnelQuery }, config: { adminPermission: 'reports.read' } }, async (req) => {
      const until = req.query.until ? new Date(req.query.until) : ctx.clock.now();
      const since = req.query.since ? new Date(req.query.since) : new Date(until.getTime() - 30 * 86_400_000);
      if (since.getTime() >= until.getTime()) {
        throw new ApiError(400, 'VALIDATION_FAILED', 'The period is empty: "since" must be before "until".', { since: fieldProblem('period.since_not_before_until') });
      }
      return funnelReport(ctx, { since, until, ...(req.query.withinHours !== undefined ? { withinSeconds: req.query.withinHours * 3600 } : {}) });
    });
    for (const action of ['send-reset-link', 'verify-phone'] as const) {
      r.post(
        `/v1/admin/accounts/:username/${action}`,
        { schema: { tags: ['admin'], params: UsernameParam, body: api.SupportTicketBody }, config: { adminPermission: 'accounts.support' } },
        async (req) => accountAction(ctx, req.params.username, action, `${actor(req)} ticket ${req.body.ticket}`, req.body.ticket),
      );
    }
  });

  // ---------- public ----------
  await app.register(async (pub) => {
    const r = pub.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();
    pub.addHook('onRequest', limit);
    r.get('/v1/registrations/:token', { schema: { tags: ['registration'], params: Token } }, async (req) => readRegistration(ctx, req.params.token));
    r.post('/v1/registrations/:token', { schema: { tags: ['registration'], params: Token, body: api.RegistrationBody } }, async (req, reply) =>
      reply.status(201).send(await register(ctx, req.params.token, req.body)),
    );
    r.post('/v1/sessions', { schema: { tags: ['sessions'], body: api.SignInBody } }, async (req, reply) => {
      const r2 = await signIn(ctx, req.body.loginId, req.body.password);
      if (r2.kind === 'mfa') return reply.status(200).send({ status: 'mfa_required', mfaToken: r2.mfaToken });
      return reply.status(201).send({ token: r2.token, requiredActions: r2.requiredActions });
    });
    r.post('/v1/sessions/mfa', { schema: { tags: ['sessions'], body: api.MfaBody } }, async (req, reply) =>
      reply.status(201).send(await signInMfa(ctx, req.body.mfaToken, req.body.code)),
    );
    r.post('/v1/password-resets', { schema: { tags: ['password'], body: api.PasswordResetStartBody } }, async (req, reply) => {
      await startPasswordReset(ctx, req.body.loginId);
      return reply.status(202).send({ status: 'accepted', message: 'If the account exists, a code was sent by SMS to its registered mobile.' });
    });
    r.post('/v1/password-resets/complete', { schema: { tags: ['password'], body: api.PasswordResetCompleteBody } }, async (req) => {
      await completePasswordReset(ctx, req.body.loginId, req.body.code, req.body.newPassword);
      return { status: 'reset' };
    });
    r.post('/v1/password-resets/link', { schema: { tags: ['password'], body: api.PasswordResetLinkBody } }, async (req) => ({
      status: 'reset',
      ...(await completeLinkReset(ctx, req.body.token, req.body.newPassword)),
    }));
    // Same answer for unknown users (services/initial-password.ts): 202 with this username+mobile's counts.
    r.post('/v1/initial-password/resend', { schema: { tags: ['password'], body: api.InitialPasswordResendBody } }, async (req, reply) =>
      reply.status(202).send(await resendInitialPassword(ctx, req.body.loginId, req.body.mobile)),
    );
    // The registration's initial-password SMS, polled by the account-created step while the user waits for it.
    r.get(
      '/v1/deliveries/:id',
      { schema: { tags: ['registration'], params: IdParam, response: { 200: api.MessageDelivery } } },
      async (req) => {
        const state = await deliveryByReference(ctx.db, ctx.clock.now(), req.params.id, 'N-INITPWD');
        if (!state) throw new ApiError(404, 'NOT_FOUND', 'No message has this reference. It may have been delivered and tidied away; check your phone.');
        return { state };
      },
    );
    r.get('/v1/terms', { schema: { tags: ['terms'] } }, async () => termsList());
    r.get('/v1/seed/os-baseline', { schema: { tags: ['seed'] } }, async () => BUNDLED_SEED_OS_BASELINE);
    r.get('/v1/seed/status', { schema: { tags: ['seed'] } }, async () => seedStatus(ctx));
  });

  // ---------- signed in ----------
  await app.register(async (authd) => {
    authd.addHook('onRequest', requireSession);
    const r = authd.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();
    r.delete('/v1/sessions/current', { schema: { tags: ['sessions'] } }, async (req, reply: FastifyReply) => {
      await signOut(ctx, req.sessionHash as string);
      return reply.status(204).send();
    });
    r.get('/v1/me', { schema: { tags: ['me'] } }, async (req) => meView(ctx, me(req)));
    r.post('/v1/me/mfa/authenticator', { schema: { tags: ['me'] } }, async (req) => startAuthenticator(ctx, me(req)));
    r.post('/v1/me/mfa/authenticator/verify', { schema: { tags: ['me'], body: api.CodeBody } }, async (req) => verifyAuthenticator(ctx, me(req), req.body.code));
    r.post('/v1/me/phone', { schema: { tags: ['me'], body: api.PhoneBody } }, async (req, reply) => reply.status(202).send(await startPhone(ctx, me(req), req.body.mobile)));
    // Polled by the phone step while the user waits for the code, so a failing SMS shows within seconds.
    r.get('/v1/me/phone/delivery', { schema: { tags: ['me'], response: { 200: api.PhoneCodeDelivery } } }, async (req) => {
      const d = await latestDelivery(ctx.db, ctx.clock.now(), me(req).id, 'N-PHONE-CODE');
      return d ? { state: d.state, to: d.to, attempts: d.attempts, lastAttemptAt: d.lastAttemptAt } : { state: 'none' as const, attempts: 0, lastAttemptAt: null };
    });
    r.post('/v1/me/phone/verify', { schema: { tags: ['me'], body: api.CodeBody } }, async (req) => verifyPhone(ctx, me(req), req.body.code));
    r.post('/v1/me/password', { schema: { tags: ['me'], body: api.ChangePasswordBody } }, async (req) =>
      changePassword(ctx, me(req), req.body.currentPassword, req.body.newPassword, req.sessionHash as string),
    );
    r.get('/v1/me/terms', { schema: { tags: ['terms'] } }, async (req) => termsList(me(req)));
    r.post('/v1/me/terms', { schema: { tags: ['terms'], body: api.AcceptTermsBody } }, async (req) => acceptTerms(ctx, me(req), req.body.id, req.body.version, client(req), req.body.language));
    r.get('/v1/me/seed', { schema: { tags: ['seed'] } }, async (req) => meSeed(ctx, me(req)));
    r.post('/v1/me/seed/devices', { schema: { tags: ['seed'], body: api.RegisterSeedDeviceBody } }, async (req, reply) =>
      reply.status(201).send(await registerSeedDevice(ctx, me(req), req.body.name, req.body.os)),
    );
    r.delete('/v1/me/seed/devices/:id', { schema: { tags: ['seed'], params: IdParam } }, async (req) => removeSeedDevice(ctx, me(req), req.params.id));
  });

  // ---------- test mode (outbox also in demo mode, for the demo inbox) ----------
  if (ctx.config.testMode || ctx.config.demo) {
    const store = new DbOutboxStore(ctx.db);
    app.get('/v1/test/outbox', { schema: { tags: ['test'] } }, async () =>
      (await store.list()).map((m) => ({ id: m.id, channel: m.channel, to: m.to, template: m.template, ...(m.subject !== undefined ? { subject: m.subject } : {}), body: m.body, data: m.data, createdAt: m.createdAt })),
    );
  }
  if (ctx.config.testMode) {
    const r = app.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();
    r.get('/v1/test/clock', { schema: { tags: ['test'] } }, async () => ({ now: iso(ctx.clock.now()) }));
    r.post('/v1/test/clock', { schema: { tags: ['test'], body: api.AdvanceClockBody } }, async (req) => {
      if (!(ctx.clock instanceof ManualClock)) throw new ApiError(409, 'CONFLICT', 'The clock is not a test clock.');
      return { now: iso(ctx.clock.advance(req.body.advanceSeconds)) };
    });
    r.post('/v1/test/jobs/run', { schema: { tags: ['test'] } }, async () => runJobs());
  }
};
