import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main as adminCli } from '../src/cli/admin';
import {
  ADMIN_KEY,
  DIALECTS,
  enrolAuthenticator,
  inviteBody,
  registered,
  registrationBody,
  signInToken,
  startBackend,
  type TestBackend,
} from './harness';

/** The SMS gateway stand-in: answers every message with `status` (503 = an outage, 422 = a refused number). */
function startGateway(): Promise<{ server: Server; url: string; status: { code: number }; hits: string[] }> {
  const status = { code: 503 };
  const hits: string[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      hits.push(raw);
      res
        .writeHead(status.code, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'gateway says no', echo: raw }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`, status, hits }),
    ),
  );
}

/** An SMTP relay that refuses one recipient domain for good (550) and accepts the rest. */
function startRelay(): Promise<{ server: SMTPServer; port: number; received: { to: string[]; raw: string }[] }> {
  const received: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address.endsWith('@nowhere.example.com')) {
        const err = new Error('5.1.1 No such user here') as Error & { responseCode: number };
        err.responseCode = 550;
        cb(err);
        return;
      }
      cb();
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        cb();
      });
    },
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.server.address() as AddressInfo).port, received }),
    ),
  );
}

async function cli(b: TestBackend, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await adminCli([...args, '--url', b.url], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { ADMIN_API_KEY: ADMIN_KEY },
  });
  return { code, stdout, stderr };
}

describe.each(DIALECTS)('delivery states (%s)', (dialect) => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  beforeAll(async () => {
    gateway = await startGateway();
    relay = await startRelay();
  });
  afterAll(async () => {
    await new Promise<void>((r) => gateway.server.close(() => r()));
    await new Promise<void>((r) => relay.server.close(() => r()));
  });

  it('a failing SMS gateway: the session reads the phone code as retrying, then rejected; support sees the last error (no code in it)', async () => {
    const b = await startBackend(dialect, {
      env: { TECHPASS_SMS_TRANSPORT: 'sms-http', SMS_GATEWAY_URL: gateway.url },
    });
    try {
      gateway.status.code = 503;
      const u = await registered(b);
      // The registration's own messages go out first (email only: self-set password).
      await b.call('POST', '/v1/test/jobs/run');
      const token = await signInToken(b, u.username, u.password);
      await enrolAuthenticator(b, token);
      expect((await b.call('GET', '/v1/me/phone/delivery', { token })).body).toEqual({
        state: 'none',
        attempts: 0,
        lastAttemptAt: null,
      });

      const mobile = '+8613800000000';
      expect((await b.call('POST', '/v1/me/phone', { token, body: { mobile } })).status).toBe(202);
      expect((await b.call('GET', '/v1/me/phone/delivery', { token })).body).toMatchObject({
        state: 'queued',
        to: mobile,
        attempts: 0,
      });
      await b.call('POST', '/v1/test/jobs/run');
      const failed = (await b.call('GET', '/v1/me/phone/delivery', { token })).body;
      expect(failed).toMatchObject({ state: 'retrying', to: mobile, attempts: 1 });
      expect(Date.parse(failed.lastAttemptAt)).toBeLessThanOrEqual(b.clock.now().getTime());
      expect(failed).not.toHaveProperty('lastError');

      const list = await b.admin('GET', `/v1/admin/accounts/${u.username}/deliveries`);
      expect(list.status).toBe(200);
      const sms = list.body.find((d: { template: string }) => d.template === 'N-PHONE-CODE');
      expect(sms).toMatchObject({
        channel: 'sms',
        to: mobile,
        state: 'retrying',
        attempts: 1,
        lastError: 'sms-http: SMS gateway answered HTTP 503',
      });
      const code = String((await b.outbox()).filter((m) => m.template === 'N-PHONE-CODE').pop().data.code);
      expect(JSON.stringify(list.body)).not.toContain(code);
      expect(list.body.find((d: { template: string }) => d.template === 'N-ONBOARD')).toMatchObject({
        state: 'sent',
        attempts: 0,
        lastError: null,
      });

      // The gateway now refuses the number for good: the next attempt ends the message as rejected.
      gateway.status.code = 422;
      await b.advance(120);
      await b.call('POST', '/v1/test/jobs/run');
      expect((await b.call('GET', '/v1/me/phone/delivery', { token })).body).toMatchObject({
        state: 'rejected',
        attempts: 2,
      });
      const shown = await cli(b, ['deliveries', '--account', u.username]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toMatch(
        /N-PHONE-CODE {2}sms to \+8613800000000\n {2}REJECTED after 2 attempts, last tried .*\n {2}Last error: sms-http: SMS gateway refused the message \(HTTP 422\)/,
      );
      const json = await cli(b, ['deliveries', '--account', u.username, '--json']);
      expect(JSON.parse(json.stdout)[0]).toMatchObject({ template: 'N-PHONE-CODE', state: 'rejected' });
      expect((await cli(b, ['deliveries'])).code).toBe(2);
    } finally {
      await b.close();
    }
  });

  it('a transport error that quotes the message keeps no secret in last_error, the deliveries API or the log', async () => {
    // A gateway client that puts the request (body and data) into its error, as some do.
    const quoting = {
      name: 'quoting-sms',
      send: (msg: { body: string; data: Record<string, unknown> }) =>
        Promise.reject(new Error(`gateway refused ${JSON.stringify({ body: msg.body, data: msg.data })}`)),
    };
    const b = await startBackend(dialect, {
      transports: { sms: quoting },
      captureLogs: true,
      env: { LOG_LEVEL: 'info' },
    });
    try {
      const u = await registered(b, { passwordDelivery: 'sms' });
      await b.call('POST', '/v1/test/jobs/run');
      const sms = (await b.outbox()).find((m) => m.template === 'N-INITPWD' && m.to === u.mobile);
      const password = String(sms.data.password);
      expect(password).toBe(u.password);
      const row = await b.app.techpass.ctx.db
        .selectFrom('outbox')
        .select(['last_error', 'attempts'])
        .where('id', '=', sms.id)
        .executeTakeFirstOrThrow();
      expect(row.attempts).toBe(1);
      expect(row.last_error).toContain('gateway refused');
      expect(row.last_error).not.toContain(password);
      const list = await b.admin('GET', `/v1/admin/accounts/${u.username}/deliveries`);
      expect(list.body.find((d: { template: string }) => d.template === 'N-INITPWD').lastError).toContain('[redacted]');
      expect(JSON.stringify(list.body)).not.toContain(password);
      expect(b.logs.join('')).not.toContain(password);
    } finally {
      await b.close();
    }
  });

  it("the registration's initial-password SMS: its reference reads the delivery state without signing in, and nothing else", async () => {
    const b = await startBackend(dialect, {
      env: { TECHPASS_SMS_TRANSPORT: 'sms-http', SMS_GATEWAY_URL: gateway.url },
    });
    try {
      gateway.status.code = 503;
      const inv = await b.admin('POST', '/v1/admin/invitations', inviteBody({ passwordDelivery: 'sms' }));
      const token = (await b.outbox()).filter((m) => m.template === 'N-REG-LINK').pop().data.token as string;
      expect(inv.status).toBe(201);
      const reg = await b.call('POST', `/v1/registrations/${token}`, {
        body: registrationBody({ mobile: '+8613800000001' }),
      });
      expect(reg.status).toBe(201);
      const ref = reg.body.initialPasswordDelivery as string;
      expect(ref).toMatch(/^[0-9a-f-]{36}$/);
      expect((await b.call('GET', `/v1/deliveries/${ref}`)).body).toEqual({ state: 'queued' });
      await b.call('POST', '/v1/test/jobs/run');
      expect((await b.call('GET', `/v1/deliveries/${ref}`)).body).toEqual({ state: 'retrying' });
      // Only initial-password SMS are readable by reference: the onboarding email's id is not.
      const onboard = (await b.outbox()).find((m) => m.template === 'N-ONBOARD');
      expect((await b.call('GET', `/v1/deliveries/${onboard.id}`)).status).toBe(404);
      expect((await b.call('GET', '/v1/deliveries/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    } finally {
      await b.close();
    }
  });

  it('an invitation email refused by the relay: the invitation shows it rejected and the inviter gets one outcome email', async () => {
    const b = await startBackend(dialect, {
      env: {
        TECHPASS_MAIL_TRANSPORT: 'smtp',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(relay.port),
        SMTP_FROM: 'TechPass <no-reply@techpass.gov.sg>',
      },
    });
    try {
      const body = inviteBody({ email: `jane.${dialect}@nowhere.example.com`, inviterEmail: 'pm.lee@tech.gov.sg' });
      const created = await b.admin('POST', '/v1/admin/invitations', body);
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect((await b.admin('GET', `/v1/admin/invitations/${id}/deliveries`)).body).toEqual([
        expect.objectContaining({ template: 'N-REG-LINK', state: 'queued' }),
      ]);
      await b.app.techpass.worker.runOnce(b.clock.now());
      const after = (await b.admin('GET', `/v1/admin/invitations/${id}/deliveries`)).body;
      expect(after.map((d: { template: string; state: string }) => [d.template, d.state])).toEqual([
        ['N-REG-UNDELIVERED', 'queued'],
        ['N-REG-LINK', 'rejected'],
      ]);
      expect(after[1].lastError).toMatch(/^SMTP delivery failed \(EENVELOPE 550\): .*No such user here/);
      await b.app.techpass.worker.runOnce(b.clock.now());
      const notices = relay.received.filter((m) => m.to.includes('pm.lee@tech.gov.sg') && m.raw.includes(body.email));
      expect(notices).toHaveLength(1);
      expect(notices[0]!.raw).toMatch(/Subject: TechPass invitation not delivered/);
      expect((await b.admin('GET', `/v1/admin/invitations/${id}/deliveries`)).body[0]).toMatchObject({
        template: 'N-REG-UNDELIVERED',
        state: 'sent',
        to: 'pm.lee@tech.gov.sg',
      });
      const shown = await cli(b, ['deliveries', '--invitation', id]);
      expect(shown.stdout).toContain('N-REG-LINK  email to');
      expect(shown.stdout).toContain('REJECTED after 1 attempt,');
      expect((await b.admin('GET', '/v1/admin/invitations/no-such-invitation/deliveries')).status).toBe(404);
    } finally {
      await b.close();
    }
  });

  it("the journey's correlation id is on the backend's request lines; a malformed one is left out", async () => {
    const b = await startBackend(dialect, { captureLogs: true, env: { LOG_LEVEL: 'info' } });
    try {
      const id = 'journey-3f2a9c4e-1b7d-4e8a-9c0f-6d5e4b3a2f10';
      await b.call('POST', '/v1/sessions', {
        body: { loginId: 'nobody', password: 'wrong-password' },
        headers: { 'x-correlation-id': id },
      });
      await b.call('POST', '/v1/sessions', {
        body: { loginId: 'nobody', password: 'wrong-password' },
        headers: { 'x-correlation-id': 'bad id <with spaces>' },
      });
      const lines = () =>
        b.logs
          .map((l) => JSON.parse(l) as { msg?: string; req?: { url?: string; correlationId?: string } })
          .filter((l) => l.msg === 'request completed' && l.req?.url === '/v1/sessions');
      // The request line is written once the answer went out: wait for both (vi.waitFor's 1 s default was too short
      // for a log line from a child process on a loaded runner).
      await vi.waitFor(() => expect(lines()).toHaveLength(2), { timeout: 10_000 });
      const [first, second] = lines();
      expect(first!.req?.correlationId).toBe(id);
      expect(second!.req).not.toHaveProperty('correlationId');
    } finally {
      await b.close();
    }
  });
});
