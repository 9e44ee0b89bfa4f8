import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage, Transport } from '../src/delivery';
import {
  DIALECTS,
  enrolAuthenticator,
  GOOD_PASSWORD,
  invite,
  inviteBody,
  registered,
  registrationBody,
  signInToken,
  signInWithMfa,
  startBackend,
  type TestBackend,
} from './harness';

const DAY = 86400;
const HAN = /\p{Script=Han}/u;
const chinese = (m: { subject?: string; body: string }) =>
  HAN.test(m.body) && (m.subject === undefined || HAN.test(m.subject));

describe.each(DIALECTS)('the user’s language in emails, SMS and terms acceptances (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startBackend(dialect);
  });
  afterAll(async () => {
    await b?.close();
  });
  const db = () => b.app.techpass.ctx.db;
  const account = (username: string) =>
    db().selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
  const messages = async (template: string, to: string) =>
    (await b.outbox()).filter((m) => m.template === template && m.to === to);

  it('the invitation, sent before the user chose, is English with a Chinese line pointing to the app', async () => {
    const i = await invite(b);
    const [mail] = await messages('N-REG-LINK', i.email);
    expect(mail.body.split('\n')[0]).toMatch(/^中文：.*TechPass Onboarding/);
    expect(mail.body).toContain('You have been invited to TechPass');
    expect(mail.subject).toBe('Complete your TechPass registration');
  });

  it('registration keeps the chosen language; the onboarding email, initial-password SMS and SEED email use it', async () => {
    const u = await registered(
      b,
      { passwordDelivery: 'sms', businessOperation: 'offshore', odc: 'ODC-1', seedRequested: true },
      { locale: 'zh-CN', mobile: '+8613812345678' },
    );
    expect((await account(u.username)).locale).toBe('zh-CN');
    for (const template of ['N-ONBOARD', 'N-SEED-INVITE']) {
      const [mail] = await messages(template, u.email);
      expect(chinese(mail), `${template}: ${mail.subject} ${mail.body}`).toBe(true);
    }
    const [sms] = await messages('N-INITPWD', u.mobile);
    expect(sms.body).toMatch(/^TechPass 初始密码/);
    expect(sms.body).toContain(u.password);
    // The inviter did not choose a language: the result goes out in English.
    const result = (await messages('N-REG-RESULT', 'pm.lee@tech.gov.sg')).find((m) => m.data.inviteeEmail === u.email);
    expect(result.subject).toMatch(/^TechPass invitation accepted/);
    expect(result.body).not.toMatch(HAN);
  });

  it('without a language the account is English; an unsupported one is refused and names the field', async () => {
    const u = await registered(b);
    expect((await account(u.username)).locale).toBe('en');
    expect((await messages('N-ONBOARD', u.email))[0].subject).toBe('Your TechPass account is ready');
    const i = await invite(b);
    const r = await b.call('POST', `/v1/registrations/${i.token}`, {
      body: registrationBody({ password: GOOD_PASSWORD, locale: 'fr' }),
    });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(/locale/);
  });

  it('every later message to a Chinese account is Chinese: codes, password notices, status and SEED emails, duplicate notice', async () => {
    const u = await registered(b, { seedRequested: true }, { locale: 'zh-CN', mobile: '+6591230001' });
    const token = await signInToken(b, u.username, u.password);
    expect((await b.call('POST', '/v1/me/phone', { token, body: { mobile: '+6591230002' } })).status).toBe(202);
    const [phoneCode] = await messages('N-PHONE-CODE', '+6591230002');
    expect(phoneCode.body).toMatch(/^\d{6} 是您的 TechPass 验证码/);

    expect((await b.call('POST', '/v1/password-resets', { body: { loginId: u.username } })).status).toBe(202);
    const [resetCode] = await messages('N-PWD-RESET-CODE', u.mobile);
    expect(resetCode.body).toMatch(/^\d{6} 是您的 TechPass 密码重置验证码/);
    const done = await b.call('POST', '/v1/password-resets/complete', {
      body: { loginId: u.username, code: resetCode.data.code, newPassword: 'Green-Teapot-77-Comet' },
    });
    expect(done.status).toBe(200);
    const [changed] = await messages('N-PWD-CHANGED', u.email);
    expect(chinese(changed)).toBe(true);

    expect(
      (await b.admin('POST', `/v1/admin/accounts/${u.username}/send-reset-link`, { ticket: 'SR-77' })).status,
    ).toBe(200);
    const [link] = await messages('N-PWD-RESET-LINK', u.email);
    expect(chinese(link)).toBe(true);
    expect(link.body).toContain('SR-77');

    expect((await b.admin('POST', `/v1/admin/accounts/${u.username}/resend-seed-email`)).status).toBe(200);
    const seed = await messages('N-SEED-INVITE', u.email);
    expect(seed).toHaveLength(2);
    expect(seed.every(chinese)).toBe(true);

    expect((await b.admin('POST', '/v1/admin/invitations', inviteBody({ email: u.email }))).status).toBe(409);
    const [dup] = await messages('N-DUP-REG', u.email);
    expect(chinese(dup)).toBe(true);

    expect((await b.admin('POST', `/v1/admin/accounts/${u.username}/disable`)).status).toBe(200);
    const status = (await b.outbox()).filter(
      (m) => m.template === 'N-STATUS' && m.data.loginId === `${u.username}@techpass.gov.sg`,
    );
    expect(status.find((m) => m.to === u.email).body).toMatch(/已于 .* 停用（由管理员操作）/);
    expect(status.find((m) => m.to === 'pm.lee@tech.gov.sg').body).toMatch(
      /was disabled on .* \(disabled by an administrator\)/,
    );
    const [revoked] = await messages('N-SEED-REVOKED', u.email);
    expect(chinese(revoked)).toBe(true);
  });

  it('PUT /v1/me/locale after registering: the next SMS and email are in the new language, and back again', async () => {
    const u = await registered(b, {}, { mobile: '+6591230101' });
    const token = await signInToken(b, u.username, u.password);
    expect((await b.call('PUT', '/v1/me/locale', { token, body: { locale: 'zh-CN' } })).status).toBe(204);
    expect((await account(u.username)).locale).toBe('zh-CN');
    expect((await b.call('POST', '/v1/me/phone', { token, body: { mobile: '+6591230102' } })).status).toBe(202);
    const [code] = await messages('N-PHONE-CODE', '+6591230102');
    expect(code.body).toMatch(/^\d{6} 是您的 TechPass 验证码/);
    expect((await b.call('POST', '/v1/password-resets', { body: { loginId: u.username } })).status).toBe(202);
    const [reset] = await messages('N-PWD-RESET-CODE', u.mobile);
    const done = await b.call('POST', '/v1/password-resets/complete', {
      body: { loginId: u.username, code: reset.data.code, newPassword: 'Green-Teapot-77-Comet' },
    });
    expect(done.status).toBe(200);
    expect(chinese((await messages('N-PWD-CHANGED', u.email))[0])).toBe(true);
    // The same again changes nothing; back to English, the next email is English.
    const again = await signInToken(b, u.username, 'Green-Teapot-77-Comet');
    expect((await b.call('PUT', '/v1/me/locale', { token: again, body: { locale: 'zh-CN' } })).status).toBe(204);
    expect((await b.call('PUT', '/v1/me/locale', { token: again, body: { locale: 'en' } })).status).toBe(204);
    expect(
      (
        await b.call('POST', '/v1/me/password', {
          token: again,
          body: { currentPassword: 'Green-Teapot-77-Comet', newPassword: 'Blue-Kettle-58-Orbit' },
        })
      ).status,
    ).toBe(200);
    const changed = await messages('N-PWD-CHANGED', u.email);
    expect(changed).toHaveLength(2);
    expect(changed[1].body).not.toMatch(HAN);
  });

  it('PUT /v1/me/locale refuses a language it does not speak, and needs a session', async () => {
    const u = await registered(b);
    const token = await signInToken(b, u.username, u.password);
    const refused = await b.call('PUT', '/v1/me/locale', { token, body: { locale: 'fr' } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/locale/);
    expect((await account(u.username)).locale).toBe('en');
    expect((await b.call('PUT', '/v1/me/locale', { body: { locale: 'zh-CN' } })).status).toBe(401);
  });

  it('a terms acceptance records the version and the language it was shown in (English when the host does not say)', async () => {
    const u = await registered(b);
    const token = await signInToken(b, u.username, u.password);
    const docs = (await b.call('GET', '/v1/me/terms', { token })).body as { id: string; version: string }[];
    const [first, second] = docs as [{ id: string; version: string }, { id: string; version: string }];
    expect(
      (
        await b.call('POST', '/v1/me/terms', {
          token,
          body: { id: first.id, version: first.version, language: 'zh-CN' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await b.call('POST', '/v1/me/terms', { token, body: { id: second.id, version: second.version } })).status,
    ).toBe(200);
    const refused = await b.call('POST', '/v1/me/terms', {
      token,
      body: { id: second.id, version: second.version, language: 'zh' },
    });
    expect(refused.status).toBe(400);
    const a = await account(u.username);
    const rows = await db()
      .selectFrom('terms_acceptances')
      .select(['doc', 'version', 'language'])
      .where('account_id', '=', a.id)
      .orderBy('doc')
      .execute();
    expect(rows).toEqual(
      [
        { doc: first.id, version: first.version, language: 'zh-CN' },
        { doc: second.id, version: second.version, language: 'en' },
      ].sort((x, y) => x.doc.localeCompare(y.doc)),
    );
  });

  it('the lifecycle job’s reminders and closure notices are in the account’s language', async () => {
    const zh = await registered(b, {}, { locale: 'zh-CN' });
    const en = await registered(b);
    await b.advance(23 * DAY + 3600);
    await b.call('POST', '/v1/test/jobs/run');
    const [zhReminder] = await messages('N-REMIND-TERM-PENDING', zh.email);
    const [enReminder] = await messages('N-REMIND-TERM-PENDING', en.email);
    expect(chinese(zhReminder)).toBe(true);
    expect(enReminder.subject).toBe('Activate your TechPass account or it will be closed');
    await b.advance(7 * DAY);
    await b.call('POST', '/v1/test/jobs/run');
    const closed = (await messages('N-STATUS', zh.email)).find((m) => m.data.status === 'terminated');
    expect(closed.body).toMatch(/由系统自动关闭（30 天内未激活）/);
    const enClosed = (await messages('N-STATUS', en.email)).find((m) => m.data.status === 'terminated');
    expect(enClosed.body).toMatch(/was terminated automatically on .* \(not activated within 30 days\)/);
  });
});

describe.each(DIALECTS)('an active Chinese account’s lifecycle notices (%s)', (dialect) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startBackend(dialect);
  });
  afterAll(async () => {
    await b?.close();
  });
  const jobs = () => b.call('POST', '/v1/test/jobs/run');
  const mail = async (template: string, to: string) =>
    (await b.outbox()).filter((m) => m.template === template && m.to === to);

  it('idle and password-expiry reminders, the disable with its SEED revocation, and the closure are all Chinese', async () => {
    const u = await registered(b, { seedRequested: true }, { locale: 'zh-CN' });
    const secret = await enrolAuthenticator(b, await signInToken(b, u.username, u.password));
    await b.advance(61 * DAY + 3600);
    await jobs();
    const [idle] = await mail('N-REMIND-DISABLE', u.email);
    expect(idle.subject).toBe('请登录 TechPass，否则您的账号将被停用');
    await b.advance(15 * DAY);
    await signInWithMfa(b, u.username, u.password, secret); // a sign-in restarts the idle clock, not the password age
    await jobs();
    const [expiry] = await mail('N-PWD-EXPIRY', u.email);
    expect(expiry.body).toMatch(/的密码将于 .*新加坡时间.* 过期/);
    await b.advance(91 * DAY);
    await jobs();
    const disabled = (await mail('N-STATUS', u.email)).find((m) => m.data.status === 'disabled');
    expect(disabled.body).toMatch(/由系统自动停用（90 天未登录）/);
    expect(chinese((await mail('N-SEED-REVOKED', u.email))[0])).toBe(true);
    await b.advance(84 * DAY);
    await jobs();
    expect(chinese((await mail('N-REMIND-TERM', u.email))[0])).toBe(true);
    await b.advance(7 * DAY);
    await jobs();
    const closed = (await mail('N-STATUS', u.email)).find((m) => m.data.status === 'terminated');
    expect(closed.body).toMatch(/由系统自动关闭（180 天未登录）/);
  });
});

function capture(): Transport & { sent: OutboundMessage[] } {
  const t = {
    name: 'capture',
    sent: [] as OutboundMessage[],
    async send(msg: OutboundMessage) {
      t.sent.push(msg);
    },
  };
  return t;
}

describe.each(DIALECTS)('Chinese messages in production keep secrets out of logs and the database (%s)', (dialect) => {
  let b: TestBackend;
  const email = capture();
  const sms = capture();
  beforeAll(async () => {
    b = await startBackend(dialect, {
      env: { TECHPASS_TEST_MODE: '', DELIVERY: 'store-only' },
      transports: { email, sms },
      captureLogs: true,
    });
  });
  afterAll(async () => {
    await b?.close();
  });

  it('the initial password and the reset code reach the user in Chinese and nowhere else', async () => {
    const inv = await b.admin('POST', '/v1/admin/invitations', inviteBody({ passwordDelivery: 'sms' }));
    expect(inv.status).toBe(201);
    await b.app.techpass.worker.runOnce(b.clock.now());
    const token = /\/register\/([A-Za-z0-9_-]+)/.exec(email.sent.pop()!.body)![1]!;
    const body = registrationBody({ locale: 'zh-CN' });
    expect((await b.call('POST', `/v1/registrations/${token}`, { body })).status).toBe(201);
    expect((await b.call('POST', '/v1/password-resets', { body: { loginId: body.username } })).status).toBe(202);
    await b.app.techpass.worker.runOnce(b.clock.now());

    const initial = sms.sent.find((m) => m.template === 'N-INITPWD')!;
    const reset = sms.sent.find((m) => m.template === 'N-PWD-RESET-CODE')!;
    expect(initial.body).toMatch(/^TechPass 初始密码/);
    expect(reset.body).toMatch(/验证码/);
    const secrets = [initial.data.password as string, reset.data.code as string];
    for (const s of secrets) expect(s.length).toBeGreaterThanOrEqual(6);

    const logs = b.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    const rows = await b.app.techpass.ctx.db.selectFrom('outbox').selectAll().execute();
    expect(rows.filter((r) => r.channel === 'sms').every((r) => r.status === 'sent' && r.data === null)).toBe(true);
    const stored = JSON.stringify(rows);
    for (const s of secrets) {
      expect(logs).not.toContain(s);
      expect(stored).not.toContain(s);
    }
    // The redacted copy support sees is still the Chinese text.
    expect(rows.find((r) => r.template === 'N-INITPWD')!.body).toMatch(/^TechPass 初始密码.*\[redacted\]/s);
  });
});
