/**
 * The one HTTP client of the provisioning API, derived from the route table: `client.call('sendPhoneCode', { token,
 * body: { mobile } })` builds the request from the table's method and path, sends it through the injected fetch, and
 * parses the answer with the table's schema for the status that came back. Every caller (the desktop host, the admin
 * CLI, the e2e and test helpers, the bench) uses this module; none builds backend URLs or calls fetch on its own.
 *
 * Hand-rolled over the table rather than generated (openapi-typescript + openapi-fetch): the table's zod schemas give
 * the types and the runtime parsing in one place, with no generated file to keep in step and no build step.
 */
import {
  routes,
  type ApiResponse,
  type BodyIn,
  type OperationId,
  type ParamsIn,
  type QueryIn,
  type ResponseSpec,
} from './routes';

/** What the client reads of a response's headers (a fetch `Headers`). */
export interface HeadersLike {
  get(name: string): string | null;
}
/** What the client reads of a fetch `Response`; `send` hands back the injected fetch's own response type unread. */
export interface ResponseLike {
  readonly status: number;
  readonly headers: HeadersLike;
  text(): Promise<string>;
}
export interface RequestInitLike {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** An AbortSignal of the runtime (shared code has no DOM or Node types). */
  signal?: unknown;
  redirect?: 'manual' | 'follow';
}
/** The fetch the client sends with: the global one, undici's, Electron's net.fetch, or a test double. */
export type FetchLike<R extends ResponseLike = ResponseLike> = (url: string, init: RequestInitLike) => Promise<R>;

export interface ApiClientOptions<R extends ResponseLike = ResponseLike> {
  /** http(s)://host[:port] (a path prefix is kept). */
  baseUrl: string;
  /** Defaults to the global fetch. */
  fetch?: FetchLike<R>;
  /** Sent with every request (client name and version). */
  headers?: Readonly<Record<string, string>>;
  /** 'manual' where a redirect can only be a captive portal or a proxy's page (the service never redirects). */
  redirect?: 'manual' | 'follow';
}

type Required_<T, Key extends string> = [T] extends [undefined] ? { [P in Key]?: undefined } : { [P in Key]: T };
type MaybeOptional<T, Key extends string> = [T] extends [undefined]
  ? { [P in Key]?: undefined }
  : undefined extends T
    ? { [P in Key]?: T }
    : { [P in Key]: T };

/** The input of one operation: its path parameters, query, body, and the credentials and headers to send. */
export type CallInput<K extends OperationId> = Required_<ParamsIn<K>, 'params'> &
  MaybeOptional<QueryIn<K>, 'query'> &
  MaybeOptional<BodyIn<K>, 'body'> & {
    /** The session token or admin key (Authorization: Bearer). */
    token?: string;
    idempotencyKey?: string;
    headers?: Readonly<Record<string, string>>;
    /** An AbortSignal. */
    signal?: unknown;
  };

type NeedsInput<K extends OperationId> = [ParamsIn<K>] extends [undefined]
  ? undefined extends BodyIn<K>
    ? false
    : true
  : true;
export type CallArgs<K extends OperationId> =
  NeedsInput<K> extends true ? [input: CallInput<K>] : [input?: CallInput<K>];

/** An answer the table does not declare for the operation (status or shape), or one that is not JSON. */
export class UnexpectedAnswerError extends Error {
  /** Only the body's length is kept: an answer may carry a session token or a TOTP secret, and errors get logged. */
  readonly bodyLength: number;
  constructor(
    readonly operationId: OperationId,
    readonly status: number,
    body: string,
    reason: string,
  ) {
    super(`${operationId}: ${reason} (HTTP ${status})`);
    this.bodyLength = body.length;
  }
}

export interface RawAnswer {
  status: number;
  headers: HeadersLike;
  text: string;
  /** The parsed JSON, or the text when it is not JSON, or undefined when empty. */
  body: unknown;
}

export interface RawRequest {
  /** A JSON body; `raw` sends text as it is instead. */
  body?: unknown;
  raw?: string;
  token?: string;
  headers?: Readonly<Record<string, string>>;
}

/** The path of an operation with its parameters filled in (each one percent-encoded). */
export function operationPath(id: OperationId, params?: Readonly<Record<string, unknown>>): string {
  return routes[id].path.replace(/:([A-Za-z_]+)/g, (_m, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`${id}: the path parameter "${name}" is missing`);
    return encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value));
  });
}

function queryString(query: Readonly<Record<string, unknown>> | undefined): string {
  const pairs = Object.entries(query ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v as string | number | boolean))}`);
  return pairs.length ? `?${pairs.join('&')}` : '';
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Parses an answer of an operation with the table's schema for its status. Throws UnexpectedAnswerError when the
 * status is not declared or the body does not match.
 */
export function parseAnswer<K extends OperationId>(
  id: K,
  status: number,
  headers: HeadersLike,
  text: string,
): ApiResponse<K> {
  const spec = (routes[id].responses as Readonly<Record<number, ResponseSpec>>)[status];
  if (spec === undefined) throw new UnexpectedAnswerError(id, status, text, 'a status the API does not declare');
  if ('kind' in spec && spec.kind === 'empty') return { status, body: undefined, headers } as ApiResponse<K>;
  if ('kind' in spec && (spec.kind === 'html' || spec.kind === 'text'))
    return { status, body: text, headers } as ApiResponse<K>;
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new UnexpectedAnswerError(id, status, text, 'an answer that is not JSON');
  }
  const parsed = spec.safeParse(json);
  if (!parsed.success)
    throw new UnexpectedAnswerError(
      id,
      status,
      text,
      `an answer of another shape (${parsed.error.issues[0]?.message ?? 'invalid'})`,
    );
  return { status, body: parsed.data, headers } as ApiResponse<K>;
}

export interface ApiClient<R extends ResponseLike = ResponseLike> {
  readonly baseUrl: string;
  /** The full URL of an operation. */
  url<K extends OperationId>(id: K, input?: { params?: ParamsIn<K>; query?: QueryIn<K> }): string;
  /** Sends one request and returns the fetch's response unread (callers that stream or time the body themselves). */
  send<K extends OperationId>(id: K, ...args: CallArgs<K>): Promise<R>;
  /** Sends one request and parses the answer with the table's schema for its status. */
  call<K extends OperationId>(id: K, ...args: CallArgs<K>): Promise<ApiResponse<K>>;
  /**
   * A request the table's types would not let through (malformed bodies, unknown paths, wrong methods): for tests
   * that check how the API refuses them. The answer is not checked against the table.
   */
  raw(method: string, path: string, request?: RawRequest): Promise<RawAnswer>;
}

const globalFetch: FetchLike = (url, init) => {
  const f = (globalThis as { fetch?: FetchLike }).fetch;
  if (!f) throw new Error('This runtime has no global fetch: pass one to createApiClient.');
  return f(url, init);
};

export function createApiClient<R extends ResponseLike = ResponseLike>(options: ApiClientOptions<R>): ApiClient<R> {
  if (!/^https?:\/\/[^/]/i.test(options.baseUrl)) throw new Error('The backend URL must be http(s)://host[:port].');
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = (options.fetch ?? globalFetch) as FetchLike<R>;
  const url = (id: OperationId, input?: { params?: unknown; query?: unknown }): string =>
    baseUrl +
    operationPath(id, input?.params as Record<string, unknown> | undefined) +
    queryString(input?.query as Record<string, unknown> | undefined);
  const headersFor = (
    token: string | undefined,
    extra: Readonly<Record<string, string>> | undefined,
    hasBody: boolean,
  ): Record<string, string> => {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (hasBody) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    return { ...headers, ...extra };
  };
  const send = (id: OperationId, input?: CallInput<OperationId>): Promise<R> => {
    const i = (input ?? {}) as CallInput<OperationId> & { params?: unknown; query?: unknown; body?: unknown };
    const hasBody = i.body !== undefined;
    const headers = headersFor(i.token, i.headers, hasBody);
    if (i.idempotencyKey) headers['idempotency-key'] = i.idempotencyKey;
    return doFetch(url(id, i), {
      method: routes[id].method,
      headers,
      ...(hasBody ? { body: JSON.stringify(i.body) } : {}),
      ...(i.signal ? { signal: i.signal } : {}),
      ...(options.redirect ? { redirect: options.redirect } : {}),
    });
  };
  return {
    baseUrl,
    url: (id, input) => url(id, input),
    send: (id, ...args) => send(id, args[0] as CallInput<OperationId> | undefined),
    call: async (id, ...args) => {
      const res = await send(id, args[0] as CallInput<OperationId> | undefined);
      return parseAnswer(id, res.status, res.headers, await res.text());
    },
    raw: async (method, path, request = {}) => {
      const hasBody = request.raw === undefined && request.body !== undefined;
      // Only what the test asked for: no accept or client headers of the client's own.
      const headers: Record<string, string> = {};
      if (hasBody) headers['content-type'] = 'application/json';
      if (request.token) headers.authorization = `Bearer ${request.token}`;
      Object.assign(headers, request.headers);
      const body = request.raw ?? (hasBody ? JSON.stringify(request.body) : undefined);
      const res = await doFetch(baseUrl + path, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(options.redirect ? { redirect: options.redirect } : {}),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, body: parseJson(text) };
    },
  };
}
