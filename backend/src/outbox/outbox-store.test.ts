import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPgDatabase, DIALECTS } from '../../test/harness';
import { migrate, openDatabase, type Database } from '../db/connect';
import { OutboxWorker, type OutboundMessage, type Transport } from '../delivery';
import { DbOutboxStore, enqueue, enqueueMany } from './outbox-store';
import { listDeliveries } from './deliveries';

describe.each(DIALECTS)('DbOutboxStore (%s)', (dialect) => {
  let database: Database;
  let url: string | undefined;
  let dir: string;
  let cleanup: () => Promise<void>;
  const now = new Date('2026-12-01T00:00:00Z');
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tp-outbox-'));
    let drop: () => Promise<void> = async () => undefined;
    if (dialect === 'postgres') {
      const fresh = await freshPgDatabase();
      url = fresh.url;
      drop = fresh.drop;
    }
    database = openDatabase({ databaseUrl: url, dataDir: dir });
    await migrate(database.db);
    await migrate(database.db); // idempotent
    cleanup = async () => {
      await database.close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    };
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('two replicas claiming at once never get the same row; leases expire; sent rows are never claimed again', async () => {
    for (let k = 0; k < 12; k++) {
      await enqueue(database.db, now, {
        channel: 'sms',
        to: '+6591234567',
        template: 'N-PHONE-CODE',
        data: { code: String(100000 + k) },
        locale: 'en',
      });
    }
    const a = new DbOutboxStore(database.db);
    const b = new DbOutboxStore(database.db);
    const [ra, rb] = await Promise.all([a.claimDue(now, 8), b.claimDue(now, 8)]);
    const ids = [...ra, ...rb].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(12);
    expect(ra[0]?.body).toMatch(/^\d{6} is your TechPass verification code/);
    // Leased: nothing more now; after the lease (60 s) unsent rows are claimable again.
    expect(await a.claimDue(now, 50)).toEqual([]);
    await a.markSent(ra.map((r) => ({ id: r.id, sentAt: now, eraseData: true })));
    const later = new Date(now.getTime() + 61_000);
    const again = await b.claimDue(later, 50);
    expect(again.map((r) => r.id).sort()).toEqual(rb.map((r) => r.id).sort());
    const rows = await database.db.selectFrom('outbox').selectAll().where('status', '=', 'sent').execute();
    expect(rows).toHaveLength(ra.length);
    expect(rows.every((r) => r.data === null && r.sent_at === now.toISOString())).toBe(true);
  });

  it('50 parallel enqueues, each in its own transaction, get 50 distinct sequence numbers; the database refuses a repeated one', async () => {
    const tag = `burst-${Date.now()}`;
    const ids = await Promise.all(
      Array.from({ length: 50 }, (_, k) =>
        database.db.transaction().execute(async (tx) => {
          const id = await enqueue(tx, now, {
            channel: 'email',
            to: `${tag}.${k}@example.com`,
            template: 'N-ONBOARD',
            data: { username: `u${k}`, loginId: `u${k}@techpass.gov.sg`, activateBy: now.toISOString() },
            locale: 'en',
          });
          // Commit after the others read where the sequence stood.
          await new Promise((resolve) => setTimeout(resolve, 5));
          return id;
        }),
      ),
    );
    const rows = await database.db.selectFrom('outbox').select(['id', 'seq']).where('id', 'in', ids).execute();
    expect(rows).toHaveLength(50);
    expect(new Set(rows.map((r) => Number(r.seq))).size).toBe(50);
    const taken = Number(rows[0]!.seq);
    const copy = await database.db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', rows[0]!.id)
      .executeTakeFirstOrThrow();
    await expect(
      database.db
        .insertInto('outbox')
        .values({ ...copy, id: `${tag}-copy`, seq: taken })
        .execute(),
    ).rejects.toThrow(/unique|UNIQUE/);
  });

  it('markFailed keeps a row pending until its next attempt, or fails it for good', async () => {
    const store = new DbOutboxStore(database.db);
    const t0 = new Date('2026-12-02T00:00:00Z');
    const id = await enqueue(database.db, t0, {
      channel: 'email',
      to: 'a@vendor.example.com',
      template: 'N-DUP-REG',
      data: { loginId: 'jane@techpass.gov.sg' },
      locale: 'en',
    });
    const [row] = (await store.claimDue(t0, 100)).filter((r) => r.id === id);
    expect(row?.attempts).toBe(0);
    await store.markFailed(id, 1, new Date(t0.getTime() + 30_000), 'smtp: connection refused');
    expect((await store.claimDue(new Date(t0.getTime() + 10_000), 100)).some((r) => r.id === id)).toBe(false);
    const retry = (await store.claimDue(new Date(t0.getTime() + 31_000), 100)).find((r) => r.id === id);
    expect(retry?.attempts).toBe(1);
    await store.markFailed(id, 2, null, 'permanent');
    expect((await store.claimDue(new Date(t0.getTime() + 86_400_000), 100)).some((r) => r.id === id)).toBe(false);
    const list = await store.list();
    expect(list.find((m) => m.id === id)).toMatchObject({
      status: 'failed',
      to: 'a@vendor.example.com',
      template: 'N-DUP-REG',
    });
  });

  it('two workers on their own connections, in parallel, send every message exactly once (batched claims)', async () => {
    const t0 = new Date('2026-12-03T00:00:00Z');
    const N = 300;
    const msgs = Array.from({ length: N }, (_, i) => ({
      channel: 'email' as const,
      to: `p${i}@vendor.example.com`,
      template: 'N-DUP-REG',
      data: { loginId: `p${i}@techpass.gov.sg` },
      locale: 'en' as const,
    }));
    const queued = new Set(await database.db.transaction().execute((tx) => enqueueMany(tx, t0, msgs)));
    // A second connection pool (PostgreSQL) or database handle (SQLite) over the same data: a second replica.
    const other = openDatabase({ databaseUrl: url, dataDir: dir });
    try {
      const delivered: { id: string; by: string }[] = [];
      const sink = (by: string): Transport => ({
        name: `sink-${by}`,
        async send(m: OutboundMessage) {
          // Hand the event loop over now and then, so the two workers' claims interleave.
          if (delivered.length % 7 === 0) await new Promise((r) => setTimeout(r, 1));
          delivered.push({ id: m.id, by });
        },
      });
      const worker = (db: Database, by: string) =>
        new OutboxWorker({
          store: new DbOutboxStore(db.db),
          transports: { email: sink(by) },
          eraseData: false,
          batchSize: 25,
          concurrency: 4,
          maxBatchesPerRun: 100,
        });
      const [ra, rb] = await Promise.all([worker(database, 'a').runOnce(t0), worker(other, 'b').runOnce(t0)]);
      const ids = delivered.map((d) => d.id).filter((id) => queued.has(id));
      expect(ids.length).toBe(N);
      expect(new Set(ids).size).toBe(N);
      expect(ra.sent.length + rb.sent.length).toBeGreaterThanOrEqual(N);
      // Both took part: the claims split the backlog instead of one worker taking all of it.
      expect(delivered.some((d) => d.by === 'a') && delivered.some((d) => d.by === 'b')).toBe(true);
      const left = await database.db
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('template', '=', 'N-DUP-REG')
        .execute();
      expect(left.filter((r) => queued.has(r.id))).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('one claim takes at most the batch, oldest first, in a single statement', async () => {
    const t0 = new Date('2026-12-04T00:00:00Z');
    const ids = await enqueueMany(
      database.db,
      t0,
      Array.from({ length: 5 }, (_, i) => ({
        channel: 'sms' as const,
        to: '+6591234567',
        template: 'N-PHONE-CODE',
        data: { code: String(200000 + i) },
        locale: 'en' as const,
      })),
    );
    const store = new DbOutboxStore(database.db, 60, ['sms']);
    // Rows the earlier tests left pending come first (older): out of the way.
    await database.db
      .updateTable('outbox')
      .set({ status: 'sent' })
      .where('status', '=', 'pending')
      .where('id', 'not in', ids)
      .execute();
    const first = await store.claimDue(t0, 3);
    expect(first.map((r) => r.id)).toEqual(ids.slice(0, 3));
    const rest = await store.claimDue(t0, 10);
    expect(rest.map((r) => r.id)).toEqual(ids.slice(3));
    await store.markSent([...first, ...rest].map((r) => ({ id: r.id, sentAt: t0, eraseData: false })));
  });

  it('delivery states per subject: queued, sending, retrying, sent, failed, rejected; an invitation email given up tells the inviter once', async () => {
    const t0 = new Date('2026-12-05T00:00:00Z');
    const invitationId = `inv-${dialect}-states`;
    await database.db
      .insertInto('invitations')
      .values({
        id: invitationId,
        email: 'jane@vendor.example.com',
        first_name: null,
        last_name: null,
        business_operation: 'onshore',
        odc: null,
        offshore_company_name: null,
        sponsoring_agency: 'GovTech',
        seed_requested: 0,
        password_delivery: 'self_set',
        inviter_email: 'pm@agency.gov.sg',
        token_hash: `hash-${dialect}`,
        status: 'sent',
        created_at: t0.toISOString(),
        expires_at: new Date(t0.getTime() + 86_400_000).toISOString(),
        superseded_by: null,
        account_id: null,
        result_notified: 0,
      })
      .execute();
    const link = await enqueue(database.db, t0, {
      channel: 'email',
      to: 'jane@vendor.example.com',
      template: 'N-REG-LINK',
      data: { token: 'tok', registrationUrl: 'https://onboard.example/register/tok', expiresAt: t0.toISOString() },
      locale: 'en',
      invitationId,
    });
    const accountId = `acc-${dialect}-states`;
    const sms = await enqueue(database.db, t0, {
      channel: 'sms',
      to: '+8613800000000',
      template: 'N-PHONE-CODE',
      data: { code: '123456' },
      locale: 'en',
      accountId,
    });
    const state = async () =>
      Object.fromEntries((await listDeliveries(database.db, t0, { invitationId })).map((d) => [d.template, d]));
    expect((await state())['N-REG-LINK']).toMatchObject({ id: link, state: 'queued', attempts: 0, lastError: null });

    const store = new DbOutboxStore(database.db);
    const claimed = await store.claimDue(t0, 100);
    expect(claimed.map((r) => r.id)).toEqual(expect.arrayContaining([link, sms]));
    expect((await state())['N-REG-LINK']!.state).toBe('sending');
    await store.markFailed(
      sms,
      1,
      new Date(t0.getTime() + 30_000),
      'sms-http: SMS gateway answered HTTP 503',
      undefined,
      'failed',
      t0,
    );
    const [phone] = await listDeliveries(database.db, t0, { accountId });
    expect(phone).toMatchObject({
      state: 'retrying',
      attempts: 1,
      lastError: 'sms-http: SMS gateway answered HTTP 503',
      lastAttemptAt: t0.toISOString(),
    });

    await store.markFailed(
      link,
      1,
      null,
      'smtp: SMTP delivery failed (EENVELOPE 550): No such user',
      'redacted body',
      'rejected',
      t0,
    );
    // Given up again (a second worker's late report): the inviter is still told only once.
    await store.markFailed(
      link,
      1,
      null,
      'smtp: SMTP delivery failed (EENVELOPE 550): No such user',
      'redacted body',
      'rejected',
      t0,
    );
    const after = await listDeliveries(database.db, t0, { invitationId });
    expect(after.map((d) => [d.template, d.state])).toEqual([
      ['N-REG-UNDELIVERED', 'queued'],
      ['N-REG-LINK', 'rejected'],
    ]);
    const notice = (await store.list()).find((m) => m.template === 'N-REG-UNDELIVERED' && after[0]?.id === m.id);
    expect(notice).toMatchObject({
      to: 'pm@agency.gov.sg',
      subject: 'TechPass invitation not delivered: jane@vendor.example.com',
    });
    expect(notice?.body).toContain('refused by the recipient');
    // The given-up row keeps no secrets.
    const row = await database.db
      .selectFrom('outbox')
      .select(['body', 'data'])
      .where('id', '=', link)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ body: 'redacted body', data: null });
    // The notice failing for good does not start a chain of notices.
    await store.claimDue(t0, 100);
    await store.markFailed(after[0]!.id, 20, null, 'smtp: gave up', undefined, 'failed', t0);
    expect((await listDeliveries(database.db, t0, { invitationId })).map((d) => d.state)).toEqual([
      'failed',
      'rejected',
    ]);
  });

  it('markSent marks a group in one go: erased rows lose data and body, kept rows keep theirs; none is claimed again', async () => {
    const t = new Date('2026-12-01T02:00:00Z');
    for (let k = 0; k < 6; k++)
      await enqueue(database.db, t, {
        channel: 'email',
        to: `group${k}@vendor.example`,
        template: 'N-DUP-REG',
        data: { loginId: `group${k}@techpass.gov.sg` },
        locale: 'en',
      });
    const store = new DbOutboxStore(database.db);
    const claimed = (await store.claimDue(t, 50)).filter((r) => r.to.startsWith('group'));
    expect(claimed).toHaveLength(6);
    await store.markSent(
      claimed.map((r, i) => ({
        id: r.id,
        sentAt: t,
        eraseData: i % 2 === 0,
        ...(i % 2 === 0 ? { redactedBody: `redacted ${i}` } : {}),
      })),
    );
    const rows = await database.db
      .selectFrom('outbox')
      .select(['id', 'status', 'sent_at', 'data', 'body', 'claimed_until'])
      .where(
        'id',
        'in',
        claimed.map((r) => r.id),
      )
      .execute();
    for (const [i, r] of claimed.entries()) {
      const row = rows.find((x) => x.id === r.id);
      expect(row?.status).toBe('sent');
      expect(row?.sent_at).toBe(t.toISOString());
      expect(row?.claimed_until).toBeNull();
      if (i % 2 === 0) expect({ data: row?.data, body: row?.body }).toEqual({ data: null, body: `redacted ${i}` });
      else expect(row?.data).not.toBeNull();
    }
    const later = new Date(t.getTime() + 3600_000);
    expect((await store.claimDue(later, 50)).filter((r) => r.to.startsWith('group'))).toEqual([]);
  });
});
