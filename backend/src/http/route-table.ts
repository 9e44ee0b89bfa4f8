/**
 * Registers the backend's routes from the route table (shared/api/routes.ts): each operation's handler is keyed by its
 * operationId, its schemas come from the table, and a route that is not in the table cannot be registered at all.
 *
 * Replies are serialised by fast-json-stringify from the JSON Schema of the table's response schema: faster than
 * JSON.stringify, and it writes only declared fields. A backend in test mode also checks every reply against the table
 * (the status is declared, the body parses, nothing undeclared would be dropped) and answers 500 on a mismatch, so the
 * whole test suite doubles as a contract sweep.
 */
import { isDeepStrictEqual } from 'node:util';
import fastJson from 'fast-json-stringify';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestAsyncHookHandler,
  onSendAsyncHookHandler,
  preValidationAsyncHookHandler,
} from 'fastify';
import type { z } from 'zod';
import {
  findRoute,
  isServed,
  OPERATION_IDS,
  routes,
  type BodyOut,
  type OperationId,
  type ParamsOut,
  type QueryOut,
  type ResponseSpec,
  type RouteDef,
  type Routes,
  type Security,
  type SuccessReply,
} from '../../../shared/api/routes';
import { jsonSchemaOf } from '../../../shared/api/openapi';
import type { AdminPermission } from '../features/admin/keys';
import { errorBody } from './errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route table entry this route was registered from. */
    operationId?: OperationId;
    /** The session hook also reads the account's accepted terms (HandlerSpec.termsWithSession). */
    termsWithSession?: boolean;
  }
}

export type HandlerRequest<K extends OperationId> = FastifyRequest<{
  Params: ParamsOut<K>;
  Querystring: QueryOut<K>;
  Body: BodyOut<K>;
}>;
/** A handler answers with one of the operation's success statuses, or sends the reply itself and returns it. */
export type Handle<K extends OperationId> = (
  req: HandlerRequest<K>,
  reply: FastifyReply,
) => Promise<SuccessReply<K> | FastifyReply>;
export interface HandlerSpec<K extends OperationId> {
  handle: Handle<K>;
  /** What an admin key must be allowed to do to call this route (features/admin/keys.ts). */
  adminPermission?: AdminPermission;
  preValidation?: preValidationAsyncHookHandler;
  /** The handler records its own idempotent reply inside its transaction (platform.ts `withIdempotency`). */
  idempotencyInTransaction?: boolean;
  /**
   * A session route that reads the terms the account had accepted when the request began (`termsAcceptedAtStart`):
   * the session hook reads them in its own statement. Other routes leave them unread.
   */
  termsWithSession?: boolean;
}
type OpsWith<S extends Security> = { [K in OperationId]: Routes[K]['security'] extends S ? K : never }[OperationId];
/** One handler for every operation of this security: a missing one is a type error. */
export type Handlers<S extends Security> = { [K in OpsWith<S>]: Handle<K> | HandlerSpec<K> };
export type AllHandlers = Handlers<Security>;
/** The handlers of a feature's operations (backend/src/features/<feature>/routes.ts); routes.ts combines them into AllHandlers. */
export type HandlersFor<K extends OperationId> = { [P in K]: Handle<P> | HandlerSpec<P> };

export interface SecurityHooks {
  /** Per-address rate limit of public routes. */
  throttle: onRequestAsyncHookHandler;
  session: onRequestAsyncHookHandler;
  admin: onRequestAsyncHookHandler;
  /** Before the answer of every admin request goes out (the audit entry). */
  adminDone: onSendAsyncHookHandler;
}

export interface ContractViolation {
  operationId: OperationId;
  status: number;
  problem: string;
}

const isJsonSpec = (spec: ResponseSpec): spec is z.ZodType => !('kind' in spec);

/** Fastify's `schema.response`: the JSON responses only (an HTML page or a 204 is not serialised from a schema). */
function responseSchemas(def: RouteDef): Record<number, z.ZodType> {
  const out: Record<number, z.ZodType> = {};
  for (const [status, spec] of Object.entries(def.responses)) if (isJsonSpec(spec)) out[Number(status)] = spec;
  return out;
}

export interface RouteTableOptions {
  handlers: AllHandlers;
  hooks: SecurityHooks;
  /** Test-mode routes are registered only in test mode (the outbox also in demo mode). */
  testMode: boolean;
  demo: boolean;
}

/** Refuses, at start-up, any route that is not registered from the table. */
export function requireTableEntries(app: FastifyInstance): void {
  app.addHook('onRoute', (opts) => {
    const methods = (Array.isArray(opts.method) ? opts.method : [opts.method]).filter((m) => m !== 'HEAD');
    for (const method of methods) {
      const id = findRoute(method, opts.url ?? '');
      if (!id || opts.config?.operationId !== id) {
        throw new Error(
          `${method} ${opts.url ?? ''} is not registered from the route table (shared/api/routes.ts): add an entry there and a handler keyed by its operationId.`,
        );
      }
    }
  });
}

export function registerRouteTable(app: FastifyInstance, { handlers, hooks, testMode, demo }: RouteTableOptions): void {
  for (const id of OPERATION_IDS) {
    const def: RouteDef = routes[id];
    if (!isServed(def, { testMode, demo })) continue;
    const given = handlers[id] as Handle<OperationId> | HandlerSpec<OperationId>;
    const spec: HandlerSpec<OperationId> = typeof given === 'function' ? { handle: given } : given;
    const onRequest: onRequestAsyncHookHandler[] = [];
    if (def.security === 'public' && !def.unthrottled) onRequest.push(hooks.throttle);
    if (def.security === 'session') onRequest.push(hooks.session);
    if (def.security === 'admin') onRequest.push(hooks.admin);
    app.route({
      method: def.method,
      url: def.path,
      schema: {
        ...(def.request?.params ? { params: def.request.params } : {}),
        ...(def.request?.query ? { querystring: def.request.query } : {}),
        ...(def.request?.body ? { body: def.request.body } : {}),
        response: responseSchemas(def),
      },
      config: {
        operationId: id,
        ...(spec.adminPermission ? { adminPermission: spec.adminPermission } : {}),
        ...(spec.idempotencyInTransaction ? { idempotencyInTransaction: true } : {}),
        ...(spec.termsWithSession ? { termsWithSession: true } : {}),
      },
      ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
      ...(onRequest.length ? { onRequest } : {}),
      ...(def.security === 'admin' ? { onSend: [hooks.adminDone] } : {}),
      ...(spec.preValidation ? { preValidation: spec.preValidation } : {}),
      handler: async (req, reply) => {
        const result = await spec.handle(req as HandlerRequest<OperationId>, reply);
        if (result === reply) return reply;
        const { status, body } = result as { status: number; body: unknown };
        return body === undefined ? reply.status(status).send() : reply.status(status).send(body);
      },
    });
  }
}

/**
 * The serializer of every JSON response: fast-json-stringify over the JSON Schema of the table's zod schema. With
 * `strict`, each reply is first parsed with the zod schema and compared with what the serializer writes; a mismatch
 * is recorded and fails the reply (500).
 */
export function tableSerializerCompiler(strict: boolean, violations: ContractViolation[]) {
  return ({
    schema,
    method,
    url,
    httpStatus,
  }: {
    schema: unknown;
    method: string;
    url: string;
    httpStatus?: string;
  }) => {
    const zod = schema as z.ZodType;
    const stringify = fastJson(jsonSchemaOf(zod, 'output') as unknown as Parameters<typeof fastJson>[0]);
    if (!strict) return (data: unknown) => stringify(data);
    const operationId = findRoute(method, url) as OperationId;
    const status = Number(httpStatus);
    return (data: unknown) => {
      const parsed = zod.safeParse(data);
      const fail = (problem: string) => {
        violations.push({ operationId, status, problem });
        return new Error(`reply of ${operationId} (${status}) breaks the route table: ${problem}`);
      };
      if (!parsed.success)
        throw fail(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
      const text = stringify(data);
      const plain = JSON.parse(JSON.stringify(data)) as unknown;
      if (!isDeepStrictEqual(JSON.parse(text), plain))
        throw fail(
          `the serialiser writes ${text.slice(0, 300)} for ${JSON.stringify(plain).slice(0, 300)}: a field the table does not declare`,
        );
      return text;
    };
  };
}

/** Test mode: a reply with a status the table does not declare for its route is recorded and turned into a 500. */
export function installStatusCheck(app: FastifyInstance, violations: ContractViolation[]): void {
  app.addHook('onSend', async (req, reply, payload) => {
    const id = req.routeOptions.config?.operationId;
    if (!id) return payload;
    const status = reply.statusCode;
    if (status in routes[id].responses) return payload;
    violations.push({ operationId: id, status, problem: 'a status the table does not declare' });
    void reply.status(500).header('content-type', 'application/json; charset=utf-8');
    return JSON.stringify(
      errorBody('INTERNAL', `The reply of ${id} had status ${status}, which the route table does not declare.`),
    );
  });
}
