/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by the tests */
/**
 * /metrics: readable only with the admin or the metrics key, a valid exposition by Prometheus's own linter
 * (`promtool check metrics`), labelled with route patterns (never a raw URL with a token), and counting what the
 * services do. The shipped scrape config, alert rules (with their unit tests) and dashboard pass promtool too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDelivery } from '../src/observability/metrics';
import {
  ADMIN_KEY,
  DIALECTS,
  GOOD_PASSWORD,
  invite,
  registrationBody,
  startBackend,
  type TestBackend,
} from './harness';

const DEPLOY = join(__dirname, '..', '..', 'deploy', 'backend');
const METRICS_KEY = 'test-metrics-key-0123456789-abcdefghijk';

function promtool(args: string[], input?: string): { status: number; out: string } {
  const r = spawnSync('promtool', args, { input, encoding: 'utf8' });
  if (r.error)
    throw new Error(
      `promtool is not installed (${r.error.message}). Run scripts/install-system-deps.sh (Debian's prometheus package).`,
    );
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** The value of one series in a text exposition (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^([^{\s]+)(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return 0;
}

describe.each(DIALECTS)('metrics endpoint (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startBackend(dialect, { env: { METRICS_API_KEY: METRICS_KEY } });
  });
  afterAll(async () => {
    await b?.close();
  });
  const scrape = async (key = METRICS_KEY) => {
    const r = await b.api.raw('GET', '/metrics', { token: key });
    return { status: r.status, type: r.headers.get('content-type'), text: r.text };
  };

  it('answers only the metrics key or the admin key', async () => {
    expect((await b.api.raw('GET', '/metrics')).status).toBe(401);
    expect((await scrape('wrong-key')).status).toBe(401);
    const bad = await b.api.raw('GET', '/metrics', { token: 'wrong' });
    expect((bad.body as any).error.message).toMatch(/METRICS_API_KEY/);
    expect((await scrape(ADMIN_KEY)).status).toBe(200);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.type).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('counts sign-in outcomes, lockouts, codes, requests by route pattern, and the outbox queue; promtool accepts it', async () => {
    const before = (await scrape()).text;
    const inv = await invite(b);
    const reg = registrationBody({ password: GOOD_PASSWORD });
    await b.call('GET', `/v1/registrations/${inv.token}`);
    await b.call('POST', `/v1/registrations/${inv.token}`, { body: reg });
    const threshold = b.app.techpass.ctx.deadlines.lockoutThreshold;
    expect(
      (await b.call('POST', '/v1/sessions', { body: { loginId: reg.username, password: GOOD_PASSWORD } })).status,
    ).toBe(201);
    for (let i = 0; i < threshold + 2; i++)
      await b.call('POST', '/v1/sessions', { body: { loginId: reg.username, password: 'Wrong-Password-1' } });
    recordDelivery('sms', 'failed', '+8613800138000');
    recordDelivery('sms', 'sent', '+99955501234');
    const after = (await scrape()).text;
    const delta = (name: string, labels: Record<string, string> = {}) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(delta('techpass_sign_ins_total', { outcome: 'success' })).toBe(1);
    expect(delta('techpass_sign_ins_total', { outcome: 'wrong_password' })).toBe(threshold);
    expect(delta('techpass_sign_ins_total', { outcome: 'locked' })).toBe(2);
    expect(delta('techpass_lockouts_total', { reason: 'password' })).toBe(1);
    expect(delta('techpass_deliveries_total', { channel: 'sms', outcome: 'failed', country_code: '86' })).toBe(1);
    // An unlisted calling code is "other": the label set stays bounded.
    expect(delta('techpass_deliveries_total', { channel: 'sms', outcome: 'sent', country_code: 'other' })).toBe(1);
    // The route pattern, never the token in the URL.
    expect(
      delta('techpass_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/v1/registrations/:token',
        status: '200',
      }),
    ).toBe(1);
    expect(after).not.toContain(inv.token);
    // The invitation email and the (test-mode, undelivered) messages wait in the outbox.
    expect(sample(after, 'techpass_outbox_queue_depth', { channel: 'email' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'techpass_outbox_oldest_message_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(
      sample(after, 'techpass_funnel_stage_invitations', {
        stage: 'registered',
        business_operation: 'onshore',
        country_code: '65',
      }),
    ).toBe(1);
    expect(after).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(after).toMatch(/^process_cpu_seconds_total /m);

    const lint = promtool(['check', 'metrics'], after);
    expect(lint.out).toBe('');
    expect(lint.status).toBe(0);
  });

  it('the outbox age follows the test clock; the lifecycle job is counted and timed', async () => {
    const before = (await scrape()).text;
    await b.advance(600);
    // Nothing was delivered yet (the worker runs with the jobs here): the oldest message is 10 minutes old.
    expect(sample((await scrape()).text, 'techpass_outbox_oldest_message_age_seconds')).toBeGreaterThanOrEqual(600);
    expect((await b.call('POST', '/v1/test/jobs/run')).status).toBe(200);
    const after = (await scrape()).text;
    // Delivered: nothing waits.
    expect(sample(after, 'techpass_outbox_oldest_message_age_seconds')).toBe(0);
    expect(sample(after, 'techpass_outbox_queue_depth', { channel: 'email' })).toBe(0);
    expect(
      sample(after, 'techpass_lifecycle_job_runs_total', { outcome: 'success' }) -
        sample(before, 'techpass_lifecycle_job_runs_total', { outcome: 'success' }),
    ).toBe(1);
    expect(
      sample(after, 'techpass_lifecycle_job_duration_seconds_count') -
        sample(before, 'techpass_lifecycle_job_duration_seconds_count'),
    ).toBe(1);
  });
});

describe('deploy/backend', () => {
  let dir: string;
  beforeAll(() => {
    // Installed as documented: the config beside its rules and its key file.
    dir = mkdtempSync(join(tmpdir(), 'techpass-prom-'));
    for (const f of ['prometheus.yml', 'techpass-alerts.yml', 'techpass-alerts.test.yml'])
      copyFileSync(join(DEPLOY, f), join(dir, f));
    writeFileSync(join(dir, 'techpass-metrics.key'), METRICS_KEY, { mode: 0o400 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('promtool check config and check rules pass on the shipped files', () => {
    const config = promtool(['check', 'config', join(dir, 'prometheus.yml')]);
    expect(config.status, config.out).toBe(0);
    const rules = promtool(['check', 'rules', join(DEPLOY, 'techpass-alerts.yml')]);
    expect(rules.status, rules.out).toBe(0);
    expect(rules.out).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('the alert rules fire as their unit tests say (promtool test rules)', () => {
    const r = promtool(['test', 'rules', join(dir, 'techpass-alerts.test.yml')]);
    expect(r.status, r.out).toBe(0);
  });

  it('alerts exist for SMS failure by country, outbox age, lockout spikes and job failures; the dashboard reads only metrics the backend exports', () => {
    const rules = readFileSync(join(DEPLOY, 'techpass-alerts.yml'), 'utf8');
    for (const alert of [
      'TechPassSmsFailureRateHigh',
      'TechPassOutboxStuck',
      'TechPassLockoutSpike',
      'TechPassLifecycleJobFailing',
    ])
      expect(rules).toContain(`alert: ${alert}`);
    const dashboard = JSON.parse(readFileSync(join(DEPLOY, 'grafana-dashboard.json'), 'utf8'));
    const exprs: string[] = dashboard.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr));
    expect(exprs.length).toBeGreaterThanOrEqual(10);
    const known = execFileSync(
      'grep',
      ['-rhoE', "name: '(techpass_[a-z_]+)'", join(__dirname, '..', 'src', 'observability')],
      { encoding: 'utf8' },
    )
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/^name: '|'$/g, ''));
    for (const e of exprs) {
      for (const used of e.match(/techpass_[a-z_]+/g) ?? []) {
        const base = used.replace(/_(bucket|count|sum)$/, '');
        expect(known, `${used} in the dashboard`).toContain(base);
      }
    }
  });
});
