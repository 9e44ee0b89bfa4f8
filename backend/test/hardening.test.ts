import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_KEY,
  DIALECTS,
  invite,
  inviteBody,
  registered,
  signInToken,
  startBackend,
  uniq,
  type TestBackend,
} from './harness';

describe.each(DIALECTS)('hardening (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startBackend(dialect);
  });
  afterAll(async () => {
    await b?.close();
  });

  it('the HTML pages get a CSP without inline script (scripts allowed by hash), nosniff, no-store and no-referrer', async () => {
    const i = await invite(b);
    const u = await registered(b);
    expect((await b.admin('POST', `/v1/admin/accounts/${u.username}/send-reset-link`, { ticket: 'SR-9' })).status).toBe(
      200,
    );
    const link = (await b.outbox()).filter((m) => m.template === 'N-PWD-RESET-LINK').pop().data.token as string;
    for (const path of [`/register/${i.token}`, `/reset-password/${link}`, '/register/not-a-valid-token!']) {
      const res = await b.get(path);
      const html = await res.text();
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      // Every inline script on the page is allowed by its exact hash, and nothing else.
      for (const m of html.matchAll(/<script>([\s\S]*?)<\/script>/g)) {
        expect(csp).toContain(`'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
      }
    }
  });

  it('API answers carry nosniff, no-store and no-referrer too (tokens travel in them)', async () => {
    const u = await registered(b);
    const s = await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: u.password } });
    expect(s.status).toBe(201);
    expect(s.headers.get('cache-control')).toBe('no-store');
    expect(s.headers.get('x-content-type-options')).toBe('nosniff');
    expect(s.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('refuses terminal escape codes and other control characters at input; tabs and line breaks stay allowed', async () => {
    const bad = await b.admin(
      'POST',
      '/v1/admin/invitations',
      inviteBody({ sponsoringAgency: 'GovTech\u001b[2J\u001b[31mPWNED' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.fields).toHaveProperty('sponsoringAgency');
    const c1 = await b.admin('POST', '/v1/admin/invitations', inviteBody({ sponsoringAgency: 'Gov\u009b31mTech' }));
    expect(c1.status).toBe(400);
    const bidi = await b.admin('POST', '/v1/admin/invitations', inviteBody({ sponsoringAgency: 'Gov\u202eTech' }));
    expect(bidi.status).toBe(400);
    const ok = await b.admin('POST', '/v1/admin/invitations', inviteBody({ sponsoringAgency: 'GovTech' }));
    expect(ok.status).toBe(201);
    const list = await b.admin('GET', '/v1/admin/invitations');
    expect(JSON.stringify(list.body)).not.toMatch(/\\u001b|PWNED/);
  });

  it('an administrator status change is one transaction: a failure queuing its email leaves the account, sessions and trail unchanged', async () => {
    const db = b.app.techpass.ctx.db;
    const u = await registered(b);
    const token = await signInToken(b, u.username, u.password);
    const { id, state } = await db
      .selectFrom('accounts')
      .select(['id', 'state'])
      .where('username', '=', u.username)
      .executeTakeFirstOrThrow();
    const failStatusEmails = async () => {
      if (dialect === 'sqlite') {
        await sql
          .raw(
            `create trigger fail_status before insert on outbox when new.account_id = '${id}' and new.template = 'N-STATUS' begin select raise(abort, 'simulated enqueue failure'); end`,
          )
          .execute(db);
      } else {
        await sql
          .raw(
            `create or replace function fail_status() returns trigger as $$ begin if new.account_id = '${id}' and new.template = 'N-STATUS' then raise exception 'simulated enqueue failure'; end if; return new; end $$ language plpgsql`,
          )
          .execute(db);
        await sql
          .raw('create trigger fail_status before insert on outbox for each row execute function fail_status()')
          .execute(db);
      }
    };
    const restore = () =>
      sql.raw(dialect === 'sqlite' ? 'drop trigger fail_status' : 'drop trigger fail_status on outbox').execute(db);
    const audited = async (action: string) =>
      (
        await db
          .selectFrom('audit_log')
          .select('id')
          .where('subject', '=', u.username)
          .where('action', '=', action)
          .execute()
      ).length;
    const stateOf = async () =>
      (await db.selectFrom('accounts').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;

    await failStatusEmails();
    for (const action of ['disable', 'terminate']) {
      expect((await b.admin('POST', `/v1/admin/accounts/${u.username}/${action}`)).status, action).toBe(500);
      expect(await stateOf(), action).toBe(state);
      expect(await audited(`account.${action}`), action).toBe(0);
      expect((await b.call('GET', '/v1/me', { token })).status, `${action}: the session was ended`).toBe(200);
    }
    await restore();
    expect((await b.admin('POST', `/v1/admin/accounts/${u.username}/disable`)).status).toBe(200);
    await failStatusEmails();
    expect((await b.admin('POST', `/v1/admin/accounts/${u.username}/enable`)).status).toBe(500);
    expect(await stateOf()).toBe('DISABLED');
    expect(await audited('account.enable')).toBe(0);
    await restore();
    expect((await b.admin('POST', `/v1/admin/accounts/${u.username}/enable`)).status).toBe(200);
    expect(await stateOf()).toBe('ACTIVE');
    expect(await audited('account.enable')).toBe(1);
  });

  describe('bulk invitations', () => {
    const rows = (n: number, tag: string, overrides: Record<string, unknown> = {}) =>
      Array.from({ length: n }, (_, k) =>
        inviteBody({
          email: `bulk.${tag}.${k}@vendor.example.com`,
          // The longest values the schema allows, so the documented 500 rows are tested at their largest.
          firstName: 'A'.repeat(64),
          lastName: 'B'.repeat(64),
          sponsoringAgency: 'S'.repeat(100),
          ...overrides,
        }),
      );
    const count = async (tag: string) =>
      Number(
        (
          await b.app.techpass.ctx.db
            .selectFrom('invitations')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('email', 'like', `bulk.${tag}.%`)
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('accepts the documented 500 rows at their largest (a body far over 64 KiB); other routes keep 64 KiB', async () => {
      const tag = uniq('max');
      const body = rows(500, tag);
      expect(JSON.stringify(body).length).toBeGreaterThan(64 * 1024);
      const r = await b.admin('POST', '/v1/admin/invitations/bulk', body);
      expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(201);
      expect(r.body.results.filter((x: { ok: boolean }) => x.ok)).toHaveLength(500);
      expect(await count(tag)).toBe(500);
      expect(r.body.results.map((x: { index: number }) => x.index)).toEqual([...Array(500).keys()]);
      const tooMany = await b.admin('POST', '/v1/admin/invitations/bulk', rows(501, uniq('over')));
      expect(tooMany.status).toBe(400);
      const big = await b.call('POST', '/v1/sessions', {
        raw: JSON.stringify({ loginId: 'x'.repeat(70 * 1024), password: 'y' }),
        headers: { 'content-type': 'application/json' },
      });
      expect(big.status).toBe(413);
      expect(big.body.error.message).toMatch(/64 KiB/);
    });

    it('is atomic: a failure half-way leaves nothing; a retry with the same Idempotency-Key acts at once, then replays', async () => {
      const tag = uniq('atomic');
      const body = rows(300, tag);
      const poison = `bulk.${tag}.250@vendor.example.com`;
      // A trigger stands in for a crash in the middle of the transaction (after 250 rows were written).
      const db = b.app.techpass.ctx.db;
      if (dialect === 'sqlite') {
        await sql
          .raw(
            `create trigger fail_bulk before insert on invitations when new.email = '${poison}' begin select raise(abort, 'simulated crash'); end`,
          )
          .execute(db);
      } else {
        await sql
          .raw(
            `create or replace function fail_bulk() returns trigger as $$ begin if new.email = '${poison}' then raise exception 'simulated crash'; end if; return new; end $$ language plpgsql`,
          )
          .execute(db);
        await sql
          .raw('create trigger fail_bulk before insert on invitations for each row execute function fail_bulk()')
          .execute(db);
      }
      const headers = { 'idempotency-key': `bulk-${tag}` };
      const outboxBefore = (await b.outbox()).length;
      const crashed = await b.call('POST', '/v1/admin/invitations/bulk', { body, token: ADMIN_KEY, headers });
      expect(crashed.status).toBe(500);
      expect(await count(tag)).toBe(0);
      expect((await b.outbox()).length).toBe(outboxBefore);
      await sql
        .raw(dialect === 'sqlite' ? 'drop trigger fail_bulk' : 'drop trigger fail_bulk on invitations')
        .execute(db);

      // The retry is not refused as "still in progress": nothing of the failed attempt was kept.
      const retry = await b.call('POST', '/v1/admin/invitations/bulk', { body, token: ADMIN_KEY, headers });
      expect(retry.status).toBe(201);
      expect(await count(tag)).toBe(300);
      const replay = await b.call('POST', '/v1/admin/invitations/bulk', { body, token: ADMIN_KEY, headers });
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(retry.body);
      expect(await count(tag)).toBe(300);
      expect(
        (await b.outbox()).filter((m) => m.template === 'N-REG-LINK' && String(m.to).startsWith(`bulk.${tag}.`)),
      ).toHaveLength(300);
    });

    it('concurrent retries of one bulk with one Idempotency-Key create the invitations once', async () => {
      const tag = uniq('race');
      const body = rows(50, tag);
      const headers = { 'idempotency-key': `bulk-${tag}` };
      const results = await Promise.all(
        Array.from({ length: 12 }, () =>
          b.call('POST', '/v1/admin/invitations/bulk', { body, token: ADMIN_KEY, headers }),
        ),
      );
      expect(results.map((r) => r.status).every((s) => s === 201 || s === 409)).toBe(true);
      const ok = results.filter((r) => r.status === 201);
      expect(ok.length).toBeGreaterThanOrEqual(1);
      for (const r of ok) expect(r.body).toEqual(ok[0]!.body);
      expect(await count(tag)).toBe(50);
    });

    it('keeps the per-row rules: bad rows reported, duplicates in one request refused, existing accounts told', async () => {
      const tag = uniq('rules');
      const u = await registered(b);
      const body = [...rows(3, tag), { ...rows(1, tag)[0] }, inviteBody({ email: u.email }), { email: 'not an email' }];
      const r = await b.admin('POST', '/v1/admin/invitations/bulk', body);
      expect(r.status).toBe(201);
      expect(r.body.results.map((x: { ok: boolean }) => x.ok)).toEqual([true, true, true, false, false, false]);
      expect(r.body.results[3].error.message).toMatch(/already invited by row 0/);
      expect(r.body.results[4].error.code).toBe('CONFLICT');
      expect((await b.outbox()).filter((m) => m.template === 'N-DUP-REG' && m.to === u.email)).toHaveLength(1);
    });
  });
});
