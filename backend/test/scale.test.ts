/**
 * Costs that must stay flat as the database grows: GET /v1/me reads in one statement and writes nothing (a
 * session is touched at most once a minute); the lifecycle job, which asks the database per deadline for what is
 * due, does exactly what evaluating every account would do; and a job run over thousands of accounts never holds
 * the event loop (or, on SQLite, the connection) long enough to keep a request waiting.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PostgresQueryCompiler, SqliteQueryCompiler, type KyselyPlugin, type QueryCompiler } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluateAccount, lifecycleAccountFromRow } from '../src/lifecycle/rules';
import { seed } from '../bench/seed';
import { DIALECTS, registered, signInToken, startBackend, type TestBackend } from './harness';

class StatementLog implements KyselyPlugin {
  readonly statements: string[] = [];
  constructor(private readonly compiler: QueryCompiler) {}
  transformQuery: KyselyPlugin['transformQuery'] = (args) => {
    this.statements.push(this.compiler.compileQuery(args.node, args.queryId).sql);
    return args.node;
  };
  transformResult: KyselyPlugin['transformResult'] = async (args) => args.result;
}

const DAY = 86_400;

describe.each(DIALECTS)('flat costs (%s)', { timeout: 180_000 }, (dialect) => {
  const open: TestBackend[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()?.close();
  });
  const start = async () => {
    const b = await startBackend(dialect);
    open.push(b);
    return b;
  };
  const logStatements = (b: TestBackend) => {
    const log = new StatementLog(dialect === 'postgres' ? new PostgresQueryCompiler() : new SqliteQueryCompiler());
    const { ctx } = b.app.techpass;
    ctx.db = ctx.db.withPlugin(log);
    return log;
  };

  it('GET /v1/me is one read and no write; the session is touched at most once a minute and still idles out', async () => {
    const b = await start();
    const u = await registered(b);
    const token = await signInToken(b, u.username, u.password);
    const log = logStatements(b);
    await b.advance(30);
    const me = await b.call('GET', '/v1/me', { token });
    expect(me.status).toBe(200);
    // The session, its account and the account's accepted terms together.
    expect(log.statements).toHaveLength(1);
    expect(log.statements.every((s) => /^\s*select/i.test(s))).toBe(true);
    log.statements.length = 0;
    for (let i = 0; i < 5; i++) expect((await b.call('GET', '/v1/me', { token })).status).toBe(200);
    expect(log.statements.filter((s) => !/^\s*select/i.test(s))).toEqual([]);
    // A minute after the last touch, one request moves last_seen_at; the next ones do not.
    await b.advance(61);
    log.statements.length = 0;
    await b.call('GET', '/v1/me', { token });
    await b.call('GET', '/v1/me', { token });
    expect(log.statements.filter((s) => /^\s*update "sessions"/i.test(s))).toHaveLength(1);
    // Used every 20 minutes the session stays alive past the 30-minute idle limit ...
    for (let i = 0; i < 3; i++) {
      await b.advance(20 * 60);
      expect((await b.call('GET', '/v1/me', { token })).status).toBe(200);
    }
    // ... and left alone for the idle limit it ends.
    await b.advance(30 * 60);
    expect((await b.call('GET', '/v1/me', { token })).body.error.code).toBe('SESSION_EXPIRED');
  });

  it('the due queries find exactly the accounts that evaluating every account would act on', async () => {
    const b = await start();
    await seed({
      accounts: dialect === 'postgres' ? 800 : 1500,
      dataDir: b.dataDir,
      databaseUrl: dialect === 'postgres' ? b.databaseUrl : undefined,
      log: () => undefined,
    });
    const { ctx } = b.app.techpass;
    for (const advance of [0, 2 * DAY, 9 * DAY, 45 * DAY]) {
      if (advance) await b.advance(advance);
      const now = b.clock.now();
      // The oracle: the old way, every account through the rules.
      const all = await ctx.db.selectFrom('accounts').selectAll().where('state', '!=', 'DELETED').execute();
      const expected = all
        .filter((a) => evaluateAccount(lifecycleAccountFromRow(a), now, ctx.deadlines).length > 0)
        .map((a) => a.username);
      const dueInvitations = await ctx.db
        .selectFrom('invitations')
        .select('id')
        .where('status', '=', 'sent')
        .where('expires_at', '<=', now.toISOString())
        .execute();
      const r = (await b.call('POST', '/v1/test/jobs/run')).body as {
        reminders: { username: string }[];
        transitions: { username: string }[];
        deleted: string[];
        seedEmailsExpired: string[];
        passwordExpiryNotices: string[];
        invitationsExpired: string[];
      };
      const acted = new Set([
        ...r.reminders.map((x) => x.username),
        ...r.transitions.map((x) => x.username),
        ...r.deleted,
        ...r.seedEmailsExpired,
        ...r.passwordExpiryNotices,
      ]);
      expect([...acted].sort(), `after +${advance / DAY} days`).toEqual([...new Set(expected)].sort());
      expect(r.invitationsExpired.sort()).toEqual(dueInvitations.map((i) => i.id).sort());
      if (advance === 0) expect(expected.length).toBeGreaterThan(50);
    }
  });

  it('a job run over thousands of accounts yields to the event loop and lets requests through while it runs', async () => {
    const b = await start();
    await seed({
      accounts: dialect === 'postgres' ? 2000 : 4000,
      dataDir: b.dataDir,
      databaseUrl: dialect === 'postgres' ? b.databaseUrl : undefined,
      log: () => undefined,
    });
    const u = await registered(b);
    const token = await signInToken(b, u.username, u.password);
    // The same probe with and without the job: the machine these tests share runs other work, so its own
    // scheduling delay is measured in the same run and the job may add nothing beyond the 50 ms bound to it.
    const measure = async (during: () => Promise<unknown>) => {
      const histogram = monitorEventLoopDelay({ resolution: 5 });
      let running = true;
      let maxWait = 0;
      const probe = (async () => {
        while (running) {
          const t = performance.now();
          await b.call('GET', '/v1/me', { token });
          maxWait = Math.max(maxWait, performance.now() - t);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      histogram.enable();
      const result = await during();
      histogram.disable();
      running = false;
      await probe;
      return { result, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6, maxWait };
    };
    const idle = await measure(() => new Promise((r) => setTimeout(r, 1500)));
    const started = performance.now();
    const job = await measure(() => b.call('POST', '/v1/test/jobs/run'));
    const took = performance.now() - started;
    const r = job.result as { status: number; body: { reminders: unknown[] } };
    expect(r.status).toBe(200);
    expect(r.body.reminders.length).toBeGreaterThan(100);
    const report = `run ${took.toFixed(0)} ms; event-loop delay p99 ${job.p99.toFixed(1)} ms (idle ${idle.p99.toFixed(1)}), max ${job.max.toFixed(1)} ms (idle ${idle.max.toFixed(1)}), request wait max ${job.maxWait.toFixed(1)} ms (idle ${idle.maxWait.toFixed(1)})`;
    // The job used to hold the event loop (and the SQLite connection) for its whole run. Now no stall and no wait
    // comes near the run's length. The 50 ms / 100 ms figures are measured by \`npm run bench\` against the same
    // run's baseline: this shared test machine's own scheduling delay is often above them.
    expect(job.max, report).toBeLessThan(Math.max(took / 3, idle.max + 50));
    expect(job.maxWait, report).toBeLessThan(Math.max(took / 3, idle.maxWait + 100));
  });
});
