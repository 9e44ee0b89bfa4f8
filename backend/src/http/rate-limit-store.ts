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
/** Purge expired windows once every this many reservations (bounded table, no timer to stop). */
const PURGE_EVERY = 500;
/** Forget local windows once this many keys are held (only ended windows are dropped). */
const SWEEP_AT_KEYS = 10_000;

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
 * The largest block of the shared budget one replica reserves at a time: at most 5 % of the limit (and 1,000), so
 * what a replica can strand unused stays a small part of the budget.
 */
export function reservationCap(max: number): number {
  return Math.max(1, Math.min(1000, Math.floor(max / 20)));
}

interface LocalWindow {
  /** Epoch ms when the shared window (as the database started it) ends. */
  endsAt: number;
  /** The next position in the window this replica hands out, and the last one it has reserved. */
  next: number;
  last: number;
  /** The size of the last reservation: doubles while the key stays busy, up to the cap. */
  block: number;
  /** The reservation in flight, if any: requests arriving meanwhile wait for it instead of starting another. */
  pending?: Promise<void>;
  waiting: number;
}

/**
 * A @fastify/rate-limit store whose budget is counted in the service's own database, so every replica counts against
 * one limit (the library's default store is per process), without a database write per request.
 *
 * How: each request needs one *position* in its address's window; position n is answered while n <= max. A replica
 * reserves positions from the shared row in blocks with one atomic upsert (`count = count + block`, or a fresh window
 * starting at `block` when the old one ended) and then hands them out in memory, one per request, in arrival order.
 * A busy key's block doubles on each reservation (up to `reservationCap`), and requests arriving while a reservation
 * is in flight wait for it and are counted into the next one, so a burst costs a few statements, not one per request.
 * Once a replica holds a position above max, the rest of the window is refused without asking the database.
 *
 * What holds:
 * - One replica: positions are handed out once each, in order, so of N requests in a window exactly min(N, max) are
 *   answered and the rest refused, as with a per-request counter.
 * - Several replicas: every position belongs to one replica, so across all replicas **at most max** requests are
 *   answered per window (never more). A replica may end a window holding reserved positions it never used (at most
 *   one block, i.e. `reservationCap(max) - 1`); those count as used. So with R replicas busy on one address the
 *   limit can bite up to R × (cap − 1) requests early (5 % of the limit per replica at most), never late.
 * - Windows are the database's: a replica drops its block when the window it was reserved in ends (by its clock).
 */
export function databaseRateLimitStore(
  db: Kysely<DB>,
  clock: Clock,
): new (options: FastifyRateLimitOptions) => FastifyRateLimitStore {
  let reservations = 0;
  const windows = new Map<string, LocalWindow>();

  /** One atomic reservation of `block` positions; returns the last position reserved and when the window ends. */
  const reserve = async (key: string, block: number, timeWindow: number): Promise<{ last: number; endsAt: number }> => {
    const now = clock.now();
    const windowEndedBefore = iso(new Date(now.getTime() - timeWindow));
    const ended = sql<boolean>`rate_limits.window_start <= ${windowEndedBefore}`;
    const row = await db
      .insertInto('rate_limits')
      .values({ key: PREFIX + key, window_start: iso(now), count: block })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql<number>`case when ${ended} then excluded.count else rate_limits.count + excluded.count end`,
          window_start: sql<string>`case when ${ended} then excluded.window_start else rate_limits.window_start end`,
        }),
      )
      .returning(['count', 'window_start'])
      .executeTakeFirstOrThrow();
    reservations += 1;
    if (reservations % PURGE_EVERY === 0) purgeExpiredLimits(db, now).catch(() => undefined);
    return { last: Number(row.count), endsAt: new Date(row.window_start).getTime() + timeWindow };
  };

  const sweep = (now: number) => {
    if (windows.size < SWEEP_AT_KEYS) return;
    for (const [k, w] of windows) if (w.endsAt <= now && !w.pending) windows.delete(k);
  };

  /** A position for one request: from the local block when one is left, else after (or with) the next reservation. */
  const take = async (key: string, timeWindow: number, max: number): Promise<{ current: number; ttl: number }> => {
    for (;;) {
      const now = clock.now().getTime();
      let w = windows.get(key);
      if (w && w.endsAt <= now && !w.pending) {
        windows.delete(key);
        w = undefined;
      }
      if (!w) {
        sweep(now);
        w = { endsAt: 0, next: 1, last: 0, block: 0, waiting: 0 };
        windows.set(key, w);
      }
      if (w.endsAt > now) {
        if (w.next <= w.last) return { current: w.next++, ttl: w.endsAt - now };
        // Over the limit for the rest of this window: every position from here on is above max.
        if (w.last >= max) return { current: max + 1, ttl: w.endsAt - now };
      }
      if (w.pending) {
        w.waiting += 1;
        await w.pending;
        continue;
      }
      const local = w;
      const block = Math.min(reservationCap(max), Math.max(1, local.block * 2, local.waiting + 1));
      local.waiting = 0;
      local.pending = reserve(key, block, timeWindow)
        .then((r) => {
          // A new shared window (or the first reservation): positions restart below what was just reserved.
          if (r.endsAt !== local.endsAt) local.endsAt = r.endsAt;
          local.next = r.last - block + 1;
          local.last = r.last;
          local.block = block;
        })
        .finally(() => {
          local.pending = undefined;
        });
      await local.pending;
    }
  };

  class DatabaseRateLimitStore implements FastifyRateLimitStore {
    constructor(_options: FastifyRateLimitOptions) {}

    incr(key: string, callback: Callback, timeWindow: number, max: number): void {
      take(key, timeWindow, max).then(
        (r) => callback(null, r),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
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
      return new ApiError({
        status: 429,
        code: 'RATE_LIMITED',
        message: `Too many requests from your network. Wait ${wait} seconds and try again.`,
        details: { retryAfterSeconds: wait },
        headers: { 'Retry-After': String(wait) },
      });
    },
  });
  return app.rateLimit();
}
