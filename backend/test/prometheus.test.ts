/* eslint-disable @typescript-eslint/no-explicit-any -- Prometheus API answers are checked by the tests */
/**
 * A real Prometheus (Debian's binary) scrapes a backend in test mode every second with the metrics key, while a
 * journey runs over HTTP (invitation, registration, sign-ins with a lockout, phone verification with an SMS that
 * one number's gateway refuses); the sign-in, delivery and funnel series are then read back through Prometheus's
 * HTTP API, as the dashboard and the alerts read them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError, type OutboundMessage, type Transport } from '../src/delivery';
import {
  enrolAuthenticator,
  GOOD_PASSWORD,
  invite,
  registrationBody,
  signInToken,
  startBackend,
  verifyPhoneFlow,
  type TestBackend,
} from './harness';

const METRICS_KEY = 'prometheus-test-metrics-key-0123456789ab';
/** SMS to this number fail at the gateway (a stand-in answering errors for one country). */
const REFUSED = '+8613800138000';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a real Prometheus scraping the backend', () => {
  let b: TestBackend;
  let prom: ChildProcess | undefined;
  let promUrl = '';
  let dir = '';
  let promLog = '';
  const sms: Transport = {
    name: 'sms-stand-in',
    send: async (msg: OutboundMessage) => {
      if (msg.to === REFUSED) throw new DeliveryError('gateway answered 503', 'sms-stand-in', 503);
    },
  };

  const query = async (q: string): Promise<any[]> => {
    const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await r.json()) as any;
    if (body.status !== 'success') throw new Error(`query ${q}: ${JSON.stringify(body)}`);
    return body.data.result;
  };
  /** Polls until the query returns a value that passes `ok` (Prometheus scrapes every second). */
  const eventually = async (q: string, ok: (v: number) => boolean, timeoutMs = 30_000): Promise<number> => {
    const until = Date.now() + timeoutMs;
    let last: any[] = [];
    while (Date.now() < until) {
      try {
        last = await query(q);
      } catch (err) {
        // Prometheus is still starting (connection refused) or has no data yet.
        last = [String(err)];
        await sleep(500);
        continue;
      }
      const v = last[0] ? Number(last[0].value[1]) : undefined;
      if (v !== undefined && ok(v)) return v;
      await sleep(500);
    }
    throw new Error(`${q} never passed; last answer ${JSON.stringify(last)}\n${promLog.slice(-2000)}`);
  };

  beforeAll(async () => {
    b = await startBackend('sqlite', { env: { METRICS_API_KEY: METRICS_KEY }, transports: { sms } });
    dir = mkdtempSync(join(tmpdir(), 'techpass-prometheus-'));
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    writeFileSync(join(dir, 'metrics.key'), METRICS_KEY, { mode: 0o600 });
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'scrape_configs:',
        '  - job_name: techpass-backend',
        '    metrics_path: /metrics',
        '    authorization:',
        '      type: Bearer',
        '      credentials_file: metrics.key',
        '    static_configs:',
        `      - targets: ['${new URL(b.url).host}']`,
        '',
      ].join('\n'),
    );
    prom = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    prom.on(
      'error',
      (err) =>
        (promLog += `\nspawn failed: ${err.message} (install Debian's prometheus package: scripts/install-system-deps.sh)`),
    );
    prom.stdout?.on('data', (d) => (promLog += String(d)));
    prom.stderr?.on('data', (d) => (promLog += String(d)));
    await eventually('up{job="techpass-backend"}', (v) => v === 1);
  }, 60_000);

  afterAll(async () => {
    if (prom && prom.exitCode === null) {
      const exited = new Promise((r) => prom?.once('exit', r));
      prom.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (prom.exitCode === null) prom.kill('SIGKILL');
    }
    await b?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the sign-in, delivery and funnel series of a journey back through the Prometheus API', async () => {
    // Two invitees: one verifies a Singapore number, the other's +86 SMS fails at the gateway.
    const people = [];
    for (const mobile of ['+6591234567', REFUSED]) {
      const inv = await invite(b);
      const reg = registrationBody({ password: GOOD_PASSWORD, mobile });
      expect((await b.call('GET', `/v1/registrations/${inv.token}`)).status).toBe(200);
      expect((await b.call('POST', `/v1/registrations/${inv.token}`, { body: reg })).status).toBe(201);
      people.push({ ...reg, token: await signInToken(b, reg.username, GOOD_PASSWORD) });
    }
    const [sg, cn] = people as [(typeof people)[number], (typeof people)[number]];
    await enrolAuthenticator(b, sg.token);
    expect((await verifyPhoneFlow(b, sg.token, sg.mobile)).status).toBe(200);
    expect((await b.call('POST', '/v1/me/phone', { token: cn.token, body: { mobile: cn.mobile } })).status).toBe(202);
    // The worker runs with the jobs in test mode: it sends the queued emails and both SMS codes.
    expect((await b.call('POST', '/v1/test/jobs/run')).status).toBe(200);
    // Someone guesses the password of the +86 account until it locks.
    const threshold = b.app.techpass.ctx.deadlines.lockoutThreshold;
    for (let i = 0; i < threshold + 1; i++)
      await b.call('POST', '/v1/sessions', { body: { loginId: cn.username, password: 'Wrong-Password-1' } });

    expect(await eventually('sum(techpass_sign_ins_total{outcome="success"})', (v) => v >= 2)).toBeGreaterThanOrEqual(
      2,
    );
    expect(
      await eventually('sum(techpass_sign_ins_total{outcome="wrong_password"})', (v) => v >= threshold),
    ).toBeGreaterThanOrEqual(threshold);
    expect(await eventually('sum(techpass_lockouts_total)', (v) => v >= 1)).toBeGreaterThanOrEqual(1);
    expect(
      await eventually('sum(techpass_deliveries_total{channel="sms",outcome="sent",country_code="65"})', (v) => v >= 1),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await eventually(
        'sum(techpass_deliveries_total{channel="sms",outcome="retrying",country_code="86"})',
        (v) => v >= 1,
      ),
    ).toBe(1);
    expect(
      await eventually('sum(techpass_deliveries_total{channel="email",outcome="sent"})', (v) => v >= 2),
    ).toBeGreaterThanOrEqual(2);
    // The funnel gauges: both registered and signed in; one has the authenticator and the phone.
    expect(await eventually('sum(techpass_funnel_stage_invitations{stage="registered"})', (v) => v === 2)).toBe(2);
    expect(await eventually('sum(techpass_funnel_stage_invitations{stage="phone"})', (v) => v === 1)).toBe(1);
    const byCountry = await query('techpass_funnel_stage_invitations{stage="registered"}');
    expect(byCountry.map((r) => r.metric.country_code).sort()).toEqual(['65', '86']);
    // The +86 SMS still waits for its retry: the queue and its age are there.
    expect(await eventually('techpass_outbox_queue_depth{channel="sms"}', (v) => v === 1)).toBe(1);
    // The request histogram by route pattern, as the dashboard reads it.
    const routes = await query('sum by (route) (techpass_http_request_duration_seconds_count)');
    expect(routes.map((r) => r.metric.route)).toContain('/v1/registrations/:token');
  }, 120_000);
});
