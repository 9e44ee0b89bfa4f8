import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage, Transport } from '../src/delivery';
import { ConfigError, loadConfig } from '../src/config';
import { DIALECTS, inviteBody, registrationBody, startBackend, type TestBackend } from './harness';

const DATA_KEY = `k1:${Buffer.alloc(32, 9).toString('base64')}`;

function capture(): Transport & { sent: OutboundMessage[]; down: boolean; permanent: boolean } {
  const t = {
    name: 'capture',
    sent: [] as OutboundMessage[],
    down: false,
    permanent: false,
    async send(msg: OutboundMessage) {
      if (t.permanent) {
        const { PermanentDeliveryError } = await import('../src/delivery');
        throw new PermanentDeliveryError('mailbox does not exist', 'capture');
      }
      if (t.down) throw new Error('connection refused');
      t.sent.push(msg);
    },
  };
  return t;
}

describe.each(DIALECTS)('secrets at rest in production (%s)', (dialect) => {
  let b: TestBackend;
  const email = capture();
  const sms = capture();
  beforeAll(async () => {
    b = await startBackend(dialect, {
      env: {
        TECHPASS_TEST_MODE: '',
        DATA_ENCRYPTION_KEYS: DATA_KEY,
        DELIVERY: 'store-only',
        OUTBOX_RETENTION_HOURS: '24',
      },
      transports: { email, sms },
    });
  });
  afterAll(async () => {
    await b?.close();
  });
  const outbox = () => b.app.techpass.ctx.db.selectFrom('outbox').selectAll().orderBy('seq').execute();

  it('a queued message is sealed in the database before delivery; delivered, it keeps a redacted preview and no data', async () => {
    email.down = true;
    const res = await b.admin('POST', '/v1/admin/invitations', inviteBody({ passwordDelivery: 'sms' }));
    expect(res.status).toBe(201);
    const pending = (await outbox()).filter((r) => r.status === 'pending');
    expect(pending).toHaveLength(1);
    expect(pending[0]!.body).toMatch(/^sealed1\./);
    expect(pending[0]!.data).toMatch(/^sealed1\./);
    expect(pending[0]!.body).not.toMatch(/register/);

    await b.app.techpass.worker.runOnce(b.clock.now()); // transport down: stays pending, still sealed
    expect((await outbox())[0]!.body).toMatch(/^sealed1\./);
    email.down = false;
    b.clock.advance(3600);
    const run = await b.app.techpass.worker.runOnce(b.clock.now());
    expect(run.sent).toHaveLength(1);
    const mail = email.sent.pop()!;
    const token = /\/register\/([A-Za-z0-9_-]+)/.exec(mail.body)![1]!;
    expect(mail.data.token).toBe(token); // the transport got the opened message

    const row = (await outbox())[0]!;
    expect(row.status).toBe('sent');
    expect(row.data).toBeNull();
    expect(row.body).toContain('You have been invited to TechPass');
    expect(row.body).toContain('/register/[redacted]');
    expect(row.body).toContain('techpass-onboarding://register?token=[redacted]');
    expect(row.body).not.toContain(token);

    // The SMS with the initial password: the same.
    const reg = await b.call('POST', `/v1/registrations/${token}`, { body: registrationBody() });
    expect(reg.status).toBe(201);
    await b.app.techpass.worker.runOnce(b.clock.now());
    const text = sms.sent.find((m) => m.template === 'N-INITPWD')!;
    const password = text.data.password as string;
    const stored = (await outbox()).find((r) => r.template === 'N-INITPWD')!;
    expect(stored.body).toMatch(/^TechPass initial password for \S+: \[redacted\]/);
    expect(stored.body).not.toContain(password);
  });

  it('a message given up for good loses its secrets too', async () => {
    email.permanent = true;
    try {
      await b.admin('POST', '/v1/admin/invitations', inviteBody());
      await b.app.techpass.worker.runOnce(b.clock.now());
      // A permanent refusal: rejected, not retried, and the inviter is told (that notice holds no secret either).
      const failed = (await outbox()).filter((r) => r.status === 'rejected');
      expect(failed).toHaveLength(1);
      expect(failed[0]!.data).toBeNull();
      expect(failed[0]!.body).toContain('/register/[redacted]');
      expect(failed[0]!.last_error).toMatch(/mailbox does not exist/);
      const notice = (await outbox()).filter((r) => r.template === 'N-REG-UNDELIVERED');
      expect(notice).toHaveLength(1);
      expect(notice[0]!.body).not.toContain('/register/');
    } finally {
      email.permanent = false;
    }
  });

  it('delivered rows are purged after the retention, oldest first in bounded batches; pending rows stay', async () => {
    email.down = true;
    await b.admin('POST', '/v1/admin/invitations', inviteBody());
    const before = await outbox();
    const sent = before.filter((r) => r.status === 'sent').length;
    expect(sent).toBeGreaterThan(0);
    b.clock.advance(23 * 3600);
    expect((await b.app.techpass.worker.runOnce(b.clock.now())).purged).toBe(0);
    b.clock.advance(2 * 3600);
    const run = await b.app.techpass.worker.runOnce(b.clock.now());
    expect(run.purged).toBe(sent);
    const after = await outbox();
    expect(after.filter((r) => r.status === 'sent')).toHaveLength(0);
    // The new invitation's email and the inviter's notice about the refused one wait for the relay.
    expect(
      after
        .filter((r) => r.status === 'pending')
        .map((r) => r.template)
        .sort(),
    ).toEqual(['N-REG-LINK', 'N-REG-UNDELIVERED']);
    email.down = false;
  });

  it('an idempotent replay needs no plaintext in the database: the stored reply is sealed, and purged after 24 h', async () => {
    const headers = { 'idempotency-key': `replay-${dialect}` };
    const sign = await b.call('POST', '/v1/password-resets', { body: { loginId: 'nobody.here' }, headers });
    expect(sign.status).toBe(202);
    const again = await b.call('POST', '/v1/password-resets', { body: { loginId: 'nobody.here' }, headers });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(sign.body);
    const rows = await b.app.techpass.ctx.db.selectFrom('idempotency_keys').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.response).toMatch(/^sealed1\./);
    b.clock.advance(24 * 3600 + 1);
    await b.app.techpass.runJobs();
    expect(await b.app.techpass.ctx.db.selectFrom('idempotency_keys').selectAll().execute()).toEqual([]);
  });

  it('a sign-in sent with an Idempotency-Key stores no guessable hash of its password (keyed hash of the body)', async () => {
    const password = 'Correct-Horse-42-Battery';
    const body = { loginId: 'someone.else', password };
    const headers = { 'idempotency-key': `sign-in-${dialect}` };
    const first = await b.call('POST', '/v1/sessions', { body, headers });
    const again = await b.call('POST', '/v1/sessions', { body, headers });
    expect(again.status).toBe(first.status);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // Another body under the same key is still told apart.
    expect((await b.call('POST', '/v1/sessions', { body: { ...body, password: 'other' }, headers })).status).toBe(409);
    const { createHash } = await import('node:crypto');
    const plain = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const rows = await b.app.techpass.ctx.db.selectFrom('idempotency_keys').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.body_hash).not.toContain(plain);
      expect(r.body_hash).toMatch(/^k1:[0-9a-f]{64}$/);
    }
  });
});

describe('production refuses to start without real delivery', () => {
  const base = { TECHPASS_DATA_DIR: '/tmp/tp-config-check', DATA_ENCRYPTION_KEYS: DATA_KEY };
  it('names each missing transport and the explicit way out', () => {
    expect(() => loadConfig(base)).toThrow(ConfigError);
    expect(() => loadConfig(base)).toThrow(
      /SMTP_HOST: required in production[\s\S]*SMS_GATEWAY_URL: required in production[\s\S]*DELIVERY=store-only/,
    );
    expect(() => loadConfig({ ...base, SMTP_HOST: 'smtp.example' })).toThrow(/SMS_GATEWAY_URL: required in production/);
    expect(() => loadConfig({ ...base, SMTP_HOST: 'smtp.example' })).not.toThrow(/SMTP_HOST: required/);
    expect(() =>
      loadConfig({
        ...base,
        SMS_GATEWAY_URL: 'https://sms.example/send',
        TECHPASS_MAIL_TRANSPORT: 'outbox',
        SMTP_HOST: 'x',
      }),
    ).toThrow(/SMTP_HOST: required in production/);
    expect(() => loadConfig({ ...base, DELIVERY: 'sometimes' })).toThrow(/DELIVERY/);
  });
  it('starts with both transports, or with DELIVERY=store-only (the store-only channels are listed)', () => {
    expect(
      loadConfig({ ...base, SMTP_HOST: 'smtp.example', SMS_GATEWAY_URL: 'https://sms.example/send' }).storeOnlyChannels,
    ).toEqual([]);
    expect(loadConfig({ ...base, DELIVERY: 'store-only' }).storeOnlyChannels).toEqual(['email', 'sms']);
    expect(loadConfig({ ...base, DELIVERY: 'store-only', SMTP_HOST: 'smtp.example' }).storeOnlyChannels).toEqual([
      'sms',
    ]);
  });
  it('test and demo mode store without asking; production keeps delivered rows 7 days by default', () => {
    expect(
      loadConfig({ TECHPASS_DATA_DIR: '/tmp/tp-config-check', TECHPASS_TEST_MODE: '1' }).storeOnlyChannels,
    ).toEqual([]);
    expect(
      loadConfig({ TECHPASS_DATA_DIR: '/tmp/tp-config-check', TECHPASS_TEST_MODE: '1' }).outboxRetentionSeconds,
    ).toBeUndefined();
    expect(loadConfig({ ...base, DELIVERY: 'store-only' }).outboxRetentionSeconds).toBe(7 * 24 * 3600);
  });
  it('refuses an ADMIN_API_KEY shorter than 32 characters in production, with every problem in one message', () => {
    const p = { ...base, DELIVERY: 'store-only' };
    expect(() => loadConfig({ ...p, ADMIN_API_KEY: 'short-key' })).toThrow(
      /ADMIN_API_KEY: must be at least 32 characters \(it is 9\)/,
    );
    expect(loadConfig({ ...p, ADMIN_API_KEY: 'x'.repeat(32) }).adminApiKey).toBe('x'.repeat(32));
    expect(() => loadConfig({ TECHPASS_DATA_DIR: '/tmp/tp-config-check', ADMIN_API_KEY: 'short' })).toThrow(
      /DATA_ENCRYPTION_KEYS[\s\S]*SMTP_HOST[\s\S]*ADMIN_API_KEY/,
    );
  });
});
