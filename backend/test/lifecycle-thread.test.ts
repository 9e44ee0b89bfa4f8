/**
 * On a SQLite file database the lifecycle job runs in its own thread on its own connection: better-sqlite3 is
 * synchronous, so in-process every statement of the job would run on the request thread. The main thread only
 * waits for the message with the run's report, records the job metrics from it, and stays free meanwhile; a run
 * that fails in the thread is reported as a failure and the next run works.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Counter } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { seed } from '../bench/seed';
import { lifecycleActionsTotal, lifecycleJobRunsTotal } from '../src/observability/metrics';
import { startBackend, type TestBackend } from './harness';

const counterValue = async <L extends string>(counter: Counter<L>, labels: Record<L, string>): Promise<number> =>
  (await counter.get()).values.find((v) =>
    (Object.entries(labels) as [L, string][]).every(([k, x]) => v.labels[k] === x),
  )?.value ?? 0;

describe('the lifecycle job in its own thread (sqlite)', { timeout: 180_000 }, () => {
  const open: TestBackend[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()?.close();
  });

  it('a run over thousands of accounts leaves the request thread idle; its metrics are recorded on the main thread', async () => {
    const b = await startBackend('sqlite');
    open.push(b);
    await seed({ accounts: 4000, dataDir: b.dataDir, log: () => undefined });
    const idle = monitorEventLoopDelay({ resolution: 5 });
    idle.enable();
    await new Promise((r) => setTimeout(r, 1000));
    idle.disable();
    const successes = await counterValue(lifecycleJobRunsTotal, { outcome: 'success' });
    const reminded = await counterValue(lifecycleActionsTotal, { action: 'reminder_sent' });

    // The job alone (the jobs endpoint also runs a delivery afterwards, on this thread).
    const delay = monitorEventLoopDelay({ resolution: 5 });
    const busyBefore = performance.eventLoopUtilization();
    const started = performance.now();
    delay.enable();
    const r = await b.app.techpass.lifecycle.run();
    delay.disable();
    const busy = performance.eventLoopUtilization(busyBefore);
    expect(r.reminders.length).toBeGreaterThan(100);
    const report = `job ${(performance.now() - started).toFixed(0)} ms; main thread busy ${(busy.utilization * 100).toFixed(0)}% of the run; event-loop delay max ${(delay.max / 1e6).toFixed(1)} ms (idle ${(idle.max / 1e6).toFixed(1)} ms)`;
    // In-process the job's statements keep the main thread busy nearly the whole run (100% here, with stalls of
    // 180 ms); in its thread the main thread only receives the report (1–30%). The event-loop delay is reported,
    // not asserted: on this shared machine the idle baseline alone reaches 100 ms under load.
    expect(busy.utilization, report).toBeLessThan(0.5);
    // What the thread did is recorded in this thread's registry.
    expect(await counterValue(lifecycleJobRunsTotal, { outcome: 'success' })).toBe(successes + 1);
    expect(await counterValue(lifecycleActionsTotal, { action: 'reminder_sent' })).toBe(reminded + r.reminders.length);
  });

  it('a run that fails in the thread is reported (and counted) as a failure, and the next run works', async () => {
    const b = await startBackend('sqlite');
    open.push(b);
    const { ctx, runJobs } = b.app.techpass;
    const failures = await counterValue(lifecycleJobRunsTotal, { outcome: 'failure' });
    // The job's first step reads the invitations: without the table its thread's run fails.
    await sql`alter table invitations rename to invitations_away`.execute(ctx.db);
    await expect(runJobs()).rejects.toThrow(/lifecycle job failed: .*invitations/);
    expect(await counterValue(lifecycleJobRunsTotal, { outcome: 'failure' })).toBe(failures + 1);
    await sql`alter table invitations_away rename to invitations`.execute(ctx.db);
    // The failed run released its lease, and the same thread runs the next one.
    await expect(runJobs()).resolves.toMatchObject({ ran: true });
  });
});
