import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Ctx } from '../context';
import { iso } from '../context';
import { sha256 } from '../crypto';
import { isUniqueViolation } from '../db/connect';
import type { DB } from '../db/schema';
import { keyedHash, keyedHashMatches, open, seal } from '../security/data-keys';
import { ApiError } from './errors';
import { fieldProblem } from '../../../shared/domain/field-problems';

export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** No endpoint takes JSON nested deeper than this; deeper bodies are refused before anything walks them. */
export const MAX_JSON_DEPTH = 32;

/** True when the JSON text nests arrays/objects deeper than `limit` (a linear scan that skips string contents). */
export function exceedsJsonDepth(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyScope?: string;
    idempotencyBodyHash?: string;
  }
  interface FastifyContextConfig {
    /** The handler records its own idempotent reply inside its transaction (see `withIdempotency`). */
    idempotencyInTransaction?: boolean;
  }
}

export interface IdempotencyRequest {
  scope: string;
  /** Keyed hash of the body: a body can hold a password, and a plain SHA-256 of it is cracked offline by guessing. */
  bodyHash: string;
  /** The serialised body, in memory only: compared against a stored hash made with whichever data key made it. */
  bodyText: string;
}

const BODY_HASH_PURPOSE = 'idempotency-body';

/**
 * The Idempotency-Key of a POST, as the scope it is stored under (key, route, URL and credentials, hashed) and the
 * hash of its body; undefined without a key. The scope is a hash, so the stored row names no token of the URL.
 */
export function idempotencyRequest(req: FastifyRequest, ctx: Ctx): IdempotencyRequest | undefined {
  if (req.method !== 'POST') return undefined;
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0) return undefined;
  if (key.length > 200)
    throw new ApiError({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'The Idempotency-Key header is too long (at most 200 characters).',
      fields: { 'Idempotency-Key': fieldProblem('header.too_long', { max: 200 }) },
    });
  const scope = sha256(`${key}\n${req.method}\n${req.url}\n${req.headers.authorization ?? ''}`);
  let bodyText: string;
  try {
    bodyText = JSON.stringify(req.body ?? null);
  } catch {
    // A body that cannot be serialised (should not pass the parser) still gets a stable, distinct text.
    bodyText = String(req.body);
  }
  return { scope, bodyText, bodyHash: keyedHash(ctx.config.dataKeys, bodyText, BODY_HASH_PURPOSE) };
}

/** The stored reply is sealed with the data keys, bound to its scope: the table holds no token, code or secret. */
const replyContext = (scope: string) => `idempotency:${scope}`;

function sealReply(ctx: Ctx, scope: string, text: string): string {
  return seal(ctx.config.dataKeys, text, replyContext(scope));
}

type StoredReply = { kind: 'none' } | { kind: 'replay'; status: number; body: string };

/**
 * Looks up a stored reply: none (or expired, then deleted), the reply to replay, or an ApiError for another body or
 * a request still in progress.
 */
async function storedReply(ctx: Ctx, db: Kysely<DB>, idem: IdempotencyRequest, now: Date): Promise<StoredReply> {
  const row = await db.selectFrom('idempotency_keys').selectAll().where('scope', '=', idem.scope).executeTakeFirst();
  if (!row) return { kind: 'none' };
  const age = now.getTime() - new Date(row.created_at).getTime();
  // Expired after 24 h; an in-progress claim older than a minute belongs to a request that never finished.
  if (age >= IDEMPOTENCY_TTL_SECONDS * 1000 || (row.status_code === 0 && age > 60_000)) {
    await db
      .deleteFrom('idempotency_keys')
      .where('scope', '=', idem.scope)
      .where('created_at', '=', row.created_at)
      .execute();
    return { kind: 'none' };
  }
  if (!keyedHashMatches(ctx.config.dataKeys, row.body_hash, idem.bodyText, BODY_HASH_PURPOSE)) {
    throw new ApiError({
      status: 409,
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: 'This Idempotency-Key was already used with a different request body. Use a new key for a new request.',
    });
  }
  if (row.status_code === 0) {
    throw new ApiError({
      status: 409,
      code: 'CONFLICT',
      message: 'A request with this Idempotency-Key is still being processed. Retry in a moment to get its result.',
      details: { retryAfterSeconds: 1 },
      headers: { 'Retry-After': '1' },
    });
  }
  try {
    return {
      kind: 'replay',
      status: row.status_code,
      body: open(ctx.config.dataKeys, row.response, replyContext(idem.scope)),
    };
  } catch {
    // The key that sealed it was dropped (or the row was tampered with): never act twice, never replay garbage.
    throw new ApiError({
      status: 409,
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: 'The stored result of this Idempotency-Key can no longer be read. Use a new key for a new request.',
    });
  }
}

async function sendReplay(reply: FastifyReply, r: { status: number; body: string }): Promise<void> {
  void reply.header('Idempotent-Replayed', 'true').header('content-type', 'application/json; charset=utf-8');
  await reply.status(r.status).send(r.body);
}

/** Same Idempotency-Key + same body within 24 h → the first response again; other body → 409. */
export function installIdempotency(app: FastifyInstance, ctx: Ctx): void {
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    // Unknown routes and routes that record the reply themselves are left alone.
    if (req.routeOptions.config?.idempotencyInTransaction || !req.routeOptions.url) return;
    const idem = idempotencyRequest(req, ctx);
    if (!idem) return;
    const now = ctx.clock.now();
    const found = await storedReply(ctx, ctx.db, idem, now);
    if (found.kind === 'replay') {
      await sendReplay(reply, found);
      return reply;
    }
    // Claim the key (status 0 = in progress) so that concurrent retries wait for the first instead of acting twice.
    try {
      await ctx.db
        .insertInto('idempotency_keys')
        .values({ scope: idem.scope, body_hash: idem.bodyHash, status_code: 0, response: '', created_at: iso(now) })
        .execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const again = await storedReply(ctx, ctx.db, idem, now);
      if (again.kind === 'replay') {
        await sendReplay(reply, again);
        return reply;
      }
      throw new ApiError({
        status: 409,
        code: 'CONFLICT',
        message: 'A request with this Idempotency-Key is still being processed. Retry in a moment.',
      });
    }
    req.idempotencyScope = idem.scope;
    req.idempotencyBodyHash = idem.bodyHash;
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.idempotencyScope || reply.getHeader('Idempotent-Replayed')) return payload;
    const scope = req.idempotencyScope;
    req.idempotencyScope = undefined;
    if (reply.statusCode >= 500) {
      // A server failure is not an answer to replay: free the key so a retry acts.
      await ctx.db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('status_code', '=', 0).execute();
      return payload;
    }
    const text =
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a serialised reply is a string or a Buffer; String() reads both
      typeof payload === 'string' ? payload : payload === null || payload === undefined ? '' : String(payload);
    await ctx.db
      .updateTable('idempotency_keys')
      .set({ status_code: reply.statusCode, response: sealReply(ctx, scope, text) })
      .where('scope', '=', scope)
      .execute();
    return payload;
  });
}

/**
 * Idempotency for a handler that does all its work in one transaction (bulk invitations): the key is claimed by the
 * first statement of that transaction and its reply stored by the last, so a crash leaves no claim behind (a retry
 * acts at once instead of waiting out a stale claim), and a concurrent retry waits on the row lock, then replays.
 * Without an Idempotency-Key, `work` simply runs in a transaction.
 */
export async function withIdempotency(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  work: (tx: Kysely<DB>) => Promise<{ status: number; body: unknown }>,
): Promise<FastifyReply> {
  const idem = idempotencyRequest(req, ctx);
  const now = ctx.clock.now();
  if (idem) {
    const found = await storedReply(ctx, ctx.db, idem, now);
    if (found.kind === 'replay') {
      await sendReplay(reply, found);
      return reply;
    }
  }
  let result: { status: number; body: unknown };
  try {
    result = await ctx.db.transaction().execute(async (tx) => {
      if (idem)
        await tx
          .insertInto('idempotency_keys')
          .values({ scope: idem.scope, body_hash: idem.bodyHash, status_code: 0, response: '', created_at: iso(now) })
          .execute();
      const r = await work(tx);
      if (idem && r.status < 500) {
        await tx
          .updateTable('idempotency_keys')
          .set({ status_code: r.status, response: sealReply(ctx, idem.scope, JSON.stringify(r.body)) })
          .where('scope', '=', idem.scope)
          .execute();
      }
      return r;
    });
  } catch (err) {
    if (!idem || !isUniqueViolation(err)) throw err;
    // Another request with this key committed while this one waited: answer with its reply.
    const found = await storedReply(ctx, ctx.db, idem, ctx.clock.now());
    if (found.kind === 'replay') {
      await sendReplay(reply, found);
      return reply;
    }
    throw new ApiError({
      status: 409,
      code: 'CONFLICT',
      message: 'A request with this Idempotency-Key is still being processed. Retry in a moment.',
    });
  }
  return reply.status(result.status).send(result.body);
}

/**
 * Hardening headers on every answer: no MIME sniffing, no referrer (a page URL may hold a token), no caching of
 * anything (token-bearing pages and API answers alike). HTML pages get a CSP without 'unsafe-inline': each inline
 * <script> and <style> block of the page actually sent is allowed by its SHA-256 hash, nothing else runs.
 */
export function installPageHeaders(app: FastifyInstance): void {
  // Callback-style: no promise per request.
  app.addHook('onSend', (_req, reply, payload, done) => {
    void reply.header('X-Content-Type-Options', 'nosniff').header('Referrer-Policy', 'no-referrer');
    if (!reply.hasHeader('Cache-Control')) void reply.header('Cache-Control', 'no-store');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html') && typeof payload === 'string') {
      void reply.header('Content-Security-Policy', pageCsp(payload)).header('Cache-Control', 'no-store');
    }
    done(null, payload);
  });
}

/** A strict CSP for one HTML document: its inline scripts and styles by hash, same-origin fetches and forms only. */
export function pageCsp(html: string): string {
  const hashes = (tag: string) =>
    [...html.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'gi'))].map(
      (m) =>
        `'sha256-${createHash('sha256')
          .update(m[1] ?? '', 'utf8')
          .digest('base64')}'`,
    );
  const scripts = hashes('script');
  const styles = hashes('style');
  return [
    "default-src 'none'",
    `script-src ${scripts.length ? scripts.join(' ') : "'none'"}`,
    `style-src ${styles.length ? styles.join(' ') : "'none'"}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Path segments after which the next segment is a token; any letter case, `/` also percent-encoded. */
const TOKEN_PATH = /((?:\/|%2f)(?:v1(?:\/|%2f)registrations|register|reset-password)(?:\/|%2f))[^/?#\s]+/gi;
/** Query parameters whose name looks secret (also as part of a longer name: registrationToken, smsCode, x_api_key). */
const SECRET_PARAM = /([?&;][^=&#;]*?(?:token|code|passw|secret|key|otp|sig)[^=&#;]*=)[^&#;]*/gi;

function redactTokens(url: string): string {
  return url.replace(TOKEN_PATH, '$1[REDACTED]').replace(SECRET_PARAM, '$1[REDACTED]');
}

/** Decodes every valid %XX (as single bytes, so it never throws), up to three layers deep. */
function percentDecoded(url: string): string {
  let u = url;
  for (let layer = 0; layer < 3 && /%[0-9a-f]{2}/i.test(u); layer++)
    u = u.replace(/%([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return u;
}

/**
 * Removes every token a URL can carry before it is logged: registration tokens (API and the browser page of the
 * invitation email), support reset-link tokens, and secret-looking query parameters, in any letter case. A URL that
 * hides one behind percent-encoding (`%2F`, an encoded parameter name, a deep link `techpass-onboarding://register?
 * token=` passed as an encoded parameter) is logged decoded, with the token removed.
 */
export function redactUrl(url: string): string {
  const decoded = percentDecoded(url);
  const redactedDecoded = redactTokens(decoded);
  return redactedDecoded !== decoded ? redactedDecoded : redactTokens(url);
}

/** The header a client sends with every request of one user journey, so support can find that journey's lines. */
export const CORRELATION_HEADER = 'x-correlation-id';
const CORRELATION_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** The journey's correlation id from the request headers, when it is well formed (anything else is not logged). */
export function correlationIdOf(
  headers: Record<string, string | string[] | undefined> | undefined,
): string | undefined {
  const v = headers?.[CORRELATION_HEADER];
  return typeof v === 'string' && CORRELATION_ID.test(v) ? v : undefined;
}
