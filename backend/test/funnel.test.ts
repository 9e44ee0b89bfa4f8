/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by the tests */
/**
 * The onboarding funnel with the test clock: ten invitees, each stopping one step further than the one before, with
 * known gaps between their steps, give the counts, conversions, drop-offs and median/p90 times of each step; the
 * deadline counts follow the clock; the CLI renders the same report as a table, CSV and a self-contained HTML page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli/admin';
import { FUNNEL_STAGES } from '../src/observability/funnel';
import {
  acceptAllTerms,
  ADMIN_KEY,
  DIALECTS,
  enrolAuthenticator,
  GOOD_PASSWORD,
  invite,
  registrationBody,
  signInToken,
  startBackend,
  verifyPhoneFlow,
  type TestBackend,
} from './harness';

const DAY = 86_400;
const SEED_VALIDITY = 10 * DAY;

/** Nearest-rank percentile, as operators compute it by hand. */
const nearestRank = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.ceil(p * values.length) - 1];

describe.each(DIALECTS)('onboarding funnel (%s)', (dialect) => {
  let b: TestBackend;
  let start: Date;
  let firstRegistration: Date | undefined;
  let seedOnlyRegistration: Date | undefined;
  /** gaps[stage index] = seconds from the previous step, one entry per invitee that reached the step. */
  const gaps: number[][] = FUNNEL_STAGES.map(() => []);

  beforeAll(async () => {
    b = await startBackend(dialect, { deadlines: { seedEmailValidity: SEED_VALIDITY } });
    start = b.clock.now();
    // Invitee k (0…9) goes through steps 1…stop(k). Before step s it waits gap(k, s) seconds.
    const gap = (k: number, s: number) => 60 * (k + 1) + 7 * s;
    const step = async (k: number, s: number) => {
      await b.advance(gap(k, s));
      gaps[s]?.push(gap(k, s));
    };
    for (let k = 0; k < 10; k++) {
      const stop = Math.min(k, 9);
      // Invitees 8 and 9 asked for SEED: 8 also hands over a device, 9 stops at "verified".
      const seed = k >= 8;
      const inv = await invite(b, { passwordDelivery: 'sms', seedRequested: seed });
      if (stop < 1) continue;
      await step(k, 1);
      expect((await b.call('GET', `/v1/registrations/${inv.token}`)).status).toBe(200);
      if (stop < 2) continue;
      await step(k, 2);
      const reg = registrationBody();
      expect((await b.call('POST', `/v1/registrations/${inv.token}`, { body: reg })).status).toBe(201);
      firstRegistration ??= b.clock.now();
      if (k === 9) seedOnlyRegistration = b.clock.now();
      const password = (await b.outbox()).filter((m: any) => m.template === 'N-INITPWD' && m.to === reg.mobile).pop()
        .data.password as string;
      if (stop < 3) continue;
      await step(k, 3);
      const token = await signInToken(b, reg.username, password);
      if (stop < 4) continue;
      await step(k, 4);
      await enrolAuthenticator(b, token);
      if (stop < 5) continue;
      await step(k, 5);
      expect((await verifyPhoneFlow(b, token)).status).toBe(200);
      if (stop < 6) continue;
      await step(k, 6);
      expect(
        (
          await b.call('POST', '/v1/me/password', {
            token,
            body: { currentPassword: password, newPassword: GOOD_PASSWORD },
          })
        ).status,
      ).toBe(200);
      if (stop < 7) continue;
      await step(k, 7);
      await acceptAllTerms(b, token);
      // Verified in the same moment: the terms were the last action.
      gaps[8]?.push(0);
      if (k !== 8) continue;
      await step(k, 9);
      expect(
        (await b.call('POST', '/v1/me/seed/devices', { token, body: { name: 'Laptop', os: 'windows' } })).status,
      ).toBe(201);
    }
  });
  afterAll(async () => {
    await b?.close();
  });

  const report = async (query = '') => {
    const r = await b.admin(
      'GET',
      `/v1/admin/reports/funnel?since=${encodeURIComponent(new Date(start.getTime() - 3_600_000).toISOString())}${query}`,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  it('counts each step, its conversion and drop-off, and the median and p90 time from the previous step', async () => {
    const r = await report();
    const byStage = Object.fromEntries(r.total.map((s: any) => [s.stage, s]));
    // Invitee k reached steps 0…k (the SEED step: only invitee 8 of the two that asked for SEED).
    const expected: Record<string, { count: number; eligible: number }> = {
      invited: { count: 10, eligible: 10 },
      link_opened: { count: 9, eligible: 10 },
      registered: { count: 8, eligible: 9 },
      first_sign_in: { count: 7, eligible: 8 },
      authenticator: { count: 6, eligible: 7 },
      phone: { count: 5, eligible: 6 },
      password_changed: { count: 4, eligible: 5 },
      terms_accepted: { count: 3, eligible: 4 },
      verified: { count: 3, eligible: 3 },
      seed_device_ready: { count: 1, eligible: 2 },
    };
    for (const [stage, e] of Object.entries(expected)) {
      expect(byStage[stage], stage).toMatchObject({
        count: e.count,
        eligible: e.eligible,
        dropOff: e.eligible - e.count,
        conversion: e.count / e.eligible,
      });
    }
    FUNNEL_STAGES.forEach((stage, i) => {
      if (i === 0) return;
      const g = gaps[i] as number[];
      expect(g.length, stage).toBe(byStage[stage].count);
      // The test clock runs on with real time between requests: a step may come up to a few seconds later.
      expect(Math.abs(byStage[stage].medianSecondsFromPrevious - (nearestRank(g, 0.5) as number)), stage).toBeLessThan(
        3,
      );
      expect(Math.abs(byStage[stage].p90SecondsFromPrevious - (nearestRank(g, 0.9) as number)), stage).toBeLessThan(3);
    });
    // A concrete check of the arithmetic: registration gaps are 60(k+1)+14 for k = 2…9.
    expect(Math.round(byStage.registered.medianSecondsFromPrevious)).toBe(60 * 6 + 14);
    expect(Math.round(byStage.registered.p90SecondsFromPrevious)).toBe(60 * 10 + 14);
  });

  it('groups by business operation and the country code of the registered mobile', async () => {
    const r = await report();
    const groups = Object.fromEntries(r.groups.map((g: any) => [`${g.businessOperation}/${g.countryCode}`, g]));
    expect(Object.keys(groups).sort()).toEqual(['onshore/65', 'onshore/unknown']);
    expect(groups['onshore/unknown'].stages[0].count).toBe(2);
    expect(groups['onshore/65'].stages.find((s: any) => s.stage === 'registered').count).toBe(8);
    // A period that ends before any invitation: empty.
    const before = await b.admin('GET', `/v1/admin/reports/funnel?until=${encodeURIComponent(start.toISOString())}`);
    expect(before.body.total[0].count).toBe(0);
    expect(
      (
        await b.admin(
          'GET',
          `/v1/admin/reports/funnel?since=${encodeURIComponent(b.clock.now().toISOString())}&until=${encodeURIComponent(start.toISOString())}`,
        )
      ).status,
    ).toBe(400);
  });

  it('counts the accounts about to hit the activation and SEED-email deadlines', async () => {
    expect((await report()).deadlines).toMatchObject({ activation: 0, seedEmail: 0 });
    // Two days before invitee 9's SEED email expires: it (PROVISIONED, no device) is close; 8 handed a device over.
    const now = b.clock.now().getTime();
    await b.advance(
      Math.ceil(((seedOnlyRegistration as Date).getTime() + (SEED_VALIDITY - 2 * DAY) * 1000 - now) / 1000),
    );
    expect((await report()).deadlines).toMatchObject({ activation: 0, seedEmail: 1 });
    // Two days before the first activation deadline: invitees 2 and 3 never set up the authenticator (PENDING).
    const window = b.app.techpass.ctx.deadlines.activationWindow;
    await b.advance(
      Math.ceil(((firstRegistration as Date).getTime() + (window - 2 * DAY) * 1000 - b.clock.now().getTime()) / 1000),
    );
    expect((await report()).deadlines).toMatchObject({ activation: 2, seedEmail: 0 });
    expect((await report('&withinHours=1')).deadlines).toMatchObject({ activation: 0, withinSeconds: 3600 });
  });

  it('the CLI prints the report as a table, JSON, CSV and a self-contained HTML page with a bar chart', async () => {
    const run = async (args: string[]) => {
      let stdout = '';
      let stderr = '';
      const io: CliIo = {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        env: { TECHPASS_BACKEND_URL: b.url, ADMIN_API_KEY: ADMIN_KEY },
      };
      return { code: await main(args, io), stdout, stderr };
    };
    const since = new Date(start.getTime() - 3_600_000).toISOString();
    const table = await run(['report', 'funnel', '--since', since]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/Link opened\s+9\s+90\.0%\s+1/);
    const json = await run(['report', 'funnel', '--since', since, '--json']);
    expect(JSON.parse(json.stdout).total[2]).toMatchObject({ stage: 'registered', count: 8 });
    const csv = await run(['report', 'funnel', '--since', since, '--format', 'csv']);
    const lines = csv.stdout.trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      'businessOperation,countryCode,stage,reached,eligible,conversion,dropOff,medianSecondsFromPrevious,p90SecondsFromPrevious',
    );
    expect(lines.find((l) => l.startsWith('all,all,seed_device_ready,'))).toMatch(
      new RegExp(`^all,all,seed_device_ready,1,2,0\\.5000,1,${gaps[9]?.[0]}(\\.\\d+)?,`),
    );
    expect(lines).toContain('all,all,invited,10,10,1.0000,0,,');
    const html = await run(['report', 'funnel', '--since', since, '--format', 'html']);
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect(html.stdout).toContain('<svg');
    expect((html.stdout.match(/<rect /g) ?? []).length).toBeGreaterThanOrEqual(FUNNEL_STAGES.length);
    // Self-contained: nothing loaded from elsewhere.
    expect(html.stdout).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect((await run(['report', 'funnel', '--format', 'pdf'])).code).toBe(2);
    expect((await run(['report', 'funnel', '--since', 'yesterday'])).code).toBe(2);
  });
});
