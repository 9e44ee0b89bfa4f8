import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPgDatabase } from '../../test/harness';
import { loadConfig } from '../config';
import { openDatabase, type Database } from './connect';
import {
  isStalePreparedStatement,
  MAX_NAMED_PARAMETERS,
  namedStatementClient,
  NamedStatementsSwitch,
} from './pg-named-statements';

// PostgreSQL only: SQLite's statements are prepared by better-sqlite3 (connect.ts, cachingSqliteDatabase).
describe('named prepared statements (PostgreSQL)', () => {
  let url: string;
  let drop: () => Promise<void>;
  let dir: string;
  const opened: Database[] = [];
  const open = (pgNamedStatements?: boolean) => {
    const d = openDatabase({
      databaseUrl: url,
      dataDir: dir,
      ...(pgNamedStatements === undefined ? {} : { pgNamedStatements }),
    });
    opened.push(d);
    return d;
  };
  beforeAll(async () => {
    ({ url, drop } = await freshPgDatabase());
    dir = mkdtempSync(join(tmpdir(), 'tp-named-'));
    const setup = open();
    await sql`create table probe (id integer primary key, label text not null)`.execute(setup.db);
    await sql`insert into probe select n, 'row ' || n from generate_series(1, 50) n`.execute(setup.db);
  });
  afterAll(async () => {
    for (const d of opened) await d.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The statements this connection has prepared, with how often each was planned (custom or generic). */
  const prepared = (db: Database['db']) =>
    sql<{ name: string; statement: string; plans: number }>`
      select name, statement, (generic_plans + custom_plans)::int as plans from pg_prepared_statements order by name`
      .execute(db)
      .then((r) => r.rows);

  it('a statement with parameters is prepared once per connection and then only executed', async () => {
    const { db } = open();
    const rows = await db.transaction().execute(async (trx) => {
      const labels: string[] = [];
      for (const id of [3, 7, 11]) {
        const r = await sql<{ label: string }>`select label from probe where id = ${id}`.execute(trx);
        labels.push(r.rows[0]?.label ?? '');
      }
      expect(labels).toEqual(['row 3', 'row 7', 'row 11']);
      return prepared(trx);
    });
    // One statement under one name, executed three times; `begin` and the listing itself (no parameters) are not.
    expect(rows).toHaveLength(1);
    expect(rows[0]?.name).toMatch(/^techpass_\d+$/);
    expect(rows[0]?.statement).toBe('select label from probe where id = $1');
    expect(rows[0]?.plans).toBe(3);
  });

  it('DATABASE_NAMED_STATEMENTS=0: nothing is prepared (for a pooler that does not keep prepared statements)', async () => {
    const { db } = open(false);
    const rows = await db.transaction().execute(async (trx) => {
      await sql`select label from probe where id = ${5}`.execute(trx);
      await sql`select label from probe where id = ${6}`.execute(trx);
      return prepared(trx);
    });
    expect(rows).toEqual([]);
    expect(NamedStatementsSwitch.parse(undefined)).toBe(true);
    expect(NamedStatementsSwitch.parse('1')).toBe(true);
    expect(NamedStatementsSwitch.parse('0')).toBe(false);
    expect(NamedStatementsSwitch.parse('false')).toBe(false);
    expect(NamedStatementsSwitch.safeParse('off').success).toBe(false);
    // The backend's configuration reads it with the same rule: on unless 0, and a clear error for anything else.
    expect(loadConfig({ TECHPASS_TEST_MODE: '1' }).databaseNamedStatements).toBe(true);
    expect(loadConfig({ TECHPASS_TEST_MODE: '1', DATABASE_NAMED_STATEMENTS: '0' }).databaseNamedStatements).toBe(false);
    expect(() => loadConfig({ TECHPASS_TEST_MODE: '1', DATABASE_NAMED_STATEMENTS: 'maybe' })).toThrow(
      /DATABASE_NAMED_STATEMENTS: DATABASE_NAMED_STATEMENTS must be 1 or 0/,
    );
  });

  it('another replica changes the columns of a select *: 40 parallel runs all answer, with the new column', async () => {
    const replica = open();
    const other = open();
    const run = (id: number) => sql<Record<string, unknown>>`select * from probe where id = ${id}`.execute(replica.db);
    // Prepared on many of the pool's connections first.
    await Promise.all(Array.from({ length: 30 }, (_, i) => run(i + 1)));
    await sql`alter table probe add column note text not null default 'added'`.execute(other.db);
    const answers = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => run(i + 1)));
    const refused = answers.filter((a) => a.status === 'rejected');
    expect(refused, refused.map((r) => (r.reason as Error).message).join('; ')).toEqual([]);
    for (const a of answers) {
      if (a.status === 'fulfilled') expect(a.value.rows[0]).toMatchObject({ note: 'added' });
    }
    await sql`alter table probe drop column note`.execute(other.db);
  });

  it('inside a transaction the stale statement fails once (the transaction is aborted), the next one prepares afresh', async () => {
    const replica = open();
    const other = open();
    const pick = (db: Database['db'], id: number) =>
      sql<Record<string, unknown>>`select * from probe where label = ${`row ${id}`}`.execute(db);
    // The same connection each time: a pool of one would hide nothing, so hold one connection in transactions.
    await replica.db.transaction().execute((trx) => pick(trx, 1));
    await sql`alter table probe add column extra integer not null default 7`.execute(other.db);
    const first = await replica.db
      .transaction()
      .execute((trx) => pick(trx, 2))
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    // The first transaction after the change may land on a connection that never prepared the statement; then it
    // simply answers. Either way the one after it answers with the new column.
    if (first !== undefined) expect(isStalePreparedStatement(first), (first as Error).message).toBe(true);
    const next = await replica.db.transaction().execute((trx) => pick(trx, 3));
    expect(next.rows[0]).toMatchObject({ label: 'row 3', extra: 7 });
    await sql`alter table probe drop column extra`.execute(other.db);
  });

  it('a connection that lost its prepared statements (DEALLOCATE ALL, as a pooler resets one) prepares again', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1, Client: namedStatementClient() });
    try {
      const client = await pool.connect();
      try {
        const q = 'select label from probe where id = $1';
        expect((await client.query(q, [8])).rows).toEqual([{ label: 'row 8' }]);
        await client.query('deallocate all');
        expect((await client.query(q, [9])).rows).toEqual([{ label: 'row 9' }]);
        const names = await client.query<{ name: string }>('select name from pg_prepared_statements');
        expect(names.rows).toHaveLength(1);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });

  it('a batch (more than MAX_NAMED_PARAMETERS parameters, its text changes with its size) runs unnamed', async () => {
    const { db } = open();
    const ids = Array.from({ length: MAX_NAMED_PARAMETERS + 1 }, (_, i) => i + 1);
    const rows = await db.transaction().execute(async (trx) => {
      const few = await sql<{
        n: number;
      }>`select count(*)::int as n from probe where id in (${sql.join(ids.slice(0, 3))})`.execute(trx);
      const many = await sql<{
        n: number;
      }>`select count(*)::int as n from probe where id in (${sql.join(ids)})`.execute(trx);
      expect([few.rows[0]?.n, many.rows[0]?.n]).toEqual([3, MAX_NAMED_PARAMETERS + 1]);
      return prepared(trx);
    });
    expect(rows.map((r) => r.statement)).toEqual(['select count(*)::int as n from probe where id in ($1, $2, $3)']);
  });

  it('past the limit a statement runs unnamed and still answers', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1, Client: namedStatementClient(2) });
    try {
      const client = await pool.connect();
      try {
        const a = await client.query('select label from probe where id = $1', [1]);
        const b = await client.query('select id from probe where label = $1', ['row 2']);
        const c = await client.query('select count(*)::int as n from probe where id < $1', [10]);
        expect([a.rows, b.rows, c.rows]).toEqual([[{ label: 'row 1' }], [{ id: 2 }], [{ n: 9 }]]);
        const names = await client.query<{ statement: string }>(
          'select statement from pg_prepared_statements order by name',
        );
        expect(names.rows.map((r) => r.statement)).toEqual([
          'select label from probe where id = $1',
          'select id from probe where label = $1',
        ]);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });

  it('recognises exactly the refusals a fresh prepare cures', () => {
    expect(isStalePreparedStatement({ code: '0A000', message: 'cached plan must not change result type' })).toBe(true);
    expect(isStalePreparedStatement({ code: '26000', message: 'prepared statement "techpass_3" does not exist' })).toBe(
      true,
    );
    expect(isStalePreparedStatement({ code: '42P05', message: 'prepared statement "techpass_3" already exists' })).toBe(
      true,
    );
    expect(isStalePreparedStatement({ code: '0A000', message: 'cannot use a window function here' })).toBe(false);
    expect(isStalePreparedStatement({ code: '23505', message: 'duplicate key' })).toBe(false);
    expect(isStalePreparedStatement(new Error('boom'))).toBe(false);
    expect(isStalePreparedStatement(undefined)).toBe(false);
  });
});
