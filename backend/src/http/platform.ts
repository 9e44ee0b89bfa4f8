import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context';
import { addSec, iso } from '../context';
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
    const row = await ctx.db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).executeTakeFirst();
    const now = ctx.clock.now();
    if (row && addSec(new Date(row.created_at), IDEMPOTENCY_TTL_SECONDS).getTime() > now.getTime()) {
      if (row.body_hash !== bodyHash) {
        throw new ApiError(409, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body. Use a new key for a new request.');
      }
      void reply.header('Idempotent-Replayed', 'true').header('content-type', 'application/json; charset=utf-8');
      return reply.status(row.status_code).send(row.response);
    }
    if (row) await ctx.db.deleteFrom('idempotency_keys').where('scope', '=', scope).execute();
    req.idempotencyScope = scope;
    req.idempotencyBodyHash = bodyHash;
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.idempotencyScope || reply.statusCode >= 500 || reply.getHeader('Idempotent-Replayed')) return payload;
    const text = typeof payload === 'string' ? payload : payload === null || payload === undefined ? '' : String(payload);
    try {
      await ctx.db
        .insertInto('idempotency_keys')
        .values({ scope: req.idempotencyScope, body_hash: req.idempotencyBodyHash ?? '', status_code: reply.statusCode, response: text, created_at: iso(ctx.clock.now()) })
        .execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
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
