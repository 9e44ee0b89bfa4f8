import pg from 'pg';
import { z } from 'zod';

/** DATABASE_NAMED_STATEMENTS (the backend's config and the admin CLI): on unless 0 or false. */
export const NamedStatementsSwitch = z
  .enum(['0', '1', 'true', 'false', ''], { message: 'DATABASE_NAMED_STATEMENTS must be 1 or 0' })
  .optional()
  .transform((v) => v !== '0' && v !== 'false');

/**
 * Distinct statements named per process. A journey with every admin call and job run sends about 100 statements of
 * up to MAX_NAMED_PARAMETERS parameters (the query-plan test captures them), the hot ones in the first minutes. Past
 * the limit a new statement runs unnamed, as every statement did before: correct, only parsed and planned again on
 * each run. Each PostgreSQL connection keeps what it has prepared (a few tens of KB per statement), so this also bounds
 * the server's memory for them: the pool's 10 connections × 200.
 */
export const PG_NAMED_STATEMENT_LIMIT = 200;

/**
 * Statements with more parameters stay unnamed: those are the batches of the jobs and the bulk paths (multi-row
 * inserts of up to 3,600 parameters, `in (…)` lists of a batch), whose text changes with the batch's size, so naming
 * them would fill the names with one-off statements; their work dwarfs a parse. The request paths' statements have at
 * most 6–20 (a registration's account insert, the one above that, 45, runs once per user).
 */
export const MAX_NAMED_PARAMETERS = 32;

/**
 * A pg `Client` class that sends every statement with parameters as a named prepared statement, the PostgreSQL
 * counterpart of the SQLite statement cache in connect.ts. Kysely sends each query as text with parameters, which pg
 * runs as an unnamed statement: PostgreSQL parses and plans it again on every run, and the query's text goes over the
 * wire every time. Named, each connection parses and plans it once and then only binds and executes it. For the
 * session read that precedes every signed-in request this halved GET /v1/me's latency on PostgreSQL (1.46 → 0.6 ms at
 * 4 connections) and cut the backend's own CPU per request by a fifth (docs/benchmarks.md).
 *
 * One name per statement text for the whole pool, so every connection prepares a statement under the same name.
 * PostgreSQL refuses a named statement it can no longer run as prepared: after another replica's migration changed a
 * table that a `select *` or `returning *` reads ("cached plan must not change result type"), or on a server
 * connection that never saw it (a pooler that moves sessions). Then the text gets a fresh name, so every connection
 * prepares it again, and a statement outside a transaction is run again at once. Inside a transaction the error
 * stands (the transaction is aborted anyway) and the request fails once; the next one prepares afresh.
 *
 * Statements without parameters (begin, commit, DDL, the migrations' statements) keep pg's simple protocol, and the
 * batches (more than MAX_NAMED_PARAMETERS) run unnamed.
 */
export function namedStatementClient(limit = PG_NAMED_STATEMENT_LIMIT): typeof pg.Client {
  const names = new Map<string, string>();
  let issued = 0;
  const nameOf = (text: string): string | undefined => {
    const known = names.get(text);
    if (known !== undefined || names.size >= limit) return known;
    const name = `techpass_${++issued}`;
    names.set(text, name);
    return name;
  };
  const forget = (text: string, name: string): void => {
    if (names.get(text) === name) names.delete(text);
  };

  class NamedStatementClient extends pg.Client {
    /** Between a begin and its commit or rollback: a failed statement aborts the transaction, so it is never rerun. */
    #inTransaction = false;

    // pg's query() has a dozen overloads; only the form Kysely uses, (text, values) returning a promise, is changed.
    override query(...args: unknown[]): never {
      const [text, values, callback] = args;
      const query = super.query.bind(this) as (...a: unknown[]) => unknown;
      if (typeof text !== 'string') return query(...args) as never;
      this.#track(text);
      if (
        !Array.isArray(values) ||
        values.length === 0 ||
        values.length > MAX_NAMED_PARAMETERS ||
        callback !== undefined
      )
        return query(...args) as never;
      return this.#runNamed(query, text, values, true) as never;
    }

    async #runNamed(
      query: (...a: unknown[]) => unknown,
      text: string,
      values: unknown[],
      mayRerun: boolean,
    ): Promise<unknown> {
      const name = nameOf(text);
      if (name === undefined) return query(text, values);
      try {
        return await query({ name, text, values });
      } catch (err) {
        if (!isStalePreparedStatement(err)) throw err;
        forget(text, name);
        if (this.#inTransaction || !mayRerun) throw err;
        return this.#runNamed(query, text, values, false);
      }
    }

    #track(text: string): void {
      const head = text.trimStart().slice(0, 20).toLowerCase();
      if (head.startsWith('begin') || head.startsWith('start transaction')) this.#inTransaction = true;
      else if (head === 'commit' || head === 'rollback' || head === 'end' || head === 'abort')
        this.#inTransaction = false;
    }
  }
  return NamedStatementClient;
}

/**
 * PostgreSQL's refusals of a prepared statement that a fresh prepare cures: its result columns changed since it was
 * planned (0A000, "cached plan must not change result type"); it does not exist on this server connection (26000);
 * a statement of that name already exists there (42P05).
 */
export function isStalePreparedStatement(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (code === '26000' || code === '42P05') return true;
  return code === '0A000' && typeof message === 'string' && message.includes('cached plan must not change result type');
}
