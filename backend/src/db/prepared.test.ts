import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CamelCasePlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Database } from './connect';
import { preparedQuery } from './prepared';

describe('preparedQuery', () => {
  let dir: string;
  let database: Database;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'techpass-prepared-'));
    database = openDatabase({ dataDir: dir });
    await migrate(database.db);
    await database.db
      .insertInto('job_locks')
      .values([
        { name: 'a', locked_until: 'x', owner: 'o1' },
        { name: 'b', locked_until: 'y', owner: 'o2' },
      ])
      .execute();
  });
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs with each call’s values, constants kept, compiled once per database and plugin set', async () => {
    let builds = 0;
    const byName = preparedQuery((db, name) => {
      builds++;
      return db
        .selectFrom('job_locks')
        .select(['name', 'owner'])
        .where('name', '=', name)
        .where('locked_until', '!=', 'never');
    }, 1);
    expect(await byName(database.db, 'a')).toEqual([{ name: 'a', owner: 'o1' }]);
    expect(await byName(database.db, 'b')).toEqual([{ name: 'b', owner: 'o2' }]);
    expect(await byName(database.db, 'zzz')).toEqual([]);
    expect(builds).toBe(1);
    // Every transaction is a new Kysely instance with the same adapter and plugins: the compiled query is reused.
    for (const name of ['a', 'b']) {
      await database.db.transaction().execute(async (tx) => {
        expect(await byName(tx, name)).toEqual([{ name, owner: name === 'a' ? 'o1' : 'o2' }]);
      });
    }
    expect(builds).toBe(1);
    // Another plugin set compiles its own (a plugin's transformQuery may change the SQL), and its transactions
    // share that one.
    const renamed = database.db.withPlugin(new CamelCasePlugin());
    expect(await byName(renamed, 'a')).toEqual([{ name: 'a', owner: 'o1' }]);
    await renamed.transaction().execute(async (tx) => {
      expect(await byName(tx, 'b')).toEqual([{ name: 'b', owner: 'o2' }]);
    });
    expect(builds).toBe(2);
    // Another database (its own adapter) compiles its own too, and runs on its own data.
    const otherDir = mkdtempSync(join(tmpdir(), 'techpass-prepared-'));
    const other = openDatabase({ dataDir: otherDir });
    try {
      await migrate(other.db);
      await other.db.insertInto('job_locks').values({ name: 'a', locked_until: 'x', owner: 'elsewhere' }).execute();
      expect(await byName(other.db, 'a')).toEqual([{ name: 'a', owner: 'elsewhere' }]);
      expect(builds).toBe(3);
      expect(await byName(database.db, 'a')).toEqual([{ name: 'a', owner: 'o1' }]);
      expect(builds).toBe(3);
    } finally {
      await other.close();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('refuses an argument that is not a bound parameter', async () => {
    const bad = preparedQuery(
      (db, name) => db.selectFrom('job_locks').select('owner').where('name', '=', name.toUpperCase()),
      1,
    );
    await expect(bad(database.db, 'a')).rejects.toThrow(/argument 0 is not a bound parameter/);
  });
});
