/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by the tests */
/**
 * The audit trail: every named transition of a journey leaves exactly one record with the right actor, the records
 * form an unbroken hash chain even under a parallel burst, and a modified or removed record makes `audit verify`
 * fail naming it (through the admin API and the CLI).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli/admin';
import { accountActor, AUDIT_EVENT_TYPES, audit, systemActor } from '../src/db/audit';
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

async function cli(b: TestBackend, args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { TECHPASS_BACKEND_URL: b.url, ADMIN_API_KEY: ADMIN_KEY },
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const PORTAL = 'portal (ADMIN_API_KEY)';

describe.each(DIALECTS)('audit trail (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startBackend(dialect);
  });
  afterAll(async () => {
    await b?.close();
  });

  const records = async (subject: string) =>
    (
      await b.app.techpass.ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('subject', '=', subject)
        .orderBy('seq')
        .execute()
    ).map((r) => ({
      type: r.action,
      actorType: r.actor_type,
      actor: r.actor,
      outcome: r.outcome,
      requestId: r.request_id,
    }));
  const only = (rs: Awaited<ReturnType<typeof records>>, type: string) => rs.filter((r) => r.type === type);

  it('every transition of a journey is recorded exactly once, with its actor, outcome and request id', async () => {
    const inv = await invite(b, { passwordDelivery: 'sms', seedRequested: true });
    expect((await b.call('GET', `/v1/registrations/${inv.token}`)).status).toBe(200);
    // A second opening is no new step.
    await b.call('GET', `/v1/registrations/${inv.token}`);
    const reg = registrationBody();
    expect((await b.call('POST', `/v1/registrations/${inv.token}`, { body: reg })).status).toBe(201);
    const username = reg.username;
    const password = (await b.outbox()).filter((m: any) => m.template === 'N-INITPWD' && m.to === reg.mobile).pop().data
      .password as string;

    expect(
      (await b.call('POST', '/v1/sessions', { body: { loginId: username, password: 'Wrong-Password-1' } })).status,
    ).toBe(401);
    const token = await signInToken(b, username, password);
    await enrolAuthenticator(b, token);
    // A wrong phone code before the right one: refused, and recorded as a failure.
    expect((await b.call('POST', '/v1/me/phone/verify', { token, body: { code: '000000' } })).status).toBe(400);
    expect((await verifyPhoneFlow(b, token)).status).toBe(200);
    expect(
      (
        await b.call('POST', '/v1/me/password', {
          token,
          body: { currentPassword: password, newPassword: GOOD_PASSWORD },
        })
      ).status,
    ).toBe(200);
    await acceptAllTerms(b, token);
    const device = await b.call('POST', '/v1/me/seed/devices', { token, body: { name: 'Laptop', os: 'windows' } });
    expect(device.status).toBe(201);
    expect((await b.call('DELETE', `/v1/me/seed/devices/${device.body.devices[0].id}`, { token })).status).toBe(200);
    expect((await b.call('POST', '/v1/password-resets', { body: { loginId: username } })).status).toBe(202);

    const invRecords = await records(inv.email);
    expect(only(invRecords, 'invitation.create')).toEqual([
      expect.objectContaining({ actorType: 'admin', actor: PORTAL, outcome: 'success' }),
    ]);
    expect(only(invRecords, 'invitation.open')).toEqual([
      expect.objectContaining({ actorType: 'anonymous', actor: 'invitee' }),
    ]);

    const rs = await records(username);
    const expectOne = (type: string, actorType: string, actor: string, outcome = 'success') => {
      const found = only(rs, type);
      expect(found, type).toHaveLength(1);
      expect(found[0], type).toMatchObject({ actorType, actor, outcome });
      // Made in an HTTP request: the request id is recorded.
      expect(found[0]?.requestId, type).toMatch(/^[0-9a-f-]{36}$/);
    };
    expectOne('account.register', 'anonymous', 'invitee');
    expectOne('sign-in.failure', 'account', username, 'failure');
    expectOne('sign-in.success', 'account', username);
    expectOne('mfa.register', 'account', username);
    expectOne('account.activate', 'account', username);
    expectOne('phone.code-sent', 'account', username);
    expectOne('phone.verify-failure', 'account', username, 'failure');
    expectOne('phone.verify', 'account', username);
    expectOne('password.reset-request', 'account', username);
    expectOne('password.change', 'account', username);
    expectOne('account.onboarding-complete', 'account', username);
    expectOne('seed.device-register', 'account', username);
    expectOne('seed.device-remove', 'account', username);
    // One acceptance record per required document (privacy, terms of use, the MDM AUP with SEED).
    expect(only(rs, 'terms.accept')).toHaveLength(3);
    // No secret in any record of the journey: not the initial or new password, not the phone code.
    const all = await b.app.techpass.ctx.db.selectFrom('audit_log').select(['details', 'subject', 'actor']).execute();
    const text = JSON.stringify(all);
    expect(text).not.toContain(password);
    expect(text).not.toContain(GOOD_PASSWORD);
  });

  it('a lockout is one record and one sign-in failure per refused guess; admin actions name the admin key', async () => {
    const inv = await invite(b);
    const reg = registrationBody({ password: GOOD_PASSWORD });
    await b.call('POST', `/v1/registrations/${inv.token}`, { body: reg });
    const threshold = b.app.techpass.ctx.deadlines.lockoutThreshold;
    for (let i = 0; i < threshold + 1; i++)
      await b.call('POST', '/v1/sessions', { body: { loginId: reg.username, password: 'Wrong-Password-1' } });
    let rs = await records(reg.username);
    expect(only(rs, 'account.lock')).toHaveLength(1);
    expect(only(rs, 'sign-in.failure')).toHaveLength(threshold + 1);
    expect((await b.admin('POST', `/v1/admin/accounts/${reg.username}/unlock`)).status).toBe(200);
    rs = await records(reg.username);
    expect(only(rs, 'account.unlock')).toEqual([expect.objectContaining({ actorType: 'admin', actor: PORTAL })]);
    expect(only(rs, 'admin.post')).toEqual([
      expect.objectContaining({ actorType: 'admin', actor: PORTAL, outcome: 'success' }),
    ]);
  });

  it('expiries by the lifecycle job are recorded with the job as actor', async () => {
    const d = b.app.techpass.ctx.deadlines;
    const expiring = await invite(b);
    const seedInv = await invite(b, { seedRequested: true });
    const reg = registrationBody({ password: GOOD_PASSWORD });
    await b.call('POST', `/v1/registrations/${seedInv.token}`, { body: reg });
    await b.advance(Math.max(d.registrationLinkValidity, d.seedEmailValidity) + 60);
    expect((await b.call('POST', '/v1/test/jobs/run')).status).toBe(200);
    expect(only(await records(expiring.email), 'invitation.expire')).toEqual([
      expect.objectContaining({ actorType: 'system', actor: 'lifecycle-job' }),
    ]);
    expect(only(await records(reg.username), 'seed.email-expire')).toEqual([
      expect.objectContaining({ actorType: 'system', actor: 'lifecycle-job' }),
    ]);
    // A second run finds nothing left to do and records nothing.
    await b.call('POST', '/v1/test/jobs/run');
    expect(only(await records(expiring.email), 'invitation.expire')).toHaveLength(1);
  });

  it('a parallel burst of appends never forks the chain', async () => {
    const ctx = b.app.techpass.ctx;
    const before = await ctx.db.selectFrom('audit_chain_head').select('seq').executeTakeFirstOrThrow();
    const inv = await invite(b);
    const reg = registrationBody({ password: GOOD_PASSWORD });
    await b.call('POST', `/v1/registrations/${inv.token}`, { body: reg });
    const burst = 40;
    await Promise.all([
      ...Array.from({ length: burst }, (_, i) =>
        audit(ctx.db, ctx.clock.now(), systemActor('burst-test'), 'sign-in.failure', `burst-${i}`, { i }, 'failure'),
      ),
      // Appends inside other transactions at the same time (terms acceptances, sign-ins over HTTP).
      ...Array.from({ length: 10 }, () =>
        b.call('POST', '/v1/sessions', { body: { loginId: reg.username, password: GOOD_PASSWORD } }),
      ),
    ]);
    const rows = await ctx.db
      .selectFrom('audit_log')
      .select(['seq', 'prev_hash', 'hash'])
      .where('seq', '>', Number(before.seq))
      .orderBy('seq')
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(burst + 10);
    rows.forEach((r, i) => expect(Number(r.seq)).toBe(Number(before.seq) + 1 + i));
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
    const v = await b.admin('GET', '/v1/admin/audit/verify');
    expect(v.body).toMatchObject({ ok: true });
  });

  it('the time filters compare instants: an offset (+08:00) or a time without milliseconds selects the same records', async () => {
    const ctx = b.app.techpass.ctx;
    const subject = `time-filter-${Date.now()}`;
    const at = new Date(Date.UTC(2026, 0, 15, 7, 30, 0, 479));
    await audit(ctx.db, at, systemActor('time-filter-test'), 'sign-in.failure', subject, {}, 'failure');
    const count = async (query: string) => {
      const r = await b.admin('GET', `/v1/admin/audit?account=${subject}&${query}`);
      expect(r.status, query).toBe(200);
      return (r.body as unknown[]).length;
    };
    // 07:30:00.479Z is 15:30:00.479+08:00.
    expect(await count(`since=${encodeURIComponent('2026-01-15T15:29:00+08:00')}`)).toBe(1);
    expect(await count(`until=${encodeURIComponent('2026-01-15T15:31:00+08:00')}`)).toBe(1);
    expect(await count(`until=${encodeURIComponent('2026-01-15T15:29:00+08:00')}`)).toBe(0);
    expect(await count(`since=${encodeURIComponent('2026-01-15T07:30:00Z')}`)).toBe(1);
    expect(await count(`until=${encodeURIComponent('2026-01-15T07:30:01Z')}`)).toBe(1);
    expect(await count(`since=${encodeURIComponent('2026-01-15T07:30:01Z')}`)).toBe(0);
  });

  it('lists records newest first in keyset pages, filtered by account, actor, type and time; exports JSON lines', async () => {
    const inv = await invite(b);
    const reg = registrationBody({ password: GOOD_PASSWORD });
    await b.call('POST', `/v1/registrations/${inv.token}`, { body: reg });
    for (let i = 0; i < 5; i++)
      await b.call('POST', '/v1/sessions', { body: { loginId: reg.username, password: GOOD_PASSWORD } });
    const first = await b.admin('GET', `/v1/admin/audit?account=${reg.username}&type=sign-in.success&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(2);
    expect(first.body[0].seq).toBeGreaterThan(first.body[1].seq);
    const seen: number[] = first.body.map((r: any) => r.seq);
    let next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    while (next) {
      const page = await b.admin('GET', next);
      seen.push(...page.body.map((r: any) => r.seq));
      next = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1];
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    const byActor = await b.admin(
      'GET',
      `/v1/admin/audit?actor=${encodeURIComponent(PORTAL)}&type=invitation.create&limit=500`,
    );
    expect(byActor.body.every((r: any) => r.actor === PORTAL && r.type === 'invitation.create')).toBe(true);
    const future = await b.admin(
      'GET',
      `/v1/admin/audit?since=${encodeURIComponent(new Date(b.clock.now().getTime() + 3_600_000).toISOString())}`,
    );
    expect(future.body).toEqual([]);
    expect((await b.admin('GET', '/v1/admin/audit?limit=0')).status).toBe(400);

    const listed = await cli(b, ['audit', 'list', '--account', reg.username, '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).records.length).toBeGreaterThanOrEqual(6);
    const exported = await cli(b, ['audit', 'export', '--account', reg.username, '--limit', '2']);
    expect(exported.code).toBe(0);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((r) => r.type === 'sign-in.success')).toHaveLength(5);
    expect(lines.find((r) => r.type === 'account.register')).toMatchObject({
      actorType: 'anonymous',
      subject: reg.username,
    });
  });

  it('audit verify names the first modified record, and a removed one', async () => {
    const ctx = b.app.techpass.ctx;
    const ok = await cli(b, ['audit', 'verify']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/intact/);
    await audit(ctx.db, ctx.clock.now(), accountActor('tamper-target'), 'password.change', 'tamper-target');
    await audit(ctx.db, ctx.clock.now(), accountActor('tamper-after'), 'password.change', 'tamper-after');
    const target = await ctx.db
      .selectFrom('audit_log')
      .select(['seq', 'id', 'details'])
      .where('subject', '=', 'tamper-target')
      .executeTakeFirstOrThrow();
    // The database refuses to change or remove a record…
    await expect(
      sql`update audit_log set details = ${'{"edited":true}'} where id = ${target.id}`.execute(ctx.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where id = ${target.id}`.execute(ctx.db)).rejects.toThrow(/append-only/);
    // …until someone with the owner's rights removes the guard: then the chain shows it.
    if (dialect === 'postgres') await sql`alter table audit_log disable trigger audit_log_append_only`.execute(ctx.db);
    else
      for (const t of ['audit_log_no_update', 'audit_log_no_delete'])
        await sql`drop trigger ${sql.raw(t)}`.execute(ctx.db);
    await sql`update audit_log set details = ${'{"edited":true}'} where id = ${target.id}`.execute(ctx.db);
    const bad = await cli(b, ['audit', 'verify']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`record ${Number(target.seq)} (id ${target.id})`);
    expect(bad.stderr).toMatch(/modified/);
    const api = await b.admin('GET', '/v1/admin/audit/verify');
    expect(api.body).toMatchObject({ ok: false, firstBad: { seq: Number(target.seq), id: target.id } });

    // Put it back: intact again; then remove it: the gap is named.
    await sql`update audit_log set details = ${target.details} where id = ${target.id}`.execute(ctx.db);
    expect((await cli(b, ['audit', 'verify'])).code).toBe(0);
    await sql`delete from audit_log where id = ${target.id}`.execute(ctx.db);
    const gap = await cli(b, ['audit', 'verify', '--json']);
    expect(gap.code).toBe(1);
    expect(JSON.parse(gap.stdout)).toMatchObject({ ok: false, firstBad: { seq: Number(target.seq) } });
  });
});

describe('audit event types', () => {
  it('every event type is named in the README', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    for (const type of Object.keys(AUDIT_EVENT_TYPES)) expect(readme, type).toContain(`\`${type}\``);
  });
});
