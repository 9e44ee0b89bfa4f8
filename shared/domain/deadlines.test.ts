import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addSeconds,
  DAY,
  daysSince,
  DEFAULT_DEADLINES,
  isBusinessDay,
  resolveDeadlines,
  sameSgtDay,
  SG_PUBLIC_HOLIDAYS,
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
  it('daysSince floors whole 24 h periods', () => {
    const t = new Date('2026-01-01T00:00:00Z');
    expect(daysSince(t, addSeconds(t, 23 * DAY - 1))).toBe(22);
    expect(daysSince(t, addSeconds(t, 23 * DAY))).toBe(23);
  });
});

describe('public holidays data', () => {
  it('covers 2025–2027 with valid, sorted, unique dates', () => {
    const dates = SG_PUBLIC_HOLIDAYS.map((h) => h.date);
    expect(new Set(dates).size).toBe(dates.length);
    expect([...dates].sort()).toEqual(dates);
    for (const y of ['2025', '2026', '2027']) {
      const ofYear = dates.filter((d) => d.startsWith(y));
      expect(ofYear.length).toBeGreaterThanOrEqual(11);
      expect(ofYear).toContain(`${y}-01-01`);
      expect(ofYear).toContain(`${y}-08-09`);
      expect(ofYear).toContain(`${y}-12-25`);
    }
    for (const d of dates) expect(new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10)).toBe(d);
  });
  it('gives a Monday in lieu for every Sunday holiday', () => {
    const dates = new Set(SG_PUBLIC_HOLIDAYS.map((h) => h.date));
    for (const d of dates) {
      const day = new Date(`${d}T00:00:00Z`);
      if (day.getUTCDay() === 0) {
        let next = addSeconds(day, DAY);
        while (dates.has(next.toISOString().slice(0, 10)) && next.getUTCDay() !== 1) next = addSeconds(next, DAY);
        expect(dates.has(next.toISOString().slice(0, 10)), `${d} in lieu`).toBe(true);
      }
    }
  });
});

describe('addBusinessDays (SGT, Mon–Fri, minus holidays)', () => {
  // 10:00 SGT = 02:00Z
  const at = (d: string) => new Date(`${d}T02:00:00Z`);
  it.each([
    ['2026-03-02', 0, '2026-03-02', 'zero days'],
    ['2026-03-02', 3, '2026-03-05', 'Mon + 3 = Thu'],
    ['2026-03-05', 3, '2026-03-10', 'Thu + 3 skips the weekend'],
    ['2026-03-07', 1, '2026-03-09', 'Sat + 1 = Mon'],
    ['2026-03-31', 3, '2026-04-06', 'Tue + 3 skips Good Friday (3 Apr)'],
    ['2026-02-13', 1, '2026-02-16', 'Fri + 1 = Mon'],
    ['2026-02-16', 1, '2026-02-19', 'Mon + 1 skips Chinese New Year (17–18 Feb)'],
    ['2026-11-06', 1, '2026-11-10', 'Fri + 1 skips Deepavali in lieu (Mon 9 Nov)'],
    ['2026-12-24', 3, '2026-12-30', 'Christmas Eve + 3'],
  ] as const)('%s + %d → %s (%s)', (from, n, to, _why) => {
    expect(addBusinessDays(at(from), n).toISOString()).toBe(at(to).toISOString());
  });
  it('counts in SGT even when the UTC date differs', () => {
    // Fri 23:30 SGT = Fri 15:30Z; +1 business day = Mon 23:30 SGT.
    expect(addBusinessDays(new Date('2026-03-06T15:30:00Z'), 1).toISOString()).toBe('2026-03-09T15:30:00.000Z');
  });
  it('takes the holiday list as data', () => {
    expect(addBusinessDays(at('2026-03-02'), 1, ['2026-03-03']).toISOString()).toBe(at('2026-03-04').toISOString());
    expect(addBusinessDays(at('2026-04-02'), 1, []).toISOString()).toBe(at('2026-04-03').toISOString());
  });
  it('isBusinessDay', () => {
    expect(isBusinessDay(at('2026-08-10'))).toBe(false);
    expect(isBusinessDay(at('2026-08-11'))).toBe(true);
    expect(isBusinessDay(at('2026-08-08'))).toBe(false);
  });
  it('rejects fractional or negative counts', () => {
    expect(() => addBusinessDays(at('2026-03-02'), -1)).toThrow();
    expect(() => addBusinessDays(at('2026-03-02'), 1.5)).toThrow();
  });
});
