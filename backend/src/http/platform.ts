import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context';
import { iso } from '../context';
import { sha256 } from '../crypto';
import { isUniqueViolation } from '../db/connect';
import { ApiError, errorBody } from './errors';

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyScope?: string;
    idempotencyBodyHash?: string;
  }
}

/** Same Idempotency-Key + same body within 24 h → the first response again; other body → 409. */
export function installIdempotency(app: FastifyInstance, ctx: Ctx): void {
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'POST') return;
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0) return;
    if (key.length > 200) throw new ApiError(400, 'VALIDATION_FAILED', 'The Idempotency-Key header is too long (at most 200 characters).', { 'Idempotency-Key': 'Use at most 200 characters.' });
    const scope = sha256(`${key}\n${req.method}\n${req.url}\n${req.headers.authorization ?? ''}`);
    const bodyHash = sha256(JSON.stringify(req.body ?? null));
    const now = ctx.clock.now();
    const replayOrConflict = async (): Promise<boolean> => {
      const row = await ctx.db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).executeTakeFirst();
      if (!row) return false;
      const age = now.getTime() - new Date(row.created_at).getTime();
      // Expired after 24 h; an in-progress claim older than a minute belongs to a request that never finished.
      if (age >= IDEMPOTENCY_TTL_SECONDS * 1000 || (row.status_code === 0 && age > 60_000)) {
        await ctx.db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('created_at', '=', row.created_at).execute();
        return false;
      }
      if (row.body_hash !== bodyHash) {
        throw new ApiError(409, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body. Use a new key for a new request.');
      }
      if (row.status_code === 0) {
        throw new ApiError(409, 'CONFLICT', 'A request with this Idempotency-Key is still being processed. Retry in a moment to get its result.', undefined, { retryAfterSeconds: 1 }, { 'Retry-After': '1' });
      }
      void reply.header('Idempotent-Replayed', 'true').header('content-type', 'application/json; charset=utf-8');
      await reply.status(row.status_code).send(row.response);
      return true;
    };
    if (await replayOrConflict()) return reply;
    // Claim the key (status 0 = in progress) so that concurrent retries wait for the first instead of acting twice.
    try {
      await ctx.db.insertInto('idempotency_keys').values({ scope, body_hash: bodyHash, status_code: 0, response: '', created_at: iso(now) }).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      if (await replayOrConflict()) return reply;
      throw new ApiError(409, 'CONFLICT', 'A request with this Idempotency-Key is still being processed. Retry in a moment.');
    }
    req.idempotencyScope = scope;
    req.idempotencyBodyHash = bodyHash;
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
    const text = typeof payload === 'string' ? payload : payload === null || payload === undefined ? '' : String(payload);
    await ctx.db.updateTable('idempotency_keys').set({ status_code: reply.statusCode, response: text }).where('scope', '=', scope).execute();
    return payload;
  });
}

/**
 * A per-address limit on the unauthenticated endpoints. Generous on purpose (offices share one address): the
 * real brute-force protection is the per-account lockout and the per-phone SMS limit.
 */
export function perAddressLimiter(ctx: Ctx) {
  const windows = new Map<string, { start: number; count: number }>();
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const now = Date.now();
    const w = windows.get(req.ip);
    if (!w || now - w.start >= 60_000) {
      if (windows.size > 10_000) windows.clear();
      windows.set(req.ip, { start: now, count: 1 });
      return;
    }
    w.count += 1;
    if (w.count > ctx.config.rateLimitPerMinute) {
      const wait = Math.ceil((w.start + 60_000 - now) / 1000);
      return reply
        .status(429)
        .header('Retry-After', String(wait))
        .send(errorBody('RATE_LIMITED', `Too many requests from your network. Wait ${wait} seconds and try again.`, undefined, { retryAfterSeconds: wait }));
    }
  };
}

/** Removes registration tokens and reset-link tokens from logged URLs. */
export function redactUrl(url: string): string {
  return url
    .replace(/(\/v1\/registrations\/)[^/?#]+/, '$1[REDACTED]')
    .replace(/(\/reset-password\/)[^/?#]+/, '$1[REDACTED]')
    .replace(/([?&](token|code|password)=)[^&#]*/gi, '$1[REDACTED]');
}
