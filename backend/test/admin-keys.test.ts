import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as cli } from '../src/cli/admin';
import { openDatabase } from '../src/db/connect';
import { ADMIN_KEY, DIALECTS, inviteBody, registered, startBackend, type TestBackend, CODED_FIELD } from './harness';

describe.each(DIALECTS)('named admin API keys (%s)', (dialect) => {
  let b: TestBackend;
  const keys: Record<string, string> = {};

  /** Runs the admin CLI the way an operator does on the backend host (same database). */
  const run = async (args: string[], env: Record<string, string> = {}) => {
    let stdout = '';
    let stderr = '';
    const code = await cli(args, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: { TECHPASS_BACKEND_URL: b.url, USER: 'ops.tester', ...env },
      openDatabase: () => openDatabase({ databaseUrl: b.databaseUrl || undefined, dataDir: b.dataDir }),
      now: () => b.clock.now(),
    });
    return { code, stdout, stderr };
  };
  const as = (key: string, method: string, path: string, body?: unknown) => b.call(method, path, { body, token: key });

  beforeAll(async () => {
    b = await startBackend(dialect);
    for (const [name, role, principal] of [
      ['pm-lee', 'inviter', 'pm.lee@tech.gov.sg'],
      ['pm-tan', 'inviter', 'pm.tan@tech.gov.sg'],
      ['helpdesk-1', 'support', 'helpdesk.one@tech.gov.sg'],
      ['it-ops', 'it', 'it.ops@agency.example.com'],
    ] as const) {
      const r = await run(['keys', 'create', '--name', name, '--role', role, '--principal', principal]);
      expect(r.code, r.stderr).toBe(0);
      const key = /\b(tpk_[A-Za-z0-9_-]{43})\b/.exec(r.stdout)?.[1];
      expect(key, r.stdout).toBeDefined();
      expect(r.stdout).toMatch(/only time the key is shown/);
      keys[name] = key as string;
    }
  });
  afterAll(async () => {
    await b?.close();
  });

  it('stores only a hash; lists name, role and principal without the key; refuses bad input with a clear message', async () => {
    const rows = await b.app.techpass.ctx.db.selectFrom('admin_keys').selectAll().execute();
    expect(rows).toHaveLength(4);
    for (const k of Object.values(keys)) expect(JSON.stringify(rows)).not.toContain(k);
    const list = await run(['keys', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/pm-lee\s+inviter\s+pm\.lee@tech\.gov\.sg/);
    expect(list.stdout).toMatch(/it-ops\s+it\s+it\.ops@agency\.example\.com/);
    for (const k of Object.values(keys)) expect(list.stdout).not.toContain(k);
    const dup = await run([
      'keys',
      'create',
      '--name',
      'pm-lee',
      '--role',
      'inviter',
      '--principal',
      'pm.lee@tech.gov.sg',
    ]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/already exists/);
    const notOfficer = await run([
      'keys',
      'create',
      '--name',
      'vendor-x',
      '--role',
      'inviter',
      '--principal',
      'someone@vendor.example.com',
    ]);
    expect(notOfficer.code).toBe(2);
    expect(notOfficer.stderr).toMatch(/public officer.*gov\.sg/);
    expect((await run(['keys', 'create', '--name', 'x1', '--role', 'root', '--principal', 'a@tech.gov.sg'])).code).toBe(
      2,
    );
    expect((await run(['keys', 'create', '--name', 'x2'])).stderr).toMatch(/Missing --role, --principal/);
    const audit = await b.app.techpass.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'admin-key.create')
      .execute();
    expect(audit.map((a) => a.actor)).toEqual(Array(4).fill('cli operator ops.tester'));
  });

  it('an inviter key invites as its principal: inviterEmail is filled in, a disagreeing one is refused', async () => {
    const { inviterEmail: _drop, ...noInviter } = inviteBody();
    const made = await as(keys['pm-lee']!, 'POST', '/v1/admin/invitations', noInviter);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const inv = await b.app.techpass.ctx.db
      .selectFrom('invitations')
      .selectAll()
      .where('id', '=', made.body.id)
      .executeTakeFirstOrThrow();
    expect(inv.inviter_email).toBe('pm.lee@tech.gov.sg');
    const same = await as(
      keys['pm-lee']!,
      'POST',
      '/v1/admin/invitations',
      inviteBody({ inviterEmail: 'PM.Lee@tech.gov.sg' }),
    );
    expect(same.status).toBe(201);
    const other = await as(
      keys['pm-lee']!,
      'POST',
      '/v1/admin/invitations',
      inviteBody({ inviterEmail: 'pm.tan@tech.gov.sg' }),
    );
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('INVITER_MISMATCH');
    expect(other.body.error.message).toMatch(/invites as pm\.lee@tech\.gov\.sg/);
    const created = await b.app.techpass.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'invitation.create')
      .where('subject', '=', String(noInviter.email).toLowerCase())
      .executeTakeFirstOrThrow();
    expect(created.actor).toBe('key pm-lee (inviter) pm.lee@tech.gov.sg');

    // Bulk: the same rule per row.
    const bulk = await as(keys['pm-lee']!, 'POST', '/v1/admin/invitations/bulk', [
      noInviterRow(),
      inviteBody({ inviterEmail: 'pm.tan@tech.gov.sg' }),
    ]);
    expect(bulk.status).toBe(201);
    expect(bulk.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, false]);
    expect(bulk.body.results[1].error.code).toBe('INVITER_MISMATCH');
  });

  it('an inviter key sees and changes only its own invitations', async () => {
    const mine = await as(keys['pm-tan']!, 'POST', '/v1/admin/invitations', noInviterRow());
    expect(mine.status).toBe(201);
    const list = await as(keys['pm-tan']!, 'GET', '/v1/admin/invitations');
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThan(0);
    expect(list.body.every((i: { inviterEmail: string }) => i.inviterEmail === 'pm.tan@tech.gov.sg')).toBe(true);
    expect((await as(keys['pm-lee']!, 'POST', `/v1/admin/invitations/${mine.body.id}/resend`)).status).toBe(404);
    expect((await as(keys['pm-lee']!, 'DELETE', `/v1/admin/invitations/${mine.body.id}`)).status).toBe(404);
    expect((await as(keys['pm-tan']!, 'POST', `/v1/admin/invitations/${mine.body.id}/resend`)).status).toBe(200);
  });

  it('roles: support runs account actions but cannot invite; IT reads and resends the SEED email only; inviters touch no account', async () => {
    const u = await registered(b);
    const path = `/v1/admin/accounts/${u.username}`;
    const forbidden = async (key: string, method: string, p: string, body?: unknown) => {
      const r = await as(key, method, p, body);
      expect(r.status, `${method} ${p}`).toBe(403);
      expect(r.body.error.code).toBe('FORBIDDEN');
      return r;
    };
    const f = await forbidden(
      keys['helpdesk-1']!,
      'POST',
      '/v1/admin/invitations',
      inviteBody({ inviterEmail: 'helpdesk.one@tech.gov.sg' }),
    );
    expect(f.body.error.message).toMatch(/role support.*Use a key with the role inviter/);
    await forbidden(keys['pm-lee']!, 'GET', path);
    await forbidden(keys['pm-lee']!, 'POST', `${path}/unlock`);
    await forbidden(keys['it-ops']!, 'POST', `${path}/disable`);
    await forbidden(keys['it-ops']!, 'POST', `${path}/send-reset-link`, { ticket: 'SR-1' });
    await forbidden(keys['it-ops']!, 'POST', '/v1/admin/invitations/bulk', [noInviterRow()]);
    expect((await as(keys['it-ops']!, 'GET', path)).status).toBe(200);
    expect((await as(keys['it-ops']!, 'POST', `${path}/resend-seed-email`)).status).not.toBe(403);
    expect((await as(keys['helpdesk-1']!, 'POST', `${path}/unlock`)).status).toBe(200);
    expect((await as(keys['helpdesk-1']!, 'POST', `${path}/verify-phone`, { ticket: 'SR-77' })).status).toBe(200);
    const verified = await b.app.techpass.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('subject', '=', u.username)
      .execute();
    expect(verified.some((a) => a.actor.startsWith('key helpdesk-1 (support) helpdesk.one@tech.gov.sg'))).toBe(true);
  });

  it('every admin request is audit-logged with its principal, refused ones included', async () => {
    const entries = await b.app.techpass.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'like', 'admin.%')
      .execute();
    const refused = entries.filter((e) => JSON.parse(e.details).status === 403);
    expect(refused.length).toBeGreaterThanOrEqual(5);
    expect(refused.some((e) => e.actor === 'key it-ops (it) it.ops@agency.example.com')).toBe(true);
    expect(
      entries.some((e) => e.actor === 'key pm-lee (inviter) pm.lee@tech.gov.sg' && e.action === 'admin.post'),
    ).toBe(true);
  });

  it('ADMIN_API_KEY keeps working as the inviting portal key, which names the inviter in inviterEmail', async () => {
    const r = await b.admin('POST', '/v1/admin/invitations', inviteBody({ inviterEmail: 'pm.portal@tech.gov.sg' }));
    expect(r.status).toBe(201);
    const inv = await b.app.techpass.ctx.db
      .selectFrom('invitations')
      .selectAll()
      .where('id', '=', r.body.id)
      .executeTakeFirstOrThrow();
    expect(inv.inviter_email).toBe('pm.portal@tech.gov.sg');
    const { inviterEmail: _drop, ...noInviter } = inviteBody();
    const missing = await b.admin('POST', '/v1/admin/invitations', noInviter);
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.inviterEmail).toEqual(CODED_FIELD);
    expect((await b.call('GET', '/v1/admin/invitations', { token: ADMIN_KEY })).status).toBe(200);
  });

  it('a revoked key stops working at once; an unknown tpk_ key is refused like a wrong one', async () => {
    const r = await run(['keys', 'revoke', 'pm-tan']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/revoked/);
    const after = await as(keys['pm-tan']!, 'GET', '/v1/admin/invitations');
    expect(after.status).toBe(401);
    expect((await as('tpk_' + 'A'.repeat(43), 'GET', '/v1/admin/invitations')).status).toBe(401);
    expect((await run(['keys', 'revoke', 'pm-tan'])).stderr).toMatch(/already revoked/);
    expect((await run(['keys', 'list'])).stdout).toMatch(/pm-tan.*revoked/);
  });
});

function noInviterRow(): Record<string, unknown> {
  const { inviterEmail: _drop, ...row } = inviteBody();
  return row;
}
