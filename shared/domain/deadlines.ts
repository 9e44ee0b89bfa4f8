/**
 * Deadlines and timers (domain.md §2.5), SMS code rules (§5.1), password expiry (§4.4) and lockout (§4.6).
 * Every value is a duration in seconds and configurable (`resolveDeadlines`), so tests can shrink them.
 * All deadlines are measured in Asia/Singapore time (SGT, UTC+8, no daylight saving); "N days" = N×24 h.
 */

export const SECOND = 1;
export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86_400;

export interface Deadlines {
  /** D1: registration link validity, from invitation sent. */
  registrationLinkValidity: number;
  /** D2: activation window, from created_at; PENDING past it → TERMINATED. */
  activationWindow: number;
  /** D3: daily pre-activation reminders from this age (day 23). */
  preActivationReminderFrom: number;
  /** D4: delete this long after termination. */
  deleteAfterTermination: number;
  /**
   * D5: daily inactivity (disable) warnings from this idle time: "daily from day 61". "Day N" means N×24 h have
   * elapsed, the same reading as D3 (day 23 = 7 days before day 30) and D7 (day 173 = 1 week before day 180).
   */
  inactivityDisableWarningFrom: number;
  /** D6: idle time after which an ACTIVE account is DISABLED. */
  inactivityDisable: number;
  /** D7: daily inactivity (terminate) warnings from this idle time (day 173). */
  inactivityTerminateWarningFrom: number;
  /** D8: idle time after which an ACTIVE/DISABLED account is TERMINATED. */
  inactivityTerminate: number;
  /** D9: grace after a status change / re-enable during which automatic transitions are skipped. */
  statusChangeGrace: number;
  /** D10: SEED onboarding email validity, from when it was sent (queued). */
  seedEmailValidity: number;
  /** D11: SEED email arrival per the SEED docs (business days, informational). */
  seedEmailArrivalBusinessDays: number;
  /** D12: SE GSIB account provisioning (business days). */
  seGsibProvisioningBusinessDays: number;
  /** D13: support first response (business days). */
  supportFirstResponseBusinessDays: number;
  /** D14: SEED onboarded confirmation email arrives within this. */
  seedOnboardedConfirmation: number;
  /** D14: suggest checking after this long. */
  seedOnboardedCheckAfter: number;
  /** D15: pending SEED device auto-removal. */
  pendingSeedDeviceRemoval: number;
  /** D16: security-info review reminder period. */
  securityInfoReview: number;
  /** D17: TechBiz "Resend invite" rate limit: once per this period per invitee. */
  resendInviteInterval: number;
  /** D18: SEED device password change period. */
  seedDevicePasswordChange: number;
  /** D19: OS baseline non-compliance grace. */
  osBaselineGrace: number;

  /** SMS codes (phone verification, password reset): validity. */
  smsCodeValidity: number;
  /** SMS codes: wrong attempts allowed per code. */
  smsCodeMaxAttempts: number;
  /** SMS codes: minimum time between two sends. */
  smsCodeResendCooldown: number;
  /** LOCAL password expiry (§4.4). */
  passwordExpiry: number;
  /** Expiry notice starts this long before the password expires. */
  passwordExpiryNoticeBefore: number;
  /** Consecutive failed sign-ins that lock a LOCAL account (§4.6, A7). */
  lockoutThreshold: number;
}

export const DEFAULT_DEADLINES: Readonly<Deadlines> = Object.freeze({
  registrationLinkValidity: 5 * DAY,
  activationWindow: 30 * DAY,
  preActivationReminderFrom: 23 * DAY,
  deleteAfterTermination: 5 * DAY,
  inactivityDisableWarningFrom: 61 * DAY,
  inactivityDisable: 90 * DAY,
  inactivityTerminateWarningFrom: 173 * DAY,
  inactivityTerminate: 180 * DAY,
  statusChangeGrace: 5 * DAY,
  seedEmailValidity: 30 * DAY,
  seedEmailArrivalBusinessDays: 3,
  seGsibProvisioningBusinessDays: 3,
  supportFirstResponseBusinessDays: 3,
  seedOnboardedConfirmation: 2 * HOUR,
  seedOnboardedCheckAfter: 30 * MINUTE,
  pendingSeedDeviceRemoval: 14 * DAY,
  securityInfoReview: 180 * DAY,
  resendInviteInterval: 1 * DAY,
  seedDevicePasswordChange: 365 * DAY,
  osBaselineGrace: 7 * DAY,
  smsCodeValidity: 10 * MINUTE,
  smsCodeMaxAttempts: 3,
  smsCodeResendCooldown: 60 * SECOND,
  passwordExpiry: 90 * DAY,
  passwordExpiryNoticeBefore: 14 * DAY,
  lockoutThreshold: 5,
});

/** DEFAULT_DEADLINES with overrides applied; rejects negative or non-finite values (a config mistake). */
export function resolveDeadlines(overrides: Partial<Deadlines> = {}): Deadlines {
  const out: Deadlines = { ...DEFAULT_DEADLINES };
  for (const [key, value] of Object.entries(overrides) as [keyof Deadlines, number | undefined][]) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_DEADLINES)) throw new Error(`Unknown deadline "${key}". Check the deadline overrides.`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`Deadline "${key}" must be a non-negative number of seconds (or a count); got ${String(value)}.`);
    }
    out[key] = value;
  }
  return out;
}

/** `date + seconds`, as a new Date. */
export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

// ---------------------------------------------------------------------------------------------------------------
// Singapore time

/** SGT is UTC+8 all year. */
export const SGT_OFFSET_MS = 8 * HOUR * 1000;

/** The SGT calendar date of an instant, as `YYYY-MM-DD`. */
export function sgtDateString(date: Date): string {
  return new Date(date.getTime() + SGT_OFFSET_MS).toISOString().slice(0, 10);
}

/** Same SGT calendar day? (Used for "at most one reminder per day".) */
export function sameSgtDay(a: Date, b: Date): boolean {
  return sgtDateString(a) === sgtDateString(b);
}

/**
 * Whole days left before `deadline`, counted up (ceil): a 30-day deadline reads 30 on its first day, and 1 on its
 * last; 0 once it has passed.
 */
export function daysLeft(deadline: Date, now: Date): number {
  return Math.max(0, Math.ceil((deadline.getTime() - now.getTime()) / (DAY * 1000)));
}

// ---------------------------------------------------------------------------------------------------------------
// Password expiry (§4.4): LOCAL passwords expire `passwordExpiry` after they were set; the notice is owed from
// `passwordExpiryNoticeBefore` ahead of that.

/** When a password set at `changedAt` expires. */
export function passwordExpiresAt(
  changedAt: Date | string,
  deadlines: Pick<Deadlines, 'passwordExpiry'> = DEFAULT_DEADLINES,
): Date {
  return addSeconds(new Date(changedAt), deadlines.passwordExpiry);
}

/** Has a password set at `changedAt` expired at `now` (sign-in then requires a change, E-PWD-EXPIRED)? */
export function passwordExpired(
  changedAt: Date | string,
  now: Date,
  deadlines: Pick<Deadlines, 'passwordExpiry'> = DEFAULT_DEADLINES,
): boolean {
  return passwordExpiresAt(changedAt, deadlines).getTime() <= now.getTime();
}

/** How old a password is (seconds since it was set) when its expiry notice is due: `passwordExpiryNoticeBefore` ahead of its expiry. */
export function passwordExpiryNoticeAge(
  deadlines: Pick<Deadlines, 'passwordExpiry' | 'passwordExpiryNoticeBefore'> = DEFAULT_DEADLINES,
): number {
  return deadlines.passwordExpiry - deadlines.passwordExpiryNoticeBefore;
}

/** From when the expiry notice (N-PWD-EXPIRY) for a password set at `changedAt` is due. */
export function passwordExpiryNoticeFrom(
  changedAt: Date | string,
  deadlines: Pick<Deadlines, 'passwordExpiry' | 'passwordExpiryNoticeBefore'> = DEFAULT_DEADLINES,
): Date {
  return addSeconds(new Date(changedAt), passwordExpiryNoticeAge(deadlines));
}

/**
 * The latest time a password can have been set for its expiry notice to be due at `now` (the inverse of
 * `passwordExpiryNoticeFrom`): the bound of the lifecycle job's query for notice candidates.
 */
export function passwordExpiryNoticeDueIfSetBy(
  now: Date,
  deadlines: Pick<Deadlines, 'passwordExpiry' | 'passwordExpiryNoticeBefore'> = DEFAULT_DEADLINES,
): Date {
  return addSeconds(now, -passwordExpiryNoticeAge(deadlines));
}
