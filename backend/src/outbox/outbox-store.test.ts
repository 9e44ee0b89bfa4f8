import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPgDatabase, DIALECTS } from '../../test/harness';
import { migrate, openDatabase, type Database } from '../db/connect';
import { DbOutboxStore, enqueue } from './outbox-store';

describe.each(DIALECTS)('DbOutboxStore (%s)', (dialect) => {
  let database: Database;
  let cleanup: () => Promise<void>;
  const now = new Date('2026-12-01T00:00:00Z');
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-outbox-'));
    let drop: () => Promise<void> = async () => undefined;
    let url: string | undefined;
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
      await enqueue(database.db, now, { channel: 'sms', to: '+6591234567', template: 'N-PHONE-CODE', data: { code: String(100000 + k) }, locale: 'en' });
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
    for (const r of ra) await a.markSent(r.id, now, true);
    const later = new Date(now.getTime() + 61_000);
    const again = await b.claimDue(later, 50);
    expect(again.map((r) => r.id).sort()).toEqual(rb.map((r) => r.id).sort());
    const rows = await database.db.selectFrom('outbox').selectAll().where('status', '=', 'sent').execute();
    expect(rows).toHaveLength(ra.length);
    expect(rows.every((r) => r.data === null && r.sent_at === now.toISOString())).toBe(true);
  });

  it('markFailed keeps a row pending until its next attempt, or fails it for good', async () => {
    const store = new DbOutboxStore(database.db);
    const t0 = new Date('2026-12-02T00:00:00Z');
    const id = await enqueue(database.db, t0, { channel: 'email', to: 'a@vendor.example.com', template: 'N-DUP-REG', data: { loginId: 'jane@techpass.gov.sg' }, locale: 'en' });
    const [row] = (await store.claimDue(t0, 100)).filter((r) => r.id === id);
    expect(row?.attempts).toBe(0);
    await store.markFailed(id, 1, new Date(t0.getTime() + 30_000), 'smtp: connection refused');
    expect((await store.claimDue(new Date(t0.getTime() + 10_000), 100)).some((r) => r.id === id)).toBe(false);
    const retry = (await store.claimDue(new Date(t0.getTime() + 31_000), 100)).find((r) => r.id === id);
    expect(retry?.attempts).toBe(1);
    await store.markFailed(id, 2, null, 'permanent');
    expect((await store.claimDue(new Date(t0.getTime() + 86_400_000), 100)).some((r) => r.id === id)).toBe(false);
    const list = await store.list();
    expect(list.find((m) => m.id === id)).toMatchObject({ status: 'failed', to: 'a@vendor.example.com', template: 'N-DUP-REG' });
  });
});
