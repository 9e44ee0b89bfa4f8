/**
 * The OpenAPI 3.1 description of the provisioning API, generated from the route table: one operation per entry, with
 * its operationId, summary, security, parameters, body and a response (with schema) for every status it answers with.
 */
import { z } from 'zod';
import {
  isServed,
  OPERATION_IDS,
  routes,
  type BackendMode,
  type ResponseSpec,
  type RouteDef,
  type Security,
} from './routes';

const TAGS: Record<string, string> = {
  service: 'Health and this description.',
  pages: 'HTML pages opened from the links in emails.',
  registration: 'Registering with an invitation.',
  sessions: 'Signing in and out.',
  password: 'Password resets and the initial password.',
  terms: 'Terms documents and their acceptance.',
  seed: 'SEED devices and reference data.',
  me: 'The signed-in account: MFA, phone, password.',
  admin: 'Invitations and accounts, for administrators (admin API keys).',
  test: 'Test-mode only: the outbox, the clock, the jobs. Absent from a production backend.',
};

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No content',
  400: 'The request is not valid (see error.fields)',
  401: 'Not signed in, or the credentials are wrong',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflicts with the current state',
  410: 'No longer usable',
  413: 'The request body is too large',
  415: 'The request body is not JSON',
  423: 'The account is locked',
  429: 'Too many requests (see Retry-After)',
  500: 'Server failure',
};

type JsonSchema = Record<string, unknown>;

/** A zod schema as a JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    reused: 'inline',
  }) as JsonSchema;
  return rest;
}

function securityOf(security: Security): Record<string, string[]>[] {
  if (security === 'session') return [{ session: [] }];
  if (security === 'admin') return [{ adminKey: [] }];
  if (security === 'metrics') return [{ metricsKey: [] }, { adminKey: [] }];
  return [];
}

function parameters(def: RouteDef): JsonSchema[] {
  const out: JsonSchema[] = [];
  const add = (where: 'path' | 'query' | 'header', schema: z.ZodObject | undefined) => {
    if (!schema) return;
    const json = jsonSchemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, prop] of Object.entries(json.properties ?? {})) {
      const { description, ...propSchema } = prop as { description?: string };
      out.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: propSchema,
      });
    }
  };
  add('path', def.request?.params);
  add('query', def.request?.query);
  add('header', def.request?.headers);
  return out;
}

function response(def: RouteDef, status: number, spec: ResponseSpec): JsonSchema {
  const headers = def.responseHeaders?.[status];
  const base: JsonSchema = {
    description: STATUS_TEXT[status] ?? `HTTP ${status}`,
    ...(headers
      ? {
          headers: Object.fromEntries(
            Object.entries(headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }]),
          ),
        }
      : {}),
  };
  if ('kind' in spec && spec.kind === 'empty') return base;
  if ('kind' in spec && spec.kind === 'html')
    return { ...base, content: { 'text/html': { schema: { type: 'string' } } } };
  if ('kind' in spec && spec.kind === 'text')
    return { ...base, content: { 'text/plain': { schema: { type: 'string' } } } };
  return { ...base, content: { 'application/json': { schema: jsonSchemaOf(spec, 'output') } } };
}

export interface OpenApiOptions {
  version: string;
  /** Where this backend answers (its public URL). */
  serverUrl: string;
  /** Test-mode operations are described only by a backend that serves them. */
  mode: BackendMode;
}

export function openApiDocument({ version, serverUrl, mode }: OpenApiOptions): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const usedTags = new Set<string>();
  for (const id of OPERATION_IDS) {
    const def: RouteDef = routes[id];
    if (!isServed(def, mode)) continue;
    const path = def.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const params = parameters(def);
    def.tags.forEach((t) => usedTags.add(t));
    (paths[path] ??= {})[def.method.toLowerCase()] = {
      operationId: id,
      summary: def.summary,
      ...(def.description ? { description: def.description } : {}),
      tags: [...def.tags],
      security: securityOf(def.security),
      ...(params.length ? { parameters: params } : {}),
      ...(def.request?.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchemaOf(def.request.body, 'input') } },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(def.responses).map(([st, spec]) => [st, response(def, Number(st), spec)]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'TechPass provisioning API',
      version,
      description: 'Invitations, registration, sign-in, MFA, terms, SEED provisioning.',
      license: { name: 'UNLICENSED (proprietary)', identifier: 'LicenseRef-UNLICENSED' },
    },
    servers: [{ url: serverUrl }],
    tags: Object.entries(TAGS)
      .filter(([name]) => usedTags.has(name))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: {
      securitySchemes: {
        session: {
          type: 'http',
          scheme: 'bearer',
          description: 'The session token of POST /v1/sessions (or /v1/sessions/mfa).',
        },
        adminKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'ADMIN_API_KEY (the portal) or a named admin key ("admin keys create").',
        },
        metricsKey: { type: 'http', scheme: 'bearer', description: 'METRICS_API_KEY (the Prometheus scraper).' },
      },
    },
  };
}
