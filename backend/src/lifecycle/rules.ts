/**
 * Lifecycle rules (domain.md §2.1, §2.2, §2.3, §2.5) as pure functions: given an account (or an invitation), the
 * current time and the deadlines, which actions are due now. The scheduler (backend/src/jobs) loads rows, maps them
 * onto the input shapes below, applies each action in its own transaction with a conditional update on the state it
 * starts from, and queues the emails.
 *
 * Reading of "day N" (domain.md §2.5): N×24 h have elapsed since the start point. So with the defaults:
 * - PENDING (D2/D3, T3), from createdAt: day 22 nothing; day 23–29 a daily N-REMIND-TERM-PENDING; day 30 TERMINATE.
 *   Signing in does not help a PENDING account: only enrolling the authenticator (→ ACTIVE) does.
 * - ACTIVE (D5/D6, T4), idle from the last sign-in: day 60 nothing; day 61–89 a daily N-REMIND-DISABLE; day 90 DISABLE
 *   (and the SEED licence is revoked).
 * - ACTIVE or DISABLED (D7/D8, T6): day 172 nothing; day 173–179 a daily N-REMIND-TERM; day 180 TERMINATE.
 * - TERMINATED (D4, T9): 5 days after terminatedAt, DELETE.
 * - Guards on T3, T4, T6, T9: account type `product`; statusModifiedAt less than 5 days ago (D9 grace, e.g. after a
 *   re-enable); under investigation. A guarded transition is skipped (reported in `skipped`). Reminders are not
 *   sent to product accounts or accounts under investigation; during a grace period they are sent with the deadline
 *   moved to the end of the grace (when the transition can really happen).
 * - At most one reminder per SGT calendar day (`lastReminderAt`).
 * - SEED (D10): PROVISIONED with the email sent 30 days ago or more → SEED_INVITE_EXPIRED (no guards: it is a fact
 *   about the email, not a sanction).
 * - Password expiry (§4.4): LOCAL accounts, PENDING or ACTIVE, not forced to change the password: one notice per
 *   password, from 14 days before it expires (passwordChangedAt + 90 days).
 * - Invitations (D1): SENT and expiresAt (default sentAt + 5 days) reached → EXPIRE_INVITATION; the inviter is told.
 */
import type { Deadlines } from '../../../shared/domain/deadlines';
import {
  DEFAULT_DEADLINES,
  passwordExpired,
  passwordExpiresAt,
  passwordExpiryNoticeFrom,
  sameSgtDay,
} from '../../../shared/domain/deadlines';
import { invitationStatusAt } from '../../../shared/domain/invitation-rules';
import { holdsSeedLicence } from '../../../shared/domain/seed-provision';
import type { AccountState, SeedState } from '../../../shared/domain/states';

/** An ISO-8601 string (as stored in the database) or a Date. */
export type Instant = Date | string;

export type { AccountState, SeedState };

/**
 * What the rules need to know about an account. Map a database row with `lifecycleAccountFromRow` or by hand:
 * every field corresponds to one column of `accounts`.
 */
export interface LifecycleAccount {
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- names the known values; any string is accepted
  state: AccountState | string;
  /** `public_officer` | `vendor` | `temp` | `others` | `product` (product accounts are exempt). */
  accountType: string;
  /** UNDER_INVESTIGATION flag (F3). */
  underInvestigation: boolean;
  createdAt: Instant;
  /** When the authenticator was enrolled (T2); used as the idle start when there is no sign-in yet. */
  activatedAt?: Instant | null;
  /** Last successful interactive sign-in; resets the idle clocks. */
  lastSignInAt?: Instant | null;
  /** Last state change by anyone (T8 re-enable sets it): starts the D9 grace. */
  statusModifiedAt: Instant;
  /** Set when the account became TERMINATED (T9 counts from it; falls back to statusModifiedAt). */
  terminatedAt?: Instant | null;
  /** When the last D3/D5/D7 reminder was queued (any of them): at most one per SGT day. */
  lastReminderAt?: Instant | null;
  /** LOCAL (username@techpass.gov.sg, has a password) or FEDERATED (no TechPass password). Default LOCAL. */
  idKind?: 'LOCAL' | 'FEDERATED';
  /** MUST_CHANGE_PASSWORD (SMS initial password not changed yet): no expiry notice. */
  mustChangePassword: boolean;
  /** When the current password was set; null/absent = no expiry tracking. */
  passwordChangedAt?: Instant | null;
  /** The passwordChangedAt value the last expiry notice was sent for (one notice per password). */
  passwordExpiryNoticeFor?: Instant | null;
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- names the known values; any string is accepted
  seedState: SeedState | string;
  /** When the SEED onboarding email was queued (D10 counts from it; a re-issue resets it). */
  seedInviteSentAt?: Instant | null;
}

export type ReminderTemplate = 'N-REMIND-TERM-PENDING' | 'N-REMIND-DISABLE' | 'N-REMIND-TERM';

export type Action =
  /** T3 (never activated) or T6 (180 days idle): → TERMINATED, set terminatedAt; email N-STATUS to holder and requestor. */
  | { type: 'TERMINATE'; rule: 'T3' | 'T6'; reason: string }
  /** T4: ACTIVE → DISABLED; email N-STATUS; when `revokeSeed`, seed → LICENCE_REVOKED and email N-SEED-REVOKED. */
  | { type: 'DISABLE'; rule: 'T4'; reason: string; revokeSeed: boolean }
  /** T9: hard delete (N-STATUS "deleted"). */
  | { type: 'DELETE'; rule: 'T9'; reason: string }
  /** D3/D5/D7: queue `template` with data `{ loginId, deadline }` and set lastReminderAt = now. */
  | { type: 'REMIND'; rule: 'D3' | 'D5' | 'D7'; template: ReminderTemplate; deadline: Date }
  /** D10: seed → INVITE_EXPIRED. */
  | { type: 'SEED_INVITE_EXPIRED'; rule: 'D10'; expiredAt: Date }
  /** §4.4: queue N-PWD-EXPIRY with `{ loginId, expiresAt }`; set passwordExpiryNoticeFor = passwordChangedAt. */
  | { type: 'PASSWORD_EXPIRY_NOTICE'; rule: 'PWD-EXPIRY'; expiresAt: Date };

export type Guard = 'product' | 'grace' | 'under-investigation';

export interface Evaluation {
  actions: Action[];
  /** Transitions that were due but held back by a guard (for the job report). */
  skipped: { rule: 'T3' | 'T4' | 'T6' | 'T9'; guard: Guard }[];
}

const ms = (v: Instant): number => (v instanceof Date ? v.getTime() : new Date(v).getTime());
const opt = (v: Instant | null | undefined): number | undefined => (v === null || v === undefined ? undefined : ms(v));

/** Like `evaluateAccount`, and also says which due transitions a guard held back. */
export function explainAccount(a: LifecycleAccount, now: Date, deadlines: Deadlines = DEFAULT_DEADLINES): Evaluation {
  const d = deadlines;
  const t = now.getTime();
  const out: Evaluation = { actions: [], skipped: [] };
  const secondsSince = (from: number) => (t - from) / 1000;
  const after = (from: number, seconds: number) => new Date(from + seconds * 1000);

  const graceEnds = ms(a.statusModifiedAt) + d.statusChangeGrace * 1000;
  const guard: Guard | undefined =
    a.accountType === 'product'
      ? 'product'
      : a.underInvestigation
        ? 'under-investigation'
        : t < graceEnds
          ? 'grace'
          : undefined;
  // Reminders: never for product accounts or under investigation; once per SGT day.
  const lastReminder = opt(a.lastReminderAt);
  const mayRemind =
    guard !== 'product' &&
    guard !== 'under-investigation' &&
    (lastReminder === undefined || !sameSgtDay(new Date(lastReminder), now));
  const remind = (rule: 'D3' | 'D5' | 'D7', template: ReminderTemplate, due: Date) => {
    if (mayRemind)
      out.actions.push({ type: 'REMIND', rule, template, deadline: new Date(Math.max(due.getTime(), graceEnds)) });
  };
  const transition = (rule: 'T3' | 'T4' | 'T6' | 'T9', action: Action) => {
    if (guard) out.skipped.push({ rule, guard });
    else out.actions.push(action);
  };

  switch (a.state) {
    case 'PENDING': {
      const created = ms(a.createdAt);
      const age = secondsSince(created);
      if (age >= d.activationWindow) {
        transition('T3', { type: 'TERMINATE', rule: 'T3', reason: 'not activated within 30 days' });
      } else if (age >= d.preActivationReminderFrom) {
        remind('D3', 'N-REMIND-TERM-PENDING', after(created, d.activationWindow));
      }
      break;
    }
    case 'ACTIVE':
    case 'DISABLED': {
      const since = opt(a.lastSignInAt) ?? opt(a.activatedAt) ?? ms(a.createdAt);
      const idle = secondsSince(since);
      if (idle >= d.inactivityTerminate) {
        transition('T6', { type: 'TERMINATE', rule: 'T6', reason: 'no sign-in for 180 days' });
      } else if (a.state === 'ACTIVE' && idle >= d.inactivityDisable) {
        transition('T4', {
          type: 'DISABLE',
          rule: 'T4',
          reason: 'no sign-in for 90 days',
          revokeSeed: holdsSeedLicence(a.seedState),
        });
        // A guarded ACTIVE account past day 90 still hears about the coming termination.
        if (guard && idle >= d.inactivityTerminateWarningFrom)
          remind('D7', 'N-REMIND-TERM', after(since, d.inactivityTerminate));
        else if (guard) remind('D5', 'N-REMIND-DISABLE', after(since, d.inactivityDisable));
      } else if (idle >= d.inactivityTerminateWarningFrom) {
        remind('D7', 'N-REMIND-TERM', after(since, d.inactivityTerminate));
      } else if (a.state === 'ACTIVE' && idle >= d.inactivityDisableWarningFrom) {
        remind('D5', 'N-REMIND-DISABLE', after(since, d.inactivityDisable));
      }
      break;
    }
    case 'TERMINATED': {
      const terminated = opt(a.terminatedAt) ?? ms(a.statusModifiedAt);
      if (secondsSince(terminated) >= d.deleteAfterTermination) {
        // The grace guard would coincide with D4 here; product and investigation still hold the delete back.
        if (guard && guard !== 'grace') out.skipped.push({ rule: 'T9', guard });
        else out.actions.push({ type: 'DELETE', rule: 'T9', reason: '5 days after termination' });
      }
      break;
    }
    default:
      break;
  }

  const seedSent = opt(a.seedInviteSentAt);
  if (a.seedState === 'PROVISIONED' && seedSent !== undefined && secondsSince(seedSent) >= d.seedEmailValidity) {
    out.actions.push({ type: 'SEED_INVITE_EXPIRED', rule: 'D10', expiredAt: after(seedSent, d.seedEmailValidity) });
  }

  const changed = opt(a.passwordChangedAt);
  if (
    (a.idKind ?? 'LOCAL') === 'LOCAL' &&
    (a.state === 'PENDING' || a.state === 'ACTIVE') &&
    !a.mustChangePassword &&
    changed !== undefined &&
    opt(a.passwordExpiryNoticeFor) !== changed
  ) {
    if (t >= passwordExpiryNoticeFrom(new Date(changed), d).getTime()) {
      out.actions.push({
        type: 'PASSWORD_EXPIRY_NOTICE',
        rule: 'PWD-EXPIRY',
        expiresAt: passwordExpiresAt(new Date(changed), d),
      });
    }
  }
  return out;
}

/** The actions due for one account at `now` (T3, T4, T6, T9, D3/D5/D7 reminders, D10, password-expiry notice). */
export function evaluateAccount(
  account: LifecycleAccount,
  now: Date,
  deadlines: Deadlines = DEFAULT_DEADLINES,
): Action[] {
  return explainAccount(account, now, deadlines).actions;
}

/** Has the current password expired (sign-in then requires a change or a reset, E-PWD-EXPIRED)? */
export function isPasswordExpired(
  a: Pick<LifecycleAccount, 'passwordChangedAt' | 'idKind'>,
  now: Date,
  deadlines: Deadlines = DEFAULT_DEADLINES,
): boolean {
  const changed = a.passwordChangedAt;
  return (
    (a.idKind ?? 'LOCAL') === 'LOCAL' &&
    changed !== undefined &&
    changed !== null &&
    passwordExpired(changed, now, deadlines)
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Invitations (D1)

export interface LifecycleInvitation {
  /** `SENT` | `REGISTERED` | `EXPIRED` | `SUPERSEDED` | `REVOKED` (upper or lower case). */
  status: string;
  /** When the invitation (link) was sent. */
  sentAt: Instant;
  /** Stored expiry; defaults to sentAt + D1. */
  expiresAt?: Instant | null;
}

export type InvitationAction = { type: 'EXPIRE_INVITATION'; rule: 'D1'; expiredAt: Date; notifyInviter: true };

/** D1: a SENT invitation whose link validity has run out expires; the inviter gets N-REG-RESULT (expired). */
export function evaluateInvitation(
  inv: LifecycleInvitation,
  now: Date,
  deadlines: Deadlines = DEFAULT_DEADLINES,
): InvitationAction[] {
  const expires = new Date(opt(inv.expiresAt) ?? ms(inv.sentAt) + deadlines.registrationLinkValidity * 1000);
  if (
    inv.status.toUpperCase() !== 'SENT' ||
    invitationStatusAt({ status: inv.status, expiresAt: expires }, now) !== 'expired'
  )
    return [];
  return [{ type: 'EXPIRE_INVITATION', rule: 'D1', expiredAt: expires, notifyInviter: true }];
}

/** True when a registration link is no longer usable at `now` (checked on every read, not only by the job). */
export function isInvitationExpired(
  inv: Pick<LifecycleInvitation, 'sentAt' | 'expiresAt'>,
  now: Date,
  deadlines: Deadlines = DEFAULT_DEADLINES,
): boolean {
  const expiresAt = new Date(opt(inv.expiresAt) ?? ms(inv.sentAt) + deadlines.registrationLinkValidity * 1000);
  return invitationStatusAt({ status: 'sent', expiresAt }, now) === 'expired';
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping from the database (snake_case columns, ISO strings, 0/1 booleans). Structural, so the DB row type fits.

export interface AccountRowLike {
  state: string;
  account_type: string;
  under_investigation: number | boolean;
  created_at: string;
  activated_at: string | null;
  last_sign_in_at: string | null;
  status_modified_at: string;
  terminated_at: string | null;
  last_reminder_at: string | null;
  must_change_password: number | boolean;
  password_changed_at: string | null;
  pwd_expiry_notice_for: string | null;
  seed_state: string;
  seed_invite_sent_at: string | null;
}

export function lifecycleAccountFromRow(r: AccountRowLike): LifecycleAccount {
  return {
    state: r.state,
    accountType: r.account_type,
    underInvestigation: Boolean(r.under_investigation),
    createdAt: r.created_at,
    activatedAt: r.activated_at,
    lastSignInAt: r.last_sign_in_at,
    statusModifiedAt: r.status_modified_at,
    terminatedAt: r.terminated_at,
    lastReminderAt: r.last_reminder_at,
    idKind: 'LOCAL',
    mustChangePassword: Boolean(r.must_change_password),
    passwordChangedAt: r.password_changed_at,
    passwordExpiryNoticeFor: r.pwd_expiry_notice_for,
    seedState: r.seed_state,
    seedInviteSentAt: r.seed_invite_sent_at,
  };
}
