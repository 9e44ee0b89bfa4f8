import { describe, expect, it } from 'vitest';
import {
  addSeconds,
  DAY,
  DEFAULT_DEADLINES,
  passwordExpired,
  passwordExpiresAt,
  passwordExpiryNoticeDueIfSetBy,
  passwordExpiryNoticeFrom,
  resolveDeadlines,
  sameSgtDay,
  sgtDateString,
} from './deadlines';

describe('DEFAULT_DEADLINES', () => {
  it.each([
    ['registrationLinkValidity', 5 * DAY],
    ['activationWindow', 30 * DAY],
    ['preActivationReminderFrom', 23 * DAY],
    ['deleteAfterTermination', 5 * DAY],
    ['inactivityDisableWarningFrom', 61 * DAY],
    ['inactivityDisable', 90 * DAY],
    ['inactivityTerminateWarningFrom', 173 * DAY],
    ['inactivityTerminate', 180 * DAY],
    ['statusChangeGrace', 5 * DAY],
    ['seedEmailValidity', 30 * DAY],
    ['pendingSeedDeviceRemoval', 14 * DAY],
    ['smsCodeValidity', 600],
    ['smsCodeMaxAttempts', 3],
    ['smsCodeResendCooldown', 60],
    ['passwordExpiry', 90 * DAY],
    ['passwordExpiryNoticeBefore', 14 * DAY],
    ['lockoutThreshold', 5],
  ] as const)('%s = %d', (key, value) => {
    expect(DEFAULT_DEADLINES[key]).toBe(value);
  });
  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_DEADLINES)).toBe(true);
  });
});

describe('resolveDeadlines', () => {
  it('applies overrides and keeps the rest', () => {
    const d = resolveDeadlines({ registrationLinkValidity: 60, smsCodeMaxAttempts: undefined });
    expect(d.registrationLinkValidity).toBe(60);
    expect(d.activationWindow).toBe(30 * DAY);
    expect(d.smsCodeMaxAttempts).toBe(3);
  });
  it('rejects bad values and unknown keys', () => {
    expect(() => resolveDeadlines({ activationWindow: -1 })).toThrow(/non-negative/);
    expect(() => resolveDeadlines({ activationWindow: Number.NaN })).toThrow(/non-negative/);
    expect(() => resolveDeadlines({ nope: 1 } as never)).toThrow(/Unknown deadline/);
  });
});

describe('SGT calendar', () => {
  it('uses UTC+8 for the calendar day', () => {
    expect(sgtDateString(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
    expect(sgtDateString(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
    expect(sameSgtDay(new Date('2026-03-01T16:00:00Z'), new Date('2026-03-02T15:59:59Z'))).toBe(true);
    expect(sameSgtDay(new Date('2026-03-01T15:59:59Z'), new Date('2026-03-01T16:00:00Z'))).toBe(false);
  });
});

describe('password expiry (§4.4)', () => {
  const set = new Date('2026-01-01T00:00:00Z');
  it('expires 90 days after the password was set, not a second before', () => {
    expect(passwordExpiresAt(set).toISOString()).toBe(addSeconds(set, 90 * DAY).toISOString());
    expect(passwordExpired(set, addSeconds(set, 90 * DAY - 1))).toBe(false);
    expect(passwordExpired(set, addSeconds(set, 90 * DAY))).toBe(true);
    expect(passwordExpired(set.toISOString(), addSeconds(set, 91 * DAY))).toBe(true);
  });
  it('owes the notice from 14 days before, with shrunk deadlines too', () => {
    expect(passwordExpiryNoticeFrom(set).toISOString()).toBe(addSeconds(set, 76 * DAY).toISOString());
    expect(passwordExpiryNoticeFrom(set, { passwordExpiry: 100, passwordExpiryNoticeBefore: 30 }).toISOString()).toBe(
      addSeconds(set, 70).toISOString(),
    );
    expect(passwordExpired(set, addSeconds(set, 100), { passwordExpiry: 100 })).toBe(true);
  });
  it("the job's query bound is the notice rule inverted: a password set at the bound owes its notice exactly now", () => {
    const now = new Date('2026-06-01T12:00:00Z');
    for (const d of [
      DEFAULT_DEADLINES,
      { passwordExpiry: 100, passwordExpiryNoticeBefore: 30 },
      { passwordExpiry: 30 * DAY, passwordExpiryNoticeBefore: 20 * DAY },
    ]) {
      const bound = passwordExpiryNoticeDueIfSetBy(now, d);
      expect(passwordExpiryNoticeFrom(bound, d).toISOString()).toBe(now.toISOString());
      expect(passwordExpiryNoticeFrom(addSeconds(bound, 1), d).getTime()).toBeGreaterThan(now.getTime());
    }
  });
});
