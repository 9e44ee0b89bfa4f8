import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import { auditRecordHash, GENESIS_HASH, legacyActorType } from '../observability/audit-chain';

/** Versioned migrations, applied in name order on start (Kysely's Migrator keeps the record in kysely_migration). */
const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('invitations')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('email', 'varchar(200)', (c) => c.notNull())
        .addColumn('first_name', 'varchar(100)')
        .addColumn('last_name', 'varchar(100)')
        .addColumn('business_operation', 'varchar(20)', (c) => c.notNull())
        .addColumn('odc', 'varchar(100)')
        .addColumn('offshore_company_name', 'varchar(200)')
        .addColumn('sponsoring_agency', 'varchar(100)', (c) => c.notNull())
        .addColumn('seed_requested', 'integer', (c) => c.notNull())
        .addColumn('password_delivery', 'varchar(20)', (c) => c.notNull())
        .addColumn('inviter_email', 'varchar(200)', (c) => c.notNull())
        .addColumn('token_hash', 'varchar(128)', (c) => c.notNull().unique())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('superseded_by', 'varchar(64)')
        .addColumn('account_id', 'varchar(64)')
        .addColumn('result_notified', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('invitations_email').on('invitations').column('email').execute();

      await db.schema
        .createTable('accounts')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('username', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('login_id', 'varchar(200)', (c) => c.notNull().unique())
        .addColumn('email', 'varchar(200)', (c) => c.notNull())
        .addColumn('first_name', 'varchar(100)', (c) => c.notNull())
        .addColumn('last_name', 'varchar(100)', (c) => c.notNull())
        .addColumn('mobile', 'varchar(20)', (c) => c.notNull())
        .addColumn('department', 'varchar(100)', (c) => c.notNull())
        .addColumn('account_type', 'varchar(20)', (c) => c.notNull())
        .addColumn('business_operation', 'varchar(20)', (c) => c.notNull())
        .addColumn('odc', 'varchar(100)')
        .addColumn('offshore_ro_name', 'varchar(100)')
        .addColumn('offshore_ro_email', 'varchar(200)')
        .addColumn('offshore_company_address', 'varchar(300)')
        .addColumn('password_delivery', 'varchar(20)', (c) => c.notNull())
        .addColumn('state', 'varchar(20)', (c) => c.notNull())
        .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('risk_high', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('under_investigation', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('onboarding_complete', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('mfa_registered', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('phone_verified', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('phone_e164', 'varchar(20)')
        .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('activated_at', 'varchar(40)')
        .addColumn('last_sign_in_at', 'varchar(40)')
        .addColumn('status_modified_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('terminated_at', 'varchar(40)')
        .addColumn('failed_login_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('password_hash', 'varchar(200)', (c) => c.notNull())
        .addColumn('initial_password_hash', 'varchar(200)')
        .addColumn('password_changed_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('password_history', 'text', (c) => c.notNull())
        .addColumn('totp_secret', 'varchar(100)')
        .addColumn('totp_pending_secret', 'varchar(100)')
        .addColumn('totp_last_step', 'bigint')
        .addColumn('inviter_email', 'varchar(200)')
        .addColumn('seed_state', 'varchar(30)', (c) => c.notNull())
        .addColumn('seed_invite_sent_at', 'varchar(40)')
        .addColumn('seed_revoked_at', 'varchar(40)')
        .addColumn('last_reminder_key', 'varchar(60)')
        .addColumn('last_reminder_at', 'varchar(40)')
        .addColumn('pwd_expiry_notice_for', 'varchar(40)')
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('token_hash', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('last_seen_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();

      await db.schema
        .createTable('codes')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('purpose', 'varchar(30)', (c) => c.notNull())
        .addColumn('target', 'varchar(200)', (c) => c.notNull())
        .addColumn('code_hash', 'varchar(128)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('used_at', 'varchar(40)')
        .execute();
      await db.schema.createIndex('codes_account').on('codes').columns(['account_id', 'purpose']).execute();

      await db.schema
        .createTable('terms_acceptances')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('doc', 'varchar(30)', (c) => c.notNull())
        .addColumn('version', 'varchar(20)', (c) => c.notNull())
        .addColumn('accepted_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('client', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('seed_devices')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('os', 'varchar(100)', (c) => c.notNull())
        .addColumn('status', 'varchar(40)', (c) => c.notNull())
        .addColumn('triggered_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('onboarded_at', 'varchar(40)')
        .execute();

      await db.schema
        .createTable('outbox')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('channel', 'varchar(10)', (c) => c.notNull())
        .addColumn('recipient', 'varchar(200)', (c) => c.notNull())
        .addColumn('template', 'varchar(40)', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('data', 'text')
        .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('sent_at', 'varchar(40)')
        .addColumn('last_error', 'text')
        .addColumn('claimed_until', 'varchar(40)')
        .execute();
      await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();

      await db.schema
        .createTable('idempotency_keys')
        .addColumn('scope', 'varchar(400)', (c) => c.primaryKey())
        .addColumn('body_hash', 'varchar(128)', (c) => c.notNull())
        .addColumn('status_code', 'integer', (c) => c.notNull())
        .addColumn('response', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('at', 'varchar(40)', (c) => c.notNull())
        .addColumn('actor', 'varchar(200)', (c) => c.notNull())
        .addColumn('action', 'varchar(60)', (c) => c.notNull())
        .addColumn('subject', 'varchar(200)', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('signin_failures')
        .addColumn('key', 'varchar(200)', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('rate_limits')
        .addColumn('key', 'varchar(200)', (c) => c.primaryKey())
        .addColumn('window_start', 'varchar(40)', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('job_locks')
        .addColumn('name', 'varchar(60)', (c) => c.primaryKey())
        .addColumn('locked_until', 'varchar(40)', (c) => c.notNull())
        .addColumn('owner', 'varchar(64)', (c) => c.notNull())
        .execute();
      await sql`select 1`.execute(db);
    },
  },
  '0100_security_counters': {
    // Every security counter and single-use rule is decided by the database in one statement (see the services):
    // a per-MFA-token attempt counter, an account-wide counter of wrong authenticator codes, one live invitation
    // and one live account per email as unique indexes, and sealed TOTP secrets that outgrow varchar(100).
    async up(db: Kysely<unknown>) {
      const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
      await db.schema
        .alterTable('accounts')
        .addColumn('mfa_failed_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('sessions')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      if (postgres) {
        await sql`alter table accounts alter column totp_secret type text, alter column totp_pending_secret type text`.execute(
          db,
        );
      }
      // Older rows may hold several live invitations for one email (the race this index closes): the newest stays live.
      await sql`
        update invitations set status = 'superseded'
        where status = 'sent' and exists (
          select 1 from invitations newer
          where newer.status = 'sent' and lower(newer.email) = lower(invitations.email)
            and (newer.created_at > invitations.created_at or (newer.created_at = invitations.created_at and newer.id > invitations.id))
        )`.execute(db);
      await sql`create unique index invitations_one_live_per_email on invitations (lower(email)) where status = 'sent'`.execute(
        db,
      );
      const dup = await sql<{ email: string }>`
        select lower(email) as email from accounts where state in ('PENDING', 'ACTIVE', 'DISABLED')
        group by lower(email) having count(*) > 1`.execute(db);
      if (dup.rows.length > 0) {
        throw new Error(
          `${dup.rows.length} email address(es) have more than one live account (e.g. ${dup.rows[0]?.email ?? ''}). ` +
            'Terminate the duplicates with the admin CLI (npm run admin -- account terminate <username>), then start again.',
        );
      }
      await sql`create unique index accounts_one_live_per_email on accounts (lower(email)) where state in ('PENDING', 'ACTIVE', 'DISABLED')`.execute(
        db,
      );
      await db.schema.createIndex('rate_limits_window').on('rate_limits').column('window_start').execute();
    },
  },
  '0200_secrets_at_rest_and_admin_keys': {
    // Sent outbox rows and idempotency records are purged by age in bounded batches, so their timestamps are indexed.
    // Named admin API keys: only a SHA-256 hash of each (high-entropy) key is kept.
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('outbox_sent').on('outbox').columns(['status', 'sent_at']).execute();
      await db.schema.createIndex('idempotency_created').on('idempotency_keys').column('created_at').execute();
      await db.schema
        .createTable('admin_keys')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(100)', (c) => c.notNull().unique())
        .addColumn('role', 'varchar(20)', (c) => c.notNull())
        .addColumn('principal', 'varchar(200)', (c) => c.notNull())
        .addColumn('key_hash', 'varchar(128)', (c) => c.notNull().unique())
        .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
        .addColumn('revoked_at', 'varchar(40)')
        .addColumn('last_used_at', 'varchar(40)')
        .execute();
    },
  },
  '0300_indexes_for_scale': {
    // Every statement on a request path or in a job reads through an index, so costs stay flat as accounts grow.
    // The lifecycle job asks per deadline for what is due: the composite indexes below match those queries
    // (state first, then the timestamp the deadline counts from, then id for keyset paging).
    async up(db: Kysely<unknown>) {
      const index = (name: string, table: string, columns: string[]) =>
        db.schema.createIndex(name).on(table).columns(columns).execute();
      await index('terms_acceptances_account', 'terms_acceptances', ['account_id', 'doc', 'version']);
      await index('seed_devices_account', 'seed_devices', ['account_id']);
      await index('accounts_email', 'accounts', ['email']);
      await index('outbox_seq', 'outbox', ['seq']);
      await index('invitations_due', 'invitations', ['status', 'expires_at', 'id']);
      await index('invitations_created', 'invitations', ['created_at', 'id']);
      await index('sessions_expires', 'sessions', ['expires_at']);
      await index('codes_expires', 'codes', ['expires_at']);
      await index('codes_purpose_hash', 'codes', ['purpose', 'code_hash']);
      await index('signin_failures_updated', 'signin_failures', ['updated_at']);
      await index('audit_log_at', 'audit_log', ['at']);
      await index('accounts_created_due', 'accounts', ['state', 'created_at', 'id']);
      await index('accounts_seed_due', 'accounts', ['seed_state', 'seed_invite_sent_at', 'id']);
      await sql`create index accounts_idle_due on accounts (state, (coalesce(last_sign_in_at, activated_at, created_at)), id)`.execute(
        db,
      );
      await sql`create index accounts_terminated_due on accounts (state, (coalesce(terminated_at, status_modified_at)), id)`.execute(
        db,
      );
      // Only accounts still owed a password-expiry notice for their current password are in this index, so the due
      // query never walks the (many) accounts already told.
      await sql`create index accounts_password_notice_due on accounts (password_changed_at, id)
        where state in ('PENDING', 'ACTIVE') and must_change_password = 0
          and (pwd_expiry_notice_for is null or pwd_expiry_notice_for <> password_changed_at)`.execute(db);
    },
  },
  '0301_invitations_by_inviter': {
    // An inviter's own invitations, newest first, paged by (created_at, id).
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('invitations_inviter_created')
        .on('invitations')
        .columns(['inviter_email', 'created_at', 'id'])
        .execute();
    },
  },
  '0400_account_locale_and_terms_language': {
    // The language of an account's emails and SMS, and the language each legal text was accepted in. Rows from
    // before languages existed were English, so both default to 'en'.
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('accounts')
        .addColumn('locale', 'varchar(16)', (c) => c.notNull().defaultTo('en'))
        .execute();
      await db.schema
        .alterTable('terms_acceptances')
        .addColumn('language', 'varchar(16)', (c) => c.notNull().defaultTo('en'))
        .execute();
    },
  },
  '0410_audit_chain_and_funnel': {
    // The audit log becomes a hash chain: each record has its position (seq), the hash of the record before it and
    // its own, so a changed or removed record shows (db/audit.ts). One row holds the chain head; appends lock
    // it, so two appends never take the same position. Each onboarding step keeps the moment it was first reached,
    // so the funnel report reads one row per invitation instead of deriving it from the audit log.
    async up(db: Kysely<unknown>) {
      const alter = (column: string, type: 'varchar(40)' | 'varchar(20)' | 'varchar(64)' | 'varchar(100)') =>
        db.schema.alterTable('audit_log').addColumn(column, type).execute();
      await db.schema.alterTable('audit_log').addColumn('seq', 'bigint').execute();
      await alter('actor_type', 'varchar(20)');
      await alter('outcome', 'varchar(20)');
      await alter('request_id', 'varchar(100)');
      await alter('prev_hash', 'varchar(64)');
      await alter('hash', 'varchar(64)');
      await db.schema
        .createTable('audit_chain_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'varchar(64)', (c) => c.notNull())
        .execute();
      // Records written before the chain existed are chained in their time order, once.
      const old = await sql<{
        id: string;
        at: string;
        actor: string;
        action: string;
        subject: string;
        details: string;
      }>`
        select id, at, actor, action, subject, details from audit_log order by at, id`.execute(db);
      let prev = GENESIS_HASH;
      let seq = 0;
      for (const r of old.rows) {
        seq += 1;
        const record = {
          seq,
          id: r.id,
          at: r.at,
          actorType: legacyActorType(r.actor),
          actor: r.actor,
          action: r.action,
          subject: r.subject,
          outcome: 'success',
          requestId: null,
          details: r.details,
        };
        const hash = auditRecordHash(prev, record);
        await sql`update audit_log set seq = ${seq}, actor_type = ${record.actorType}, outcome = 'success', prev_hash = ${prev}, hash = ${hash} where id = ${r.id}`.execute(
          db,
        );
        prev = hash;
      }
      await sql`insert into audit_chain_head (id, seq, hash) values (1, ${seq}, ${prev})`.execute(db);
      const index = (name: string, columns: string[], unique = false) => {
        const b = db.schema.createIndex(name).on('audit_log').columns(columns);
        return (unique ? b.unique() : b).execute();
      };
      await index('audit_log_seq', ['seq'], true);
      await index('audit_log_subject_seq', ['subject', 'seq']);
      await index('audit_log_actor_seq', ['actor', 'seq']);
      await index('audit_log_action_seq', ['action', 'seq']);
      await index('audit_log_at_seq', ['at', 'seq']);
      // Append-only in the database too: an UPDATE or DELETE of a record is refused (whoever can drop the trigger
      // can also edit records; the hash chain is what shows that).
      const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
      if (postgres) {
        await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
          begin raise exception 'audit_log is append-only: records are never changed or removed'; end $$`.execute(db);
        await sql`create trigger audit_log_append_only before update or delete on audit_log for each row execute function audit_log_append_only()`.execute(
          db,
        );
      } else {
        for (const op of ['update', 'delete']) {
          await sql`create trigger ${sql.raw(`audit_log_no_${op}`)} before ${sql.raw(op)} on audit_log
            begin select raise(abort, 'audit_log is append-only: records are never changed or removed'); end`.execute(
            db,
          );
        }
      }

      const account = (column: string) => db.schema.alterTable('accounts').addColumn(column, 'varchar(40)').execute();
      for (const c of [
        'first_sign_in_at',
        'mfa_registered_at',
        'phone_verified_at',
        'password_first_changed_at',
        'terms_accepted_at',
        'onboarding_completed_at',
        'seed_device_at',
      ]) {
        await account(c);
      }
      await db.schema.alterTable('invitations').addColumn('opened_at', 'varchar(40)').execute();
      // What older rows tell: activation is the authenticator step, a sign-in happened if one was recorded.
      await sql`update accounts set mfa_registered_at = activated_at where mfa_registered = 1 and activated_at is not null`.execute(
        db,
      );
      await sql`update accounts set first_sign_in_at = coalesce(activated_at, last_sign_in_at) where last_sign_in_at is not null`.execute(
        db,
      );
      await sql`update invitations set opened_at = created_at where account_id is not null`.execute(db);
      // The age of the oldest waiting message is read at every metrics scrape: the first entry of this index.
      await db.schema.createIndex('outbox_status_created').on('outbox').columns(['status', 'created_at']).execute();
    },
  },
  '0420_outbox_delivery_subjects': {
    // Each message names the account and/or invitation it reports on, so support and the signed-in user can read the
    // delivery state of that subject's messages (newest first) without scanning the outbox; attempted_at is the time
    // of the last attempt, for "failed 2 minutes ago".
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('outbox').addColumn('account_id', 'varchar(64)').execute();
      await db.schema.alterTable('outbox').addColumn('invitation_id', 'varchar(64)').execute();
      await db.schema.alterTable('outbox').addColumn('attempted_at', 'varchar(40)').execute();
      await db.schema.createIndex('outbox_account').on('outbox').columns(['account_id', 'seq']).execute();
      await db.schema.createIndex('outbox_invitation').on('outbox').columns(['invitation_id', 'seq']).execute();
    },
  },
  '0430_outbox_seq_counter': {
    // An outbox row's seq came from max(seq) + 1, which concurrent PostgreSQL transactions read alike: it now comes
    // from an atomic counter (a sequence on PostgreSQL, a counter row on SQLite) and the index refuses a repeat.
    // Repeats already written are renumbered first, in the order they had.
    async up(db: Kysely<unknown>) {
      const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
      const repeats = await sql<{
        n: number;
      }>`select count(*) as n from (select seq from outbox group by seq having count(*) > 1) r`.execute(db);
      if (Number(repeats.rows[0]?.n ?? 0) > 0) {
        await (
          postgres
            ? sql`update outbox set seq = r.n from (select id, row_number() over (order by seq, created_at, id) as n from outbox) r where outbox.id = r.id`
            : sql`update outbox set seq = (select r.n from (select id, row_number() over (order by seq, created_at, id) as n from outbox) r where r.id = outbox.id)`
        ).execute(db);
      }
      if (postgres) {
        await sql`create sequence outbox_seq_counter`.execute(db);
        await sql`select setval('outbox_seq_counter', (select coalesce(max(seq), 0) from outbox) + 1, false)`.execute(
          db,
        );
      } else {
        await sql`create table outbox_seq_counter (id integer primary key check (id = 1), value bigint not null)`.execute(
          db,
        );
        await sql`insert into outbox_seq_counter (id, value) select 1, coalesce(max(seq), 0) from outbox`.execute(db);
      }
      await db.schema.dropIndex('outbox_seq').execute();
      await db.schema.createIndex('outbox_seq').unique().on('outbox').column('seq').execute();
    },
  },
  '0440_outbox_partial_status_indexes': {
    // The outbox's status indexes hold only the rows their queries look for: waiting rows (claims, queue gauges)
    // and sent rows (the retention purge). Before, every row sat in three (status, …) indexes, so marking a message
    // sent moved three entries; now it removes two and adds one, and the waiting indexes stay as small as the queue.
    // Claims read the waiting rows in seq order and stop at their limit (before, every claim sorted all due rows).
    // The queries name the status as a literal: SQLite uses a partial index only for a condition it can see when it
    // prepares the statement.
    async up(db: Kysely<unknown>) {
      await db.schema.dropIndex('outbox_due').execute();
      await db.schema.dropIndex('outbox_sent').execute();
      await db.schema.dropIndex('outbox_status_created').execute();
      await sql`create index outbox_waiting_seq on outbox (seq, next_attempt_at) where status = 'pending'`.execute(db);
      await sql`create index outbox_waiting_created on outbox (created_at, channel) where status = 'pending'`.execute(
        db,
      );
      await sql`create index outbox_sent_at on outbox (sent_at) where status = 'sent'`.execute(db);
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
