import type { Generated } from 'kysely';

/** Table types. Timestamps are ISO-8601 UTC strings (sortable, identical on SQLite and PostgreSQL); booleans are 0/1. */
export interface InvitationTable {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  business_operation: string;
  odc: string | null;
  offshore_company_name: string | null;
  sponsoring_agency: string;
  seed_requested: number;
  password_delivery: string;
  inviter_email: string;
  token_hash: string;
  status: string;
  created_at: string;
  expires_at: string;
  superseded_by: string | null;
  account_id: string | null;
  result_notified: number;
  /** When the registration link was first opened. */
  opened_at?: string | null;
}

export interface AccountTable {
  id: string;
  username: string;
  login_id: string;
  email: string;
  first_name: string;
  last_name: string;
  mobile: string;
  department: string;
  account_type: string;
  business_operation: string;
  odc: string | null;
  offshore_ro_name: string | null;
  offshore_ro_email: string | null;
  offshore_company_address: string | null;
  password_delivery: string;
  state: string;
  locked: number;
  risk_high: number;
  under_investigation: number;
  onboarding_complete: number;
  mfa_registered: number;
  must_change_password: number;
  phone_verified: number;
  phone_e164: string | null;
  created_at: string;
  activated_at: string | null;
  last_sign_in_at: string | null;
  status_modified_at: string;
  terminated_at: string | null;
  failed_login_count: number;
  /** Wrong authenticator codes in a row, across MFA tokens; at the limit the account locks. */
  mfa_failed_count: Generated<number>;
  /** The language of the account's emails and SMS (a SUPPORTED_LOCALES tag), chosen in the wizard. */
  locale: Generated<string>;
  password_hash: string;
  initial_password_hash: string | null;
  password_changed_at: string;
  password_history: string;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: number | null;
  inviter_email: string | null;
  seed_state: string;
  seed_invite_sent_at: string | null;
  seed_revoked_at: string | null;
  last_reminder_key: string | null;
  last_reminder_at: string | null;
  pwd_expiry_notice_for: string | null;
  /** When each onboarding step was first reached (the funnel report); null until then. */
  first_sign_in_at: Generated<string | null>;
  mfa_registered_at: Generated<string | null>;
  phone_verified_at: Generated<string | null>;
  password_first_changed_at: Generated<string | null>;
  terms_accepted_at: Generated<string | null>;
  onboarding_completed_at: Generated<string | null>;
  seed_device_at: Generated<string | null>;
}

export interface SessionTable {
  token_hash: string;
  account_id: string;
  kind: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  /** Codes tried on an MFA token (reserved before each is judged). */
  attempts: Generated<number>;
}

export interface CodeTable {
  id: string;
  account_id: string;
  purpose: string;
  target: string;
  code_hash: string;
  attempts: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface TermsAcceptanceTable {
  id: string;
  account_id: string;
  doc: string;
  version: string;
  accepted_at: string;
  client: string;
  /** The language the accepted text was shown in (a SUPPORTED_LOCALES tag). */
  language: Generated<string>;
}

export interface SeedDeviceTable {
  id: string;
  account_id: string;
  name: string;
  os: string;
  status: string;
  triggered_at: string;
  onboarded_at: string | null;
}

export interface OutboxTable {
  id: string;
  seq: number;
  channel: string;
  recipient: string;
  template: string;
  subject: string | null;
  body: string;
  data: string | null;
  created_at: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  sent_at: string | null;
  last_error: string | null;
  claimed_until: string | null;
  /** The account the message reports on (null for a message about an invitation only, or from before 0420). */
  account_id: string | null;
  /** The invitation the message reports on (the invitation email, the inviter's outcome emails). */
  invitation_id: string | null;
  /** When the last delivery attempt ended (null until the first attempt). */
  attempted_at: string | null;
}

export interface IdempotencyTable {
  scope: string;
  body_hash: string;
  status_code: number;
  response: string;
  created_at: string;
}

export interface AuditTable {
  id: string;
  /** Position in the hash chain (1, 2, …); null only before migration 0410 chained the old rows. */
  seq: number | null;
  at: string;
  /** account | admin | system | anonymous */
  actor_type: string | null;
  actor: string;
  action: string;
  subject: string;
  /** success | failure */
  outcome: string | null;
  request_id: string | null;
  details: string;
  prev_hash: string | null;
  hash: string | null;
}

/** One row (id = 1): the position and hash of the last audit record. */
export interface AuditChainHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface SigninFailureTable {
  key: string;
  count: number;
  updated_at: string;
}

export interface RateLimitTable {
  key: string;
  window_start: string;
  count: number;
}

export interface AdminKeyTable {
  id: string;
  /** Unique label, e.g. `portal-agency-x` or `pm.lee`. */
  name: string;
  /** inviter | support | it (features/admin/keys.ts). */
  role: string;
  /** The person or system the key stands for; recorded as the actor of every action made with it. */
  principal: string;
  key_hash: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface JobLockTable {
  name: string;
  locked_until: string;
  owner: string;
}

export interface DB {
  invitations: InvitationTable;
  accounts: AccountTable;
  sessions: SessionTable;
  codes: CodeTable;
  terms_acceptances: TermsAcceptanceTable;
  seed_devices: SeedDeviceTable;
  outbox: OutboxTable;
  idempotency_keys: IdempotencyTable;
  audit_log: AuditTable;
  audit_chain_head: AuditChainHeadTable;
  signin_failures: SigninFailureTable;
  rate_limits: RateLimitTable;
  job_locks: JobLockTable;
  admin_keys: AdminKeyTable;
}
