import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';

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
      await db.schema.alterTable('accounts').addColumn('mfa_failed_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('sessions').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      if (postgres) {
        await sql`alter table accounts alter column totp_secret type text, alter column totp_pending_secret type text`.execute(db);
      }
      // Older rows may hold several live invitations for one email (the race this index closes): the newest stays live.
      await sql`
        update invitations set status = 'superseded'
        where status = 'sent' and exists (
          select 1 from invitations newer
          where newer.status = 'sent' and lower(newer.email) = lower(invitations.email)
            and (newer.created_at > invitations.created_at or (newer.created_at = invitations.created_at and newer.id > invitations.id))
        )`.execute(db);
      await sql`create unique index invitations_one_live_per_email on invitations (lower(email)) where status = 'sent'`.execute(db);
      const dup = await sql<{ email: string }>`
        select lower(email) as email from accounts where state in ('PENDING', 'ACTIVE', 'DISABLED')
        group by lower(email) having count(*) > 1`.execute(db);
      if (dup.rows.length > 0) {
        throw new Error(
          `${dup.rows.length} email address(es) have more than one live account (e.g. ${dup.rows[0]?.email ?? ''}). ` +
            'Terminate the duplicates with the admin CLI (npm run admin -- account terminate <username>), then start again.',
        );
      }
      await sql`create unique index accounts_one_live_per_email on accounts (lower(email)) where state in ('PENDING', 'ACTIVE', 'DISABLED')`.execute(db);
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
      const index = (name: string, table: string, columns: string[]) => db.schema.createIndex(name).on(table).columns(columns).execute();
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
      await sql`create index accounts_idle_due on accounts (state, (coalesce(last_sign_in_at, activated_at, created_at)), id)`.execute(db);
      await sql`create index accounts_terminated_due on accounts (state, (coalesce(terminated_at, status_modified_at)), id)`.execute(db);
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
      await db.schema.createIndex('invitations_inviter_created').on('invitations').columns(['inviter_email', 'created_at', 'id']).execute();
    },
  },
  '0400_account_locale_and_terms_language': {
    // The language of an account's emails and SMS, and the language each legal text was accepted in. Rows from
    // before languages existed were English, so both default to 'en'.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('accounts').addColumn('locale', 'varchar(16)', (c) => c.notNull().defaultTo('en')).execute();
      await db.schema.alterTable('terms_acceptances').addColumn('language', 'varchar(16)', (c) => c.notNull().defaultTo('en')).execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
