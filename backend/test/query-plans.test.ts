/**
 * Every statement the backend runs on a request path or in a job reads through an index: no full scan of a table
 * that grows with users. The statements are not listed by hand: every query the services send through `ctx.db`
 * while a whole journey, admin calls and lifecycle/delivery runs execute is captured (a Kysely plugin that compiles
 * what it sees), then explained on the same database, seeded with a few thousand accounts in realistic states and
 * ANALYZEd. So a new statement is covered the day it is written.
 *
 * SQLite: the ANALYZE statistics are scaled up 100× before explaining (row counts grow, rows per key stay), so the
 * planner chooses as it would on a database that size; at test size it rightly scans a table of a thousand rows
 * rather than look up 500 keys.
 *
 * PostgreSQL: EXPLAIN runs with enable_seqscan = off. On a test-sized table the planner rightly prefers a sequential
 * scan even where an index exists, so with realistic statistics alone the test could not tell "no index" from "small
 * table". With sequential scans priced out, a Seq Scan in the plan means no index can serve the statement at all;
 * a full index scan (no index condition, no LIMIT above it) is caught separately.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresQueryCompiler, SqliteQueryCompiler, type KyselyPlugin, type QueryCompiler } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLifecycleJobs } from '../src/jobs/lifecycle';
import { DbOutboxStore } from '../src/outbox/outbox-store';
import { seed } from '../bench/seed';
import {
  acceptAllTerms,
  ADMIN_KEY,
  DIALECTS,
  enrolAuthenticator,
  invite,
  registered,
  signInToken,
  signInWithMfa,
  startBackend,
  verifyPhoneFlow,
  type TestBackend,
} from './harness';

/** Tables whose size grows with the number of users (a full scan of any of these is a finding). */
const GROWING = [
  'accounts',
  'invitations',
  'sessions',
  'codes',
  'terms_acceptances',
  'seed_devices',
  'outbox',
  'idempotency_keys',
  'audit_log',
  'signin_failures',
  'rate_limits',
];
const DAY = 86_400;

/**
 * Partial indexes that hold only the rows of one state which does not grow with users: reading one whole is bounded
 * by that state, as a search of (status, …) for it was before the index became partial (migration 0440).
 */
const BOUNDED_PARTIAL_INDEXES: Record<string, string> = {
  outbox_waiting_created: 'messages still waiting: the delivery queue, drained by the worker',
  outbox_waiting_seq: 'messages still waiting: the delivery queue, drained by the worker',
  // PostgreSQL reads it whole for an update of one invitation by id that also requires status 'sent', when fresh
  // statistics say few invitations are still open (after the job expired the seeded ones): one page against the
  // primary key's descent. Each open invitation leaves it within its validity (registered, expired or revoked).
  invitations_one_live_per_email: 'invitations still open (status sent), each closed within its validity',
};

interface Captured {
  sql: string;
  parameters: readonly unknown[];
}

/** Compiles every query it sees, exactly as the executor will, and keeps one example of each distinct statement. */
class CaptureStatements implements KyselyPlugin {
  readonly seen = new Map<string, Captured>();
  constructor(private readonly compiler: QueryCompiler) {}
  transformQuery: KyselyPlugin['transformQuery'] = (args) => {
    const q = this.compiler.compileQuery(args.node, args.queryId);
    if (!this.seen.has(q.sql)) this.seen.set(q.sql, { sql: q.sql, parameters: q.parameters });
    return args.node;
  };
  transformResult: KyselyPlugin['transformResult'] = async (args) => args.result;
}

const isDml = (s: string) => /^\s*(select|insert|update|delete|with)\b/i.test(s);
/** Long IN lists shortened for the failure message. */
const short = (s: string) => s.replace(/(\?|\$\d+)(, (\?|\$\d+)){3,}/g, '…');

/** SQLite: `SCAN t` (a full table scan, or a full index scan without a LIMIT) of a growing table. */
function sqliteProblems(plan: { detail: string }[], statement: string): string[] {
  const limited = /\blimit\b/i.test(statement) && !plan.some((p) => /USE TEMP B-TREE FOR ORDER BY/.test(p.detail));
  return plan
    .map((p) => p.detail)
    .filter((d) => {
      const m = /^SCAN (\w+)(.*)$/.exec(d);
      if (!m || !GROWING.includes(m[1] as string)) return false;
      const index = /USING (?:COVERING )?INDEX (\w+)/.exec(m[2] as string)?.[1];
      if (index !== undefined && index in BOUNDED_PARTIAL_INDEXES) return false;
      return !(index !== undefined && limited);
    });
}

interface PgNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PgNode[];
}

/** PostgreSQL: a Seq Scan of a growing table, or an index scan with no condition that is not under a Limit. */
function pgProblems(node: PgNode, underLimit = false): string[] {
  const out: string[] = [];
  const rel = node['Relation Name'];
  if (rel && GROWING.includes(rel)) {
    if (node['Node Type'] === 'Seq Scan') out.push(`Seq Scan on ${rel}`);
    const bounded = node['Index Name'] !== undefined && node['Index Name'] in BOUNDED_PARTIAL_INDEXES;
    if (/Index( Only)? Scan/.test(node['Node Type']) && !node['Index Cond'] && !underLimit && !bounded)
      out.push(`${node['Node Type']} on ${rel} without a condition`);
  }
  for (const child of node.Plans ?? []) out.push(...pgProblems(child, underLimit || node['Node Type'] === 'Limit'));
  return out;
}

describe.each(DIALECTS)(
  'every statement on the request paths and in the jobs uses an index (%s)',
  { timeout: 180_000 },
  (dialect) => {
    let b: TestBackend;
    let capture: CaptureStatements;
    beforeAll(async () => {
      b = await startBackend(dialect);
      await seed({
        accounts: 3000,
        dataDir: b.dataDir,
        databaseUrl: dialect === 'postgres' ? b.databaseUrl : undefined,
        log: () => undefined,
      });
      capture = new CaptureStatements(dialect === 'postgres' ? new PostgresQueryCompiler() : new SqliteQueryCompiler());
      const { ctx } = b.app.techpass;
      ctx.db = ctx.db.withPlugin(capture);
    });
    afterAll(async () => {
      await b?.close();
    });

    it('captures a whole journey, admin calls and job runs, and explains each statement', async () => {
      // The journey: invitation, lookup, registration, sign-in, MFA, phone, terms, SEED, sign-out, sign-in with MFA.
      const u = await registered(b, { seedRequested: true });
      const pendingInvite = await invite(b);
      expect((await b.call('GET', `/v1/registrations/${pendingInvite.token}`)).status).toBe(200);
      const t = await signInToken(b, u.username, u.password);
      const secret = await enrolAuthenticator(b, t);
      await verifyPhoneFlow(b, t);
      await acceptAllTerms(b, t);
      for (const path of ['/v1/me', '/v1/me/terms', '/v1/me/seed'])
        expect((await b.call('GET', path, { token: t })).status).toBe(200);
      await b.call('POST', '/v1/me/seed/devices', { token: t, body: { name: 'Laptop', os: 'Windows 11' } });
      await b.call('DELETE', '/v1/sessions/current', { token: t });
      await b.advance(60); // the next TOTP step
      const t2 = await signInWithMfa(b, u.username, u.password, secret);
      expect((await b.call('GET', '/v1/me', { token: t2 })).status).toBe(200);
      // Failures: a wrong password, an unknown user, a password reset start.
      await b.call('POST', '/v1/sessions', { body: { loginId: u.username, password: 'wrong-password-1A!' } });
      await b.call('POST', '/v1/sessions', { body: { loginId: 'nobody-here', password: 'wrong-password-1A!' } });
      await b.call('POST', '/v1/password-resets', { body: { loginId: u.username } });
      // Admin: lists, an account, actions.
      await b.admin('GET', '/v1/admin/invitations');
      await b.admin('GET', `/v1/admin/accounts/${u.username}`);
      await b.admin('POST', `/v1/admin/invitations/${pendingInvite.id}/resend`);
      await b.admin('POST', `/v1/admin/accounts/${u.username}/disable`);
      await b.admin('POST', `/v1/admin/accounts/${u.username}/enable`);
      await b.admin('POST', '/v1/admin/invitations/bulk', [
        {
          email: 'bulk.one@vendor.example.com',
          businessOperation: 'onshore',
          sponsoringAgency: 'GovTech',
          seedRequested: false,
          passwordDelivery: 'sms',
          inviterEmail: 'pm.lee@tech.gov.sg',
        },
      ]);
      // Observability: the audit trail (each filter, a later page, the chain check), the funnel report, a scrape.
      const since = encodeURIComponent(new Date(b.clock.now().getTime() - DAY * 1000).toISOString());
      for (const q of [
        `account=${u.username}`,
        'actor=invitee',
        'type=sign-in.failure',
        `since=${since}`,
        'before=50',
        `account=${u.username}&type=sign-in.success&since=${since}`,
      ]) {
        expect((await b.admin('GET', `/v1/admin/audit?limit=5&${q}`)).status).toBe(200);
      }
      expect((await b.admin('GET', '/v1/admin/audit/verify')).body).toMatchObject({ ok: true });
      expect((await b.admin('GET', '/v1/admin/reports/funnel')).status).toBe(200);
      expect((await b.call('GET', '/metrics', { token: ADMIN_KEY })).status).toBe(200);
      // Jobs: now (the seeded accounts have reminders and expiries due), and after the clock moved on. On SQLite the
      // endpoint runs the lifecycle job in its own thread on its own connection, which the capture cannot see, so the
      // same job function also runs here in-process on the captured handle (first, so it meets the due work).
      for (const advance of [0, DAY, 6 * DAY, 40 * DAY]) {
        if (advance) await b.advance(advance);
        if (dialect === 'sqlite') expect((await runLifecycleJobs(b.app.techpass.ctx)).ran).toBe(true);
        expect((await b.call('POST', '/v1/test/jobs/run')).status).toBe(200);
      }
      // The delivery worker's statements, through the captured handle.
      const store = new DbOutboxStore(b.app.techpass.ctx.db);
      const claimed = await store.claimDue(b.clock.now(), 5);
      await store.markSent(claimed.map((m) => ({ id: m.id, sentAt: b.clock.now(), eraseData: false })));

      const statements = [...capture.seen.values()].filter((s) => isDml(s.sql));
      expect(statements.length).toBeGreaterThan(40);
      // The lifecycle job's set-based statements are all among them (the seeded states make each one run), so
      // every statement the job sends is explained below.
      const jobStatements: Record<string, RegExp> = {
        'due pages': /^select \*, .+ as "due_key" from "accounts"/,
        'D1 invitations page': /^select \* from "invitations" where "status" = \S+ and "expires_at" <= /,
        'D1 expiry': /^update "invitations" set "status" = \S+, "result_notified" = \S+ where "id" in \(/,
        reminders: /^update "accounts" set "last_reminder_key" = \S+, "last_reminder_at" = \S+ where "id" in \(/,
        'T4 disable':
          /^update "accounts" set "state" = \S+, "status_modified_at" = \S+, "last_reminder_key" = \S+(, "seed_state" = \S+, "seed_revoked_at" = \S+)? where "id" in \(/,
        'T3/T6 terminate':
          /^update "accounts" set "state" = \S+, "status_modified_at" = \S+, "last_reminder_key" = \S+, "terminated_at" = \S+ where "id" in \(/,
        'sessions of changed accounts': /^delete from "sessions" where "account_id" in \(/,
        'T9 delete': /^delete from "accounts" where "id" in \(.*\) and "state" = \S+ returning "id"$/,
        'T9 codes': /^delete from "codes" where "account_id" in \(/,
        'T9 terms': /^delete from "terms_acceptances" where "account_id" in \(/,
        'T9 devices': /^delete from "seed_devices" where "account_id" in \(/,
        D10: /^update "accounts" set "seed_state" = \S+ where "id" in \(.*\) and "seed_state" = /,
        'password notices': /^update "accounts" set "pwd_expiry_notice_for" = password_changed_at where "id" in \(/,
        'outbox rows': /^insert into "outbox" /,
        'audit rows': /^insert into "audit_log" .*values \(.*\), \(/,
      };
      const missing = Object.entries(jobStatements).filter(([, re]) => !statements.some((s) => re.test(s.sql.trim())));
      expect(
        missing.map(([name]) => name),
        'job statements not captured (and so not explained)',
      ).toEqual([]);
      const findings: string[] = [];
      if (dialect === 'sqlite') {
        const path = join(b.dataDir, 'techpass.sqlite');
        const rw = new Database(path);
        rw.exec(`update sqlite_stat1 set stat = case when instr(stat, ' ') > 0
        then (cast(substr(stat, 1, instr(stat, ' ') - 1) as integer) * 100) || substr(stat, instr(stat, ' '))
        else cast(stat as integer) * 100 end`);
        rw.close();
        const file = new Database(path, { readonly: true });
        try {
          // An index is let off a full read only while it really is partial.
          for (const name of Object.keys(BOUNDED_PARTIAL_INDEXES)) {
            const def = file.prepare(`select sql from sqlite_master where type = 'index' and name = ?`).get(name) as
              { sql: string } | undefined;
            expect(def?.sql, `${name} is a partial index`).toMatch(/\swhere\s/i);
          }
          for (const s of statements) {
            const plan = file.prepare(`explain query plan ${s.sql}`).all(...(s.parameters as unknown[])) as {
              detail: string;
            }[];
            const problems = sqliteProblems(plan, s.sql);
            if (problems.length)
              findings.push(
                `${problems.join('; ')}\n    ${short(s.sql)}\n    plan: ${plan.map((p) => p.detail).join(' | ')}`,
              );
          }
        } finally {
          file.close();
        }
      } else {
        const client = new pg.Client({ connectionString: b.databaseUrl });
        await client.connect();
        try {
          // Statistics as of now, after the journey and the job runs changed the seeded rows: otherwise the plans
          // depended on whether autovacuum had analysed a table meanwhile, which a loaded machine decides.
          await client.query('analyze');
          await client.query('set enable_seqscan = off');
          for (const name of Object.keys(BOUNDED_PARTIAL_INDEXES)) {
            const def = await client.query<{ indexdef: string }>(
              'select indexdef from pg_indexes where indexname = $1',
              [name],
            );
            expect(def.rows[0]?.indexdef, `${name} is a partial index`).toMatch(/\sWHERE\s/i);
          }
          const planOf = (r: pg.QueryResult) =>
            (r.rows[0] as { 'QUERY PLAN': { Plan: PgNode }[] })['QUERY PLAN'][0]?.Plan as PgNode;
          for (const s of statements) {
            const r = await client.query(`explain (format json) ${s.sql}`, s.parameters as unknown[]);
            const problems = pgProblems(planOf(r));
            if (problems.length) findings.push(`${problems.join('; ')}\n    ${short(s.sql)}`);
          }
          // The backend runs statements with parameters as named prepared statements (db/pg-named-statements.ts),
          // and PostgreSQL may switch such a statement to a generic plan, made without the parameters' values (after
          // five runs, when it looks no dearer): that plan must not scan a growing table either.
          await client.query('set plan_cache_mode = force_generic_plan');
          for (const s of statements) {
            if (s.parameters.length === 0) continue;
            // Our statements bind strings and numbers (and null) only.
            const literal = (v: unknown) =>
              v === null ? 'null' : typeof v === 'number' ? String(v) : client.escapeLiteral(v as string);
            await client.query(`prepare generic_probe as ${s.sql}`);
            try {
              const r = await client.query(
                `explain (format json) execute generic_probe(${s.parameters.map(literal).join(', ')})`,
              );
              const problems = pgProblems(planOf(r));
              if (problems.length) findings.push(`generic plan: ${problems.join('; ')}\n    ${short(s.sql)}`);
            } finally {
              await client.query('deallocate generic_probe');
            }
          }
        } finally {
          await client.end();
        }
      }
      expect(findings, `${findings.length} statement(s) scan a growing table:\n  ${findings.join('\n  ')}`).toEqual([]);
    });

    it('the checks recognise a full scan (so the test above can fail)', () => {
      expect(sqliteProblems([{ detail: 'SCAN accounts' }], 'select * from accounts')).toEqual(['SCAN accounts']);
      expect(
        sqliteProblems(
          [{ detail: 'SCAN invitations USING INDEX invitations_created' }],
          'select * from invitations order by created_at',
        ),
      ).toHaveLength(1);
      expect(
        sqliteProblems(
          [{ detail: 'SCAN invitations USING INDEX invitations_created' }],
          'select * from invitations order by created_at limit ?',
        ),
      ).toEqual([]);
      expect(sqliteProblems([{ detail: 'SEARCH accounts USING INDEX accounts_email (email=?)' }], 'select 1')).toEqual(
        [],
      );
      expect(pgProblems({ 'Node Type': 'Seq Scan', 'Relation Name': 'terms_acceptances' })).toEqual([
        'Seq Scan on terms_acceptances',
      ]);
      expect(
        pgProblems({ 'Node Type': 'Limit', Plans: [{ 'Node Type': 'Index Scan', 'Relation Name': 'invitations' }] }),
      ).toEqual([]);
      expect(pgProblems({ 'Node Type': 'Index Scan', 'Relation Name': 'invitations' })).toHaveLength(1);
    });
  },
);
