import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxOnlyTransport, createSmsHttpTransport, createSmtpTransport } from './transports';
import { DEFAULT_MESSAGES_PER_CONNECTION, DeliveryError, PermanentDeliveryError, type OutboundMessage } from './types';
import { loadConfig } from '../config';
import { MemoryOutboxStore } from '../../test/support/memory-outbox-store';
import { OutboxWorker } from './worker';

interface Received {
  from: string;
  to: string[];
  user: string | undefined;
  raw: string;
}

/** Decodes the quoted-printable soft breaks and escapes nodemailer may use for long lines. */
function decodeQp(s: string): string {
  return s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** A real SMTP server on 127.0.0.1:0 that records every accepted mail; `failNext` rejects that many recipients with `rejectCode`. */
async function startSmtp(opts: { auth?: { user: string; pass: string } } = {}) {
  const received: Received[] = [];
  // mailFromReply / dataReply: answer MAIL FROM / the end of DATA with this reply instead of accepting.
  const state = {
    failNext: 0,
    rejected: 0,
    rejectCode: 451,
    mailFromReply: undefined as { code: number; text: string } | undefined,
    dataReply: undefined as { code: number; text: string } | undefined,
  };
  const server = new SMTPServer({
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass)
        cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onMailFrom(_address, _session, cb) {
      const reply = state.mailFromReply;
      if (reply) {
        cb(Object.assign(new Error(reply.text), { responseCode: reply.code }));
        return;
      }
      cb();
    },
    onRcptTo(_address, _session, cb) {
      if (state.failNext > 0) {
        state.failNext--;
        state.rejected++;
        const err = new Error(
          state.rejectCode >= 500 ? 'No such user here' : 'Mailbox temporarily unavailable',
        ) as Error & { responseCode: number };
        err.responseCode = state.rejectCode;
        cb(err);
        return;
      }
      cb();
    },
    onData(stream, session: SMTPServerSession, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const reply = state.dataReply;
        if (reply) {
          cb(Object.assign(new Error(reply.text), { responseCode: reply.code }));
          return;
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: decodeQp(Buffer.concat(chunks).toString('utf8')),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { server, port, received, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const mail: OutboundMessage = {
  id: 'msg-0001',
  channel: 'email',
  to: 'jane@acme.com',
  template: 'N-ONBOARD',
  subject: 'Your TechPass account is ready',
  body: 'Username: jane.tan\nLog in with this username, not with your email address.',
  data: { username: 'jane.tan' },
};

describe('SMTP transport (real SMTP server)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp.close();
  });
  afterEach(() => {
    smtp.received.length = 0;
    smtp.state.failNext = 0;
    smtp.state.rejected = 0;
  });

  it('delivers a mail with envelope, subject, Message-ID from the outbox id, and the body', async () => {
    const t = createSmtpTransport({
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      from: 'TechPass <no-reply@techpass.gov.sg>',
    });
    await t.send(mail);
    t.close();
    expect(smtp.received).toHaveLength(1);
    const m = smtp.received[0]!;
    expect(m.from).toBe('no-reply@techpass.gov.sg');
    expect(m.to).toEqual(['jane@acme.com']);
    expect(m.raw).toMatch(/^Subject: Your TechPass account is ready\r?$/m);
    expect(m.raw).toMatch(/^Message-ID: <msg-0001@techpass\.gov\.sg>\r?$/im);
    expect(m.raw).toMatch(/^X-TechPass-Template: N-ONBOARD\r?$/im);
    expect(m.raw).toContain('Username: jane.tan');
    expect(m.raw).toContain('not with your email address.');
  });

  it('fails with a DeliveryError carrying the SMTP reply code when the server rejects', async () => {
    smtp.state.failNext = 1;
    const t = createSmtpTransport({
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      from: 'no-reply@techpass.gov.sg',
    });
    const err = await t.send(mail).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.close();
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).not.toBeInstanceOf(PermanentDeliveryError);
    expect((err as DeliveryError).status).toBe(451);
    expect((err as DeliveryError).message).not.toContain('jane.tan');
    expect(smtp.received).toHaveLength(0);
  });

  it('a 5xx reply to the recipient is a permanent rejection (the worker marks the message rejected, never retried)', async () => {
    smtp.state.failNext = 1;
    smtp.state.rejectCode = 550;
    const t = createSmtpTransport({
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      from: 'no-reply@techpass.gov.sg',
    });
    try {
      const store = new MemoryOutboxStore();
      store.enqueue({ ...mail, id: 'bounce-1' }, new Date(0));
      const r = await new OutboxWorker({ store, transports: { email: t }, eraseData: false }).runOnce(new Date(1000));
      expect(r.failed).toEqual([expect.objectContaining({ id: 'bounce-1', outcome: 'rejected', nextAttemptAt: null })]);
      expect(store.get('bounce-1')).toMatchObject({ status: 'rejected', attempts: 1 });
      expect(store.get('bounce-1')!.lastError).toMatch(/^SMTP delivery failed \(EENVELOPE 550\)/);
      expect(store.get('bounce-1')!.lastError).not.toContain('jane.tan');
    } finally {
      t.close();
      smtp.state.rejectCode = 451;
    }
  });

  it('a 5xx reply to the sender (STARTTLS or authentication required, sender refused) is our configuration: retried; a 5xx to the message is final', async () => {
    const send = async () => {
      const t = createSmtpTransport({
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        from: 'no-reply@techpass.gov.sg',
      });
      try {
        return await t.send(mail).then(
          () => undefined,
          (e: unknown) => e,
        );
      } finally {
        t.close();
      }
    };
    try {
      for (const reply of [
        { code: 530, text: '5.7.0 Must issue a STARTTLS command first' },
        { code: 530, text: '5.7.0 Authentication required' },
        { code: 550, text: '5.7.1 Client does not have permissions to send as this sender' },
        { code: 553, text: '5.7.1 Sender address rejected: not owned by user' },
      ]) {
        smtp.state.mailFromReply = reply;
        const err = await send();
        expect(err, reply.text).toBeInstanceOf(DeliveryError);
        expect(err, reply.text).not.toBeInstanceOf(PermanentDeliveryError);
        expect((err as DeliveryError).status).toBe(reply.code);
      }
      smtp.state.mailFromReply = undefined;
      smtp.state.dataReply = { code: 554, text: '5.6.0 Message content rejected' };
      expect(await send()).toBeInstanceOf(PermanentDeliveryError);
      smtp.state.dataReply = undefined;
      smtp.state.failNext = 1;
      smtp.state.rejectCode = 530;
      const rcpt530 = await send();
      expect(rcpt530).toBeInstanceOf(DeliveryError);
      expect(rcpt530, 'a 530 to RCPT TO asks for authentication, it does not refuse the recipient').not.toBeInstanceOf(
        PermanentDeliveryError,
      );
      for (const code of [550, 551, 553, 554]) {
        smtp.state.failNext = 1;
        smtp.state.rejectCode = code;
        expect(await send(), String(code)).toBeInstanceOf(PermanentDeliveryError);
      }
    } finally {
      smtp.state.mailFromReply = undefined;
      smtp.state.dataReply = undefined;
      smtp.state.rejectCode = 451;
    }
  });

  it('fails when nothing listens (connection refused)', async () => {
    const closed = await startSmtp();
    const port = closed.port;
    await closed.close();
    const t = createSmtpTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      from: 'no-reply@techpass.gov.sg',
      timeoutMs: 2000,
    });
    await expect(t.send(mail)).rejects.toThrow(/SMTP delivery failed.*ECONNREFUSED/);
    t.close();
  });

  it('authenticates when the server requires it', async () => {
    const authed = await startSmtp({ auth: { user: 'relay', pass: 's3cret' } });
    try {
      const good = createSmtpTransport({
        host: '127.0.0.1',
        port: authed.port,
        secure: false,
        auth: { user: 'relay', pass: 's3cret' },
        from: 'a@techpass.gov.sg',
      });
      await good.send(mail);
      good.close();
      expect(authed.received.map((r) => r.user)).toEqual(['relay']);
      const bad = createSmtpTransport({
        host: '127.0.0.1',
        port: authed.port,
        secure: false,
        auth: { user: 'relay', pass: 'wrong' },
        from: 'a@techpass.gov.sg',
      });
      await expect(bad.send(mail)).rejects.toBeInstanceOf(DeliveryError);
      bad.close();
      expect(authed.received).toHaveLength(1);
    } finally {
      await authed.close();
    }
  });

  it('refuses an SMS message', async () => {
    const t = createSmtpTransport({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'a@techpass.gov.sg' });
    await expect(t.send({ ...mail, channel: 'sms', to: '+6591234567' })).rejects.toThrow(/cannot send sms/);
    t.close();
  });

  it('outage: the server rejects the first attempts; the worker delivers every mail exactly once after it recovers', async () => {
    const store = new MemoryOutboxStore();
    const t0 = new Date('2026-06-01T00:00:00Z');
    for (let i = 1; i <= 5; i++) {
      store.enqueue(
        {
          channel: 'email',
          to: `user${i}@acme.com`,
          template: 'N-ONBOARD',
          subject: `s${i}`,
          body: `body ${i}`,
          data: { username: `u${i}` },
        },
        t0,
      );
    }
    const transport = createSmtpTransport({
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      from: 'no-reply@techpass.gov.sg',
    });
    const worker = new OutboxWorker({
      store,
      transports: { email: transport },
      eraseData: true,
      backoff: { baseSeconds: 10, maxSeconds: 600, random: () => 0.5 },
    });
    // Down for the first two runs of all five messages.
    smtp.state.failNext = 10;
    let now = t0;
    const r1 = await worker.runOnce(now);
    expect(r1.failed).toHaveLength(5);
    now = new Date(now.getTime() + 3600_000);
    const r2 = await worker.runOnce(now);
    expect(r2.failed).toHaveLength(5);
    expect(smtp.received).toHaveLength(0);
    now = new Date(now.getTime() + 3600_000);
    const r3 = await worker.runOnce(now);
    expect(r3.sent).toHaveLength(5);
    // Later runs send nothing more.
    now = new Date(now.getTime() + 3600_000);
    expect((await worker.runOnce(now)).sent).toHaveLength(0);
    transport.close();
    expect(smtp.state.rejected).toBe(10);
    expect(smtp.received.map((r) => r.to[0]).sort()).toEqual([
      'user1@acme.com',
      'user2@acme.com',
      'user3@acme.com',
      'user4@acme.com',
      'user5@acme.com',
    ]);
    expect(store.list().every((r) => r.status === 'sent' && r.attempts === 2 && Object.keys(r.data).length === 0)).toBe(
      true,
    );
  });
});

/** A local SMTP sink that counts connections (open at once, and in all) and the messages of each session. */
async function countingSink() {
  const counts = { open: 0, peak: 0, connections: 0, received: 0, perSession: new Map<string, number>() };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onConnect(_session, cb) {
      counts.connections++;
      counts.peak = Math.max(counts.peak, ++counts.open);
      cb();
    },
    onClose() {
      counts.open--;
    },
    onData(stream, session, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        counts.received++;
        counts.perSession.set(session.id, (counts.perSession.get(session.id) ?? 0) + 1);
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    counts,
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `count` emails due now in an in-memory outbox. */
function queuedEmails(count: number) {
  const store = new MemoryOutboxStore();
  const t0 = new Date('2026-06-02T00:00:00Z');
  for (let i = 0; i < count; i++)
    store.enqueue(
      { channel: 'email', to: `p${i}@acme.com`, template: 'N-ONBOARD', subject: 's', body: `b${i}`, data: {} },
      t0,
    );
  return { store, t0 };
}

/** The SMTP transport's options for the local sink (plain connection, no login). */
const sinkAt = (port: number) => ({ host: '127.0.0.1', port, secure: false, from: 'no-reply@techpass.gov.sg' });

describe('SMTP transport: pooled, bounded and rate-limited by configuration', () => {
  it('reuses at most maxConnections connections for a burst, and the configured messages per second set the pace', async () => {
    const sink = await countingSink();
    const { port, counts } = sink;
    try {
      const { store, t0 } = queuedEmails(12);
      const transport = createSmtpTransport({
        ...sinkAt(port),
        maxConnections: 2,
        rateLimitPerSecond: 6,
      });
      const started = performance.now();
      // Far more in flight than connections: the pool queues them instead of opening one connection per message.
      const r = await new OutboxWorker({
        store,
        transports: { email: transport },
        eraseData: false,
        concurrency: 8,
      }).runOnce(t0);
      const seconds = (performance.now() - started) / 1000;
      transport.close();
      expect(r.sent).toHaveLength(12);
      expect(counts.received).toBe(12);
      expect(counts.connections).toBeLessThanOrEqual(2);
      expect(counts.peak).toBeLessThanOrEqual(2);
      // 12 messages at 6 per second: the second window of six starts a second after the first.
      expect(seconds).toBeGreaterThanOrEqual(0.9);
    } finally {
      await sink.close();
    }
  });
});

describe('SMTP transport: messages per connection', () => {
  it('replaces a connection after SMTP_MAX_MESSAGES_PER_CONNECTION messages, never sending more on one, and loses none', async () => {
    const sink = await countingSink();
    const { port, counts } = sink;
    try {
      const { store, t0 } = queuedEmails(10);
      const transport = createSmtpTransport({
        ...sinkAt(port),
        maxConnections: 1,
        maxMessagesPerConnection: 3,
      });
      const r = await new OutboxWorker({
        store,
        transports: { email: transport },
        eraseData: false,
        concurrency: 4,
      }).runOnce(t0);
      transport.close();
      expect(r.failed).toEqual([]);
      expect(r.sent).toHaveLength(10);
      // 10 messages at 3 per connection: 3 + 3 + 3 + 1.
      expect([...counts.perSession.values()].sort((a, b) => a - b)).toEqual([1, 3, 3, 3]);
      expect(counts.connections).toBe(4);
    } finally {
      await sink.close();
    }
  });

  it('takes the cap from SMTP_MAX_MESSAGES_PER_CONNECTION (default 1000) and refuses a value that is not a positive whole number', () => {
    const base = { TECHPASS_TEST_MODE: '1', ADMIN_API_KEY: 'k'.repeat(40) };
    expect(loadConfig(base).smtp.maxMessagesPerConnection).toBe(DEFAULT_MESSAGES_PER_CONNECTION);
    expect(DEFAULT_MESSAGES_PER_CONNECTION).toBe(1000);
    expect(loadConfig({ ...base, SMTP_MAX_MESSAGES_PER_CONNECTION: '20' }).smtp.maxMessagesPerConnection).toBe(20);
    for (const bad of ['0', '-5', '2.5', 'many'])
      expect(() => loadConfig({ ...base, SMTP_MAX_MESSAGES_PER_CONNECTION: bad }), bad).toThrow(
        /SMTP_MAX_MESSAGES_PER_CONNECTION/,
      );
  });
});

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function startHttp(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  return {
    url,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const sms: OutboundMessage = {
  id: 'msg-sms-1',
  channel: 'sms',
  to: '+6591234567',
  template: 'N-PHONE-CODE',
  body: '123456 is your TechPass verification code.',
  data: { code: '123456' },
};

describe('SMS HTTP transport (local gateway)', () => {
  it('POSTs { to, sender, body, reference } as JSON with the bearer key', async () => {
    const gw = await startHttp((_req, res) => {
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"queued":true}');
    });
    try {
      const t = createSmsHttpTransport({ url: gw.url, apiKey: 'gw-key', sender: 'gov.sg' });
      await t.send(sms);
      expect(gw.requests).toHaveLength(1);
      const r = gw.requests[0]!;
      expect(r.method).toBe('POST');
      expect(r.url).toBe('/sms');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers.authorization).toBe('Bearer gw-key');
      expect(r.headers['idempotency-key']).toBe('msg-sms-1');
      expect(JSON.parse(r.body)).toEqual({
        to: '+6591234567',
        sender: 'gov.sg',
        body: sms.body,
        reference: 'msg-sms-1',
      });
    } finally {
      await gw.close();
    }
  });

  it.each([401, 403, 408, 429, 500, 503])(
    'treats HTTP %d as a failure to retry without echoing the gateway body',
    async (status) => {
      const gw = await startHttp((_req, res, body) => {
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'nope', echo: body }));
      });
      try {
        const t = createSmsHttpTransport({ url: gw.url });
        const err = (await t.send(sms).catch((e: unknown) => e)) as DeliveryError;
        expect(err).toBeInstanceOf(DeliveryError);
        expect(err.status).toBe(status);
        expect(err.message).toBe(`SMS gateway answered HTTP ${status}`);
        expect(gw.requests[0]!.headers.authorization).toBeUndefined();
      } finally {
        await gw.close();
      }
    },
  );

  it.each([400, 404, 410, 422])(
    'treats HTTP %d as a permanent refusal of the message (not retried), without echoing the body',
    async (status) => {
      const gw = await startHttp((_req, res, body) => {
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'barred', echo: body }));
      });
      try {
        const err = (await createSmsHttpTransport({ url: gw.url })
          .send(sms)
          .catch((e: unknown) => e)) as DeliveryError;
        expect(err).toBeInstanceOf(PermanentDeliveryError);
        expect(err.status).toBe(status);
        expect(err.message).toBe(`SMS gateway refused the message (HTTP ${status})`);
        expect(err.message).not.toContain('123456');
      } finally {
        await gw.close();
      }
    },
  );

  it('fails on a timeout and on connection refused', async () => {
    const gw = await startHttp(() => {
      /* never answers */
    });
    try {
      const t = createSmsHttpTransport({ url: gw.url, timeoutMs: 150 });
      await expect(t.send(sms)).rejects.toThrow(/no answer within 150 ms/);
    } finally {
      await gw.close();
    }
    const t2 = createSmsHttpTransport({ url: gw.url, timeoutMs: 2000 });
    await expect(t2.send(sms)).rejects.toThrow(/SMS gateway unreachable: ECONNREFUSED/);
  });

  it('refuses a number that is not E.164 and an email message, without calling the gateway', async () => {
    const calls: unknown[] = [];
    const t = createSmsHttpTransport({
      url: 'http://127.0.0.1:9/sms',
      fetchImpl: async (...a: unknown[]) => {
        calls.push(a);
        return new Response(null);
      },
    });
    await expect(t.send({ ...sms, to: '91234567' })).rejects.toThrow(/E\.164/);
    await expect(t.send({ ...sms, channel: 'email' })).rejects.toThrow(/cannot send email/);
    expect(calls).toHaveLength(0);
  });
});

describe('outbox-only transport', () => {
  it('succeeds without sending and keeps data', async () => {
    const t = createOutboxOnlyTransport();
    expect(t.name).toBe('outbox');
    expect(t.retainsData).toBe(true);
    await expect(t.send(sms)).resolves.toBeUndefined();
  });
});
