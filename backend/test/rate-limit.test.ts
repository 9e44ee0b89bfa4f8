/**
 * The per-address limit on the public routes, counted in the database by blocks of positions reserved per replica
 * (rate-limit-store.ts): exact on one replica under a parallel burst, few database statements per burst, and a
 * new window each minute.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresQueryCompiler, SqliteQueryCompiler, type KyselyPlugin, type QueryCompiler } from 'kysely';
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { databaseRateLimitStore, reservationCap } from '../src/http/rate-limit-store';
import { DIALECTS, startBackend, type Res, type TestBackend } from './harness';

class CountRateLimitWrites implements KyselyPlugin {
  writes = 0;
  constructor(private readonly compiler: QueryCompiler) {}
  transformQuery: KyselyPlugin['transformQuery'] = (args) => {
    if (/insert into "rate_limits"/i.test(this.compiler.compileQuery(args.node, args.queryId).sql)) this.writes += 1;
    return args.node;
  };
  transformResult: KyselyPlugin['transformResult'] = async (args) => args.result;
}

const count = (rs: Res[], status: number) => rs.filter((r) => r.status === status).length;

describe.each(DIALECTS)('per-address rate limit (%s)', { timeout: 120_000 }, (dialect) => {
  const open: TestBackend[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()?.close();
  });

  it('a parallel burst on one replica: exactly RATE_LIMIT_PER_MINUTE answered, the rest 429, and a new window each minute', async () => {
    const b = await startBackend(dialect, { env: { RATE_LIMIT_PER_MINUTE: '150' } });
    open.push(b);
    const run = async (n: number) => Promise.all(Array.from({ length: n }, () => b.call('GET', '/v1/terms')));
    const first = await run(200);
    expect(count(first, 200)).toBe(150);
    expect(count(first, 429)).toBe(50);
    const limited = first.find((r) => r.status === 429);
    expect(limited?.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    // Still refused within the minute, answered again in the next one, exactly the limit again.
    expect(count(await run(5), 429)).toBe(5);
    await b.advance(61);
    const second = await run(170);
    expect([count(second, 200), count(second, 429)]).toEqual([150, 20]);
  });

  it('the store: exact on one replica, written per block not per request, and never over the limit across two', async () => {
    const b = await startBackend(dialect);
    open.push(b);
    const { ctx } = b.app.techpass;
    const plugin = new CountRateLimitWrites(
      dialect === 'postgres' ? new PostgresQueryCompiler() : new SqliteQueryCompiler(),
    );
    const db = ctx.db.withPlugin(plugin);
    const replica = () => {
      const Store = databaseRateLimitStore(db, b.clock);
      return new Store({});
    };
    const incr = (store: FastifyRateLimitStore, key: string, max: number) =>
      new Promise<number>((resolve, reject) =>
        store.incr(
          key,
          (err, r) => (err || !r ? reject(err ?? new Error('no result')) : resolve(r.current)),
          60_000,
          max,
        ),
      );
    const answered = (positions: number[], max: number) => positions.filter((p) => p <= max).length;

    // One replica, 1,000 at once against a limit of 400: exactly 400 answered, in a few dozen statements.
    const one = replica();
    const burst = await Promise.all(Array.from({ length: 1000 }, () => incr(one, 'burst', 400)));
    expect(answered(burst, 400)).toBe(400);
    expect(new Set(burst.filter((p) => p <= 400)).size).toBe(400); // each position handed out once
    expect(plugin.writes).toBeLessThan(60);
    // One by one, the same: position n for the n-th request of the window.
    const seq: number[] = [];
    for (let i = 0; i < 130; i++) seq.push(await incr(one, 'sequential', 120));
    expect(seq.slice(0, 120)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(seq.slice(120).every((p) => p > 120)).toBe(true);

    // Two replicas sharing one database, interleaved: never more than the limit; early by at most a block each.
    const [x, y] = [replica(), replica()];
    const shared = await Promise.all(Array.from({ length: 1000 }, (_, i) => incr(i % 2 ? x : y, 'shared', 400)));
    const got = answered(shared, 400);
    expect(got).toBeLessThanOrEqual(400);
    expect(got).toBeGreaterThanOrEqual(400 - 2 * (reservationCap(400) - 1));
    // A new minute opens a new window.
    await b.advance(61);
    expect(await incr(x, 'shared', 400)).toBeLessThanOrEqual(400);
  });
});
