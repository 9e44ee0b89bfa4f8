import type { FastifyInstance, FastifyRequest } from 'fastify';
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
import { authenticate, signIn, signOut, submitMfaCode } from '../services/auth';
import { createInvitation, invitationProblems, listInvitations, resendInvitation, revokeInvitation } from '../services/invitations';
import {
  acceptTerm,
  changePassword,
  getMe,
  getMeSeed,
  registerSeedDevice,
  removeSeedDevice,
  seedStatus,
  sendPhoneCode,
  startAuthenticator,
  termsList,
  verifyAuthenticator,
  verifyPhoneCode,
} from '../services/me';
import { getRegistration, submitRegistration } from '../services/registration';
import { isUniqueViolation } from '../db/connect';
import { forbidden, mayDo, resolveAdminKey, type AdminPermission, type AdminPrincipal } from '../services/admin-keys';
import { adminActor, audit, auditRecordView, isAuditEventType, listAudit, verifyAudit } from '../services/audit';
import { funnelReport } from '../observability/funnel';
import { metricsHandler } from '../observability/http';
import type { Registry } from 'prom-client';
import { resendInitialPassword } from '../services/initial-password';
import { createInvitationsInBulk, type BulkRowResult } from '../services/bulk-invitations';
import { SERVICE_NAME, SERVICE_VERSION } from '../version';
import { ApiError, envelopeFields, issueFields } from './errors';
import { fieldProblem } from '../../../shared/domain/field-problems';
import { pageHandlers } from './pages';
import { withIdempotency } from './platform';
import { addressRateLimit } from './rate-limit-store';
import { registerRouteTable, type AllHandlers, type Handlers, type SecurityHooks } from './route-table';

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

export interface RouteOptions {
  ctx: Ctx;
  runJobs: () => Promise<unknown>;
  /** The OpenAPI document this backend serves at /openapi.json. */
  openApi: () => Record<string, unknown>;
  /** The registry /metrics renders (the app's collectors). */
  metrics: Registry;
}

function client(req: FastifyRequest): Record<string, string | undefined> {
  const h = (n: string) => (typeof req.headers[n] === 'string' ? (req.headers[n]).slice(0, 200) : undefined);
  return { userAgent: h('user-agent'), client: h('x-techpass-client'), clientVersion: h('x-techpass-client-version'), ip: req.ip };
}

const ok = <T>(body: T) => ({ status: 200 as const, body });

/** The guards of each security kind (onRequest: they run before the body is read or validated) and the admin audit. */
async function securityHooks(app: FastifyInstance, ctx: Ctx): Promise<SecurityHooks> {
  const adminKey = ctx.config.adminApiKey;
  return {
    throttle: await addressRateLimit(app, ctx),
    session: async (req) => {
      const { account, tokenHash } = await authenticate(ctx, req.headers.authorization);
      req.account = account;
      req.sessionHash = tokenHash;
    },
    admin: async (req) => {
      const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      const principal = m?.[1] ? await resolveAdminKey(ctx.db, ctx.clock.now(), m[1], adminKey) : undefined;
      if (!principal) {
        throw new ApiError({
          status: 401,
          code: 'UNAUTHORIZED',
          message: 'The admin API key is missing, wrong or revoked. Send Authorization: Bearer <ADMIN_API_KEY or a key from "npm run admin -- keys create">.',
        });
      }
      req.adminPrincipal = principal;
      const permission = req.routeOptions.config?.adminPermission;
      // A route without a declared permission is open to the portal key only (fail closed for new routes).
      if (permission ? !mayDo(principal, permission) : principal.kind !== 'portal') throw forbidden(principal, permission ?? 'invitations.write');
    },
    // Every admin request, allowed or refused, is in the audit log with the principal of its key, before its answer
    // is sent (so whoever reads the trail after an answer finds the request in it).
    adminDone: async (req, reply, payload) => {
      const p = req.adminPrincipal;
      if (!p) return payload;
      const params = (req.params ?? {}) as Record<string, string | undefined>;
      const subject = String(params.username ?? params.id ?? req.routeOptions.url ?? '').slice(0, 200);
      const event = `admin.${req.method.toLowerCase()}`;
      if (!isAuditEventType(event)) return payload;
      const details = { route: req.routeOptions.url, status: reply.statusCode, role: p.role, ...(p.keyName ? { key: p.keyName } : {}) };
      await audit(ctx.db, ctx.clock.now(), adminActor(p.actor), event, subject, details, reply.statusCode < 400 ? 'success' : 'failure').catch((err: unknown) =>
        req.log.error({ err: { message: String(err) } }, 'audit entry for an admin request failed'),
      );
      return payload;
    },
  };
}

function adminHandlers(ctx: Ctx): Handlers<'admin'> {
  const actor = (req: FastifyRequest) => (req.adminPrincipal as AdminPrincipal).actor;
  /**
   * The inviter of an invitation: an inviter key invites as its principal (a body `inviterEmail` naming someone
   * else is refused); the portal key names the inviter in `inviterEmail`.
   */
  const inviterFor = (req: FastifyRequest, raw: Record<string, unknown>): Record<string, unknown> => {
    const p = req.adminPrincipal as AdminPrincipal;
    if (p.kind === 'portal') return raw;
    if (raw.inviterEmail !== undefined && (typeof raw.inviterEmail !== 'string' || raw.inviterEmail.trim().toLowerCase() !== p.principal)) {
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
    const p = req.adminPrincipal as AdminPrincipal;
    if (p.role !== 'inviter') return;
    const inv = await ctx.db.selectFrom('invitations').select('inviter_email').where('id', '=', id).executeTakeFirst();
    if (!inv || inv.inviter_email !== p.principal) {
      throw new ApiError({ status: 404, code: 'NOT_FOUND', message: 'The invitation was not found among the invitations of this key. Check the id ("invitations list").' });
    }
  };
  const rowErrorFields = (issues: readonly z.core.$ZodIssue[]) => issueFields(issues, 'row');
  const support = (action: 'send-reset-link' | 'verify-phone') => ({
    adminPermission: 'accounts.support' as const,
    handle: async (req: FastifyRequest<{ Params: { username: string }; Body: { ticket: string } }>) =>
      ok(await accountAction(ctx, req.params.username, action, `${actor(req)} ticket ${req.body.ticket}`, req.body.ticket)),
  });
  return {
    createInvitation: {
      adminPermission: 'invitations.write',
      // An inviter key fills in (or checks) inviterEmail before the body is validated.
      preValidation: async (req) => {
        if (req.body && typeof req.body === 'object' && !Array.isArray(req.body)) req.body = inviterFor(req, req.body as Record<string, unknown>);
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
        const p = req.adminPrincipal as AdminPrincipal;
        const page = await listInvitations(ctx, { ...req.query, ...(p.role === 'inviter' ? { inviterEmail: p.principal } : {}) });
        if (page.next) {
          const qs = new URLSearchParams({ ...(req.query.limit ? { limit: String(req.query.limit) } : {}), after: page.next });
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
            if (!parsed.success) throw new ApiError({ status: 400, code: 'VALIDATION_FAILED', message: 'Some fields are missing or not valid. Correct them and try again.', fields: rowErrorFields(parsed.error.issues) });
            if (dryRun) {
              const problems = invitationProblems(parsed.data);
              if (problems) throw new ApiError({ status: 400, code: 'VALIDATION_FAILED', message: 'Some fields are not valid. Correct them and try again.', fields: problems });
              results.push({ index, email: parsed.data.email, ok: true });
            } else valid.push({ index, body: parsed.data });
          } catch (err) {
            if (!(err instanceof ApiError)) throw err;
            results.push({ index, email, ok: false, error: { code: err.code, message: err.message, ...(err.fields ? { fields: envelopeFields(err.fields) } : {}) } });
          }
        }
        if (dryRun) return ok({ dryRun, results });
        try {
          return await withIdempotency(ctx, req, reply, async (tx) => {
            const created = await createInvitationsInBulk(ctx, tx, valid, actor(req));
            return { status: 201, body: { dryRun, results: [...results, ...created].sort((a, b) => a.index - b.index) } };
          });
        } catch (err) {
          // Another invitation to one of these emails committed at the same moment: nothing of this request was kept.
          if (isUniqueViolation(err)) {
            throw new ApiError({ status: 409, code: 'CONFLICT', message: 'Another invitation to one of these emails was made at the same moment; nothing was sent. Send the same request again.' });
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
        const inv = await ctx.db.selectFrom('invitations').select('id').where('id', '=', req.params.id).executeTakeFirst();
        if (!inv) throw new ApiError({ status: 404, code: 'NOT_FOUND', message: 'No invitation has this id. Check the id ("invitations list").' });
        return ok(await listDeliveries(ctx.db, ctx.clock.now(), { invitationId: inv.id }));
      },
    },
    listAccountDeliveries: {
      adminPermission: 'accounts.read',
      handle: async (req) => ok(await listDeliveries(ctx.db, ctx.clock.now(), { accountId: (await requireAccountByUsername(ctx, req.params.username)).id })),
    },
    getAccount: { adminPermission: 'accounts.read', handle: async (req) => ok(accountSummary(ctx, await requireAccountByUsername(ctx, req.params.username))) },
    // The guard checks that the key may read accounts; the handler checks the action itself.
    runAccountAction: {
      adminPermission: 'accounts.read',
      handle: async (req) => {
        const permission = req.params.action === 'resend-seed-email' ? 'accounts.seed' : 'accounts.support';
        const p = req.adminPrincipal as AdminPrincipal;
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
          throw new ApiError({ status: 400, code: 'VALIDATION_FAILED', message: 'The period is empty: "since" must be before "until".', fields: { since: fieldProblem('period.since_not_before_until') } });
        }
        return ok(await funnelReport(ctx, { since, until, ...(req.query.withinHours !== undefined ? { withinSeconds: req.query.withinHours * 3600 } : {}) }));
      },
    },
  };
}

function publicHandlers(ctx: Ctx, openApi: () => Record<string, unknown>): Handlers<'public'> {
  return {
    health: async () => ok({ name: SERVICE_NAME, version: SERVICE_VERSION, mode: ctx.config.mode }),
    getOpenApiDocument: async () => ok(openApi() as { openapi: string }),
    ...pageHandlers(ctx),
    getRegistration: async (req) => ok(await getRegistration(ctx, req.params.token)),
    submitRegistration: async (req) => ({ status: 201, body: await submitRegistration(ctx, req.params.token, req.body) }),
    signIn: async (req) => {
      const r = await signIn(ctx, req.body.loginId, req.body.password);
      if (r.kind === 'mfa') return ok({ status: 'mfa_required' as const, mfaToken: r.mfaToken });
      return { status: 201, body: { token: r.token, requiredActions: r.requiredActions } };
    },
    submitMfaCode: async (req) => ({ status: 201, body: await submitMfaCode(ctx, req.body.mfaToken, req.body.code) }),
    startPasswordReset: async (req) => {
      await startPasswordReset(ctx, req.body.loginId);
      return { status: 202, body: { status: 'accepted', message: 'If the account exists, a code was sent by SMS to its registered mobile.' } };
    },
    completePasswordReset: async (req) => {
      await completePasswordReset(ctx, req.body.loginId, req.body.code, req.body.newPassword);
      return ok({ status: 'reset' as const });
    },
    completeLinkReset: async (req) => ok({ status: 'reset' as const, ...(await completeLinkReset(ctx, req.body.token, req.body.newPassword)) }),
    // Same answer for unknown users (services/initial-password.ts): 202 with this username+mobile's counts.
    resendInitialPassword: async (req) => ({ status: 202, body: await resendInitialPassword(ctx, req.body.loginId, req.body.mobile) }),
    // The registration's initial-password SMS, polled by the account-created step while the user waits for it.
    getInitialPasswordDelivery: async (req) => {
      const state = await deliveryByReference(ctx.db, ctx.clock.now(), req.params.id, 'N-INITPWD');
      if (!state) throw new ApiError({ status: 404, code: 'NOT_FOUND', message: 'No message has this reference. It may have been delivered and tidied away; check your phone.' });
      return ok({ state });
    },
    getTerms: async () => ok(termsList()),
    getOsBaseline: async () => ok(BUNDLED_SEED_OS_BASELINE),
    getSeedStatus: async () => ok(seedStatus(ctx)),
  };
}

function sessionHandlers(ctx: Ctx): Handlers<'session'> {
  const me = (req: FastifyRequest): Account => req.account as Account;
  return {
    signOut: async (req) => {
      await signOut(ctx, req.sessionHash as string);
      return { status: 204, body: undefined };
    },
    getMe: async (req) => ok(await getMe(ctx, me(req))),
    startAuthenticator: async (req) => ok(await startAuthenticator(ctx, me(req))),
    verifyAuthenticator: async (req) => ok(await verifyAuthenticator(ctx, me(req), req.body.code)),
    sendPhoneCode: async (req) => ({ status: 202, body: await sendPhoneCode(ctx, me(req), req.body.mobile) }),
    // Polled by the phone step while the user waits for the code, so a failing SMS shows within seconds.
    getPhoneCodeDelivery: async (req) => {
      const d = await latestDelivery(ctx.db, ctx.clock.now(), me(req).id, 'N-PHONE-CODE');
      return ok(d ? { state: d.state, to: d.to, attempts: d.attempts, lastAttemptAt: d.lastAttemptAt } : { state: 'none' as const, attempts: 0, lastAttemptAt: null });
    },
    verifyPhoneCode: async (req) => ok(await verifyPhoneCode(ctx, me(req), req.body.code)),
    changePassword: async (req) => ok(await changePassword(ctx, me(req), req.body.currentPassword, req.body.newPassword, req.sessionHash as string)),
    getMyTerms: async (req) => ok(termsList(me(req))),
    acceptTerm: async (req) => ok(await acceptTerm(ctx, me(req), req.body.id, req.body.version, client(req), req.body.language)),
    getMeSeed: async (req) => ok(await getMeSeed(ctx, me(req))),
    registerSeedDevice: async (req) => ({ status: 201, body: await registerSeedDevice(ctx, me(req), req.body.name, req.body.os) }),
    removeSeedDevice: async (req) => ok(await removeSeedDevice(ctx, me(req), req.params.id)),
  };
}

/** Test mode (the outbox also in demo mode, as the demo inbox); registered only there (route-table.ts). */
function testModeHandlers(ctx: Ctx, runJobs: () => Promise<unknown>): Handlers<'testMode'> {
  const store = new DbOutboxStore(ctx.db);
  return {
    getOutbox: async () =>
      ok(
        (await store.list()).map((m) => ({
          id: m.id,
          channel: m.channel,
          to: m.to,
          template: m.template,
          ...(m.subject !== undefined ? { subject: m.subject } : {}),
          body: m.body,
          data: m.data,
          createdAt: m.createdAt,
        })),
      ),
    getTestClock: async () => ok({ now: iso(ctx.clock.now()) }),
    advanceTestClock: async (req) => {
      if (!(ctx.clock instanceof ManualClock)) throw new ApiError({ status: 409, code: 'CONFLICT', message: 'The clock is not a test clock.' });
      return ok({ now: iso(ctx.clock.advance(req.body.advanceSeconds)) });
    },
    runJobs: async () => ok((await runJobs()) as Record<string, unknown>),
  };
}

/** Every route of the service, registered from the route table with the handler of its operationId. */
export async function routes(app: FastifyInstance, { ctx, runJobs, openApi, metrics }: RouteOptions): Promise<void> {
  const handlers: AllHandlers = {
    ...adminHandlers(ctx),
    ...publicHandlers(ctx, openApi),
    getMetrics: metricsHandler(ctx, metrics),
    ...sessionHandlers(ctx),
    ...testModeHandlers(ctx, runJobs),
  };
  registerRouteTable(app, { handlers, hooks: await securityHooks(app, ctx), testMode: ctx.config.testMode, demo: ctx.config.demo });
}
