/**
 * Every route of the service: the handlers of each feature (backend/src/features/<feature>/routes.ts), the service
 * and test-mode operations, and the guards of each security kind, registered from the route table (route-table.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Ctx } from '../context';
import { iso } from '../context';
import { ManualClock } from '../clock';
import { adminActor, audit, isAuditEventType } from '../db/audit';
import { adminHandlers } from '../features/admin/routes';
import { forbidden, mayDo, resolveAdminKey } from '../features/admin/keys';
import { authenticatorHandlers } from '../features/authenticator/routes';
import { invitationHandlers } from '../features/invitations/routes';
import { meHandlers } from '../features/me/routes';
import { passwordHandlers } from '../features/password/routes';
import { phoneHandlers } from '../features/phone/routes';
import { registrationHandlers } from '../features/registration/routes';
import { seedHandlers } from '../features/seed/routes';
import { authenticate } from '../features/sessions/service';
import { sessionHandlers } from '../features/sessions/routes';
import { termsHandlers } from '../features/terms/routes';
import { metricsHandler } from '../observability/http';
import { DbOutboxStore } from '../outbox/outbox-store';
import { SERVICE_NAME, SERVICE_VERSION } from '../version';
import { ApiError } from './errors';
import { pageHandlers } from './pages';
import { addressRateLimit } from './rate-limit-store';
import { ok } from './request';
import {
  registerRouteTable,
  type AllHandlers,
  type Handlers,
  type HandlersFor,
  type SecurityHooks,
} from './route-table';

export interface RouteOptions {
  ctx: Ctx;
  runJobs: () => Promise<unknown>;
  /** The OpenAPI document this backend serves at /openapi.json. */
  openApi: () => Record<string, unknown>;
  /** The registry /metrics renders (the app's collectors). */
  metrics: Registry;
}

/** The guards of each security kind (onRequest: they run before the body is read or validated) and the admin audit. */
async function securityHooks(app: FastifyInstance, ctx: Ctx): Promise<SecurityHooks> {
  const adminKey = ctx.config.adminApiKey;
  return {
    throttle: await addressRateLimit(app, ctx),
    session: async (req) => {
      const withTerms = req.routeOptions.config?.termsWithSession === true;
      const { account, tokenHash, acceptedTerms } = await authenticate(ctx, req.headers.authorization, withTerms);
      req.account = account;
      req.acceptedTerms = acceptedTerms;
      req.sessionHash = tokenHash;
    },
    admin: async (req) => {
      const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      const principal = m?.[1] ? await resolveAdminKey(ctx.db, ctx.clock.now(), m[1], adminKey) : undefined;
      if (!principal) {
        throw new ApiError({
          status: 401,
          code: 'UNAUTHORIZED',
          message:
            'The admin API key is missing, wrong or revoked. Send Authorization: Bearer <ADMIN_API_KEY or a key from "npm run admin -- keys create">.',
        });
      }
      req.adminPrincipal = principal;
      const permission = req.routeOptions.config?.adminPermission;
      // A route without a declared permission is open to the portal key only (fail closed for new routes).
      if (permission ? !mayDo(principal, permission) : principal.kind !== 'portal')
        throw forbidden(principal, permission ?? 'invitations.write');
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
      const details = {
        route: req.routeOptions.url,
        status: reply.statusCode,
        role: p.role,
        ...(p.keyName ? { key: p.keyName } : {}),
      };
      await audit(
        ctx.db,
        ctx.clock.now(),
        adminActor(p.actor),
        event,
        subject,
        details,
        reply.statusCode < 400 ? 'success' : 'failure',
      ).catch((err: unknown) =>
        req.log.error({ err: { message: String(err) } }, 'audit entry for an admin request failed'),
      );
      return payload;
    },
  };
}

/** The service's own operations: health, the OpenAPI document, the metrics. */
function serviceHandlers(
  ctx: Ctx,
  openApi: () => Record<string, unknown>,
  metrics: Registry,
): HandlersFor<'health' | 'getOpenApiDocument' | 'getMetrics'> {
  return {
    health: async () => ok({ name: SERVICE_NAME, version: SERVICE_VERSION, mode: ctx.config.mode }),
    getOpenApiDocument: async () => ok(openApi() as { openapi: string }),
    getMetrics: metricsHandler(ctx, metrics),
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
      if (!(ctx.clock instanceof ManualClock))
        throw new ApiError({ status: 409, code: 'CONFLICT', message: 'The clock is not a test clock.' });
      return ok({ now: iso(ctx.clock.advance(req.body.advanceSeconds)) });
    },
    runJobs: async () => ok((await runJobs()) as Record<string, unknown>),
  };
}

/** The handler sets as one object of every operation (an intersection type: AllHandlers checks it is complete). */
type Combined<P extends readonly object[]> = (
  P[number] extends infer U ? (U extends unknown ? (part: U) => void : never) : never
) extends (part: infer I) => void
  ? I
  : never;

/**
 * Combines the handler sets; an operation that two of them handle is refused at start-up (the type of AllHandlers
 * refuses, at compile time, an operation that none handles).
 */
function combine<const P extends readonly object[]>(parts: P): Combined<P> {
  const all: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [id, handler] of Object.entries(part)) {
      if (id in all) throw new Error(`Operation ${id} has a handler in two features: keep it in one.`);
      all[id] = handler;
    }
  }
  return all as Combined<P>;
}

/** Every route of the service, registered from the route table with the handler of its operationId. */
export async function routes(app: FastifyInstance, { ctx, runJobs, openApi, metrics }: RouteOptions): Promise<void> {
  // Every operation has a handler: a missing one is a type error here.
  const handlers: AllHandlers = combine([
    serviceHandlers(ctx, openApi, metrics),
    pageHandlers(ctx),
    registrationHandlers(ctx),
    sessionHandlers(ctx),
    meHandlers(ctx),
    authenticatorHandlers(ctx),
    phoneHandlers(ctx),
    passwordHandlers(ctx),
    termsHandlers(ctx),
    seedHandlers(ctx),
    invitationHandlers(ctx),
    adminHandlers(ctx),
    testModeHandlers(ctx, runJobs),
  ]);
  registerRouteTable(app, {
    handlers,
    hooks: await securityHooks(app, ctx),
    testMode: ctx.config.testMode,
    demo: ctx.config.demo,
  });
}
