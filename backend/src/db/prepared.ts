import { randomBytes } from 'node:crypto';
import type { Compilable, CompiledQuery, Kysely, KyselyPlugin } from 'kysely';
import type { DB } from './schema';

/**
 * A query of the hot request path, built and compiled by Kysely once per database and plugin set and then only run
 * with each call's values: Kysely otherwise builds its immutable operation tree and compiles it to SQL on every
 * call, which for the session lookup cost more CPU than the statement itself (≈ 80 µs against ≈ 20 µs on SQLite).
 *
 * The compiled form is shared by every transaction of one database: a transaction is a new Kysely instance on each
 * call, but its SQL depends only on what it shares with its parent, the dialect's adapter and the plugins (the same
 * instances, in the same order). Keyed by the instance instead, a query inside a transaction (the sign-in's session
 * insert and terms read) was built and compiled again on every call.
 *
 * `build` receives placeholders for the arguments (string parameters only) and must use each one as a bound value
 * (`where(column, '=', placeholder)`); a placeholder that does not come out as a parameter (or comes out changed)
 * is refused when the query is compiled. Plugins' transformQuery sees the query once, when it is compiled;
 * transformResult and the driver's query log see every call.
 */
export function preparedQuery<Row>(build: (db: Kysely<DB>, ...args: string[]) => Compilable<Row>, arity: number) {
  type Entry = { plugins: readonly KyselyPlugin[]; query: CompiledQuery<Row>; slots: (number | undefined)[] };
  // Per adapter (one per database opened), the few plugin sets it is used with (none, or outbox sealing).
  const cache = new WeakMap<object, Entry[]>();
  const lookup = (db: Kysely<DB>): Entry | undefined => {
    const { adapter, plugins } = db.getExecutor();
    return cache.get(adapter)?.find((e) => samePlugins(e.plugins, plugins));
  };
  const prepare = (db: Kysely<DB>): Entry => {
    // Stand-ins for the arguments, seen by the compiler and by plugins (the query-plan test explains the statement
    // with them, so they are valid text for PostgreSQL, and short enough for a varchar(20) column such as
    // sessions.kind); each call's values replace them by position.
    const marks = Array.from({ length: arity }, (_, i) => `p${i}-${randomBytes(6).toString('hex')}`);
    const query = build(db, ...marks).compile();
    const slots = query.parameters
      .map((p) => (typeof p === 'string' ? marks.indexOf(p) : -1))
      .map((i) => (i < 0 ? undefined : i));
    for (let i = 0; i < arity; i++) {
      if (!slots.includes(i)) throw new Error(`preparedQuery: argument ${i} is not a bound parameter of ${query.sql}`);
    }
    const { adapter, plugins } = db.getExecutor();
    const entry: Entry = { plugins: [...plugins], query, slots };
    const entries = cache.get(adapter) ?? [];
    entries.push(entry);
    cache.set(adapter, entries);
    return entry;
  };
  return async (db: Kysely<DB>, ...args: string[]): Promise<Row[]> => {
    if (args.length !== arity) throw new Error(`preparedQuery: ${arity} arguments expected, ${args.length} given`);
    const { query, slots } = lookup(db) ?? prepare(db);
    const parameters = query.parameters.map((p, i) => {
      const slot = slots[i];
      return slot === undefined ? p : args[slot];
    });
    const result = await db.executeQuery<Row>({ ...query, parameters });
    return result.rows;
  };
}

const samePlugins = (a: readonly KyselyPlugin[], b: readonly KyselyPlugin[]): boolean =>
  a.length === b.length && a.every((p, i) => p === b[i]);
