/**
 * Seeds N accounts in realistic states (pending, active, idle with reminders due, disabled, terminated, with SEED,
 * expired invitations, sessions, terms, outbox history) through the project's own data layer (openDatabase +
 * migrate + Kysely), in batched inserts inside transactions.
 *
 *   npm run bench:seed -- --accounts 100000 --data-dir /tmp/bench-100k
 *   npm run bench:seed -- --accounts 100000 --database-url postgres://u:p@host:port/bench_100k   (created if missing)
 *
 * `--root <dir>` seeds with another checkout's data layer (the benchmark measures a "before" tree that way).
 * Known credentials for the benchmark: every account's password is SEED_PASSWORD; account i has the session token
 * `benchSessionToken(i)` when it has a session, and invitation i the registration token `benchInvitationToken(i)`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { hash } from '@node-rs/argon2';
import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../src/db/schema';
import { adminActor, auditMany, type AuditEntry } from '../src/db/audit';

export const SEED_PASSWORD = 'Bench-Passw0rd!2026';
export const benchSessionToken = (i: number): string => `bench-session-token-${i}-0123456789abcdef`;
export const benchInvitationToken = (i: number): string => `bench-invitation-token-${i}-0123456789abcdef`;
export const benchUsername = (i: number): string => `bench${i}`;

const DAY = 86_400_000;
const sha256 = (v: string): string => createHash('sha256').update(v).digest('hex');

export interface DataLayer {
  openDatabase(o: { databaseUrl?: string | undefined; dataDir: string }): {
    db: Kysely<DB>;
    dialect: 'sqlite' | 'postgres';
    close(): Promise<void>;
  };
  migrate(db: Kysely<DB>): Promise<void>;
}

export async function loadDataLayer(root: string): Promise<DataLayer> {
  return (await import(resolve(root, 'backend/src/db/connect.ts'))) as DataLayer;
}

/** Which profile account i gets: the shares add up to 100 (per hundred accounts). */
export type Profile =
  | 'active'
  | 'active-idle-d5'
  | 'active-idle-d7'
  | 'active-idle-t4'
  | 'pending'
  | 'pending-d3'
  | 'pending-t3'
  | 'disabled'
  | 'terminated'
  | 'terminated-t9'
  | 'active-pwd-notice'
  | 'active-guarded';

export function profileOf(i: number): Profile {
  const r = i % 100;
  if (r < 60) return 'active';
  if (r < 65) return 'active-idle-d5';
  if (r < 66) return 'active-idle-d7';
  if (r < 67) return 'active-idle-t4';
  if (r < 77) return 'pending';
  if (r < 79) return 'pending-d3';
  if (r < 80) return 'pending-t3';
  if (r < 88) return 'disabled';
  if (r < 90) return 'terminated';
  if (r < 91) return 'terminated-t9';
  if (r < 97) return 'active-pwd-notice';
  return 'active-guarded';
}

/** The first account index with the given profile (the benchmark signs in / reads as these). */
export function firstWithProfile(p: Profile, from = 0): number {
  for (let i = from; ; i++) if (profileOf(i) === p) return i;
}

interface Rows {
  accounts: Insertable<DB['accounts']>[];
  invitations: Insertable<DB['invitations']>[];
  sessions: Insertable<DB['sessions']>[];
  terms: Insertable<DB['terms_acceptances']>[];
  outbox: Insertable<DB['outbox']>[];
  audit: AuditEntry[];
  devices: Insertable<DB['seed_devices']>[];
  codes: Insertable<DB['codes']>[];
}

function rowsFor(i: number, now: number, passwordHash: string, seqBase: number): Rows {
  const p = profileOf(i);
  const id = randomUUID();
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY - (i % 3600) * 1000).toISOString();
  const pending = p.startsWith('pending');
  const state = pending
    ? 'PENDING'
    : p === 'disabled'
      ? 'DISABLED'
      : p.startsWith('terminated')
        ? 'TERMINATED'
        : 'ACTIVE';
  const idleDays: Record<Profile, number> = {
    active: i % 30,
    'active-idle-d5': 61 + (i % 28),
    'active-idle-d7': 173 + (i % 6),
    'active-idle-t4': 91 + (i % 50),
    pending: 0,
    'pending-d3': 0,
    'pending-t3': 0,
    disabled: 100 + (i % 60),
    terminated: 170,
    'terminated-t9': 180,
    'active-pwd-notice': i % 20,
    'active-guarded': 120,
  };
  const createdDays = pending
    ? p === 'pending'
      ? i % 20
      : p === 'pending-d3'
        ? 23 + (i % 6)
        : 31 + (i % 10)
    : 200 + (i % 100);
  const seed = i % 4 === 0;
  const seedExpiredDue = seed && i % 16 === 0 && !pending;
  const seedState = !seed
    ? 'NOT_REQUIRED'
    : seedExpiredDue
      ? 'PROVISIONED'
      : pending
        ? 'PROVISIONED'
        : state === 'ACTIVE'
          ? 'ONBOARDED'
          : 'LICENCE_REVOKED';
  const lastSignIn = pending ? null : at(idleDays[p]);
  const pwdDays = p === 'active-pwd-notice' ? 77 + (i % 10) : pending ? createdDays : Math.min(idleDays[p] + 10, 60);
  const username = benchUsername(i);
  const email = `${username}@vendor.example`;
  const inviter = `pm${i % 50}@tech.gov.sg`;
  const account: Insertable<DB['accounts']> = {
    id,
    username,
    login_id: `${username}@techpass.gov.sg`,
    email,
    first_name: 'Bench',
    last_name: `User ${i}`,
    mobile: `+659${String(1000000 + (i % 8999999)).padStart(7, '0')}`,
    department: 'Bench Agency',
    account_type: p === 'active-guarded' ? (i % 2 ? 'product' : 'vendor') : 'vendor',
    business_operation: seed ? 'offshore' : 'onshore',
    odc: seed ? 'Accenture' : null,
    offshore_ro_name: seed ? 'RO Name' : null,
    offshore_ro_email: seed ? 'ro@vendor.example' : null,
    offshore_company_address: seed ? '1 Bench Road' : null,
    password_delivery: i % 2 ? 'sms' : 'self_set',
    state,
    locked: 0,
    risk_high: 0,
    under_investigation: p === 'active-guarded' && i % 2 === 0 ? 1 : 0,
    onboarding_complete: state === 'ACTIVE' ? 1 : 0,
    mfa_registered: pending ? 0 : 1,
    must_change_password: 0,
    phone_verified: pending ? 0 : 1,
    phone_e164: pending ? null : `+659${String(1000000 + (i % 8999999)).padStart(7, '0')}`,
    created_at: at(createdDays),
    activated_at: pending ? null : at(createdDays - 1),
    last_sign_in_at: lastSignIn,
    status_modified_at: p.startsWith('terminated') ? at(p === 'terminated' ? 2 : 6) : at(createdDays - 1),
    terminated_at: p === 'terminated' ? at(2) : p === 'terminated-t9' ? at(6) : null,
    failed_login_count: 0,
    password_hash: passwordHash,
    initial_password_hash: null,
    password_changed_at: at(pwdDays),
    password_history: '[]',
    totp_secret: pending ? null : 'JBSWY3DPEHPK3PXP',
    totp_pending_secret: null,
    totp_last_step: null,
    inviter_email: inviter,
    seed_state: seedState,
    seed_invite_sent_at: seed ? at(seedExpiredDue ? 35 : 5) : null,
    seed_revoked_at: null,
    last_reminder_key: null,
    last_reminder_at: p === 'active-idle-d5' && i % 3 === 0 ? at(1) : null,
    pwd_expiry_notice_for: null,
  };
  const rows: Rows = {
    accounts: [account],
    invitations: [],
    sessions: [],
    terms: [],
    outbox: [],
    audit: [],
    devices: [],
    codes: [],
  };
  // The invitation the account registered with, plus every tenth account an open one and every twentieth one whose
  // link ran out (D1 due).
  const inv = (
    k: string,
    status: string,
    createdDays: number,
    expiresDays: number,
    token: string,
    accountId: string | null,
  ): Insertable<DB['invitations']> => ({
    id: randomUUID(),
    email: k,
    first_name: 'Bench',
    last_name: `User ${i}`,
    business_operation: seed ? 'offshore' : 'onshore',
    odc: seed ? 'Accenture' : null,
    offshore_company_name: null,
    sponsoring_agency: 'GovTech',
    seed_requested: seed ? 1 : 0,
    password_delivery: i % 2 ? 'sms' : 'self_set',
    inviter_email: inviter,
    token_hash: sha256(token),
    status,
    created_at: at(createdDays),
    expires_at: new Date(now - expiresDays * DAY - (i % 3600) * 1000).toISOString(),
    superseded_by: null,
    account_id: accountId,
    result_notified: status === 'registered' ? 1 : 0,
  });
  rows.invitations.push(
    inv(email, 'registered', createdDays + 1, createdDays - 4, `${benchInvitationToken(i)}-used`, id),
  );
  if (i % 10 === 0)
    rows.invitations.push(inv(`invitee${i}@vendor.example`, 'sent', 1, -4, benchInvitationToken(i), null));
  if (i % 20 === 5)
    rows.invitations.push(inv(`late${i}@vendor.example`, 'sent', 6, 1, `${benchInvitationToken(i)}-late`, null));
  if (state === 'ACTIVE' || state === 'PENDING') {
    const docs = [['privacy', '2025.1'], ['terms-of-use', '2025.1'], ...(seed ? [['mdm-aup', '4.0']] : [])];
    if (state === 'ACTIVE') {
      for (const [doc, version] of docs) {
        rows.terms.push({
          id: randomUUID(),
          account_id: id,
          doc: doc as string,
          version: version as string,
          accepted_at: at(createdDays - 1),
          client: '{"client":"bench"}',
        });
      }
    }
    if (i % 3 === 0 || i < 200) {
      rows.sessions.push({
        token_hash: sha256(benchSessionToken(i)),
        account_id: id,
        kind: 'session',
        created_at: new Date(now - 60_000).toISOString(),
        last_seen_at: new Date(now - 60_000).toISOString(),
        expires_at: new Date(now + 11 * 3600_000).toISOString(),
      });
    }
    if (i % 7 === 0) {
      rows.sessions.push({
        token_hash: sha256(`expired-${i}`),
        account_id: id,
        kind: 'session',
        created_at: at(3),
        last_seen_at: at(3),
        expires_at: at(2),
      });
    }
  }
  if (seed && state === 'ACTIVE' && !seedExpiredDue) {
    rows.devices.push({
      id: randomUUID(),
      account_id: id,
      name: `Laptop ${i}`,
      os: 'Windows 11',
      status: 'onboarded',
      triggered_at: at(30),
      onboarded_at: at(29),
    });
  }
  if (i % 5 === 0) {
    // Codes live minutes and housekeeping removes them a week later: the table holds the last few days' codes.
    const codeAt = new Date(now - (i % 120) * 3600_000).toISOString();
    rows.codes.push({
      id: randomUUID(),
      account_id: id,
      purpose: 'phone',
      target: account.mobile,
      code_hash: sha256(`code-${i}`),
      attempts: 0,
      created_at: codeAt,
      expires_at: codeAt,
      used_at: codeAt,
    });
  }
  // Outbox history: what this account's life sent so far (link, initial password or welcome, a status or two).
  const templates = ['N-REG-LINK', 'N-REG-RESULT', 'N-PHONE-CODE'];
  for (const [k, template] of templates.entries()) {
    rows.outbox.push({
      id: randomUUID(),
      seq: seqBase + k,
      channel: template === 'N-PHONE-CODE' ? 'sms' : 'email',
      recipient: template === 'N-PHONE-CODE' ? account.mobile : email,
      template,
      subject: template === 'N-PHONE-CODE' ? null : 'TechPass',
      body: `Bench message ${template} for ${username}`,
      data: null,
      created_at: at(createdDays),
      status: 'sent',
      attempts: 1,
      next_attempt_at: at(createdDays),
      sent_at: at(createdDays),
      last_error: null,
      claimed_until: null,
    });
  }
  rows.audit.push({
    at: new Date(at(createdDays)),
    actor: adminActor(inviter),
    action: 'invitation.create',
    subject: email,
  });
  return rows;
}

export interface SeedOptions {
  accounts: number;
  dataDir?: string | undefined;
  databaseUrl?: string | undefined;
  root?: string | undefined;
  /** argon2 memory (KiB) of the shared password hash: the server verifies with its own parameters from the hash. */
  log?: (line: string) => void;
}

async function ensurePgDatabase(url: string): Promise<void> {
  const { default: pg } = await import('pg');
  const u = new URL(url);
  const name = u.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}

/** Seeds and returns how long it took; the database must be empty (a fresh data dir or database). */
export async function seed(o: SeedOptions): Promise<{ seconds: number }> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const started = Date.now();
  const root = o.root ?? resolve(__dirname, '../..');
  const layer = await loadDataLayer(root);
  if (o.databaseUrl) await ensurePgDatabase(o.databaseUrl);
  const database = layer.openDatabase({ databaseUrl: o.databaseUrl, dataDir: o.dataDir ?? resolve('.data/bench') });
  const { db } = database;
  try {
    await layer.migrate(db);
    const already = await db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(already.n) > 0)
      throw new Error(`The database already holds ${already.n} accounts: seed into an empty data dir or database.`);
    const passwordHash = await hash(SEED_PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const now = Date.now();
    // Rows per INSERT: below SQLite's and PostgreSQL's bound-parameter limits for the widest table (accounts, 45 cols).
    const ROWS_PER_INSERT = 400;
    const ACCOUNTS_PER_TX = 2000;
    const insert = async <T extends keyof DB>(tx: Kysely<DB>, table: T, rows: Insertable<DB[T]>[]) => {
      for (let k = 0; k < rows.length; k += ROWS_PER_INSERT) {
        await tx
          .insertInto(table)
          .values(rows.slice(k, k + ROWS_PER_INSERT))
          .execute();
      }
    };
    for (let from = 0; from < o.accounts; from += ACCOUNTS_PER_TX) {
      const to = Math.min(o.accounts, from + ACCOUNTS_PER_TX);
      const all: Rows = {
        accounts: [],
        invitations: [],
        sessions: [],
        terms: [],
        outbox: [],
        audit: [],
        devices: [],
        codes: [],
      };
      for (let i = from; i < to; i++) {
        const r = rowsFor(i, now, passwordHash, i * 3 + 1);
        for (const k of Object.keys(all) as (keyof Rows)[]) (all[k] as unknown[]).push(...(r[k] as unknown[]));
      }
      await db.transaction().execute(async (tx) => {
        await insert(tx, 'accounts', all.accounts);
        await insert(tx, 'invitations', all.invitations);
        await insert(tx, 'sessions', all.sessions);
        await insert(tx, 'terms_acceptances', all.terms);
        await insert(tx, 'outbox', all.outbox);
        // Chained like every record the service writes (audit verify passes on a seeded database).
        await auditMany(tx, new Date(now), all.audit);
        await insert(tx, 'seed_devices', all.devices);
        await insert(tx, 'codes', all.codes);
      });
      if (to % 20000 === 0 || to === o.accounts)
        log(`seeded ${to}/${o.accounts} accounts (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
    // The outbox rows above carry their own seq: the counter moves past them (in a version of the project that has one).
    const outbox = (await import(resolve(root, 'backend/src/outbox/outbox-store.ts'))) as {
      advanceOutboxSeqPastRows?: (db: Kysely<DB>) => Promise<void>;
    };
    await outbox.advanceOutboxSeqPastRows?.(db);
    // Fresh statistics, as a database that grew to this size would have. On PostgreSQL also vacuumed, as autovacuum
    // keeps such a database: the rows just inserted would otherwise set off autovacuum on every table 6-16 s after
    // the seed, and a benchmark started then measures the vacuum too (a lifecycle run of 100,000 accounts right after
    // such a seed: 8.15 s with a probe waiting 82 ms; after this seed: 7.58 s and 58 ms).
    const { sql } = await import('kysely');
    await (database.dialect === 'postgres' ? sql`vacuum (analyze)` : sql`analyze`).execute(db);
  } finally {
    await database.close();
  }
  return { seconds: (Date.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      root: { type: 'string' },
    },
  });
  const accounts = Number(values.accounts ?? '1000');
  if (!Number.isInteger(accounts) || accounts < 1)
    throw new Error('--accounts must be a positive whole number, e.g. --accounts 100000');
  if (!values['data-dir'] && !values['database-url'])
    throw new Error('Give --data-dir <dir> (SQLite) or --database-url postgres://… (PostgreSQL).');
  const r = await seed({
    accounts,
    dataDir: values['data-dir'] && resolve(values['data-dir']),
    databaseUrl: values['database-url'],
    root: values.root && resolve(values.root),
  });
  process.stdout.write(`seeded ${accounts} accounts in ${r.seconds.toFixed(1)} s\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
