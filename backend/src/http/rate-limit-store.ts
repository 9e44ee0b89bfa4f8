import rateLimit, { type FastifyRateLimitOptions, type FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../clock';
import type { Ctx } from '../context';
import { addSec, iso } from '../context';
import type { DB } from '../db/schema';
import { ApiError } from './errors';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

const PREFIX = 'http:';
/** Purge expired windows once every this many increments (bounded table, no timer to stop). */
const PURGE_EVERY = 500;

/**
 * Deletes counter rows whose window ended long ago: per-address windows after 10 minutes, SMS windows and cooldowns
 * after 2 days (their longest window is one day).
 */
export async function purgeExpiredLimits(db: Kysely<DB>, now: Date): Promise<void> {
  await db
    .deleteFrom('rate_limits')
    .where((eb) =>
      eb.or([
        eb.and([eb('key', 'like', `${PREFIX}%`), eb('window_start', '<', iso(addSec(now, -600)))]),
        eb('window_start', '<', iso(addSec(now, -2 * 86400))),
      ]),
    )
    .execute();
}

/**
 * A @fastify/rate-limit store in the service's own database, so every replica counts against one limit (the
 * library's default store is per process). Each hit is one upsert that starts a new window when the old one has
 * ended and otherwise increments, returning the count and the window's start: atomic on SQLite and PostgreSQL.
 */
export function databaseRateLimitStore(db: Kysely<DB>, clock: Clock): new (options: FastifyRateLimitOptions) => FastifyRateLimitStore {
  let hits = 0;
  class DatabaseRateLimitStore implements FastifyRateLimitStore {
    constructor(_options: FastifyRateLimitOptions) {}

    incr(key: string, callback: Callback, timeWindow: number, _max: number): void {
      const now = clock.now();
      const windowEndedBefore = iso(new Date(now.getTime() - timeWindow));
      const ended = sql<boolean>`rate_limits.window_start <= ${windowEndedBefore}`;
      db.insertInto('rate_limits')
        .values({ key: PREFIX + key, window_start: iso(now), count: 1 })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            count: sql<number>`case when ${ended} then 1 else rate_limits.count + 1 end`,
            window_start: sql<string>`case when ${ended} then excluded.window_start else rate_limits.window_start end`,
          }),
        )
        .returning(['count', 'window_start'])
        .executeTakeFirstOrThrow()
        .then((row) => {
          const ttl = Math.max(0, new Date(row.window_start).getTime() + timeWindow - now.getTime());
          callback(null, { current: row.count, ttl });
          hits += 1;
          if (hits % PURGE_EVERY === 0) purgeExpiredLimits(db, now).catch(() => undefined);
        })
        .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  }
  return DatabaseRateLimitStore;
}

/**
 * The per-address limit on the public endpoints: RATE_LIMIT_PER_MINUTE requests a minute from one address (generous
 * on purpose, offices share one address; the real brute-force protection is the per-account lockout and the SMS
 * limits), counted in the database by every replica. Returns the hook to add to the public routes.
 */
export async function addressRateLimit(app: FastifyInstance, ctx: Ctx): Promise<onRequestAsyncHookHandler> {
  await app.register(rateLimit, {
    global: false,
    hook: 'onRequest',
    max: ctx.config.rateLimitPerMinute,
    timeWindow: 60_000,
    store: databaseRateLimitStore(ctx.db, ctx.clock),
    errorResponseBuilder: (_req, context) => {
      const wait = Math.max(1, Math.ceil(context.ttl / 1000));
      return new ApiError({ status: 429, code: 'RATE_LIMITED', message: `Too many requests from your network. Wait ${wait} seconds and try again.`, details: { retryAfterSeconds: wait }, headers: { 'Retry-After': String(wait) } });
    },
  });
  return app.rateLimit() as unknown as onRequestAsyncHookHandler;
}
