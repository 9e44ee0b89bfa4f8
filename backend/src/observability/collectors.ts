/**
 * The metrics read from one app's database at scrape time: the outbox queue and the onboarding funnel. They live
 * in a registry of their own per app (metrics.ts holds the process-wide counters).
 *
 * Costs stay flat as the data grows: the queue is a count of the waiting rows and the first entry of the
 * (status, created_at) index; the funnel is computed over a bounded window and reused for FUNNEL_CACHE_SECONDS.
 */
import { sql } from 'kysely';
import { Gauge, Registry } from 'prom-client';
import type { Ctx } from '../context';
import { addSec } from '../context';
import { funnelReport, type FunnelReport } from './funnel';

/**
 * The outbox status of a message still to be delivered. Written into the SQL as a literal: SQLite uses the partial
 * index of waiting rows (migration 0440) only for a condition it can see when it prepares the statement.
 */
const WAITING_OUTBOX_STATUS = sql.lit('pending');

/** The funnel gauges cover the invitations of this many days back. */
export const FUNNEL_WINDOW_DAYS = 30;

export interface CollectorOptions {
  /** How long a computed funnel is reused between scrapes (0: every scrape). */
  funnelCacheSeconds: number;
}

export function createAppCollectors(ctx: Ctx, o: CollectorOptions): Registry {
  const registry = new Registry();

  let cached: { at: number; report: Promise<FunnelReport> } | undefined;
  const funnel = (): Promise<FunnelReport> => {
    const wall = Date.now();
    if (!cached || wall - cached.at >= o.funnelCacheSeconds * 1000) {
      const now = ctx.clock.now();
      const report = funnelReport(ctx, { since: addSec(now, -FUNNEL_WINDOW_DAYS * 86_400), until: addSec(now, 1) });
      cached = { at: wall, report };
      // A failed computation is not kept: the next scrape tries again.
      report.catch(() => (cached = undefined));
    }
    return cached.report;
  };

  // The queue: both statements read only index entries of waiting rows.
  const queueDepth: Gauge<'channel'> = new Gauge({
    name: 'techpass_outbox_queue_depth',
    help: 'Outbox messages waiting to be delivered, by channel.',
    labelNames: ['channel'] as const,
    registers: [registry],
    collect: async () => {
      const rows = await ctx.db
        .selectFrom('outbox')
        .select(['channel', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '=', WAITING_OUTBOX_STATUS)
        .groupBy('channel')
        .execute();
      queueDepth.reset();
      for (const ch of ['email', 'sms']) queueDepth.set({ channel: ch }, 0);
      for (const r of rows) queueDepth.set({ channel: r.channel }, Number(r.n));
    },
  });
  const oldestAge: Gauge = new Gauge({
    name: 'techpass_outbox_oldest_message_age_seconds',
    help: 'Age of the oldest outbox message still waiting to be delivered (0 when none waits).',
    registers: [registry],
    collect: async () => {
      const row = await ctx.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.min('created_at').as('oldest'))
        .where('status', '=', WAITING_OUTBOX_STATUS)
        .executeTakeFirst();
      const oldest = row?.oldest ? Date.parse(String(row.oldest)) : undefined;
      oldestAge.set(oldest === undefined ? 0 : Math.max(0, (ctx.clock.now().getTime() - oldest) / 1000));
    },
  });
  const stage: Gauge<'stage' | 'business_operation' | 'country_code'> = new Gauge({
    name: 'techpass_funnel_stage_invitations',
    help: `Invitations of the last ${FUNNEL_WINDOW_DAYS} days that reached each onboarding step, by business operation and country calling code.`,
    labelNames: ['stage', 'business_operation', 'country_code'] as const,
    registers: [registry],
    collect: async () => {
      const r = await funnel();
      stage.reset();
      for (const g of r.groups) {
        for (const s of g.stages)
          stage.set({ stage: s.stage, business_operation: g.businessOperation, country_code: g.countryCode }, s.count);
      }
    },
  });
  const deadline: Gauge<'deadline'> = new Gauge({
    name: 'techpass_funnel_deadline_soon_accounts',
    help: 'Accounts whose deadline (activation, SEED email) ends within the next 3 days.',
    labelNames: ['deadline'] as const,
    registers: [registry],
    collect: async () => {
      const r = await funnel();
      deadline.set({ deadline: 'activation' }, r.deadlines.activation);
      deadline.set({ deadline: 'seed_email' }, r.deadlines.seedEmail);
    },
  });
  return registry;
}
