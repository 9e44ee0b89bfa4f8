import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deliveriesTotal } from '../observability/metrics';
import { PermanentDeliveryError, type OutboundMessage, type Transport } from './types';
import { MemoryOutboxStore } from '../../test/support/memory-outbox-store';
import {
  backoffSeconds,
  DEFAULT_BACKOFF,
  OutboxWorker,
  redactedPreview,
  type SentMark,
  type WorkerLogger,
} from './worker';
import { createOutboxOnlyTransport } from './transports';

/** A transport that fails its first `failures` sends, then records every delivery. */
function flaky(failures: number, name = 'flaky'): Transport & { delivered: OutboundMessage[]; calls: number } {
  const t = {
    name,
    delivered: [] as OutboundMessage[],
    calls: 0,
    async send(msg: OutboundMessage) {
      t.calls++;
      if (t.calls <= failures) throw new Error(`gateway down (call ${t.calls})`);
      t.delivered.push(msg);
    },
  };
  return t;
}

const T0 = new Date('2026-06-01T00:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

function seedStore(n: number, channel: 'email' | 'sms' = 'sms') {
  const store = new MemoryOutboxStore();
  for (let i = 1; i <= n; i++) {
    store.enqueue(
      {
        id: `m${i}`,
        channel,
        to: channel === 'sms' ? `+659123456${i}` : `u${i}@acme.com`,
        template: 'N-PHONE-CODE',
        body: `code ${i}`,
        data: { code: `00000${i}` },
      },
      T0,
    );
  }
  return store;
}

describe('backoffSeconds', () => {
  it.each([
    [1, 0, 15],
    [1, 0.999, 29.985],
    [2, 0, 30],
    [3, 0.5, 90],
    [7, 0, 960],
    [8, 0.5, 2880],
    [9, 0, 3600],
    [9, 0.9999, 3600],
    [50, 0.5, 3600],
  ])('attempt %d with random %d → %d s', (attempts, r, expected) => {
    expect(backoffSeconds(attempts, { ...DEFAULT_BACKOFF, random: () => r })).toBeCloseTo(expected, 2);
  });
  it('never shrinks from one attempt to the next, whatever the jitter', () => {
    for (let a = 1; a < 20; a++) {
      const high = backoffSeconds(a, { ...DEFAULT_BACKOFF, random: () => 0.99999 });
      const low = backoffSeconds(a + 1, { ...DEFAULT_BACKOFF, random: () => 0 });
      expect(low).toBeGreaterThanOrEqual(high);
    }
  });
});

describe('OutboxWorker', () => {
  it('delivers due messages through the transport of their channel and marks them sent', async () => {
    const store = seedStore(2, 'sms');
    store.enqueue(
      {
        id: 'e1',
        channel: 'email',
        to: 'a@acme.com',
        template: 'N-DUP-REG',
        subject: 's',
        body: 'b',
        data: { loginId: 'x@techpass.gov.sg' },
      },
      T0,
    );
    const sms = flaky(0, 'sms-http');
    const email = flaky(0, 'smtp');
    const w = new OutboxWorker({ store, transports: { sms, email }, eraseData: false });
    const r = await w.runOnce(T0);
    expect(r.sent.sort()).toEqual(['e1', 'm1', 'm2']);
    expect(sms.delivered.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(email.delivered.map((m) => m.id)).toEqual(['e1']);
    expect(sms.delivered[0]).toEqual({
      id: 'm1',
      channel: 'sms',
      to: '+6591234561',
      template: 'N-PHONE-CODE',
      body: 'code 1',
      data: { code: '000001' },
    });
    expect(store.list().every((m) => m.status === 'sent' && m.sentAt?.getTime() === T0.getTime())).toBe(true);
    expect((await w.runOnce(at(3600))).sent).toEqual([]);
  });

  it('does not send messages that are not yet due', async () => {
    const store = seedStore(1);
    store.enqueue(
      { id: 'later', channel: 'sms', to: '+6591234567', template: 'N-PHONE-CODE', body: 'x', data: {} },
      at(100),
    );
    const t = flaky(0);
    const w = new OutboxWorker({ store, transports: { sms: t }, eraseData: false });
    expect((await w.runOnce(at(50))).sent).toEqual(['m1']);
    expect((await w.runOnce(at(100))).sent).toEqual(['later']);
  });

  it('outage: a transport failing N times then recovering delivers every message exactly once; backoff grows', async () => {
    const store = seedStore(3);
    const t = flaky(9); // three full runs fail for all three messages
    let r = 0.3;
    const w = new OutboxWorker({
      store,
      transports: { sms: t },
      eraseData: false,
      backoff: { baseSeconds: 30, maxSeconds: 3600, random: () => r },
    });
    const delays: number[] = [];
    let now = T0;
    for (let run = 0; run < 3; run++) {
      const res = await w.runOnce(now);
      expect(res.sent).toEqual([]);
      expect(res.failed).toHaveLength(3);
      const m1 = res.failed.find((f) => f.id === 'm1')!;
      expect(m1.attempts).toBe(run + 1);
      delays.push((m1.nextAttemptAt!.getTime() - now.getTime()) / 1000);
      // Nothing is due before the backoff elapses.
      expect((await w.runOnce(new Date(m1.nextAttemptAt!.getTime() - 1000))).failed).toEqual([]);
      now = new Date(Math.max(...res.failed.map((f) => f.nextAttemptAt!.getTime())));
      r = 0.9; // more jitter later must still not shrink the delay
    }
    expect(delays[0]).toBeCloseTo(19.5);
    expect(delays[1]!).toBeGreaterThan(delays[0]!);
    expect(delays[2]!).toBeGreaterThan(delays[1]!);
    expect(store.list().map((m) => [m.status, m.attempts, m.lastError])).toEqual([
      ['pending', 3, 'flaky: gateway down (call 7)'],
      ['pending', 3, 'flaky: gateway down (call 8)'],
      ['pending', 3, 'flaky: gateway down (call 9)'],
    ]);
    const res = await w.runOnce(now);
    expect(res.sent).toEqual(['m1', 'm2', 'm3']);
    expect(t.delivered.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    for (let i = 1; i <= 5; i++) await w.runOnce(at(86_400 * i));
    expect(t.delivered).toHaveLength(3);
    expect(t.calls).toBe(12);
  });

  it('caps the backoff at maxSeconds', async () => {
    const store = seedStore(1);
    const w = new OutboxWorker({
      store,
      transports: { sms: flaky(100) },
      eraseData: false,
      backoff: { baseSeconds: 60, maxSeconds: 300, random: () => 0.99 },
    });
    let now = T0;
    let last = 0;
    for (let i = 0; i < 8; i++) {
      const f = (await w.runOnce(now)).failed[0]!;
      last = (f.nextAttemptAt!.getTime() - now.getTime()) / 1000;
      expect(last).toBeLessThanOrEqual(300);
      now = f.nextAttemptAt!;
    }
    expect(last).toBeGreaterThan(290);
    expect(store.get('m1')!.status).toBe('pending');
  });

  it('keeps rows pending when the channel has no transport', async () => {
    const store = seedStore(1);
    const w = new OutboxWorker({ store, transports: {}, eraseData: true });
    const r = await w.runOnce(T0);
    expect(r.failed[0]!.error).toMatch(/No sms transport/);
    expect(store.get('m1')!.status).toBe('pending');
  });

  it('gives up on a PermanentDeliveryError and after maxAttempts', async () => {
    const store = seedStore(2);
    const perm: Transport = {
      name: 'p',
      async send(m) {
        if (m.id === 'm1') throw new PermanentDeliveryError('number barred', 'p');
        throw new Error('flap');
      },
    };
    const w = new OutboxWorker({
      store,
      transports: { sms: perm },
      eraseData: false,
      maxAttempts: 2,
      backoff: { random: () => 0 },
    });
    const r1 = await w.runOnce(T0);
    expect(r1.failed.find((f) => f.id === 'm1')).toMatchObject({ nextAttemptAt: null, outcome: 'rejected' });
    expect(store.get('m1')!.status).toBe('rejected');
    expect(r1.failed.find((f) => f.id === 'm2')!.outcome).toBe('retrying');
    await w.runOnce(at(3600));
    expect(store.get('m2')!.status).toBe('failed');
    expect(store.get('m2')!.attempts).toBe(2);
  });

  it('counts every attempt in the delivery metrics by channel, outcome and country calling code', async () => {
    const count = async (labels: Record<string, string>) =>
      (await deliveriesTotal.get()).values.find((v) =>
        Object.entries(labels).every(([k, x]) => v.labels[k as keyof typeof v.labels] === x),
      )?.value ?? 0;
    const before = {
      sent: await count({ channel: 'sms', outcome: 'sent', country_code: '86' }),
      rejected: await count({ channel: 'sms', outcome: 'rejected', country_code: '86' }),
    };
    const store = new MemoryOutboxStore();
    store.enqueue(
      { id: 'cn-ok', channel: 'sms', to: '+8613800000001', template: 'N-PHONE-CODE', body: 'x', data: {} },
      T0,
    );
    store.enqueue(
      { id: 'cn-barred', channel: 'sms', to: '+8613800000002', template: 'N-PHONE-CODE', body: 'x', data: {} },
      T0,
    );
    const gateway: Transport = {
      name: 'gw',
      async send(m) {
        if (m.id === 'cn-barred') throw new PermanentDeliveryError('number barred', 'gw', 422);
      },
    };
    await new OutboxWorker({ store, transports: { sms: gateway }, eraseData: false }).runOnce(T0);
    expect(await count({ channel: 'sms', outcome: 'sent', country_code: '86' })).toBe(before.sent + 1);
    expect(await count({ channel: 'sms', outcome: 'rejected', country_code: '86' })).toBe(before.rejected + 1);
  });

  it('erases template data after delivery when eraseData (production), keeps it otherwise', async () => {
    const prod = seedStore(1);
    await new OutboxWorker({ store: prod, transports: { sms: flaky(0) }, eraseData: true }).runOnce(T0);
    expect(prod.get('m1')!.data).toEqual({});
    expect(prod.get('m1')!.status).toBe('sent');

    const test = seedStore(1);
    await new OutboxWorker({ store: test, transports: { sms: flaky(0) }, eraseData: false }).runOnce(T0);
    expect(test.get('m1')!.data).toEqual({ code: '000001' });
  });

  it('never erases data delivered by the outbox-only transport (the outbox is the inbox)', async () => {
    const store = seedStore(1);
    await new OutboxWorker({ store, transports: { sms: createOutboxOnlyTransport() }, eraseData: true }).runOnce(T0);
    expect(store.get('m1')!.status).toBe('sent');
    expect(store.get('m1')!.data).toEqual({ code: '000001' });
  });

  it('does not erase data of a failed attempt', async () => {
    const store = seedStore(1);
    await new OutboxWorker({ store, transports: { sms: flaky(1) }, eraseData: true }).runOnce(T0);
    expect(store.get('m1')!.data).toEqual({ code: '000001' });
  });

  it('processes more rows than one batch in one run', async () => {
    const store = seedStore(7);
    const t = flaky(0);
    const r = await new OutboxWorker({ store, transports: { sms: t }, eraseData: false, batchSize: 3 }).runOnce(T0);
    expect(r.sent).toHaveLength(7);
  });

  it('marks delivered rows in groups, every one of them before the run returns', async () => {
    const store = seedStore(12);
    const groups: string[][] = [];
    const grouped = Object.assign(store, {
      markSent: async (marks: readonly SentMark[]) => {
        groups.push(marks.map((m) => m.id));
        await MemoryOutboxStore.prototype.markSent.call(store, marks);
      },
    });
    const t = flaky(0);
    const r = await new OutboxWorker({
      store: grouped,
      transports: { sms: t },
      eraseData: false,
      batchSize: 4,
      concurrency: 4,
    }).runOnce(T0);
    expect([...r.sent].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `m${i + 1}`).sort());
    for (let i = 1; i <= 12; i++) expect(store.get(`m${i}`)!.status).toBe('sent');
    // Fewer writes than messages, and no group larger than a batch.
    expect(groups.length).toBeLessThan(12);
    expect(Math.max(...groups.map((g) => g.length))).toBeLessThanOrEqual(4);
    expect(groups.flat().sort()).toEqual([...r.sent].sort());
  });

  it('a failed write of sent marks stops the run and rejects it; nothing is reported sent that was not marked', async () => {
    const store = seedStore(20);
    let writes = 0;
    const failing = Object.assign(store, {
      markSent: async () => {
        writes++;
        throw new Error('disk I/O error');
      },
    });
    const t = flaky(0);
    const w = new OutboxWorker({
      store: failing,
      transports: { sms: t },
      eraseData: false,
      batchSize: 2,
      concurrency: 2,
    });
    await expect(w.runOnce(T0)).rejects.toThrow('disk I/O error');
    // The senders stopped soon after the first failed write instead of sending the whole queue unmarked.
    expect(t.delivered.length).toBeLessThan(20);
    expect(writes).toBeGreaterThan(0);
    for (let i = 1; i <= 20; i++) expect(store.get(`m${i}`)!.status).not.toBe('sent');
  });

  it('logs without the message body or data', async () => {
    const lines: string[] = [];
    const logger: WorkerLogger = {
      info: (o, m) => lines.push(JSON.stringify([o, m])),
      warn: (o, m) => lines.push(JSON.stringify([o, m])),
      error: (o, m) => lines.push(JSON.stringify([o, m])),
    };
    const store = seedStore(1);
    const w = new OutboxWorker({
      store,
      transports: { sms: flaky(1) },
      eraseData: false,
      logger,
      backoff: { random: () => 0 },
    });
    await w.runOnce(T0);
    await w.runOnce(at(3600));
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toMatch(/000001|code 1/);
    expect(lines[1]).toContain('message delivered');
  });

  it('start/stop: runs on an interval with the injected clock and never overlaps runs', async () => {
    const store = seedStore(2);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inFlight = 0;
    let maxInFlight = 0;
    const slow: Transport = {
      name: 'slow',
      async send() {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await gate;
        inFlight--;
      },
    };
    const w = new OutboxWorker({ store, transports: { sms: slow }, eraseData: false, now: () => T0 });
    const first = w.tick();
    expect(await w.tick()).toBeUndefined(); // a second tick while the first runs is skipped
    release();
    expect((await first)!.sent).toEqual(['m1', 'm2']);
    expect(maxInFlight).toBe(1);

    store.enqueue({ id: 'm3', channel: 'sms', to: '+6591234569', template: 'N-PHONE-CODE', body: 'x', data: {} }, T0);
    const delivered = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (store.get('m3')!.status === 'sent') {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    w.start(10);
    await delivered;
    await w.stop();
    expect(store.get('m3')!.sentAt).toEqual(T0);
  });

  it('tick logs and survives a store failure', async () => {
    const errors: string[] = [];
    const w = new OutboxWorker({
      store: {
        claimDue: async () => Promise.reject(new Error('database is locked')),
        markSent: async () => {},
        markFailed: async () => {},
      },
      transports: {},
      eraseData: true,
      logger: { info() {}, warn() {}, error: (o) => errors.push(JSON.stringify(o)) },
    });
    await expect(w.tick()).resolves.toBeUndefined();
    expect(errors[0]).toContain('database is locked');
  });
});

describe('no message lost or duplicated (property)', () => {
  it('any pattern of transport failures, then recovery: each message is delivered exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 15 }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        async (n, failPattern, r) => {
          const store = seedStore(n);
          let call = 0;
          const delivered: string[] = [];
          const t: Transport = {
            name: 'random',
            async send(m) {
              const fail = failPattern[call++] ?? false;
              if (fail) throw new Error('down');
              delivered.push(m.id);
            },
          };
          const w = new OutboxWorker({
            store,
            transports: { sms: t },
            eraseData: true,
            batchSize: 4,
            backoff: { baseSeconds: 5, maxSeconds: 60, random: () => r },
          });
          let now = T0;
          for (let run = 0; run < failPattern.length + n + 2; run++) {
            await w.runOnce(now);
            now = new Date(now.getTime() + 60_000);
          }
          expect([...delivered].sort()).toEqual(
            store
              .list()
              .map((m) => m.id)
              .sort(),
          );
          expect(store.list().every((m) => m.status === 'sent' && Object.keys(m.data).length === 0)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('secrets after delivery', () => {
  it('redactedPreview replaces every secret variable, plain and URL-encoded, and keeps the rest of the text', () => {
    const token = 'AbC+12/xyz_-';
    const body = `Open https://x.example/register/${token} or techpass-onboarding://register?token=${encodeURIComponent(token)} by Friday.`;
    const preview = redactedPreview({
      template: 'N-REG-LINK',
      body,
      data: { token, registrationUrl: `https://x.example/register/${token}` },
    });
    expect(preview).toBe(
      'Open https://x.example/register/[redacted] or techpass-onboarding://register?token=[redacted] by Friday.',
    );
    expect(
      redactedPreview({
        template: 'N-PHONE-CODE',
        body: '913370 is your TechPass verification code.',
        data: { code: '913370' },
      }),
    ).toBe('[redacted] is your TechPass verification code.');
    expect(redactedPreview({ template: 'N-UNKNOWN', body: 'secret 1234', data: { x: '1234' } })).not.toContain('1234');
  });
  it('erases data and body of a delivered message; keeps both while it is pending', async () => {
    const store = seedStore(1);
    const fail: Transport = { name: 'down', send: async () => Promise.reject(new Error('down')) };
    await new OutboxWorker({ store, transports: { sms: fail }, eraseData: true, backoff: { random: () => 0 } }).runOnce(
      T0,
    );
    expect(store.get('m1')!.body).toBe('code 1');
    await new OutboxWorker({ store, transports: { sms: flaky(0) }, eraseData: true }).runOnce(at(3600));
    expect(store.get('m1')!.data).toEqual({});
  });
  it('purges delivered rows older than the retention in bounded batches per run', async () => {
    const store = seedStore(7);
    const w = new OutboxWorker({
      store,
      transports: { sms: flaky(0) },
      eraseData: true,
      retention: { sentSeconds: 3600, batchSize: 2, maxBatches: 2 },
    });
    expect((await w.runOnce(T0)).purged).toBe(0);
    expect((await w.runOnce(at(3599))).purged).toBe(0);
    expect((await w.runOnce(at(3601))).purged).toBe(4);
    expect((await w.runOnce(at(3602))).purged).toBe(3);
    expect(store.list()).toHaveLength(0);
  });
});
