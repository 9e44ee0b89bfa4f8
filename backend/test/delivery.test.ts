import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage, Transport } from '../src/delivery';
import { DIALECTS, invite, registrationBody, startBackend, GOOD_PASSWORD } from './harness';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

function startSmtp(): Promise<{ server: SMTPServer; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.server.address() as AddressInfo).port, received }),
    ),
  );
}

describe.each(DIALECTS)('delivery (%s)', (dialect) => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let gateway: Server;
  let gatewayUrl: string;
  const sms: { body: Record<string, string>; auth: string | undefined }[] = [];
  beforeAll(async () => {
    smtp = await startSmtp();
    gateway = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        sms.push({ body: JSON.parse(raw) as Record<string, string>, auth: req.headers.authorization });
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
      });
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => smtp.server.close(() => r()));
    await new Promise<void>((r) => gateway.close(() => r()));
  });

  it('sends email through a real SMTP server and SMS through an HTTP gateway; in production the secret data is erased', async () => {
    const b = await startBackend(dialect, {
      env: {
        TECHPASS_TEST_MODE: '',
        TECHPASS_MAIL_TRANSPORT: 'smtp',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        SMTP_FROM: 'TechPass <no-reply@techpass.gov.sg>',
        TECHPASS_SMS_TRANSPORT: 'sms-http',
        SMS_GATEWAY_URL: gatewayUrl,
        SMS_GATEWAY_TOKEN: 'gw-token',
      },
    });
    try {
      expect(b.app.techpass.ctx.config.mode).toBe('production');
      const res = await b.admin('POST', '/v1/admin/invitations', {
        email: 'vendor.dev@acme.example.com',
        businessOperation: 'onshore',
        sponsoringAgency: 'GovTech',
        seedRequested: false,
        passwordDelivery: 'sms',
        inviterEmail: 'pm.lee@tech.gov.sg',
      });
      expect(res.status).toBe(201);
      const run1 = await b.app.techpass.worker.runOnce(b.clock.now());
      expect(run1.sent).toHaveLength(1);
      const mail = smtp.received.find((m) => m.to.includes('vendor.dev@acme.example.com'));
      expect(mail?.from).toBe('no-reply@techpass.gov.sg');
      expect(mail?.raw).toMatch(/Subject: Complete your TechPass registration/);
      const token = /\/register\/([A-Za-z0-9_-]+)/.exec(mail?.raw.replace(/=\r?\n/g, '') ?? '')?.[1];
      expect(token).toBeDefined();
      const reg = await b.call('POST', `/v1/registrations/${token}`, {
        body: registrationBody({ mobile: '+6591234567' }),
      });
      expect(reg.status).toBe(201);
      await b.app.techpass.worker.runOnce(b.clock.now());
      const text = sms.find((s) => (s.body.body ?? '').includes('initial password'));
      expect(text?.body).toMatchObject({ to: '+6591234567', sender: 'gov.sg' });
      expect(text?.auth).toBe('Bearer gw-token');
      const rows = await b.app.techpass.ctx.db.selectFrom('outbox').selectAll().execute();
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
      expect(rows.every((r) => r.data === null)).toBe(true); // secrets gone once delivered
    } finally {
      await b.close();
    }
  });

  it('a transport outage loses nothing: messages wait, are retried with backoff and go out once it recovers', async () => {
    let down = true;
    const delivered: OutboundMessage[] = [];
    const flaky: Transport = {
      name: 'flaky',
      async send(msg) {
        if (down) throw new Error('connection refused');
        delivered.push(msg);
      },
    };
    const b = await startBackend(dialect, { transports: { email: flaky, sms: flaky } });
    try {
      const i = await invite(b, { passwordDelivery: 'sms' });
      expect((await b.call('POST', `/v1/registrations/${i.token}`, { body: registrationBody() })).status).toBe(201);
      const queued = (await b.outbox()).length;
      expect(queued).toBeGreaterThanOrEqual(4);
      const r1 = (await b.call('POST', '/v1/test/jobs/run')).body;
      expect(r1.delivery).toEqual({ sent: 0, failed: queued });
      // Not due again immediately (backoff).
      expect((await b.call('POST', '/v1/test/jobs/run')).body.delivery).toEqual({ sent: 0, failed: 0 });
      await b.advance(120);
      expect((await b.call('POST', '/v1/test/jobs/run')).body.delivery.failed).toBe(queued);
      down = false;
      await b.advance(3600);
      expect((await b.call('POST', '/v1/test/jobs/run')).body.delivery).toEqual({ sent: queued, failed: 0 });
      expect(new Set(delivered.map((m) => m.id)).size).toBe(queued);
      expect(delivered).toHaveLength(queued);
      await b.advance(3600);
      expect((await b.call('POST', '/v1/test/jobs/run')).body.delivery).toEqual({ sent: 0, failed: 0 });
      // In test mode the outbox keeps the data (test outbox / demo inbox).
      expect((await b.outbox()).every((m: { data: unknown }) => m.data && Object.keys(m.data).length > 0)).toBe(true);
    } finally {
      await b.close();
    }
  });

  it('GET /v1/test/outbox lists every message oldest first with bare addresses and template data', async () => {
    const b = await startBackend(dialect);
    try {
      const i = await invite(b, { seedRequested: true, passwordDelivery: 'sms' });
      await b.call('POST', `/v1/registrations/${i.token}`, { body: registrationBody({ mobile: '+6598765432' }) });
      const out = await b.outbox();
      expect(out.map((m: { template: string }) => m.template)).toEqual([
        'N-REG-LINK',
        'N-ONBOARD',
        'N-INITPWD',
        'N-SEED-INVITE',
        'N-REG-RESULT',
      ]);
      for (const m of out) {
        expect(Object.keys(m).sort()).toEqual(
          expect.arrayContaining(['id', 'channel', 'to', 'template', 'body', 'data', 'createdAt']),
        );
        expect(m.to).toMatch(m.channel === 'sms' ? /^\+\d+$/ : /^[^<>\s]+@[^<>\s]+$/);
      }
      expect(out[2].data.password).toEqual(expect.any(String));
      void GOOD_PASSWORD;
    } finally {
      await b.close();
    }
  });
});
