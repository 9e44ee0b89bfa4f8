import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import type { DB } from './schema';
import { migrationProvider } from './migrations';
import { namedStatementClient } from './pg-named-statements';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** The data dir of a SQLite file database, so another connection (the lifecycle job's thread) can open the same file. */
  sqliteDataDir?: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Sees every statement executed (the query-plan test captures them this way). */
  onQuery?: (sql: string, parameters: readonly unknown[]) => void;
  /** SQLite: this connection's page cache, KiB (default SQLITE_CACHE_KIB). */
  sqliteCacheKiB?: number;
  /**
   * SQLite: the WAL size, in pages, past which this connection's commits checkpoint (SQLite's default 1,000; 0
   * never). The lifecycle job's thread raises it for its own connection (jobs/lifecycle-protocol.ts).
   */
  sqliteWalAutocheckpointPages?: number;
  /**
   * PostgreSQL: send statements with parameters as named prepared statements (default; pg-named-statements.ts).
   * Off (DATABASE_NAMED_STATEMENTS=0) for a pooler in transaction mode that does not keep prepared statements.
   */
  pgNamedStatements?: boolean;
}

/**
 * SQLite page cache of the request thread's connection, KiB (SQLite's default is 2 MiB). The lifecycle job's thread
 * opens a second connection with a smaller one (jobs/lifecycle-worker.ts): each connection has its own cache, and
 * both count towards the backend's memory. What misses the cache is read from the operating system's file cache.
 */
export const SQLITE_CACHE_KIB = 16 * 1024;

/** Distinct statements kept prepared per SQLite connection; the application has a few hundred at most. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 behind Kysely with prepared statements reused: Kysely asks for a new prepared statement for every
 * query, and preparing costs more than running most of ours. Kysely runs one statement at a time per connection,
 * so a cached statement is never in use twice. The least recently used one goes when the cache is full.
 */
export function cachingSqliteDatabase(file: SQLite.Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      file.close();
    },
    prepare: (rawText: string) => {
      // Transactions take the write lock when they begin: with a second connection on the file (the lifecycle
      // job's thread), a deferred transaction that read first could not upgrade once the other one committed
      // (SQLITE_BUSY, no busy wait); an immediate one waits for the lock (busy_timeout) and then sees fresh data.
      const text = rawText === 'begin' ? 'begin immediate' : rawText;
      let stmt = cache.get(text);
      if (stmt) {
        cache.delete(text);
      } else {
        stmt = file.prepare(text);
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
      }
      cache.set(text, stmt);
      return stmt;
    },
  };
}

function logger(onQuery: DatabaseOptions['onQuery']) {
  return onQuery ? (e: LogEvent) => onQuery(e.query.sql, e.query.parameters) : undefined;
}

/** Opens PostgreSQL when a URL is given, else the embedded SQLite file in the data dir (created if missing). */
export function openDatabase(opts: DatabaseOptions): Database {
  if (opts.databaseUrl) {
    // BIGINT (outbox.seq, totp_last_step) as a JS number: our values stay far below 2^53.
    pg.types.setTypeParser(20, (v) => Number(v));
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      ...(opts.pgNamedStatements === false ? {} : { Client: namedStatementClient() }),
    });
    // An idle client whose server connection drops (restart, failover) must not crash the process; the pool
    // replaces it on the next checkout.
    pool.on('error', () => undefined);
    const log = logger(opts.onQuery);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const file = new SQLite(join(opts.dataDir, 'techpass.sqlite'));
  file.pragma('journal_mode = WAL');
  // In WAL mode NORMAL syncs at checkpoints, not on every commit: the database stays consistent after a crash or
  // power loss (the last commits before a power loss can be lost), and commits stop costing an fsync each.
  file.pragma('synchronous = NORMAL');
  file.pragma('busy_timeout = 5000');
  file.pragma('foreign_keys = ON');
  // A bounded page cache (negative: KiB) and temporary b-trees in memory.
  file.pragma(`cache_size = -${Math.round(opts.sqliteCacheKiB ?? SQLITE_CACHE_KIB)}`);
  file.pragma('temp_store = MEMORY');
  if (opts.sqliteWalAutocheckpointPages !== undefined)
    file.pragma(`wal_autocheckpoint = ${Math.round(opts.sqliteWalAutocheckpointPages)}`);
  const log = logger(opts.onQuery);
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: cachingSqliteDatabase(file) }),
    ...(log ? { log } : {}),
  });
  return { db, dialect: 'sqlite', sqliteDataDir: opts.dataDir, close: () => db.destroy() };
}

/** Applies every pending migration; throws with the failing migration's error. */
export async function migrate(db: Kysely<DB>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the migrator's error is unknown; its text is what there is to say
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}
