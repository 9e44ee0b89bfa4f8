/**
 * The onboarding funnel: of the invitations sent in a period, how many reached each step, how fast, and where they
 * stopped, by business operation and by the country calling code of the registered mobile.
 *
 * Each step's time is recorded where it happens (the first time only): invitations.created_at and opened_at, the
 * account's created_at (registration) and the *_at columns of migration 0410. The period's invitations are read
 * through the invitations_created index in keyset pages, and each page's accounts by primary key; nothing walks every
 * account.
 */
import type { Ctx } from '../context';
import { addSec, iso } from '../context';
import { countryCodeLabel } from './metrics';

export const FUNNEL_STAGES = [
  'invited',
  'link_opened',
  'registered',
  'first_sign_in',
  'authenticator',
  'phone',
  'password_changed',
  'terms_accepted',
  'verified',
  'seed_device_ready',
] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export const FUNNEL_STAGE_LABELS: Record<FunnelStage, string> = {
  invited: 'Invited',
  link_opened: 'Link opened',
  registered: 'Registered',
  first_sign_in: 'First sign-in',
  authenticator: 'Authenticator',
  phone: 'Phone verified',
  password_changed: 'Password changed',
  terms_accepted: 'Terms accepted',
  verified: 'Verified (onboarding complete)',
  seed_device_ready: 'SEED device check ready',
};

export interface StageStats {
  stage: FunnelStage;
  /** Invitations that reached this step (and every step before it). */
  count: number;
  /** Invitations this step applies to among those that reached the previous one (the SEED step: SEED requested only). */
  eligible: number;
  /** count / eligible (1 for the first step; null when nobody was eligible). */
  conversion: number | null;
  /** eligible - count: stopped before this step. */
  dropOff: number;
  /** Seconds from the previous step to this one, over the invitations that reached it. */
  medianSecondsFromPrevious: number | null;
  p90SecondsFromPrevious: number | null;
}

export interface FunnelGroup {
  businessOperation: string;
  /** Calling code of the registered mobile ("unknown" before registration, "other" outside the known list). */
  countryCode: string;
  stages: StageStats[];
}

export interface FunnelReport {
  since: string;
  until: string;
  generatedAt: string;
  total: StageStats[];
  groups: FunnelGroup[];
  /** Accounts whose deadline falls within `withinSeconds` from now. */
  deadlines: { withinSeconds: number; activation: number; seedEmail: number };
}

interface FunnelRow {
  business_operation: string;
  password_delivery: string;
  seed_requested: number;
  created_at: string;
  opened_at: string | null;
  registered_at: string | null;
  mobile: string | null;
  first_sign_in_at: string | null;
  mfa_registered_at: string | null;
  phone_verified_at: string | null;
  password_first_changed_at: string | null;
  terms_accepted_at: string | null;
  onboarding_completed_at: string | null;
  seed_device_at: string | null;
}

/** The time each step was reached, or null; steps that do not apply pass at the time of the step before. */
function stageTimes(r: FunnelRow): (number | null | 'n/a')[] {
  const t = (s: string | null) => (s === null ? null : Date.parse(s));
  return [
    t(r.created_at),
    // A registration without a recorded opening (an invitation older than the recording) opened the link then.
    t(r.opened_at ?? r.registered_at),
    t(r.registered_at),
    t(r.first_sign_in_at),
    t(r.mfa_registered_at),
    t(r.phone_verified_at),
    // Only an SMS initial password has to be changed; a self-set one passes this step.
    r.password_delivery === 'sms' ? t(r.password_first_changed_at) : 'n/a',
    t(r.terms_accepted_at),
    t(r.onboarding_completed_at),
    r.seed_requested === 1 ? t(r.seed_device_at) : 'n/a',
  ];
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  // Nearest rank: the smallest value with at least p of the values at or below it.
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] as number;
}

function stats(rows: readonly FunnelRow[]): StageStats[] {
  const counts = FUNNEL_STAGES.map(() => ({ count: 0, eligible: 0, durations: [] as number[] }));
  for (const r of rows) {
    const times = stageTimes(r);
    let prev: number | null = null;
    for (let i = 0; i < FUNNEL_STAGES.length; i++) {
      const c = counts[i] as (typeof counts)[number];
      const t = times[i] as number | null | 'n/a';
      if (t === 'n/a') {
        // Not part of this invitation's journey: it keeps going at the previous step's time, uncounted here.
        if (i === FUNNEL_STAGES.length - 1) break;
        c.eligible += 1;
        c.count += 1;
        c.durations.push(0);
        continue;
      }
      c.eligible += 1;
      if (t === null) break;
      c.count += 1;
      if (prev !== null) c.durations.push(Math.max(0, (t - prev) / 1000));
      prev = t;
    }
  }
  return FUNNEL_STAGES.map((stage, i) => {
    const c = counts[i] as (typeof counts)[number];
    const sorted = [...c.durations].sort((a, b) => a - b);
    return {
      stage,
      count: c.count,
      eligible: c.eligible,
      conversion: c.eligible === 0 ? null : c.count / c.eligible,
      dropOff: c.eligible - c.count,
      medianSecondsFromPrevious: i === 0 ? null : percentile(sorted, 0.5),
      p90SecondsFromPrevious: i === 0 ? null : percentile(sorted, 0.9),
    };
  });
}

export interface FunnelOptions {
  since: Date;
  until: Date;
  /** How far ahead a deadline counts as "about to be hit" (default 3 days). */
  withinSeconds?: number;
}

export const DEFAULT_DEADLINE_HORIZON_SECONDS = 3 * 86_400;

/** Invitations are read in keyset pages of this many, and their accounts by primary key per page. */
const PAGE = 1000;

/** The period's invitations (a range of invitations_created) joined to their accounts (by primary key). */
async function funnelRows(ctx: Pick<Ctx, 'db'>, since: string, until: string): Promise<FunnelRow[]> {
  const out: FunnelRow[] = [];
  let cursor: { createdAt: string; id: string } | undefined;
  for (;;) {
    let q = ctx.db
      .selectFrom('invitations')
      .select([
        'id',
        'account_id',
        'business_operation',
        'password_delivery',
        'seed_requested',
        'created_at',
        'opened_at',
        'status',
      ])
      .where('created_at', '>=', since)
      .where('created_at', '<', until);
    if (cursor) {
      const c = cursor;
      q = q
        .where('created_at', '>=', c.createdAt)
        .where((eb) => eb.or([eb('created_at', '>', c.createdAt), eb('id', '>', c.id)]));
    }
    const page = await q.orderBy('created_at').orderBy('id').limit(PAGE).execute();
    // A resent invitation is replaced by its new one: the person is counted once.
    const live = page.filter((i) => i.status !== 'superseded');
    const ids = live.map((i) => i.account_id).filter((id): id is string => id !== null);
    const accounts = ids.length
      ? await ctx.db
          .selectFrom('accounts')
          .select([
            'id',
            'created_at',
            'mobile',
            'first_sign_in_at',
            'mfa_registered_at',
            'phone_verified_at',
            'password_first_changed_at',
            'terms_accepted_at',
            'onboarding_completed_at',
            'seed_device_at',
          ])
          .where('id', 'in', ids)
          .execute()
      : [];
    const byId = new Map(accounts.map((a) => [a.id, a]));
    for (const i of live) {
      const a = i.account_id ? byId.get(i.account_id) : undefined;
      out.push({
        business_operation: i.business_operation,
        password_delivery: i.password_delivery,
        seed_requested: i.seed_requested,
        created_at: i.created_at,
        opened_at: i.opened_at ?? null,
        registered_at: a?.created_at ?? null,
        mobile: a?.mobile ?? null,
        first_sign_in_at: a?.first_sign_in_at ?? null,
        mfa_registered_at: a?.mfa_registered_at ?? null,
        phone_verified_at: a?.phone_verified_at ?? null,
        password_first_changed_at: a?.password_first_changed_at ?? null,
        terms_accepted_at: a?.terms_accepted_at ?? null,
        onboarding_completed_at: a?.onboarding_completed_at ?? null,
        seed_device_at: a?.seed_device_at ?? null,
      });
    }
    const last = page[page.length - 1];
    if (!last || page.length < PAGE) return out;
    cursor = { createdAt: last.created_at, id: last.id };
  }
}

export async function funnelReport(
  ctx: Pick<Ctx, 'db' | 'clock' | 'deadlines'>,
  o: FunnelOptions,
): Promise<FunnelReport> {
  const rows = await funnelRows(ctx, iso(o.since), iso(o.until));
  const byGroup = new Map<string, FunnelRow[]>();
  for (const r of rows) {
    const key = `${r.business_operation}\u0000${r.mobile ? countryCodeLabel('sms', r.mobile) : 'unknown'}`;
    let g = byGroup.get(key);
    if (!g) byGroup.set(key, (g = []));
    g.push(r);
  }
  const groups = [...byGroup.entries()]
    .map(([key, g]) => {
      const [businessOperation = '', countryCode = ''] = key.split('\u0000');
      return { businessOperation, countryCode, stages: stats(g) };
    })
    .sort(
      (a, b) => a.businessOperation.localeCompare(b.businessOperation) || a.countryCode.localeCompare(b.countryCode),
    );
  const withinSeconds = o.withinSeconds ?? DEFAULT_DEADLINE_HORIZON_SECONDS;
  return {
    since: iso(o.since),
    until: iso(o.until),
    generatedAt: iso(ctx.clock.now()),
    total: stats(rows),
    groups,
    deadlines: { withinSeconds, ...(await deadlinesSoon(ctx, withinSeconds)) },
  };
}

/**
 * Accounts whose activation window (PENDING, from created_at) or SEED email (PROVISIONED, from when it was sent)
 * ends within `withinSeconds`: two counts over a range of the lifecycle job's own indexes.
 */
export async function deadlinesSoon(
  ctx: Pick<Ctx, 'db' | 'clock' | 'deadlines'>,
  withinSeconds: number,
): Promise<{ activation: number; seedEmail: number }> {
  const now = ctx.clock.now();
  const endsBetween = (validity: number) => ({
    from: iso(addSec(now, -validity)),
    to: iso(addSec(now, withinSeconds - validity)),
  });
  const act = endsBetween(ctx.deadlines.activationWindow);
  const seed = endsBetween(ctx.deadlines.seedEmailValidity);
  const [activation, seedEmail] = await Promise.all([
    ctx.db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'PENDING')
      .where('created_at', '>', act.from)
      .where('created_at', '<=', act.to)
      .executeTakeFirst(),
    ctx.db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('seed_state', '=', 'PROVISIONED')
      .where('seed_invite_sent_at', '>', seed.from)
      .where('seed_invite_sent_at', '<=', seed.to)
      .executeTakeFirst(),
  ]);
  return { activation: Number(activation?.n ?? 0), seedEmail: Number(seedEmail?.n ?? 0) };
}
