/**
 * The backend's Prometheus metrics: one process-wide registry holding every counter and histogram the services,
 * the delivery worker and the lifecycle jobs record into, plus the process and event-loop metrics of prom-client.
 *
 * Values that live in the database (outbox depth, the onboarding funnel) are not kept here: they are read at scrape
 * time by the collectors of one app (observability/collectors.ts), so two apps in one process (tests) never mix
 * their data. Counters are process-wide by nature: tests read differences, never absolute values.
 *
 * Label values are always from a closed set (route patterns, outcome names, a fixed list of calling codes), so the
 * number of series stays bounded whatever the traffic.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });
// Gauges that prom-client names like counters (promtool rejects a "_total" gauge); the same numbers are exported by
// type as nodejs_active_handles, nodejs_active_requests and nodejs_active_resources.
for (const misnamed of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
  metricsRegistry.removeSingleMetric(misnamed);

/** Latency buckets (seconds) for API calls: sub-millisecond reads up to slow argon2 hashing and bulk imports. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export const httpRequestDuration = new Histogram({
  name: 'techpass_http_request_duration_seconds',
  help: 'HTTP requests by method, route pattern and status code, with their latency (its _count is the request count).',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: HTTP_BUCKETS,
  registers: [metricsRegistry],
});

/** `blocked`: the password was right but the account is disabled, terminated or held for risk. */
export type SignInOutcome = 'success' | 'wrong_password' | 'locked' | 'mfa_failed' | 'blocked';
export const signInsTotal = new Counter({
  name: 'techpass_sign_ins_total',
  help: 'Sign-in attempts by outcome (success counts once the second factor passed).',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const lockoutsTotal = new Counter({
  name: 'techpass_lockouts_total',
  help: 'Accounts locked after too many failed sign-ins or code attempts.',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

export type CodeChannel = 'sms' | 'email' | 'totp';
export const codesSentTotal = new Counter({
  name: 'techpass_codes_sent_total',
  help: 'One-time codes issued, by channel.',
  labelNames: ['channel'] as const,
  registers: [metricsRegistry],
});
export const codesVerifiedTotal = new Counter({
  name: 'techpass_codes_verified_total',
  help: 'One-time code checks by channel and outcome (accepted or rejected).',
  labelNames: ['channel', 'outcome'] as const,
  registers: [metricsRegistry],
});

/**
 * The outcome of one delivery attempt: `sent` (accepted downstream), `retrying` (failed, tried again later), `failed`
 * (given up after retries), `bounced` / `rejected` (the transport said so for good).
 */
export type DeliveryOutcome = 'sent' | 'retrying' | 'failed' | 'bounced' | 'rejected';
export const deliveriesTotal = new Counter({
  name: 'techpass_deliveries_total',
  help: 'Delivery attempts of outbox messages by channel, outcome and destination country calling code (email: "none").',
  labelNames: ['channel', 'outcome', 'country_code'] as const,
  registers: [metricsRegistry],
});

export const lifecycleJobRunsTotal = new Counter({
  name: 'techpass_lifecycle_job_runs_total',
  help: 'Lifecycle job runs by outcome (success, skipped while another replica ran, failure).',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});
export const lifecycleJobDuration = new Histogram({
  name: 'techpass_lifecycle_job_duration_seconds',
  help: 'Duration of one lifecycle job run.',
  buckets: JOB_BUCKETS,
  registers: [metricsRegistry],
});
export const lifecycleActionsTotal = new Counter({
  name: 'techpass_lifecycle_actions_total',
  help: 'Actions taken by the lifecycle jobs (accounts disabled, invitations expired, reminders sent, ...).',
  labelNames: ['action'] as const,
  registers: [metricsRegistry],
});

/**
 * Calling codes that get their own `country_code` label value: Singapore and the countries TechPass users most
 * often register from. Any other number counts as "other", so a typo or an attacker cannot grow the series count.
 */
export const KNOWN_CALLING_CODES: ReadonlySet<string> = new Set([
  '1',
  '44',
  '49',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '91',
  '852',
  '853',
  '886',
  '971',
]);

/** The bounded `country_code` label of a destination: its calling code when known, "other", or "none" for email. */
export function countryCodeLabel(channel: string, destination: string): string {
  if (channel !== 'sms') return 'none';
  const code = parsePhoneNumberFromString(destination)?.countryCallingCode;
  return code !== undefined && KNOWN_CALLING_CODES.has(code) ? code : 'other';
}

const DELIVERY_OUTCOMES: ReadonlySet<string> = new Set<DeliveryOutcome>([
  'sent',
  'retrying',
  'failed',
  'bounced',
  'rejected',
]);
const CHANNELS: ReadonlySet<string> = new Set(['email', 'sms']);

/** Counts one delivery attempt. `destination`: an E.164 number (its calling code is counted) or an email address. */
export function recordDelivery(channel: string, outcome: DeliveryOutcome, destination: string): void {
  deliveriesTotal.inc({
    channel: CHANNELS.has(channel) ? channel : 'other',
    outcome: DELIVERY_OUTCOMES.has(outcome) ? outcome : 'other',
    country_code: countryCodeLabel(channel, destination),
  });
}

export function recordSignIn(outcome: SignInOutcome): void {
  signInsTotal.inc({ outcome });
}

export function recordLockout(reason: 'password' | 'code'): void {
  lockoutsTotal.inc({ reason });
}

export function recordCodeSent(channel: CodeChannel): void {
  codesSentTotal.inc({ channel });
}

export function recordCodeVerified(channel: CodeChannel, accepted: boolean): void {
  codesVerifiedTotal.inc({ channel, outcome: accepted ? 'accepted' : 'rejected' });
}

/**
 * Times one lifecycle run. `summary` says whether it ran (another replica may hold the lease: "skipped") and how
 * many accounts or invitations each action touched.
 */
export async function observeLifecycleRun<T>(
  run: () => Promise<T>,
  summary: (result: T) => { ran: boolean; actions: Record<string, number> },
): Promise<T> {
  const end = lifecycleJobDuration.startTimer();
  try {
    const result = await run();
    const { ran, actions } = summary(result);
    end();
    lifecycleJobRunsTotal.inc({ outcome: ran ? 'success' : 'skipped' });
    for (const [action, n] of Object.entries(actions)) if (n > 0) lifecycleActionsTotal.inc({ action }, n);
    return result;
  } catch (err) {
    end();
    lifecycleJobRunsTotal.inc({ outcome: 'failure' });
    throw err;
  }
}

/** The text exposition of the process-wide registry followed by each app-level registry given. */
export async function renderMetrics(extra: readonly Registry[] = []): Promise<string> {
  const parts = await Promise.all([metricsRegistry, ...extra].map((r) => r.metrics()));
  return parts.map((p) => (p.endsWith('\n') || p === '' ? p : `${p}\n`)).join('');
}

export const METRICS_CONTENT_TYPE = metricsRegistry.contentType;
